import { createRoute, z } from '@hono/zod-openapi'
import {
  featureCollectionSchema,
  featureIdSchema,
  featureSchema,
  findLayer,
  layerIds,
  layerListSchema,
  layerQuerySchema,
  type FeatureBody,
  type FeatureCollectionBody,
  type LayerDefinition,
} from '@riskatlas/shared'
import type { TypedResponse } from 'hono'
import type { JSONParsed } from 'hono/utils/types'
import type { AppContext } from '../context.ts'
import { NotFound } from '../errors.ts'
import { errorResponse, jsonResponse } from '../http.ts'
import { jsonText, router } from '../router.ts'
import { layerFeature, layerFeatureCollection, layerSummaries, streamedLayerFeatureCollection } from './queries.ts'

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['Layers'],
  summary: 'The public layer catalogue with feature counts and extents',
  responses: { 200: jsonResponse(layerListSchema, 'Every public layer') },
})

const featuresRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags: ['Layers'],
  summary: "A layer's features as an RFC 7946 FeatureCollection",
  description: 'Public properties only. `bbox` filters through the spatial index; `limit` caps the count (default and maximum 10 000).',
  request: {
    params: z.object({ id: z.string().openapi({ example: 'hazard_points', description: `One of: ${layerIds.join(', ')}` }) }),
    query: layerQuerySchema,
  },
  responses: {
    200: { description: 'A FeatureCollection', content: { 'application/geo+json': { schema: featureCollectionSchema } } },
    400: errorResponse('Malformed, inverted or out-of-range bbox; bad limit'),
    404: errorResponse('Unknown layer'),
  },
})

const featureRoute = createRoute({
  method: 'get',
  path: '/{id}/features/{featureId}',
  tags: ['Layers'],
  summary: 'One feature of a layer with every public property',
  description: 'What the map asks for when a feature drawn from a vector tile (which carries only what the styles need) is clicked.',
  request: {
    params: z.object({
      id: z.string().openapi({ example: 'roads', description: `One of: ${layerIds.join(', ')}` }),
      featureId: featureIdSchema,
    }),
  },
  responses: {
    200: { description: 'A Feature', content: { 'application/geo+json': { schema: featureSchema } } },
    400: errorResponse('Malformed feature id'),
    404: errorResponse('Unknown layer or feature'),
  },
})

const geoJson = 'application/geo+json; charset=utf-8'

function layerOf(id: string): LayerDefinition {
  const layer = findLayer(id)
  if (!layer) throw new NotFound(`Unknown layer: ${id}`, { layers: layerIds })
  return layer
}

export function layerRoutes({ db, log, streamFeatures }: Pick<AppContext, 'db' | 'log' | 'streamFeatures'>) {
  return router()
    .openapi(listRoute, async (c) => c.json({ layers: await layerSummaries(db) }, 200))
    .openapi(featuresRoute, async (c) => {
      const layer = layerOf(c.req.valid('param').id)
      const query = c.req.valid('query')
      const features = { bbox: query.bbox, limit: query.limit }
      if (streamFeatures) {
        const response = await streamedLayerFeatureCollection(c, db, layer, features, { contentType: geoJson, log })
        // The one cast: the streamed body is the schema's JSON (see `jsonText`).
        return response as unknown as TypedResponse<JSONParsed<FeatureCollectionBody>, 200, 'json'>
      }
      return jsonText<FeatureCollectionBody, 200>(c, await layerFeatureCollection(db, layer, features), 200, geoJson)
    })
    .openapi(featureRoute, async (c) => {
      const { id, featureId } = c.req.valid('param')
      const layer = layerOf(id)
      const feature = await layerFeature(db, layer, featureId)
      if (!feature) throw new NotFound(`No feature ${featureId} in ${id}`, { layer: id, featureId })
      return jsonText<FeatureBody, 200>(c, feature, 200, geoJson)
    })
}
