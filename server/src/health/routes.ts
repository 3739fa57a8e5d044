import { createRoute } from '@hono/zod-openapi'
import { healthSchema } from '@riskatlas/shared'
import type { AppContext } from '../context.ts'
import { postgisVersion } from '../db/connect.ts'
import { errorResponse, jsonResponse } from '../http.ts'
import { router } from '../router.ts'
import { tableCounts } from './queries.ts'

const healthRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['Health'],
  summary: 'Whether the server and its database are up; PostGIS version and row counts for a signed-in admin',
  responses: {
    200: jsonResponse(healthSchema, 'The server and its database are up'),
    503: errorResponse('The database is unreachable'),
  },
})

export function healthRoutes({ db, home }: Pick<AppContext, 'db' | 'home'>) {
  return router().openapi(healthRoute, async (c) => {
    const versions = await postgisVersion(db) // asked of everyone: it is the check that the database answers
    if (c.get('principal')?.role !== 'admin') return c.json({ status: 'ok' as const, database: { home } }, 200)
    return c.json({ status: 'ok' as const, database: { home, ...versions }, counts: await tableCounts(db) }, 200)
  })
}
