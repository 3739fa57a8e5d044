import { onBeforeUnmount, watch, type ShallowRef } from 'vue'
import type {
  GeoJSONSource,
  GeoJSONSourceSpecification,
  LayerSpecification,
  Map as MapLibreMap,
  VectorSourceSpecification,
  VectorTileSource,
} from 'maplibre-gl'
import type { FeatureCollection } from 'geojson'

/** One GeoJSON or vector-tile source on the map with its style layers (catalogue layer or computed by a view). */
export interface MapLayerOptions {
  sourceId: string
  /** The source's data; a new object redraws. Handed to MapLibre as is, never made reactive. */
  data: () => FeatureCollection | undefined
  /**
   * A vector-tile source instead of GeoJSON (`data` is then unused): added once this returns a
   * spec, its tiles swapped in place when the spec's tile URLs change (a new data version).
   */
  vector?: () => VectorSourceSpecification | undefined
  /** Style layers; `metadata.order` slots each into the global draw order. Filters are followed. */
  layers: () => readonly LayerSpecification[]
  /** Shown or hidden (default: shown). */
  visible?: () => boolean
  /** Extra GeoJSON source options (e.g. `tolerance`). */
  source?: Partial<Omit<GeoJSONSourceSpecification, 'type' | 'data'>>
}

const emptyCollection: FeatureCollection = { type: 'FeatureCollection', features: [] }

const orderOf = (layer: { metadata?: unknown }) => (layer.metadata as { order?: number } | undefined)?.order

/** MapLibre has no z-index: a new layer goes before the first existing one that draws above it. */
export function beforeId(target: MapLibreMap, order: number | undefined): string | undefined {
  if (order === undefined) return undefined
  return target
    .getStyle()
    .layers.map((layer) => ({ id: layer.id, order: orderOf(layer) }))
    .filter((layer): layer is { id: string; order: number } => typeof layer.order === 'number' && layer.order > order)
    .sort((a, b) => a.order - b.order)[0]?.id
}

/**
 * A map layer as a composable: adds its source and style layers once the style is ready, adds
 * them again after a style change (a new basemap drops everything), follows data, filters and
 * visibility with `watch`, and removes everything when the component unmounts.
 */
export function useMapLayer(map: ShallowRef<MapLibreMap | undefined>, options: MapLayerOptions): void {
  const visibility = () => ((options.visible?.() ?? true) ? 'visible' : 'none')
  let added: readonly LayerSpecification[] = []

  function addLayer(target: MapLibreMap, layer: LayerSpecification): void {
    if (target.getLayer(layer.id)) return
    const layout = { ...('layout' in layer ? layer.layout : {}), visibility: visibility() }
    target.addLayer({ ...layer, layout } as LayerSpecification, beforeId(target, orderOf(layer)))
  }

  function addToMap(target: MapLibreMap): void {
    if (!target.getSource(options.sourceId)) {
      if (options.vector) {
        const spec = options.vector()
        if (!spec) return
        target.addSource(options.sourceId, spec)
      } else {
        target.addSource(options.sourceId, { ...options.source, type: 'geojson', data: options.data() ?? emptyCollection })
      }
    }
    added = options.layers()
    for (const layer of added) addLayer(target, layer)
  }

  function removeFromMap(target: MapLibreMap): void {
    if (!target.style) return
    for (const layer of added) if (target.getLayer(layer.id)) target.removeLayer(layer.id)
    if (target.getSource(options.sourceId)) target.removeSource(options.sourceId)
  }

  const onStyleLoad = () => map.value && addToMap(map.value)

  watch(
    map,
    (target, previous) => {
      previous?.off('style.load', onStyleLoad)
      if (!target) return
      target.on('style.load', onStyleLoad)
      if (target.isStyleLoaded() || target.style?._loaded) addToMap(target)
    },
    { immediate: true },
  )

  // Synchronous: whoever assigns new data may set feature-state right after (setData clears it).
  watch(
    options.data,
    (data) => {
      if (!options.vector) map.value?.getSource<GeoJSONSource>(options.sourceId)?.setData(data ?? emptyCollection)
    },
    { flush: 'sync' },
  )

  if (options.vector) {
    const vector = options.vector
    watch(
      () => vector()?.tiles?.join(' '),
      () => {
        const target = map.value
        if (!target?.style) return
        const source = target.getSource<VectorTileSource>(options.sourceId)
        const spec = vector()
        if (!source) addToMap(target)
        else if (spec?.tiles) source.setTiles(spec.tiles)
      },
    )
  }

  watch(options.layers, (layers) => {
    const target = map.value
    if (!target?.getSource(options.sourceId)) return
    const ids = new Set(layers.map((layer) => layer.id))
    for (const layer of added) if (!ids.has(layer.id) && target.getLayer(layer.id)) target.removeLayer(layer.id)
    for (const layer of layers) {
      if (!target.getLayer(layer.id)) addLayer(target, layer)
      else if ('filter' in layer) target.setFilter(layer.id, layer.filter ?? null)
    }
    added = layers
  })

  watch(visibility, (value) => {
    const target = map.value
    if (!target) return
    for (const layer of added) if (target.getLayer(layer.id)) target.setLayoutProperty(layer.id, 'visibility', value)
  })

  onBeforeUnmount(() => {
    map.value?.off('style.load', onStyleLoad)
    if (map.value) removeFromMap(map.value)
  })
}
