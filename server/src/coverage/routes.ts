import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { coverageResponseSchema, gapsResponseSchema, seasonQuerySchema } from '@riskatlas/shared'
import type { AppDeps } from '../app.ts'
import { personalDataScope, type AuthVariables } from '../auth/scope.ts'
import { errorResponse, validationHook } from '../http.ts'
import { computeCoverage, computeGaps } from './queries.ts'
import { defaultSeasonYear, todayInBeijing } from './season.ts'


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
    200: {
      description: 'Summary and villages, required first by priority',
      content: { 'application/json': { schema: coverageResponseSchema } },
    },
    400: errorResponse('Bad year'),
  },
})

const gapsRoute = createRoute({
  method: 'get',
  path: '/gaps',
  tags: ['Coverage'],
  summary: 'Preparedness gaps beyond drills, each with its reason and location',
  description:
    'Hazard points without a monitor; vulnerable people without a responsible person (counts per village; names only where the caller may see personal data); ' +
    'reservoirs missing a responsible person; villages outside broadcast reach; villages without a route or shelter; villages inside a danger zone that no hazard point lists.',
  request: { query: seasonQuerySchema },
  responses: {
    200: {
      description: 'Gaps ranked by kind, then villages requiring a drill, then people',
      content: { 'application/json': { schema: gapsResponseSchema } },
    },
    400: errorResponse('Bad year'),
  },
})

/** `/api/coverage` and `/api/gaps`. */
export function coverageRoutes({ db, today = todayInBeijing }: AppDeps) {
  return new OpenAPIHono<{ Variables: AuthVariables }>({ defaultHook: validationHook })
    .openapi(coverageRoute, async (c) => {
      const date = today()
      const year = c.req.valid('query').year ?? defaultSeasonYear(date)
      return c.json(await computeCoverage(db, { year, today: date }), 200)
    })
    .openapi(gapsRoute, async (c) => {
      const date = today()
      const year = c.req.valid('query').year ?? defaultSeasonYear(date)
      return c.json(await computeGaps(db, { year, today: date, personalScope: personalDataScope(c.get('principal')) }), 200)
    })
}
