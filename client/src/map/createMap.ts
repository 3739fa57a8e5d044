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
  void prepareIcons()
  const map = new MapLibreMap({
    container,
    style,
    center: center ?? fallbackView.center,
    zoom: zoom ?? fallbackView.zoom,
    // Every glyph is drawn from local fonts (the style has no `glyphs` URL), CJK included.
    localIdeographFontFamily,
    attributionControl: false,
    maxPitch: 0,
    // Labels appear at once: no fade frames to render (software GL on command-room PCs is slow).
    fadeDuration: 0,
    dragRotate: false,
  })
  map.touchZoomRotate.disableRotation()
  map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left')
  map.on('styleimagemissing', (event: { id: string }) => void addIcon(map, event.id as IconName))
  return map
}

const iconPixelRatio = () => Math.max(2, Math.ceil(globalThis.devicePixelRatio ?? 1))

/** Rasterises an SVG icon at the screen's pixel ratio. */
async function rasteriseIcon(name: IconName): Promise<ImageData | undefined> {
  const icon = icons[name]
  const size = icon.size * iconPixelRatio()
  const image = new Image(size, size)
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(icon.svg)}`
  await image.decode()
  const canvas = document.createElement('canvas')
  canvas.width = size
  canvas.height = size
  // A CPU-backed canvas: reading pixels back from a GPU canvas costs ~35 ms an icon on software GL.
  const context = canvas.getContext('2d', { willReadFrequently: true })
  if (!context) return undefined
  context.drawImage(image, 0, 0, size, size)
  return context.getImageData(0, 0, size, size)
}

const rasterised = new Map<IconName, Promise<ImageData | undefined>>()

/** Starts drawing every icon (cached), so they are ready by the time the style has loaded. */
export function prepareIcons(): Promise<unknown> {
  for (const name of Object.keys(icons) as IconName[]) if (!rasterised.has(name)) rasterised.set(name, rasteriseIcon(name))
  return Promise.all(rasterised.values())
}

/** Hands one icon to MapLibre (after a style change, or when a layer asks for a missing one). */
export async function addIcon(map: MapLibreMap, name: IconName): Promise<void> {
  if (!(name in icons)) return
  if (!rasterised.has(name)) rasterised.set(name, rasteriseIcon(name))
  const data = await rasterised.get(name)
  if (!data || map.hasImage(name)) return
  map.addImage(name, data, { pixelRatio: iconPixelRatio() })
}

/** Adds every icon so the first frame has them (no flash of missing symbols). */
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
