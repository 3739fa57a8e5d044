import type { LayerSummary } from '@riskatlas/shared'
import type { FeatureCollection, Geometry } from 'geojson'
import { api, ok, withSignal } from './client.ts'

/** Properties as the API sends them: the catalogue's public attributes, enums as raw values. */
export type LayerProperties = Record<string, unknown>

export type LayerFeatureCollection = FeatureCollection<Geometry, LayerProperties>

export async function fetchLayerSummaries(signal?: AbortSignal): Promise<LayerSummary[]> {
  return (await ok(api.layers.$get(undefined, withSignal(signal)))).layers
}

/** A whole layer of the town (a town is small: one request per layer, no tiling). */
export async function fetchLayerFeatures(layerId: string, limit = 10_000, signal?: AbortSignal): Promise<LayerFeatureCollection> {
  const collection = await ok(api.layers[':id'].$get({ param: { id: layerId }, query: { limit: String(limit) } }, withSignal(signal)))
  if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
    throw new Error(`/api/layers/${layerId} did not return a FeatureCollection`)
  }
  // The shared schema leaves geometry open (`unknown`); the server writes RFC 7946 geometries.
  return collection as unknown as LayerFeatureCollection
}
