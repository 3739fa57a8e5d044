import { sql, type Kysely } from 'kysely'
import type { EvacuationCard, WarningLevel, WarningStage } from '@riskatlas/shared'
import type { Principal } from '../auth/scope.ts'
import { broadcastReachBound, coverageDrills, floodSeasonRows, villageThreats } from '../coverage/queries.ts'
import { defaultCoverageRules, floodSeason, type CoverageRules } from '../coverage/season.ts'
import {
  asGeoJson,
  box,
  clipTo,
  extentOf,
  intersects,
  latitude,
  longitude,
  metersBetween,
  withinMeters,
  xMax,
  xMin,
  yMax,
  yMin,
} from '../db/postgis.ts'
import { camelize } from '../db/rows.ts'
import type { Database } from '../db/schema.ts'
import { NotFound } from '../errors.ts'
import { hazardContacts, readPeopleForCards, vulnerableTotals } from '../people/queries.ts'
import { assembleCard, cardReasons, type CardFacts, type CardHazard, type CardRoute, type CardVillage, type InsetBox } from './card.ts'

/**
 * The reads behind evacuation cards, batched: a fixed number of statements whether the cards
 * are for one natural village or for every village of an administrative village.
 */
type Db = Kysely<Database>

export interface CardOptions {
  principal: Principal | undefined
  year: number
  today: string
  rules?: CoverageRules
}

async function cardVillages(db: Db, where: { id: number } | { adminCode: string }): Promise<CardVillage[]> {
  const filter = 'id' in where ? sql`v.id = ${where.id}` : sql`v.admin_code = ${where.adminCode}`
  const { rows } = await sql<{
    id: number
    code: string
    name: string
    admin_code: string
    admin_name: string
    town_name: string | null
    population: number
    households: number
    lon: number
    lat: number
    geometry: string
  }>`
    SELECT v.id, v.code, v.name, v.admin_code, a.name AS admin_name, t.name AS town_name, v.population, v.households,
           ${longitude(sql`v.geom`)} AS lon, ${latitude(sql`v.geom`)} AS lat, ${asGeoJson(sql`coalesce(v.boundary, v.geom)`)} AS geometry
    FROM natural_villages v
    JOIN admin_areas a ON a.code = v.admin_code
    LEFT JOIN admin_areas t ON t.code = a.parent_code
    WHERE ${filter}
    ORDER BY v.code`.execute(db)
  return rows.map(camelize)
}

async function cardHazards(db: Db, hazardIds: readonly number[]): Promise<CardHazard[]> {
  const { rows } = await sql<{ id: number; threatened_people: number; lon: number; lat: number; danger_zone: string | null }>`
    SELECT h.id, h.threatened_people, ${longitude(sql`h.geom`)} AS lon, ${latitude(sql`h.geom`)} AS lat, ${asGeoJson(sql`h.danger_zone`)} AS danger_zone
    FROM hazard_points h WHERE h.id = ANY(${[...hazardIds]}::int[])`.execute(db)
  return rows.map(camelize)
}

async function cardRoutes(db: Db, villageIds: readonly number[]): Promise<CardRoute[]> {
  const { rows } = await sql<{
    natural_village_id: number
    id: number
    length_m: number
    walking_minutes: number
    geometry: string
    shelter_id: number
    shelter_code: string
    shelter_name: string
    shelter_address: string | null
    capacity_persons: number | null
    area_m2: number | null
    shelter_lon: number
    shelter_lat: number
  }>`
    SELECT r.natural_village_id, r.id, r.length_m, r.walking_minutes, ${asGeoJson(sql`r.geom`)} AS geometry,
           s.id AS shelter_id, s.code AS shelter_code, s.name AS shelter_name, s.address AS shelter_address,
           s.capacity_persons, s.area_m2, ${longitude(sql`s.geom`)} AS shelter_lon, ${latitude(sql`s.geom`)} AS shelter_lat
    FROM evacuation_routes r JOIN facilities s ON s.id = r.shelter_id
    WHERE r.natural_village_id = ANY(${[...villageIds]}::int[])
    ORDER BY r.natural_village_id, r.walking_minutes, r.id`.execute(db)
  return rows.map(camelize)
}

async function activeWarnings(db: Db, villageIds: readonly number[]) {
  const { rows } = await sql<{ natural_village_id: number; title: string; level: WarningLevel; stage: WarningStage; valid_to: Date }>`
    SELECT v.id AS natural_village_id, w.title, w.level, w.stage, w.valid_to
    FROM warnings w JOIN natural_villages v ON ${intersects(sql`w.geom`, sql`v.geom`)}
    WHERE v.id = ANY(${[...villageIds]}::int[]) AND now() >= w.valid_from AND now() < w.valid_to
    ORDER BY v.id, w.valid_from`.execute(db)
  return rows.map((row) => ({ ...camelize(row), validTo: new Date(row.valid_to).toISOString() }))
}

/** Broadcast speakers whose reach covers each village, nearest first. */
async function broadcastSpeakers(db: Db, villageIds: readonly number[]) {
  const { rows } = await sql<{ natural_village_id: number; name: string; distance_m: number }>`
    WITH reach AS MATERIALIZED (${broadcastReachBound})
    SELECT v.id AS natural_village_id, f.name, ${metersBetween(sql`f.geom`, sql`v.geom`)} AS distance_m
    FROM natural_villages v CROSS JOIN reach
    JOIN facilities f ON f.kind = 'broadcast' AND f.coverage_radius_m > 0
     AND ${withinMeters(sql`f.geom`, sql`v.geom`, sql`f.coverage_radius_m`, sql`reach.max_m`)}
    WHERE v.id = ANY(${[...villageIds]}::int[])
    ORDER BY v.id, distance_m`.execute(db)
  return rows.map(camelize)
}

/**
 * Each card inset's frame: the village, the danger zones of the hazards it is threatened by and
 * its routes, with a margin of 15 % (at least 0.004°).
 */
async function insetFrames(
  db: Db,
  villageIds: readonly number[],
  zones: readonly { villageId: number; hazardId: number }[],
): Promise<Map<number, InsetBox>> {
  const b = sql`b`
  const { rows } = await sql<{ village_id: number; xmin: number; ymin: number; xmax: number; ymax: number }>`
    WITH parts AS (
      SELECT id AS village_id, geom FROM natural_villages WHERE id = ANY(${[...villageIds]}::int[])
      UNION ALL
      SELECT z."villageId", h.danger_zone FROM jsonb_to_recordset(${JSON.stringify(zones)}::jsonb) AS z("villageId" int, "hazardId" int)
      JOIN hazard_points h ON h.id = z."hazardId"
      WHERE h.danger_zone IS NOT NULL
      UNION ALL
      SELECT natural_village_id, geom FROM evacuation_routes WHERE natural_village_id = ANY(${[...villageIds]}::int[])
    ), boxes AS (SELECT village_id, ${extentOf(sql`geom`)} AS b FROM parts GROUP BY village_id)
    SELECT village_id, ${xMin(b)} - m AS xmin, ${yMin(b)} - m AS ymin, ${xMax(b)} + m AS xmax, ${yMax(b)} + m AS ymax
    FROM boxes, LATERAL (SELECT greatest(0.004, 0.15 * greatest(${xMax(b)} - ${xMin(b)}, ${yMax(b)} - ${yMin(b)})) AS m) margin`.execute(db)
  return new Map(rows.map((row) => [row.village_id, [row.xmin, row.ymin, row.xmax, row.ymax]]))
}

/** Roads and rivers clipped to each inset's frame, 5 decimals (≈ 1 m: enough for print). */
async function insetLines(db: Db, frames: ReadonlyMap<number, InsetBox>) {
  const input = JSON.stringify([...frames].map(([villageId, [xmin, ymin, xmax, ymax]]) => ({ villageId, xmin, ymin, xmax, ymax })))
  const env = sql`f.env`
  const lines = (layer: 'roads' | 'rivers') => sql`
    SELECT f.village_id, ${layer} AS layer, t.id, t.class, ${asGeoJson(clipTo(sql`t.geom`, env), 5)} AS geometry
    FROM frames f JOIN ${sql.table(layer)} t ON ${intersects(sql`t.geom`, env)}`
  const { rows } = await sql<{ village_id: number; layer: 'roads' | 'rivers'; id: number; class: string; geometry: string | null }>`
    WITH frames AS (
      SELECT "villageId" AS village_id, ${box(sql`xmin`, sql`ymin`, sql`xmax`, sql`ymax`)} AS env
      FROM jsonb_to_recordset(${input}::jsonb) AS i("villageId" int, xmin float8, ymin float8, xmax float8, ymax float8)
    )
    ${lines('roads')} UNION ALL ${lines('rivers')}
    ORDER BY village_id, layer, id`.execute(db)
  return rows.map(camelize)
}

/** Cards for the given villages, in their order: every read batched across them. */
async function buildCards(db: Db, villages: readonly CardVillage[], options: CardOptions): Promise<EvacuationCard[]> {
  if (villages.length === 0) return []
  const rules = options.rules ?? defaultCoverageRules
  const ids = villages.map((village) => village.id)
  const seasonRows = await floodSeasonRows(db)
  const threats = await villageThreats(db, rules, ids)
  const season = floodSeason(options.year, seasonRows, rules)
  const drills = await coverageDrills(db, season, options.today, ids)
  const reasons = cardReasons(ids, threats, rules)
  const zones = [...reasons].flatMap(([villageId, list]) => list.map((reason) => ({ villageId, hazardId: reason.hazardPointId })))
  const hazardIds = [...new Set(zones.map((zone) => zone.hazardId))]
  // One after another: each is a few milliseconds, and on the embedded home (one session) a
  // burst of parallel statements would only queue behind each other for the one connection.
  const hazards = await cardHazards(db, hazardIds)
  const contacts = await hazardContacts(db, hazardIds)
  const routes = await cardRoutes(db, ids)
  const named = await readPeopleForCards(db, options.principal, villages)
  const vulnerable = await vulnerableTotals(db, ids)
  const warnings = await activeWarnings(db, ids)
  const speakers = await broadcastSpeakers(db, ids)
  const frames = await insetFrames(db, ids, zones)
  const lines = await insetLines(db, frames)
  const facts: CardFacts = {
    season,
    today: options.today,
    principal: options.principal,
    reasons,
    drills,
    hazards,
    contacts,
    routes,
    named,
    vulnerable,
    warnings,
    speakers,
    frames,
    lines,
  }
  return villages.map((village) => assembleCard(village, facts))
}

/** The card of one natural village; `NotFound` for an unknown id. */
export async function evacuationCard(db: Db, villageId: number, options: CardOptions): Promise<EvacuationCard> {
  const villages = await cardVillages(db, { id: villageId })
  if (villages.length === 0) throw new NotFound(`No natural village with id ${villageId}`)
  return (await buildCards(db, villages, options))[0]!
}

/** The cards of every natural village of an administrative village, in code order, for printing at once. */
export async function evacuationCards(db: Db, adminCode: string, options: CardOptions) {
  const admin = await db
    .selectFrom('admin_areas')
    .select(['code', 'name'])
    .where('code', '=', adminCode)
    .where('level', '=', 'village')
    .executeTakeFirst()
  if (!admin) throw new NotFound(`No administrative village with code ${adminCode}`)
  const cards = await buildCards(db, await cardVillages(db, { adminCode }), options)
  return { adminCode: admin.code, adminName: admin.name, cards }
}
