import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { sql } from 'kysely'
import { errorBodySchema, healthSchema } from '@riskatlas/shared'
import type { AppDeps } from '../app.ts'
import { postgisVersion } from '../db/connect.ts'
import { validationHook } from '../http.ts'

const countedTables = [
  'admin_areas', 'natural_villages', 'facilities', 'hazard_points', 'rivers', 'roads', 'contours',
  'evacuation_routes', 'drills', 'vulnerable_people', 'warnings', 'hidden_dangers',
] as const

const healthRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['Health'],
  summary: 'Database home, PostGIS version and row counts',
  responses: {
    200: { description: 'The server and its database are up', content: { 'application/json': { schema: healthSchema } } },
    503: { description: 'The database is unreachable', content: { 'application/json': { schema: errorBodySchema } } },
  },
})

export async function tableCounts(db: AppDeps['db']): Promise<Record<string, number>> {
  const parts = countedTables.map((table) => sql`SELECT ${table} AS name, count(*)::int AS count FROM ${sql.table(table)}`)
  const { rows } = await sql<{ name: string; count: number }>`${sql.join(parts, sql` UNION ALL `)}`.execute(db)
  return Object.fromEntries(rows.map((row) => [row.name, row.count]))
}

export function healthRoutes({ db, home }: AppDeps) {
  return new OpenAPIHono({ defaultHook: validationHook }).openapi(healthRoute, async (c) => {
    const versions = await postgisVersion(db)
    return c.json({ status: 'ok' as const, database: { home, ...versions }, counts: await tableCounts(db) }, 200)
  })
}
