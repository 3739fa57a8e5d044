import { shallowReactive } from 'vue'
import type { Feature, FeatureCollection, Geometry } from 'geojson'
import { tiledLayers, type TileJson } from '@riskatlas/shared'
import { fetchLayerFeature, fetchLayerFeatures, fetchTileJson, type LayerProperties } from '../api/layers.ts'

export type LoadStatus = 'idle' | 'loading' | 'loaded' | 'error'

/** A loaded layer: MapLibre gets `mapData`, whose feature ids are its map ids (see `toLoadedLayer`). */
export interface LoadedLayer {
  mapData: FeatureCollection<Geometry, LayerProperties>
  /** The API's feature id for each feature, parallel to `mapData.features`. */
  apiIds: (string | number)[]
  /** The index in `mapData.features` of each map id. */
  indexOf: Map<number, number>
}

/**
 * The vector tileset a layer is drawn from, when it has one (roads, rivers, contours, natural
 * villages, village boundaries, danger zones). A tiled layer's map id is its API id as a
 * number — the MVT feature id — so a feature keeps one id in tiles, cards, URLs and relations.
 */
export function tilesetOf(layerId: string): string | undefined {
  return tiledLayers[layerId]
}

/**
 * GeoJSON lives here, outside Vue's reactivity (a plain Map): only the load status of each
 * layer is reactive, so components re-render when a layer arrives, never per feature.
 */
const layers = new Map<string, LoadedLayer>()
const pending = new Map<string, Promise<LoadedLayer>>()
const presentCache = new Map<string, Map<string, Set<unknown>>>()
/** Whole features of tiled layers fetched one by one (a click on a tile), by `layerId/mapId`. */
const fetched = new Map<string, Feature<Geometry, LayerProperties>>()
const tileJsons = new Map<string, TileJson>()
const pendingTileJsons = new Map<string, Promise<TileJson>>()

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
 * Gives every feature a map id MapLibre's feature-state accepts (an integer): 0..n-1 whatever
 * the API's ids look like, or for a tiled layer the API id itself (the id its tiles carry). The
 * API ids are kept aside for URLs and cards.
 */
export function toLoadedLayer(collection: FeatureCollection<Geometry, LayerProperties>, tiled = false): LoadedLayer {
  const apiIds: (string | number)[] = []
  const indexOf = new Map<number, number>()
  const features = collection.features.map((feature, index): Feature<Geometry, LayerProperties> => {
    const apiId = feature.id ?? index
    const mapId = tiled && /^[0-9]+$/.test(String(apiId)) ? Number(apiId) : index
    apiIds.push(apiId)
    indexOf.set(mapId, index)
    return { type: 'Feature', id: mapId, geometry: feature.geometry, properties: feature.properties ?? {} }
  })
  return { mapData: { type: 'FeatureCollection', features }, apiIds, indexOf }
}

const storeLayer = (layerId: string, collection: FeatureCollection<Geometry, LayerProperties>): LoadedLayer => {
  const tiled = tilesetOf(layerId) !== undefined
  const layer = toLoadedLayer(collection, tiled)
  layers.set(layerId, layer)
  presentCache.delete(layerId)
  // Tiles draw every feature whatever the API's cap: only a GeoJSON layer can be shown in part.
  if (tiled) delete shownCount[layerId]
  else shownCount[layerId] = collection.features.length
  return layer
}

/**
 * Reads a tiled layer's TileJSON (once; again after `reloadLayer`): the map draws the layer
 * from its tiles, and its load status is the TileJSON's.
 */
export function loadTiles(layerId: string): Promise<TileJson> {
  const tilesetId = tilesetOf(layerId)
  if (!tilesetId) return Promise.reject(new Error(`${layerId} has no tileset`))
  const loaded = tileJsons.get(layerId)
  if (loaded) return Promise.resolve(loaded)
  let promise = pendingTileJsons.get(layerId)
  if (promise) return promise
  if (loadStatus[layerId] !== 'loaded') loadStatus[layerId] = 'loading'
  promise = fetchTileJson(tilesetId)
    .then((tileJson) => {
      tileJsons.set(layerId, tileJson)
      if (!pending.has(layerId)) loadStatus[layerId] = 'loaded'
      return tileJson
    })
    .catch((error: unknown) => {
      loadStatus[layerId] = 'error'
      throw error
    })
    .finally(() => pendingTileJsons.delete(layerId))
  pendingTileJsons.set(layerId, promise)
  return promise
}

export function loadedTiles(layerId: string): TileJson | undefined {
  return tileJsons.get(layerId)
}

export function loadLayer(layerId: string): Promise<LoadedLayer> {
  const loaded = layers.get(layerId)
  if (loaded) return Promise.resolve(loaded)
  let promise = pending.get(layerId)
  if (promise) return promise
  loadStatus[layerId] = 'loading'
  promise = fetchLayerFeatures(layerId)
    .then((collection) => {
      const layer = storeLayer(layerId, collection)
      if (!pendingTileJsons.has(layerId)) loadStatus[layerId] = 'loaded'
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
  const hasTiles = tileJsons.has(layerId)
  if (!layers.has(layerId) && !hasTiles) return
  for (const key of [...fetched.keys()]) if (key.startsWith(`${layerId}/`)) fetched.delete(key)
  const [collection, tileJson] = await Promise.all([
    layers.has(layerId) ? fetchLayerFeatures(layerId) : undefined,
    hasTiles ? fetchTileJson(tilesetOf(layerId)!) : undefined,
  ])
  if (collection) storeLayer(layerId, collection)
  if (tileJson) tileJsons.set(layerId, tileJson)
  layerRevision[layerId] = (layerRevision[layerId] ?? 0) + 1
}

export function loadedLayer(layerId: string): LoadedLayer | undefined {
  return layers.get(layerId)
}

/** Bumped when a feature fetched by id arrives, so a card waiting for it shows. */
export const fetchedRevision = shallowReactive({ count: 0 })

export function featureByMapId(layerId: string, mapId: number): Feature<Geometry, LayerProperties> | undefined {
  const layer = layers.get(layerId)
  const index = layer?.indexOf.get(mapId)
  if (index !== undefined) return layer!.mapData.features[index]
  return fetched.get(`${layerId}/${mapId}`)
}

/**
 * The whole feature behind a map id: from the loaded layer, or — for a feature drawn from a
 * tile, which carries only what the styles need — asked of the API by its id.
 */
export async function ensureFeature(layerId: string, mapId: number): Promise<Feature<Geometry, LayerProperties> | undefined> {
  const known = featureByMapId(layerId, mapId)
  if (known || !tilesetOf(layerId)) return known
  const apiId = apiIdOf(layerId, mapId)
  if (apiId === undefined) return undefined
  const feature = await fetchLayerFeature(layerId, apiId)
  const stored: Feature<Geometry, LayerProperties> = { ...feature, id: mapId, properties: feature.properties ?? {} }
  fetched.set(`${layerId}/${mapId}`, stored)
  fetchedRevision.count++
  return stored
}

/** The map id of an API id: from the loaded layer, or for a tiled layer the id itself (its tiles carry it). */
export function mapIdOf(layerId: string, apiId: string): number | undefined {
  const layer = layers.get(layerId)
  const index = layer?.apiIds.findIndex((id) => String(id) === apiId) ?? -1
  if (index >= 0) return layer!.mapData.features[index]!.id as number
  return tilesetOf(layerId) && /^[0-9]+$/.test(apiId) ? Number(apiId) : undefined
}

export function apiIdOf(layerId: string, mapId: number): string | undefined {
  const layer = layers.get(layerId)
  const index = layer?.indexOf.get(mapId)
  if (index !== undefined) return String(layer!.apiIds[index])
  return tilesetOf(layerId) && Number.isInteger(mapId) && mapId >= 0 ? String(mapId) : undefined
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
  return layer.mapData.features.flatMap((feature) => (predicate(feature.properties) ? [{ mapId: feature.id as number, feature }] : []))
}

/** For tests: forget everything loaded. */
export function resetFeatureStore(): void {
  layers.clear()
  pending.clear()
  presentCache.clear()
  fetched.clear()
  tileJsons.clear()
  pendingTileJsons.clear()
  for (const key of Object.keys(shownCount)) delete shownCount[key]
  for (const key of Object.keys(loadStatus)) delete loadStatus[key]
  for (const key of Object.keys(layerRevision)) delete layerRevision[key]
}

/** For tests and previews: put a layer in the store without the network. */
export function putLayer(layerId: string, collection: FeatureCollection<Geometry, LayerProperties>): LoadedLayer {
  const layer = storeLayer(layerId, collection)
  loadStatus[layerId] = 'loaded'
  return layer
}
