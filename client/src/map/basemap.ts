import type { LayerSpecification, SourceSpecification, StyleSpecification } from 'maplibre-gl'
import type { BasemapConfig } from '../api/config.ts'

/** Paper colour outside the town; the town's land is drawn lighter by the boundary layer. */
export const backgroundColour = '#e7e2d6'

export const basemapLayerPrefix = 'basemap:'

/** PMTiles tile types, as the archive header reports them. */
export type PmtilesTileType = 'vector' | 'raster'

function rasterSource(tiles: string[], attribution: string | undefined, tileSize = 256, maxzoom = 18): SourceSpecification {
  return { type: 'raster', tiles, tileSize, maxzoom, ...(attribution ? { attribution } : {}) }
}

function rasterLayer(id: string, opacity = 1): LayerSpecification {
  return { id: `${basemapLayerPrefix}${id}`, type: 'raster', source: id, paint: { 'raster-opacity': opacity } }
}

/** 天地图 WMTS in Web Mercator: a base layer and its annotation layer, eight load-balanced hosts. */
export function tiandituTiles(layer: string, token: string): string[] {
  return Array.from(
    { length: 8 },
    (_, host) => `https://t${host}.tianditu.gov.cn/DataServer?T=${layer}_w&x={x}&y={y}&l={z}&tk=${encodeURIComponent(token)}`,
  )
}

/**
 * A minimal style for a vector PMTiles basemap in the Protomaps schema (earth, water, landuse,
 * roads, boundaries); the town's own layers carry the detail and the labels on top.
 */
function vectorPmtilesLayers(source: string): LayerSpecification[] {
  const id = (name: string) => `${basemapLayerPrefix}${name}`
  return [
    { id: id('earth'), type: 'fill', source, 'source-layer': 'earth', paint: { 'fill-color': '#f2efe6' } },
    { id: id('landuse'), type: 'fill', source, 'source-layer': 'landuse', paint: { 'fill-color': '#e3ecd5', 'fill-opacity': 0.6 } },
    { id: id('water'), type: 'fill', source, 'source-layer': 'water', paint: { 'fill-color': '#b5d3ee' } },
    { id: id('roads'), type: 'line', source, 'source-layer': 'roads', paint: { 'line-color': '#ffffff', 'line-width': 1 } },
    {
      id: id('boundaries'),
      type: 'line',
      source,
      'source-layer': 'boundaries',
      paint: { 'line-color': '#9e9e9e', 'line-dasharray': [2, 2] },
    },
  ]
}

/**
 * The style the map starts from: the background and the configured basemap. The town's own
 * layers (boundaries, rivers, roads, contours, labels) are overlays added on top, so the
 * offline basemap is just this background plus them, and online basemaps slot in underneath.
 */
export function basemapStyle(config: BasemapConfig, pmtilesType: PmtilesTileType = 'raster'): StyleSpecification {
  const style: StyleSpecification = {
    version: 8,
    name: `riskatlas-${config.kind}`,
    sources: {},
    layers: [{ id: `${basemapLayerPrefix}background`, type: 'background', paint: { 'background-color': backgroundColour } }],
  }
  switch (config.kind) {
    case 'offline':
      return style
    case 'raster':
      style.sources.basemap = rasterSource(config.tiles, config.attribution, config.tileSize, config.maxzoom)
      style.layers.push(rasterLayer('basemap'))
      return style
    case 'tianditu': {
      const [base, labels] = config.style === 'imagery' ? ['img', 'cia'] : ['vec', 'cva']
      const attribution = '© 天地图 Tianditu'
      style.sources.tianditu = rasterSource(tiandituTiles(base, config.token), attribution)
      style.sources['tianditu-labels'] = rasterSource(tiandituTiles(labels, config.token), undefined)
      style.layers.push(rasterLayer('tianditu'), rasterLayer('tianditu-labels'))
      return style
    }
    case 'pmtiles': {
      const url = `pmtiles://${new URL(config.url, globalThis.location?.href ?? 'http://localhost/').href}`
      const attribution = config.attribution
      if (pmtilesType === 'vector') {
        style.sources.basemap = { type: 'vector', url, ...(attribution ? { attribution } : {}) }
        style.layers.push(...vectorPmtilesLayers('basemap'))
      } else {
        style.sources.basemap = { type: 'raster', url, tileSize: 256, ...(attribution ? { attribution } : {}) }
        style.layers.push(rasterLayer('basemap'))
      }
      return style
    }
  }
}

/** Whether the town's land fill should be see-through so an online basemap shows beneath it. */
export function hasImageryUnderneath(config: BasemapConfig): boolean {
  return config.kind !== 'offline'
}
