import { createRoute, z } from '@hono/zod-openapi'
import {
  featureCollectionSchema,
  findLayer,
  layerIds,
  layerListSchema,
  layerQuerySchema,
  type FeatureCollectionBody,
} from '@riskatlas/shared'
import type { AppContext } from '../context.ts'
import { NotFound } from '../errors.ts'
import { errorResponse, jsonResponse } from '../http.ts'
import { jsonText, router } from '../router.ts'
import { layerFeatureCollection, layerSummaries } from './queries.ts'

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

export function layerRoutes({ db }: Pick<AppContext, 'db'>) {
  return router()
    .openapi(listRoute, async (c) => c.json({ layers: await layerSummaries(db) }, 200))
    .openapi(featuresRoute, async (c) => {
      const { id } = c.req.valid('param')
      const layer = findLayer(id)
      if (!layer) throw new NotFound(`Unknown layer: ${id}`, { layers: layerIds })
      const query = c.req.valid('query')
      const body = await layerFeatureCollection(db, layer, { bbox: query.bbox, limit: query.limit })
      return jsonText<FeatureCollectionBody, 200>(c, body, 200, 'application/geo+json; charset=utf-8')
    })
}
