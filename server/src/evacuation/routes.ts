import { createRoute, z } from '@hono/zod-openapi'
import {
  auditResponseSchema,
  planRequestSchema,
  planResponseSchema,
  planSaveRequestSchema,
  planSaveResponseSchema,
  shelterPatchSchema,
} from '@riskatlas/shared'
import { writeAudit } from '../audit/queries.ts'
import { assertVillageInScope } from '../auth/scope.ts'
import type { AppContext } from '../context.ts'
import { errorResponse, idParams, jsonResponse } from '../http.ts'
import { router } from '../router.ts'
import { computePlan } from './planning.ts'
import { computeAudit, setShelterOpen, storeComputedRoutes } from './queries.ts'

const body = <T>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } })

const planRoute = createRoute({
  method: 'post',
  path: '/evacuation/plan',
  tags: ['Evacuation'],
  summary: 'Compute an evacuation plan: who goes to which shelter, by which road',
  description:
    'For every village at risk (`all`), some villages, a warning or a drawn area. Villages by priority (inside a danger zone, threatened; more vulnerable people, more people) ' +
    'take their nearest reachable shelter with room and may be split; routes never enter a danger zone except the village’s own on the way out. ' +
    'Overflow lists who has no place with the nearest shelters that would do; a village cut off says so. Nothing is stored.',
  request: body(planRequestSchema),
  responses: {
    200: jsonResponse(planResponseSchema, 'The plan'),
    400: errorResponse('Invalid scope or area'),
    404: errorResponse('Unknown village or warning'),
  },
})

const saveRoute = createRoute({
  method: 'post',
  path: '/evacuation/plan/save',
  tags: ['Evacuation'],
  summary: 'Compute a plan and store its routes as computed evacuation routes',
  description:
    'Earlier computed routes of the planned villages are replaced; their drawn routes are kept beside the new ones unless `replace: true`. One transaction.',
  request: body(planSaveRequestSchema),
  responses: {
    201: jsonResponse(planSaveResponseSchema, 'The plan and what was stored'),
    400: errorResponse('Invalid scope or area'),
    403: errorResponse('A planned village is outside the editor’s scope'),
    404: errorResponse('Unknown village or warning'),
  },
})

const shelterRoute = createRoute({
  method: 'patch',
  path: '/shelters/{id}',
  tags: ['Evacuation'],
  summary: 'Open or close a shelter (a closed shelter takes nobody)',
  request: { params: idParams, ...body(shelterPatchSchema) },
  responses: {
    200: jsonResponse(z.object({ id: z.number().int(), open: z.boolean() }), 'The shelter'),
    403: errorResponse('Outside the editor’s scope'),
    404: errorResponse('No such shelter'),
  },
})

const auditRoute = createRoute({
  method: 'get',
  path: '/evacuation/audit',
  tags: ['Evacuation'],
  summary: 'Every stored evacuation route checked against the rules',
  description:
    'A route must not cross a danger zone other than its village’s own (and must leave that one for good), must stay within the norm (2 km or 30 minutes on foot by default), ' +
    'must end at a usable shelter (open, outside danger zones and warnings in force) not assigned more than its effective capacity, and must start and end on the road network. ' +
    'Problems are codes with parameters; `phraseReason` in the shared package words them in zh/en.',
  responses: { 200: jsonResponse(auditResponseSchema, 'The audit, route by route') },
})

/** `/api/evacuation/*` and `/api/shelters/:id`. */
export function evacuationRoutes({ db, write, evacuation, roadGraphs }: Pick<AppContext, 'db' | 'write' | 'evacuation' | 'roadGraphs'>) {
  const deps = { evacuation, roadGraphs }
  return router()
    .openapi(auditRoute, async (c) => c.json(await computeAudit(db, evacuation), 200))
    .openapi(planRoute, async (c) => c.json((await computePlan(db, deps, c.req.valid('json'))).response, 200))
    .openapi(saveRoute, async (c) => {
      const { replace, ...request } = c.req.valid('json')
      const principal = c.get('principal')!
      const result = await write(async (trx, changed) => {
        const { response } = await computePlan(trx, deps, request)
        // The whole plan must lie in the editor's villages, placed or not.
        for (const village of response.villages) assertVillageInScope(principal, village.adminCode)
        const villages = response.villages.filter((village) => village.placed > 0)
        const saved = await storeComputedRoutes(
          trx,
          villages.map((village) => village.villageId),
          response.assignments.map((a) => ({ ...a, coordinates: a.geometry.coordinates })),
          replace,
        )
        await writeAudit(trx, principal, {
          action: 'create',
          entity: 'evacuation_plan',
          reason: replace ? 'replace_drawn_routes' : null,
          details: { scope: response.scope, villages: villages.map((v) => v.villageId), ...saved, routeIds: undefined },
        })
        changed({ entity: 'evacuation_routes', action: 'create', ids: saved.routeIds })
        return { plan: response, saved }
      })
      return c.json(result, 201)
    })
    .openapi(shelterRoute, async (c) => {
      const { id } = c.req.valid('param')
      const { open } = c.req.valid('json')
      const principal = c.get('principal')!
      const shelter = await write(async (trx, changed) => {
        const row = await setShelterOpen(trx, id, open)
        if (row.adminCode) assertVillageInScope(principal, row.adminCode)
        else if (principal.role !== 'admin' && principal.villageScope !== null) assertVillageInScope(principal, '')
        await writeAudit(trx, principal, { action: 'update', entity: 'shelter', entityId: id, details: { open } })
        changed({ entity: 'facilities', action: 'update', ids: [id] })
        return { id: row.id, open }
      })
      return c.json(shelter, 200)
    })
}
