import { shallowReactive } from 'vue'
import type { Feature, FeatureCollection, Geometry } from 'geojson'
import { fetchLayerFeatures, type LayerProperties } from '../api/layers.ts'

export type LoadStatus = 'idle' | 'loading' | 'loaded' | 'error'

/** A loaded layer: MapLibre gets `mapData`, whose feature ids are indexes into `apiIds`. */
export interface LoadedLayer {
  mapData: FeatureCollection<Geometry, LayerProperties>
  /** The API's feature id for each map feature id (index). */
  apiIds: (string | number)[]
}

/**
 * GeoJSON lives here, outside Vue's reactivity (a plain Map): only the load status of each
 * layer is reactive, so components re-render when a layer arrives, never per feature.
 */
const layers = new Map<string, LoadedLayer>()
const pending = new Map<string, Promise<LoadedLayer>>()
const presentCache = new Map<string, Map<string, Set<unknown>>>()

export const loadStatus = shallowReactive<Record<string, LoadStatus>>({})

/**
 * How many features of each loaded layer the map holds. The API caps a layer answer (10,000);
 * where the layer has more, views compare this with the layer's count and say so — nothing is
 * dropped without the user being told.
 */
export const shownCount = shallowReactive<Record<string, number>>({})

/** The features a layer of `count` shows when the map holds fewer than all of them; undefined when it holds them all. */
export function partialShown(
  shown: Readonly<Record<string, number>> | undefined,
  layer: { id: string; count: number },
): number | undefined {
  const held = shown?.[layer.id]
  return held !== undefined && held < layer.count ? held : undefined
}

/**
 * Renumbers features 0..n-1 so MapLibre feature-state works whatever the API's ids look like
 * (feature-state needs integer ids); the API ids are kept aside for URLs and cards.
 */
export function toLoadedLayer(collection: FeatureCollection<Geometry, LayerProperties>): LoadedLayer {
  const apiIds: (string | number)[] = []
  const features = collection.features.map((feature, index): Feature<Geometry, LayerProperties> => {
    apiIds.push(feature.id ?? index)
    return { type: 'Feature', id: index, geometry: feature.geometry, properties: feature.properties ?? {} }
  })
  return { mapData: { type: 'FeatureCollection', features }, apiIds }
}

export function loadLayer(layerId: string): Promise<LoadedLayer> {
  const loaded = layers.get(layerId)
  if (loaded) return Promise.resolve(loaded)
  let promise = pending.get(layerId)
  if (promise) return promise
  loadStatus[layerId] = 'loading'
  promise = fetchLayerFeatures(layerId)
    .then((collection) => {
      const layer = toLoadedLayer(collection)
      layers.set(layerId, layer)
      presentCache.delete(layerId)
      shownCount[layerId] = collection.features.length
      loadStatus[layerId] = 'loaded'
      return layer
    })
    .catch((error: unknown) => {
      loadStatus[layerId] = 'error'
      throw error
    })
    .finally(() => pending.delete(layerId))
  pending.set(layerId, promise)
  return promise
}

/** Bumped each time a layer is reloaded, so components holding its data take the new one. */
export const layerRevision = shallowReactive<Record<string, number>>({})

/**
 * Fetches a loaded layer again (the server announced a change to it). The old data stays
 * until the new arrives, so the map never blinks empty; the status is not set to `loading`.
 */
export async function reloadLayer(layerId: string): Promise<void> {
  if (!layers.has(layerId)) return
  const collection = await fetchLayerFeatures(layerId)
  layers.set(layerId, toLoadedLayer(collection))
  presentCache.delete(layerId)
  shownCount[layerId] = collection.features.length
  layerRevision[layerId] = (layerRevision[layerId] ?? 0) + 1
}

export function loadedLayer(layerId: string): LoadedLayer | undefined {
  return layers.get(layerId)
}

export function featureByMapId(layerId: string, mapId: number): Feature<Geometry, LayerProperties> | undefined {
  return layers.get(layerId)?.mapData.features[mapId]
}

export function mapIdOf(layerId: string, apiId: string): number | undefined {
  const index = layers.get(layerId)?.apiIds.findIndex((id) => String(id) === apiId)
  return index === undefined || index < 0 ? undefined : index
}

export function apiIdOf(layerId: string, mapId: number): string | undefined {
  const id = layers.get(layerId)?.apiIds[mapId]
  return id === undefined ? undefined : String(id)
}

/** Distinct values of a property in a loaded layer (undefined while not loaded). */
export function valuesPresent(layerId: string, property: string): ReadonlySet<unknown> | undefined {
  const layer = layers.get(layerId)
  if (!layer) return undefined
  let byProperty = presentCache.get(layerId)
  if (!byProperty) presentCache.set(layerId, (byProperty = new Map()))
  let values = byProperty.get(property)
  if (!values) {
    values = new Set(layer.mapData.features.map((feature) => feature.properties[property]))
    byProperty.set(property, values)
  }
  return values
}

/** Features of a loaded layer matching a predicate, with their map ids. */
export function findFeatures(
  layerId: string,
  predicate: (properties: LayerProperties) => boolean,
): { mapId: number; feature: Feature<Geometry, LayerProperties> }[] {
  const layer = layers.get(layerId)
  if (!layer) return []
  return layer.mapData.features.flatMap((feature, mapId) => (predicate(feature.properties) ? [{ mapId, feature }] : []))
}

/** For tests: forget everything loaded. */
export function resetFeatureStore(): void {
  layers.clear()
  pending.clear()
  presentCache.clear()
  for (const key of Object.keys(loadStatus)) delete loadStatus[key]
  for (const key of Object.keys(layerRevision)) delete layerRevision[key]
}

/** For tests and previews: put a layer in the store without the network. */
export function putLayer(layerId: string, collection: FeatureCollection<Geometry, LayerProperties>): LoadedLayer {
  const layer = toLoadedLayer(collection)
  layers.set(layerId, layer)
  presentCache.delete(layerId)
  loadStatus[layerId] = 'loaded'
  return layer
}
