import { layerCatalogue, type Bbox, type LayerDefinition } from '@riskatlas/shared'
import type { FeatureCollection, Geometry } from 'geojson'
import { api, ok, withSignal } from './client.ts'

/** Properties as the API sends them: the catalogue's public attributes, enums as raw values. */
export type LayerProperties = Record<string, unknown>

export type LayerFeatureCollection = FeatureCollection<Geometry, LayerProperties>

/** A catalogue layer (titles, group, properties: the shared vocabulary) with the server's count and extent. */
export type CatalogueLayer = LayerDefinition & { count: number; bbox: Bbox | null }

/**
 * The layers the server lists, in catalogue order, each the shared catalogue's entry for its id
 * with the live count and extent: the server sends codes and figures, never titles.
 */
export async function fetchLayerSummaries(signal?: AbortSignal): Promise<CatalogueLayer[]> {
  const listed = new Map((await ok(api.layers.$get(undefined, withSignal(signal)))).layers.map((layer) => [layer.id, layer]))
  return layerCatalogue.flatMap((layer) => {
    const summary = listed.get(layer.id)
    return summary ? [{ ...layer, count: summary.count, bbox: summary.bbox }] : []
  })
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
