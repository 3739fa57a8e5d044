import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { vulnerablePeopleTableCount } from '../people/queries.ts'

/** Tables whose row counts `/api/health` reports (vulnerable people come from the people capability). */
const countedTables = [
  'admin_areas',
  'natural_villages',
  'facilities',
  'hazard_points',
  'rivers',
  'roads',
  'contours',
  'evacuation_routes',
  'drills',
  'warnings',
  'hidden_dangers',
] as const

/** Rows per table, one statement for the public tables. */
export async function tableCounts(db: Kysely<Database>): Promise<Record<string, number>> {
  const parts = countedTables.map((table) => sql`SELECT ${table} AS name, count(*)::int AS count FROM ${sql.table(table)}`)
  const { rows } = await sql<{ name: string; count: number }>`${sql.join(parts, sql` UNION ALL `)}`.execute(db)
  return { ...Object.fromEntries(rows.map((row) => [row.name, row.count])), ...(await vulnerablePeopleTableCount(db)) }
}
