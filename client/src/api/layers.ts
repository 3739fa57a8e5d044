import { layerCatalogue, tileJsonSchema, type Bbox, type LayerDefinition, type LayerExportFormat, type TileJson } from '@riskatlas/shared'
import type { Feature, FeatureCollection, Geometry } from 'geojson'
import { api, ok, withSignal } from './client.ts'
import { getJson } from './http.ts'

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

/** One feature with every public property: what a click on a feature drawn from a vector tile asks for. */
export async function fetchLayerFeature(
  layerId: string,
  featureId: string,
  signal?: AbortSignal,
): Promise<Feature<Geometry, LayerProperties>> {
  const feature = await ok(api.layers[':id'].features[':featureId'].$get({ param: { id: layerId, featureId } }, withSignal(signal)))
  // As for a collection: the shared schema leaves geometry open; the server writes RFC 7946.
  return feature as unknown as Feature<Geometry, LayerProperties>
}

/** Where a whole layer downloads as a file: public like the layer, so a plain link does. */
export function layerExportUrl(layerId: string, format: LayerExportFormat): string {
  return api.exports.layers[':file'].$path({ param: { file: `${layerId}.${format}` } })
}

/**
 * A tileset's TileJSON. Its tile URL carries the data version (`?v=`), so reading it again after
 * a change fetches fresh tiles; the URL is taken relative to this page, which serves `/tiles` too.
 */
export async function fetchTileJson(tilesetId: string, signal?: AbortSignal): Promise<TileJson> {
  const tileJson = await getJson(`/tiles/${tilesetId}/tilejson.json`, tileJsonSchema, signal)
  const tiles = tileJson.tiles.map((url) => {
    const { pathname, search } = new URL(url, window.location.href)
    return `${window.location.origin}${decodeURI(pathname)}${search}`
  })
  return { ...tileJson, tiles }
}
