/**
 * The work summary for a year on the county-scale dataset: `summaryOf` (every figure, the drills
 * by natural village, the dangers by kind of place, the saved narrative) and the drill-down of
 * the largest figure (the hidden dangers found) — the functions `/api/summary` and
 * `/api/summary/figures/:figure` call, SQL and assembly together.
 *
 * Run alone: `pnpm exec tsx tests/bench/summary-bench.ts` (real PostGIS at BENCH_DATABASE_URL,
 * default the local server; the county is generated and seeded into riskatlas_bench_county
 * unless it is there already). `pnpm bench` runs it with the rest (tests/bench/run.ts).
 */
import { sql, type Kysely } from 'kysely'
import type { Database } from '@riskatlas/server'
import { figureRows, summaryOf } from '../../server/src/summary/queries.ts'
import { time } from './stats.ts'

/** The scale: at least this many hidden dangers across the county's townships. */
export const countyHiddenDangers = 20_000

/**
 * The generated townships carry ~790 hidden dangers each over 2019–2026; when the county holds
 * fewer than `min`, the ledger is topped up with re-inspection findings: copies of existing rows
 * (same place, same day, same state) marked 复查, in id order — deterministic, and only once.
 */
export async function ensureLedgerScale(db: Kysely<Database>, min = countyHiddenDangers): Promise<number> {
  const count = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM hidden_dangers`.execute(db)).rows[0]!.n
  const before = await count()
  if (before < min) {
    await sql`
      INSERT INTO hidden_dangers (place_id, facility_id, place_name, geom, found_on, source, description, level, status, deadline,
        rectifying_on, rectified_on, supervised, supervised_by, responsible_name, sanction, inspection_id)
      SELECT place_id, facility_id, place_name, geom, found_on, source, description || '（复查）', level, status, deadline,
        rectifying_on, rectified_on, supervised, supervised_by, responsible_name, sanction, inspection_id
      FROM hidden_dangers ORDER BY id LIMIT ${min - before}`.execute(db)
    await sql`ANALYZE hidden_dangers`.execute(db)
  }
  return count()
}

export async function benchSummary(db: Kysely<Database>, year: number) {
  const period = { from: `${year}-01-01`, to: `${year}-12-31`, year }
  const summary = await summaryOf(db, period)
  const summaryTiming = await time(() => summaryOf(db, period), 30, 3)
  const rowsTiming = await time(() => figureRows(db, 'hiddenDangersFound', period), 20, 3)
  const towns = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM admin_areas WHERE level = 'town'`.execute(db)).rows[0]!.n
  return {
    summary,
    towns,
    summaryP50Ms: summaryTiming.p50,
    summaryP95Ms: summaryTiming.p95,
    rowsP50Ms: rowsTiming.p50,
    rowsP95Ms: rowsTiming.p95,
  }
}

type Report = (area: string, metric: string, value: string, target?: string, ok?: boolean | null) => void

/** The rows `pnpm bench` prints for the summary on one home. */
export async function reportSummary(report: Report, db: Kysely<Database>, area: string, year = 2023): Promise<void> {
  const dangers = await ensureLedgerScale(db)
  const result = await benchSummary(db, year)
  report(
    area,
    'hidden dangers / townships',
    `${dangers} / ${result.towns}`,
    '≥ 20000 / 24',
    dangers >= countyHiddenDangers && result.towns >= 24,
  )
  report(area, `summary ${year} found / rectified`, `${result.summary.figures.hiddenDangersFound} / ${result.summary.figures.rectified}`)
  report(
    area,
    `summary ${year} (all figures) p50/p95`,
    `${result.summaryP50Ms.toFixed(1)} ms / ${result.summaryP95Ms.toFixed(1)} ms`,
    'p50 ≤ 200 ms',
    result.summaryP50Ms <= 200,
  )
  report(area, `figure rows: ${year} dangers found p50/p95`, `${result.rowsP50Ms.toFixed(1)} ms / ${result.rowsP95Ms.toFixed(1)} ms`)
}

// ---------------------------------------------------------------- run alone

async function standalone(): Promise<void> {
  const { generateCounty } = await import('@riskatlas/data')
  const { migrateToLatest, seedDatabase } = await import('@riskatlas/server')
  const { createPool, kyselyOn } = await import('../../server/src/db/connect.ts')
  const pg = (await import('pg')).default
  const towns = Number(process.env.BENCH_COUNTY_TOWNS ?? 24)
  const base = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
  const database = 'riskatlas_bench_county'
  const admin = new pg.Client({ connectionString: base })
  await admin.connect()
  if ((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount === 0)
    await admin.query(`CREATE DATABASE ${database}`)
  await admin.end()
  const url = new URL(base)
  url.pathname = `/${database}`
  const db = kyselyOn(createPool(url.toString(), 10, () => {})) as unknown as Kysely<Database>
  try {
    await migrateToLatest(db)
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM admin_areas WHERE level = 'town'`.execute(db)
    if (rows[0]!.n !== towns) {
      console.log(`Generating and seeding the county (${towns} townships)…`)
      // The same county as tests/bench/run.ts and `pnpm db:seed:county`.
      const merged = generateCounty({ towns })
      await seedDatabase(db, merged as never, { replace: true, activateWarnings: true })
      await sql`ANALYZE`.execute(db)
    }
    await reportSummary(
      (area, metric, value, target = '', ok = null) =>
        console.log(`${ok === null ? ' ' : ok ? '✓' : '✗'} ${area.padEnd(30)} ${metric.padEnd(44)} ${value.padEnd(26)} ${target}`),
      db,
      'county, external',
    )
  } finally {
    await db.destroy()
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) await standalone()
