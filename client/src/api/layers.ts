import { layerListSchema, type LayerSummary } from '@riskatlas/shared'
import type { FeatureCollection, Geometry } from 'geojson'
import { getJson } from './http.ts'

/** Properties as the API sends them: the catalogue's public attributes, enums as raw values. */
export type LayerProperties = Record<string, unknown>

export type LayerFeatureCollection = FeatureCollection<Geometry, LayerProperties>

export async function fetchLayerSummaries(signal?: AbortSignal): Promise<LayerSummary[]> {
  const { layers } = await getJson('/api/layers', layerListSchema, signal)
  return layers
}

/** A whole layer of the town (a town is small: one request per layer, no tiling). */
export async function fetchLayerFeatures(layerId: string, limit = 10_000, signal?: AbortSignal): Promise<LayerFeatureCollection> {
  const collection = await getJson<LayerFeatureCollection>(`/api/layers/${encodeURIComponent(layerId)}?limit=${limit}`, undefined, signal)
  if (collection?.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
    throw new Error(`/api/layers/${layerId} did not return a FeatureCollection`)
  }
  return collection
}
