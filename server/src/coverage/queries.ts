import { sql, type Kysely } from 'kysely'
import type { CoverageResponse, GapsResponse } from '@riskatlas/shared'
import type { Database } from '../db/schema.ts'
import { intersects, latitude, longitude, metersBetween, withinMeters } from '../db/postgis.ts'
import { camelize } from '../db/rows.ts'
import { vulnerableTotals } from '../people/queries.ts'
// evacuation/queries reads coverage's threats too: a cycle of functions only, safe at load.
import { computeAudit } from '../evacuation/queries.ts'
import { defaultEvacuationSettings, type EvacuationSettings } from '../evacuation/rules.ts'
import {
  gapCounts,
  preparednessGaps,
  type BroadcastGapRow,
  type HazardMonitorRow,
  type ReservoirRow,
  type VulnerableGapRow,
} from './gaps.ts'
import { coverageSummary, drillCoverage, type CoverageVillageRow, type DrillRow, type ThreatRow } from './rules.ts'
import { defaultCoverageRules, floodSeason, type CoverageRules, type FloodSeasonRow } from './season.ts'

type Db = Kysely<Database>

export async function floodSeasonRows(db: Db): Promise<FloodSeasonRow[]> {
  const rows = await db.selectFrom('flood_seasons').select(['year', 'starts_on', 'ends_on']).orderBy('year').execute()
  return rows.map(camelize)
}

/** Every natural village with its administrative village and vulnerable count (from the people capability). */
export async function coverageVillages(db: Db): Promise<CoverageVillageRow[]> {
  const { rows } = await sql<{
    id: number
    code: string
    name: string
    admin_code: string
    admin_name: string
    lon: number
    lat: number
    population: number
    households: number
  }>`
      SELECT v.id, v.code, v.name, v.admin_code, a.name AS admin_name,
             ${longitude(sql`v.geom`)} AS lon, ${latitude(sql`v.geom`)} AS lat, v.population, v.households
      FROM natural_villages v
      JOIN admin_areas a ON a.code = v.admin_code
      ORDER BY v.code`.execute(db)
  const vulnerable = await vulnerableTotals(db)
  return rows.map((row) => ({ ...camelize(row), vulnerableCount: vulnerable.get(row.id)?.total ?? 0 }))
}

/**
 * Links between villages and hazard points: every listing (hazard_threatened_villages), and every
 * village within `zoneDistanceM` of a danger zone on the ground. The GiST index on the villages
 * answers `geom && expanded zone box`; only those candidates get the exact geodesic test.
 */
export async function villageThreats(
  db: Db,
  rules: CoverageRules = defaultCoverageRules,
  villageIds?: readonly number[],
): Promise<ThreatRow[]> {
  const listedFilter = villageIds ? sql`AND t.natural_village_id = ANY(${[...villageIds]}::int[])` : sql``
  const zoneFilter = villageIds ? sql`AND v.id = ANY(${[...villageIds]}::int[])` : sql``
  const { rows } = await sql<SnakeThreatRow>`
    SELECT t.natural_village_id, h.id AS hazard_point_id, h.code AS hazard_code, h.name AS hazard_name, h.kind,
           h.risk_level, h.status AS hazard_status, true AS listed, NULL::float8 AS zone_distance_m, false AS inside
    FROM hazard_threatened_villages t
    JOIN hazard_points h ON h.id = t.hazard_point_id
    WHERE true ${listedFilter}
    UNION ALL
    SELECT v.id, h.id, h.code, h.name, h.kind, h.risk_level, h.status,
           false, ${metersBetween(sql`v.geom`, sql`h.danger_zone`)}, ${intersects(sql`h.danger_zone`, sql`v.geom`)}
    FROM hazard_points h
    JOIN natural_villages v ON ${withinMeters(sql`v.geom`, sql`h.danger_zone`, rules.zoneDistanceM)}
    WHERE h.danger_zone IS NOT NULL ${zoneFilter}`.execute(db)
  return rows.map(camelize)
}

interface SnakeThreatRow {
  natural_village_id: number
  hazard_point_id: number
  hazard_code: string
  hazard_name: string
  kind: ThreatRow['kind']
  risk_level: number
  hazard_status: string
  listed: boolean
  zone_distance_m: number | null
  inside: boolean
}

/**
 * The drills the season's coverage needs: every non-cancelled drill dated in the season, each
 * village's latest held drill up to the season's end, and its earliest planned drill from today.
 */
export async function coverageDrills(
  db: Db,
  season: { startsOn: string; endsOn: string },
  today: string,
  villageIds?: readonly number[],
): Promise<DrillRow[]> {
  const columns = sql`id, natural_village_id, scenario, status, planned_on, held_on, organiser`
  const only = villageIds ? sql`AND natural_village_id = ANY(${[...villageIds]}::int[])` : sql``
  const { rows } = await sql<{
    id: number
    natural_village_id: number
    scenario: DrillRow['scenario']
    status: DrillRow['status']
    planned_on: string | null
    held_on: string | null
    organiser: string | null
  }>`
    SELECT ${columns} FROM drills
    WHERE status <> 'cancelled' ${only}
      AND (planned_on BETWEEN ${season.startsOn}::date AND ${season.endsOn}::date OR held_on BETWEEN ${season.startsOn}::date AND ${season.endsOn}::date)
    UNION
    (SELECT DISTINCT ON (natural_village_id) ${columns} FROM drills
     WHERE status = 'held' AND held_on <= ${season.endsOn}::date ${only}
     ORDER BY natural_village_id, held_on DESC, id DESC)
    UNION
    (SELECT DISTINCT ON (natural_village_id) ${columns} FROM drills
     WHERE status = 'planned' AND planned_on >= ${today}::date ${only}
     ORDER BY natural_village_id, planned_on, id)`.execute(db)
  return rows.map(camelize)
}

export interface CoverageOptions {
  year: number
  today: string
  rules?: CoverageRules
  /** The evacuation norms the route audit in the gaps uses. */
  evacuation?: EvacuationSettings
}

/** `GET /api/coverage`: every natural village's drill status in a season, and the summary. */
export async function computeCoverage(db: Db, { year, today, rules = defaultCoverageRules }: CoverageOptions): Promise<CoverageResponse> {
  const season = floodSeason(year, await floodSeasonRows(db), rules)
  const [villages, threats, drills] = await Promise.all([
    coverageVillages(db),
    villageThreats(db, rules),
    coverageDrills(db, season, today),
  ])
  const coverage = drillCoverage({ villages, threats, drills, season, today, rules })
  return { summary: coverageSummary(coverage, season, today, rules), villages: coverage }
}

async function hazardMonitors(db: Db): Promise<HazardMonitorRow[]> {
  const { rows } = await sql<{
    id: number
    code: string
    name: string
    admin_code: string | null
    admin_name: string | null
    lon: number
    lat: number
    status: string
    monitor_name: string | null
    threatened_people: number
  }>`
    SELECT h.id, h.code, h.name, h.admin_code, a.name AS admin_name, ${longitude(sql`h.geom`)} AS lon, ${latitude(sql`h.geom`)} AS lat,
           h.status, h.monitor_name, h.threatened_people
    FROM hazard_points h LEFT JOIN admin_areas a ON a.code = h.admin_code
    ORDER BY h.code`.execute(db)
  return rows.map(camelize)
}

/** Vulnerable people per village as counts: how many, how many lack a responsible person (包保责任人). Never names. */
async function vulnerableGapRows(db: Db): Promise<VulnerableGapRow[]> {
  return [...(await vulnerableTotals(db)).values()].map(({ naturalVillageId, total, withoutResponsible }) => ({
    naturalVillageId,
    total,
    withoutResponsible,
  }))
}

async function reservoirRows(db: Db): Promise<ReservoirRow[]> {
  const { rows } = await sql<{
    id: number
    code: string
    kind: ReservoirRow['kind']
    name: string
    admin_code: string | null
    admin_name: string | null
    lon: number
    lat: number
    admin_responsible: string | null
    tech_responsible: string | null
    patrol_responsible: string | null
  }>`
    SELECT f.id, f.code, f.kind, f.name, f.admin_code, a.name AS admin_name, ${longitude(sql`f.geom`)} AS lon, ${latitude(sql`f.geom`)} AS lat,
           f.admin_responsible, f.tech_responsible, f.patrol_responsible
    FROM facilities f LEFT JOIN admin_areas a ON a.code = f.admin_code
    WHERE f.kind IN ('reservoir', 'pond')
    ORDER BY f.code`.execute(db)
  return rows.map(camelize)
}

/**
 * Villages no broadcast speaker reaches (each speaker has its own radius, on the ground). The
 * index prefilter uses the largest radius in town; only the villages left uncovered then look
 * up their nearest speaker by KNN.
 */
async function outsideBroadcastRows(db: Db): Promise<BroadcastGapRow[]> {
  const { rows } = await sql<{ natural_village_id: number; nearest_name: string | null; nearest_distance_m: number | null }>`
    WITH reach AS MATERIALIZED (${broadcastReachBound}),
    outside AS MATERIALIZED (
      SELECT v.id, v.code, v.geom FROM natural_villages v CROSS JOIN reach
      WHERE NOT EXISTS (
        SELECT 1 FROM facilities f
        WHERE f.kind = 'broadcast' AND f.coverage_radius_m > 0
          AND ${withinMeters(sql`f.geom`, sql`v.geom`, sql`f.coverage_radius_m`, sql`reach.max_m`)}
      )
    )
    SELECT o.id AS natural_village_id, nearest.name AS nearest_name, nearest.distance_m AS nearest_distance_m
    FROM outside o
    LEFT JOIN LATERAL (
      SELECT f.name, ${metersBetween(sql`o.geom`, sql`f.geom`)} AS distance_m
      FROM facilities f WHERE f.kind = 'broadcast'
      ORDER BY f.geom <-> o.geom LIMIT 1
    ) nearest ON true
    ORDER BY o.code`.execute(db)
  return rows.map(camelize)
}

/** The largest broadcast radius in town: the index prefilter's bound for "within a speaker's reach" (`reach.max_m`). */
export const broadcastReachBound = sql`SELECT coalesce(max(coverage_radius_m), 0) AS max_m FROM facilities WHERE kind = 'broadcast'`

async function routeCounts(db: Db): Promise<Map<number, number>> {
  const { rows } = await sql<{ id: number; n: number }>`
    SELECT r.natural_village_id AS id, count(*)::int AS n
    FROM evacuation_routes r JOIN facilities s ON s.id = r.shelter_id AND s.kind = 'shelter'
    GROUP BY r.natural_village_id`.execute(db)
  return new Map(rows.map((row) => [row.id, row.n]))
}

/** `GET /api/gaps`: every preparedness gap beyond drills. Vulnerable people appear as counts only. */
export async function computeGaps(
  db: Db,
  { year, rules = defaultCoverageRules, evacuation = defaultEvacuationSettings }: CoverageOptions,
): Promise<GapsResponse> {
  // Independent reads: an external pool runs them side by side; the embedded home queues them on its one session.
  const [seasons, villages, threats, hazards, vulnerable, reservoirs, outsideBroadcast, routes, audit] = await Promise.all([
    floodSeasonRows(db),
    coverageVillages(db),
    villageThreats(db, rules),
    hazardMonitors(db),
    vulnerableGapRows(db),
    reservoirRows(db),
    outsideBroadcastRows(db),
    routeCounts(db),
    computeAudit(db, evacuation),
  ])
  const season = floodSeason(year, seasons, rules)
  const gaps = preparednessGaps({
    villages,
    threats,
    hazards,
    vulnerable,
    reservoirs,
    outsideBroadcast,
    routeCounts: routes,
    routeAudits: audit.routes,
    rules,
  })
  return { season, counts: gapCounts(gaps), gaps }
}
