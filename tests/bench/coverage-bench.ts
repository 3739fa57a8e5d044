import type { Kysely } from 'kysely'
import type { Database } from '@riskatlas/server'
import { computeCoverage, computeGaps } from '../../server/src/coverage/queries.ts'
import { time } from './stats.ts'

/**
 * Times the drill-coverage and preparedness-gap computations — the functions the
 * `/api/coverage` and `/api/gaps` routes call, SQL and rules together — on whatever is seeded
 * in `db`. Gaps run with the personal-data scope of an admin (names fetched), the costlier case.
 */
export async function benchCoverage(
  db: Kysely<Database>,
  year: number,
): Promise<{ coverageP50Ms: number; gapsP50Ms: number; coverageP95Ms: number; gapsP95Ms: number }> {
  const today = `${year}-07-01`
  const coverage = await time(() => computeCoverage(db, { year, today }), 20, 3)
  const gaps = await time(() => computeGaps(db, { year, today }), 20, 3)
  return { coverageP50Ms: coverage.p50, coverageP95Ms: coverage.p95, gapsP50Ms: gaps.p50, gapsP95Ms: gaps.p95 }
}
