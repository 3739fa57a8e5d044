import fs from 'node:fs'
import path from 'node:path'
import { sql, type Kysely, type Transaction } from 'kysely'
import { fromGeoJson, isValid, multiFromGeoJson } from '../db/postgis.ts'
import type { Database } from '../db/schema.ts'
import { linkSafetyLedger, safetyLinkTables, safetyPlans } from './safety.ts'

/** A demo-data file: a GeoJSON FeatureCollection whose property names are the table's columns. */
export interface SeedCollection {
  type: 'FeatureCollection'
  features: { type: 'Feature'; geometry: unknown; properties: Record<string, unknown> }[]
}
export type SeedDataset = Record<string, SeedCollection>

/**
 * Tables in dependency order, each with the file that feeds it and how codes in the file
 * become foreign keys. Identifiers here are code, not data: nothing in a file names a column
 * that is not in the table (checked against the catalogue before insert).
 */
export interface TablePlan {
  table: keyof Database
  file: string
  /** The geometry column, or none for attribute-only tables. */
  geometry?: 'geom' | 'danger_zone'
  /** column → SQL resolving it from the feature's properties `p`. */
  references?: Record<string, ReturnType<typeof sql>>
  /** Properties in the file that are not columns (handled by a later step). */
  skip?: string[]
}

const villageByCode = sql`(SELECT id FROM natural_villages WHERE code = p->>'natural_village_code')`
const facilityByCode = sql`(SELECT id FROM facilities WHERE code = p->>'facility_code')`

const plans: TablePlan[] = [
  { table: 'admin_areas', file: 'admin_areas', geometry: 'geom' },
  { table: 'natural_villages', file: 'natural_villages', geometry: 'geom' },
  {
    table: 'facilities',
    file: 'facilities',
    geometry: 'geom',
    references: { natural_village_id: villageByCode },
    skip: ['natural_village_code'],
  },
  { table: 'hazard_points', file: 'hazard_points', geometry: 'geom', skip: ['threatened_village_codes'] },
  { table: 'rivers', file: 'rivers', geometry: 'geom' },
  { table: 'roads', file: 'roads', geometry: 'geom' },
  { table: 'contours', file: 'contours', geometry: 'geom' },
  {
    table: 'evacuation_routes',
    file: 'evacuation_routes',
    geometry: 'geom',
    references: {
      natural_village_id: villageByCode,
      hazard_point_id: sql`(SELECT id FROM hazard_points WHERE code = p->>'hazard_code')`,
      shelter_id: sql`(SELECT id FROM facilities WHERE code = p->>'shelter_code')`,
    },
    skip: ['natural_village_code', 'hazard_code', 'shelter_code'],
  },
  { table: 'flood_seasons', file: 'flood_seasons' },
  { table: 'drills', file: 'drills', references: { natural_village_id: villageByCode }, skip: ['natural_village_code'] },
  {
    table: 'vulnerable_people',
    file: 'vulnerable_people',
    references: { natural_village_id: villageByCode },
    skip: ['natural_village_code'],
  },
  { table: 'warnings', file: 'warnings', geometry: 'geom' },
  { table: 'enterprise_self_checks', file: 'enterprise_self_checks', references: { facility_id: facilityByCode }, skip: ['facility_code'] },
  {
    table: 'hidden_dangers',
    file: 'hidden_dangers',
    geometry: 'geom',
    references: { facility_id: facilityByCode },
    skip: ['facility_code'],
  },
  ...safetyPlans(villageByCode, facilityByCode),
]

const seededTables = [...plans.map((plan) => plan.table), 'hazard_threatened_villages', ...safetyLinkTables] as const

export function readSeedDirectory(dir: string): SeedDataset {
  const dataset: SeedDataset = {}
  for (const file of fs.readdirSync(dir).filter((name) => name.endsWith('.geojson'))) {
    dataset[path.basename(file, '.geojson')] = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as SeedCollection
  }
  return dataset
}

export interface SeedOptions {
  /** Replace what is there (`pnpm db:seed`); otherwise refuse unless the database is empty. */
  replace?: boolean
  /** Move the dataset's latest warning to start now, so the demo always has an active one (earlier warnings are history: the 2023 flood season's). */
  activateWarnings?: boolean
}

export async function isDatabaseEmpty(db: Kysely<Database>): Promise<boolean> {
  const row = await db
    .selectFrom('admin_areas')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(row.n) === 0
}

/**
 * Loads a dataset in one transaction: all of it or nothing. Every row count is checked against
 * its file and every geometry with ST_IsValid — the embedded PostGIS can turn a GEOS error into
 * an empty result instead of raising, so silence is not taken for success.
 */
export async function seedDatabase(db: Kysely<Database>, dataset: SeedDataset, options: SeedOptions = {}): Promise<Record<string, number>> {
  return db.transaction().execute(async (trx) => {
    if (options.replace) {
      await sql`TRUNCATE ${sql.join(seededTables.map((table) => sql.table(table)))} RESTART IDENTITY CASCADE`.execute(trx)
    }
    const counts: Record<string, number> = {}
    for (const plan of plans) {
      const collection = dataset[plan.file]
      if (!collection) throw new Error(`Seed data is missing ${plan.file}.geojson`)
      counts[plan.table] = await insertCollection(trx, plan, collection).catch((error: Error) => {
        throw new Error(`${plan.file}.geojson could not be loaded: ${error.message}`, { cause: error })
      })
    }
    counts.hazard_threatened_villages = await linkThreatenedVillages(trx, dataset.hazard_points!)
    counts.danger_zones = await attachDangerZones(trx, dataset.danger_zones)
    Object.assign(counts, await linkSafetyLedger(trx, dataset))
    if (options.activateWarnings) {
      await sql`UPDATE warnings SET valid_to = now() + (valid_to - valid_from), valid_from = now() - interval '1 hour'
        WHERE valid_from = (SELECT max(valid_from) FROM warnings)`.execute(trx)
    }
    await assertValidGeometry(trx)
    return counts
  })
}

async function tableColumns(trx: Transaction<Database>, table: string): Promise<Set<string>> {
  const { rows } = await sql<{ column_name: string }>`
    SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${table}`.execute(trx)
  return new Set(rows.map((row) => row.column_name))
}

async function insertCollection(trx: Transaction<Database>, plan: TablePlan, collection: SeedCollection): Promise<number> {
  if (collection.features.length === 0) return 0
  const columns = await tableColumns(trx, plan.table)
  const propertyNames = new Set(collection.features.flatMap((feature) => Object.keys(feature.properties)))
  const unknown = [...propertyNames].filter((name) => !columns.has(name) && !plan.skip?.includes(name))
  if (unknown.length > 0)
    throw new Error(`${plan.file}.geojson has properties that are not columns of ${plan.table}: ${unknown.join(', ')}`)

  const direct = [...propertyNames].filter((name) => columns.has(name))
  const targets = [...direct, ...Object.keys(plan.references ?? {}), ...(plan.geometry ? [plan.geometry] : [])]
  const values = [
    ...direct.map((name) => sql`r.${sql.ref(name)}`),
    ...Object.values(plan.references ?? {}),
    ...(plan.geometry ? [sql`CASE WHEN f->'geometry' = 'null'::jsonb THEN NULL ELSE ${fromGeoJson(sql`f->'geometry'`)} END`] : []),
  ]
  const payload = JSON.stringify(collection.features)
  const result = await sql`
    INSERT INTO ${sql.table(plan.table)} (${sql.join(targets.map((name) => sql.ref(name)))})
    SELECT ${sql.join(values)}
    FROM jsonb_array_elements(${payload}::jsonb) AS f,
         LATERAL (SELECT f->'properties' AS p) AS props,
         LATERAL jsonb_populate_record(NULL::${sql.table(plan.table)}, p) AS r`.execute(trx)
  const inserted = Number(result.numAffectedRows ?? 0)
  if (inserted !== collection.features.length) {
    throw new Error(`${plan.table}: inserted ${inserted} of ${collection.features.length} features`)
  }
  await assertReferencesResolved(trx, plan, collection, Object.keys(plan.references ?? {}))
  return inserted
}

/** A code in a file that matches nothing would silently become NULL; refuse it instead. */
async function assertReferencesResolved(trx: Transaction<Database>, plan: TablePlan, collection: SeedCollection, columns: string[]) {
  const codeFor: Record<string, string> = {
    natural_village_id: 'natural_village_code',
    hazard_point_id: 'hazard_code',
    shelter_id: 'shelter_code',
    facility_id: 'facility_code',
    place_id: 'place_code',
  }
  for (const column of columns) {
    const codeProperty = codeFor[column]!
    const expected = collection.features.filter((feature) => feature.properties[codeProperty] != null).length
    const { rows } = await sql<{
      n: number
    }>`SELECT count(*)::int AS n FROM ${sql.table(plan.table)} WHERE ${sql.ref(column)} IS NOT NULL`.execute(trx)
    if (rows[0]!.n !== expected) {
      throw new Error(`${plan.table}: ${expected - rows[0]!.n} rows reference a ${codeProperty} that does not exist`)
    }
  }
}

async function linkThreatenedVillages(trx: Transaction<Database>, hazards: SeedCollection): Promise<number> {
  const links = hazards.features.flatMap((feature) =>
    ((feature.properties.threatened_village_codes as string[] | undefined) ?? []).map((village) => ({
      hazard: feature.properties.code,
      village,
    })),
  )
  if (links.length === 0) return 0
  const result = await sql`
    INSERT INTO hazard_threatened_villages (hazard_point_id, natural_village_id)
    SELECT h.id, v.id FROM jsonb_to_recordset(${JSON.stringify(links)}::jsonb) AS l(hazard text, village text)
    JOIN hazard_points h ON h.code = l.hazard
    JOIN natural_villages v ON v.code = l.village`.execute(trx)
  const inserted = Number(result.numAffectedRows ?? 0)
  if (inserted !== links.length)
    throw new Error(`hazard_threatened_villages: ${links.length - inserted} links name an unknown hazard or village`)
  return inserted
}

/** Danger zones (危险区) travel in their own file, keyed by hazard code, into hazard_points.danger_zone. */
async function attachDangerZones(trx: Transaction<Database>, zones: SeedCollection | undefined): Promise<number> {
  if (!zones || zones.features.length === 0) return 0
  const result = await sql`
    UPDATE hazard_points h
    SET danger_zone = ${multiFromGeoJson(sql`f->'geometry'`)}
    FROM jsonb_array_elements(${JSON.stringify(zones.features)}::jsonb) AS f
    WHERE h.code = f->'properties'->>'hazard_code'`.execute(trx)
  const updated = Number(result.numAffectedRows ?? 0)
  if (updated !== zones.features.length)
    throw new Error(`danger_zones: ${zones.features.length - updated} zones name an unknown hazard code`)
  return updated
}

const geometryColumns = [
  ['admin_areas', 'geom'],
  ['natural_villages', 'geom'],
  ['facilities', 'geom'],
  ['hazard_points', 'geom'],
  ['hazard_points', 'danger_zone'],
  ['rivers', 'geom'],
  ['roads', 'geom'],
  ['contours', 'geom'],
  ['evacuation_routes', 'geom'],
  ['warnings', 'geom'],
  ['hidden_dangers', 'geom'],
  ['safety_places', 'geom'],
] as const

async function assertValidGeometry(trx: Transaction<Database>) {
  const parts = geometryColumns.map(
    ([table, column]) => sql`SELECT ${`${table}.${column}`} AS layer, count(*)::int AS n FROM ${sql.table(table)}
      WHERE ${sql.ref(column)} IS NOT NULL AND NOT ${isValid(sql.ref(column))}`,
  )
  const { rows } = await sql<{ layer: string; n: number }>`${sql.join(parts, sql` UNION ALL `)}`.execute(trx)
  if (rows.length !== geometryColumns.length) throw new Error('Geometry validation returned an incomplete result')
  const invalid = rows.filter((row) => row.n > 0)
  if (invalid.length > 0) throw new Error(`Invalid geometry in ${invalid.map((row) => `${row.layer} (${row.n})`).join(', ')}`)
}
