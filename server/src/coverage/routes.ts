import { createRoute } from '@hono/zod-openapi'
import { coverageResponseSchema, gapsResponseSchema, seasonQuerySchema } from '@riskatlas/shared'
import type { AppContext } from '../context.ts'
import { errorResponse, jsonResponse } from '../http.ts'
import { router } from '../router.ts'
import { computeCoverage, computeGaps } from './queries.ts'
import { defaultSeasonYear } from './season.ts'

const coverageRoute = createRoute({
  method: 'get',
  path: '/coverage',
  tags: ['Coverage'],
  summary: 'Drill coverage per natural village in a flood season',
  description:
    'A village requires a drill when a hazard point lists it as threatened or it lies within 300 m (on the ground) of a danger zone. ' +
    'Status: not_required, missing, planned, overdue, drilled. `year` defaults to the current year’s season.',
  request: { query: seasonQuerySchema },
  responses: {
    200: jsonResponse(coverageResponseSchema, 'Summary and villages, required first by priority'),
    400: errorResponse('Bad year'),
  },
})

const gapsRoute = createRoute({
  method: 'get',
  path: '/gaps',
  tags: ['Coverage'],
  summary: 'Preparedness gaps beyond drills, each with its reason and location',
  description:
    'Hazard points without a monitor; vulnerable people without a responsible person (counts per village, never names — the people list names them, audited); ' +
    'reservoirs missing a responsible person; villages outside broadcast reach; villages without a route or shelter; villages inside a danger zone that no hazard point lists.',
  request: { query: seasonQuerySchema },
  responses: {
    200: jsonResponse(gapsResponseSchema, 'Gaps ranked by kind, then villages requiring a drill, then people'),
    400: errorResponse('Bad year'),
  },
})

/** `/api/coverage` and `/api/gaps`. */
export function coverageRoutes({ db, today, evacuation }: Pick<AppContext, 'db' | 'today' | 'evacuation'>) {
  return router()
    .openapi(coverageRoute, async (c) => {
      const date = today()
      const year = c.req.valid('query').year ?? defaultSeasonYear(date)
      return c.json(await computeCoverage(db, { year, today: date }), 200)
    })
    .openapi(gapsRoute, async (c) => {
      const date = today()
      const year = c.req.valid('query').year ?? defaultSeasonYear(date)
      return c.json(await computeGaps(db, { year, today: date, evacuation }), 200)
    })
}
