import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LEDGER_2023, townDir } from '@riskatlas/data'
import { readSeedDirectory, seedDatabase, type SeedDataset } from '@riskatlas/server'
import { openHome, testHomes, type HomeContext } from '../support/homes.ts'

const dataset = readSeedDirectory(townDir)

/** The seeded demo town, read back through SQL: what a user of either home actually has. */
describe.each(testHomes())('the seeded demo town on the $name home', (home) => {
  let ctx: HomeContext
  beforeAll(() => {
    ctx = openHome(home)
  })
  afterAll(() => ctx.close())

  const count = async (table: string, where = sql`true`) =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE ${where}`.execute(ctx.db)).rows[0]!.n

  it('holds every feature of every file, and the town the design asks for', async () => {
    for (const table of [
      'admin_areas',
      'natural_villages',
      'facilities',
      'hazard_points',
      'rivers',
      'roads',
      'contours',
      'evacuation_routes',
      'warnings',
      'hidden_dangers',
      'enterprise_self_checks',
      'flood_seasons',
    ]) {
      expect(await count(table), table).toBe(dataset[table]!.features.length)
    }
    expect(await count('hazard_points', sql`danger_zone IS NOT NULL`)).toBe(dataset.danger_zones!.features.length)
    expect(await count('admin_areas', sql`level = 'village'`)).toBeGreaterThanOrEqual(10)
    expect(await count('natural_villages')).toBeGreaterThanOrEqual(80)
    expect(await count('roads')).toBeGreaterThanOrEqual(1000)
    const people = (await sql<{ n: number }>`SELECT sum(population)::int AS n FROM natural_villages`.execute(ctx.db)).rows[0]!.n
    expect(people).toBeGreaterThan(20_000)
    expect(people).toBeLessThan(30_000)
    const area = (
      await sql<{ km2: number }>`SELECT ST_Area(geom::geography) / 1e6 AS km2 FROM admin_areas WHERE level = 'town'`.execute(ctx.db)
    ).rows[0]!.km2
    expect(area).toBeGreaterThan(150)
    expect(area).toBeLessThan(250)
  })

  it('reproduces the 2023 hidden-danger ledger of the work summary from SQL', async () => {
    const { rows } = await sql<Record<string, number>>`
      SELECT
        (SELECT count(DISTINCT facility_id)::int FROM enterprise_self_checks WHERE checked_on >= '2023-01-01' AND checked_on < '2024-01-01') AS "enterprisesSelfChecked",
        count(*)::int AS "hiddenDangersFound",
        count(*) FILTER (WHERE status = 'rectified')::int AS rectified,
        count(*) FILTER (WHERE level = 'major')::int AS major,
        count(*) FILTER (WHERE supervised)::int AS supervised,
        count(DISTINCT facility_id) FILTER (WHERE sanction IS NOT NULL)::int AS "enterprisesSanctioned"
      FROM hidden_dangers WHERE found_on >= '2023-01-01' AND found_on < '2024-01-01'`.execute(ctx.db)
    expect(rows[0]).toEqual({ ...LEDGER_2023 })
    expect(rows[0]).toEqual({
      enterprisesSelfChecked: 53,
      hiddenDangersFound: 207,
      rectified: 197,
      major: 4,
      supervised: 12,
      enterprisesSanctioned: 5,
    })
  })

  it('has only valid geometry, checked over every row', async () => {
    for (const [table, column] of [
      ['admin_areas', 'geom'],
      ['natural_villages', 'geom'],
      ['hazard_points', 'danger_zone'],
      ['roads', 'geom'],
      ['rivers', 'geom'],
      ['evacuation_routes', 'geom'],
      ['warnings', 'geom'],
    ] as const) {
      const { rows } = await sql<{ total: number; valid: number }>`
        SELECT count(*)::int AS total, count(*) FILTER (WHERE ST_IsValid(${sql.ref(column)}))::int AS valid
        FROM ${sql.table(table)} WHERE ${sql.ref(column)} IS NOT NULL`.execute(ctx.db)
      expect(rows[0]!.total, `${table}.${column}`).toBeGreaterThan(0)
      expect(rows[0]!.valid, `${table}.${column}`).toBe(rows[0]!.total)
    }
  })

  it('loads all or nothing: one bad reference leaves the database as it was', async () => {
    const before = { drills: await count('drills'), roads: await count('roads'), villages: await count('natural_villages') }
    const broken: SeedDataset = structuredClone(dataset)
    broken.drills!.features[0]!.properties.natural_village_code = 'no-such-village'
    await expect(seedDatabase(ctx.db, broken, { replace: true })).rejects.toThrow(/^drills\.geojson could not be loaded: .*natural_village/)
    expect({ drills: await count('drills'), roads: await count('roads'), villages: await count('natural_villages') }).toEqual(before)
  })
})
