import { addProtocol, Map as MapLibreMap, ScaleControl, setWorkerUrl, type StyleSpecification } from 'maplibre-gl'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'
import 'maplibre-gl/dist/maplibre-gl.css'
import type { InjectionKey, ShallowRef } from 'vue'
import type { BasemapConfig } from '../api/config.ts'
import { basemapStyle, type PmtilesTileType } from './basemap.ts'
import { icons, type IconName } from './icons.ts'
import { localIdeographFontFamily } from './labels.ts'

/**
 * The map, shared with every map component through provide/inject. Held in a `shallowRef`:
 * MapLibre's object graph must never become deep-reactive.
 */
export const mapKey: InjectionKey<ShallowRef<MapLibreMap | undefined>> = Symbol('riskatlas.map')

setWorkerUrl(workerUrl)

/** A view of the whole province until the layer bboxes tell us where the town is. */
export const fallbackView = { center: [105, 32] as [number, number], zoom: 4 }

export interface CreateMapOptions {
  container: HTMLElement
  style: StyleSpecification
  center?: [number, number]
  zoom?: number
}

export function createMap({ container, style, center, zoom }: CreateMapOptions): MapLibreMap {
  const map = new MapLibreMap({
    container,
    style,
    center: center ?? fallbackView.center,
    zoom: zoom ?? fallbackView.zoom,
    // Every glyph is drawn from local fonts (the style has no `glyphs` URL), CJK included.
    localIdeographFontFamily,
    attributionControl: false,
    maxPitch: 0,
    dragRotate: false,
  })
  map.touchZoomRotate.disableRotation()
  map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left')
  map.on('styleimagemissing', (event: { id: string }) => void addIcon(map, event.id as IconName))
  return map
}

/** Rasterises an SVG icon at the screen's pixel ratio and hands it to MapLibre. */
export async function addIcon(map: MapLibreMap, name: IconName): Promise<void> {
  const icon = icons[name]
  if (!icon || map.hasImage(name)) return
  const pixelRatio = Math.max(2, Math.ceil(globalThis.devicePixelRatio ?? 1))
  const size = icon.size * pixelRatio
  const image = new Image(size, size)
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(icon.svg)}`
  await image.decode()
  const canvas = document.createElement('canvas')
  canvas.width = size
  canvas.height = size
  const context = canvas.getContext('2d')
  if (!context) return
  context.drawImage(image, 0, 0, size, size)
  if (map.hasImage(name)) return
  map.addImage(name, context.getImageData(0, 0, size, size), { pixelRatio })
}

/** Adds every icon up front so the first frame has them (avoids a flash of missing symbols). */
export async function addAllIcons(map: MapLibreMap): Promise<void> {
  await Promise.all((Object.keys(icons) as IconName[]).map((name) => addIcon(map, name)))
}

let pmtilesProtocol: Promise<import('pmtiles').Protocol> | undefined

/** Registers the `pmtiles://` protocol, loading the library only when a PMTiles basemap is configured. */
async function ensurePmtiles(): Promise<import('pmtiles').Protocol> {
  pmtilesProtocol ??= import('pmtiles').then(({ Protocol }) => {
    const protocol = new Protocol()
    addProtocol('pmtiles', protocol.tile)
    return protocol
  })
  return pmtilesProtocol
}

/** The basemap style for a configuration, reading a PMTiles archive's header to know its tile type. */
export async function resolveBasemapStyle(config: BasemapConfig): Promise<StyleSpecification> {
  if (config.kind !== 'pmtiles') return basemapStyle(config)
  const protocol = await ensurePmtiles()
  const { PMTiles, TileType } = await import('pmtiles')
  const absolute = new URL(config.url, location.href).href
  const archive = new PMTiles(absolute)
  protocol.add(archive)
  let tileType: PmtilesTileType = 'raster'
  try {
    const header = await archive.getHeader()
    tileType = header.tileType === TileType.Mvt ? 'vector' : 'raster'
  } catch {
    // An unreadable archive still gets a raster source; MapLibre reports the tile errors.
  }
  return basemapStyle(config, tileType)
}
