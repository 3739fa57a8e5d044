import { sql, type Kysely } from 'kysely'
import type { CoverageResponse, GapsResponse } from '@riskatlas/shared'
import type { Database } from '../db/schema.ts'
import { expandByMeters } from '../db/postgis.ts'
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
  return db.selectFrom('flood_seasons').select(['year', 'starts_on', 'ends_on']).orderBy('year').execute()
}

/** Every natural village with its administrative village and vulnerable count. */
export async function coverageVillages(db: Db): Promise<CoverageVillageRow[]> {
  const { rows } = await sql<CoverageVillageRow>`
    SELECT v.id, v.code, v.name, v.admin_code AS "adminCode", a.name AS "adminName",
           ST_X(v.geom) AS lon, ST_Y(v.geom) AS lat, v.population, v.households,
           coalesce(p.n, 0)::int AS "vulnerableCount"
    FROM natural_villages v
    JOIN admin_areas a ON a.code = v.admin_code
    LEFT JOIN (SELECT natural_village_id, count(*) AS n FROM vulnerable_people GROUP BY natural_village_id) p
      ON p.natural_village_id = v.id
    ORDER BY v.code`.execute(db)
  return rows
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
  const { rows } = await sql<ThreatRow>`
    SELECT t.natural_village_id AS "naturalVillageId", h.id AS "hazardPointId", h.code AS "hazardCode",
           h.name AS "hazardName", h.kind, h.risk_level AS "riskLevel", h.status AS "hazardStatus",
           true AS listed, NULL::float8 AS "zoneDistanceM", false AS inside
    FROM hazard_threatened_villages t
    JOIN hazard_points h ON h.id = t.hazard_point_id
    WHERE true ${listedFilter}
    UNION ALL
    SELECT v.id, h.id, h.code, h.name, h.kind, h.risk_level, h.status,
           false, ST_Distance(v.geom::geography, h.danger_zone::geography), ST_Intersects(h.danger_zone, v.geom)
    FROM hazard_points h
    JOIN natural_villages v
      ON v.geom && ${expandByMeters(sql`h.danger_zone`, rules.zoneDistanceM)}
     AND ST_DWithin(v.geom::geography, h.danger_zone::geography, ${rules.zoneDistanceM}::float8)
    WHERE h.danger_zone IS NOT NULL ${zoneFilter}`.execute(db)
  return rows
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
  const columns = sql`id, natural_village_id AS "naturalVillageId", scenario, status, planned_on AS "plannedOn", held_on AS "heldOn", organiser`
  const only = villageIds ? sql`AND natural_village_id = ANY(${[...villageIds]}::int[])` : sql``
  const { rows } = await sql<DrillRow>`
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
  return rows
}

export interface CoverageOptions {
  year: number
  today: string
  rules?: CoverageRules
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
  const { rows } = await sql<HazardMonitorRow>`
    SELECT h.id, h.code, h.name, h.admin_code AS "adminCode", a.name AS "adminName", ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat,
           h.status, h.monitor_name AS "monitorName", h.threatened_people AS "threatenedPeople"
    FROM hazard_points h LEFT JOIN admin_areas a ON a.code = h.admin_code
    ORDER BY h.code`.execute(db)
  return rows
}

/**
 * Vulnerable people per village: how many, how many lack a responsible person (包保责任人), and
 * — only in administrative villages within `personalScope` (`null` = all) — who they are.
 * Out-of-scope names are never fetched.
 */
async function vulnerableGapRows(db: Db, personalScope: readonly string[] | null): Promise<VulnerableGapRow[]> {
  const allowed = personalScope === null ? sql<boolean>`true` : sql<boolean>`v.admin_code = ANY(${[...personalScope]}::text[])`
  const unassigned = sql<boolean>`nullif(btrim(p.responsible_name), '') IS NULL`
  const { rows } = await sql<VulnerableGapRow>`
    SELECT p.natural_village_id AS "naturalVillageId", count(*)::int AS total,
           (count(*) FILTER (WHERE ${unassigned}))::int AS "withoutResponsible",
           CASE WHEN ${allowed} THEN
             coalesce(json_agg(json_build_object('name', p.name, 'category', p.category) ORDER BY p.name) FILTER (WHERE ${unassigned}), '[]'::json)
           END AS unassigned
    FROM vulnerable_people p JOIN natural_villages v ON v.id = p.natural_village_id
    GROUP BY p.natural_village_id, v.admin_code`.execute(db)
  return rows
}

async function reservoirRows(db: Db): Promise<ReservoirRow[]> {
  const { rows } = await sql<ReservoirRow>`
    SELECT f.id, f.code, f.kind, f.name, f.admin_code AS "adminCode", a.name AS "adminName", ST_X(f.geom) AS lon, ST_Y(f.geom) AS lat,
           f.admin_responsible AS "adminResponsible", f.tech_responsible AS "techResponsible", f.patrol_responsible AS "patrolResponsible"
    FROM facilities f LEFT JOIN admin_areas a ON a.code = f.admin_code
    WHERE f.kind IN ('reservoir', 'pond')
    ORDER BY f.code`.execute(db)
  return rows
}

/**
 * Villages no broadcast speaker reaches (each speaker has its own radius, on the ground). The
 * index prefilter uses the largest radius in town; only the villages left uncovered then look
 * up their nearest speaker by KNN.
 */
async function outsideBroadcastRows(db: Db): Promise<BroadcastGapRow[]> {
  const { rows } = await sql<BroadcastGapRow>`
    WITH reach AS MATERIALIZED (SELECT coalesce(max(coverage_radius_m), 0) AS max_m FROM facilities WHERE kind = 'broadcast'),
    outside AS MATERIALIZED (
      SELECT v.id, v.code, v.geom FROM natural_villages v CROSS JOIN reach
      WHERE NOT EXISTS (
        SELECT 1 FROM facilities f
        WHERE f.kind = 'broadcast' AND f.coverage_radius_m > 0
          AND f.geom && ${expandByMeters(sql`v.geom`, sql`reach.max_m`)}
          AND ST_DWithin(v.geom::geography, f.geom::geography, f.coverage_radius_m)
      )
    )
    SELECT o.id AS "naturalVillageId", nearest.name AS "nearestName", nearest.distance_m AS "nearestDistanceM"
    FROM outside o
    LEFT JOIN LATERAL (
      SELECT f.name, ST_Distance(o.geom::geography, f.geom::geography) AS distance_m
      FROM facilities f WHERE f.kind = 'broadcast'
      ORDER BY f.geom <-> o.geom LIMIT 1
    ) nearest ON true
    ORDER BY o.code`.execute(db)
  return rows
}

async function routeCounts(db: Db): Promise<Map<number, number>> {
  const { rows } = await sql<{ id: number; n: number }>`
    SELECT r.natural_village_id AS id, count(*)::int AS n
    FROM evacuation_routes r JOIN facilities s ON s.id = r.shelter_id AND s.kind = 'shelter'
    GROUP BY r.natural_village_id`.execute(db)
  return new Map(rows.map((row) => [row.id, row.n]))
}

export interface GapOptions extends CoverageOptions {
  /** Administrative villages whose vulnerable people may be named (`personalDataScope`). */
  personalScope: readonly string[] | null
}

/** `GET /api/gaps`: every preparedness gap beyond drills. */
export async function computeGaps(db: Db, { year, personalScope, rules = defaultCoverageRules }: GapOptions): Promise<GapsResponse> {
  // Independent reads: an external pool runs them side by side; the embedded home queues them on its one session.
  const [seasons, villages, threats, hazards, vulnerable, reservoirs, outsideBroadcast, routes] = await Promise.all([
    floodSeasonRows(db),
    coverageVillages(db),
    villageThreats(db, rules),
    hazardMonitors(db),
    vulnerableGapRows(db, personalScope),
    reservoirRows(db),
    outsideBroadcastRows(db),
    routeCounts(db),
  ])
  const season = floodSeason(year, seasons, rules)
  const gaps = preparednessGaps({ villages, threats, hazards, vulnerable, reservoirs, outsideBroadcast, routeCounts: routes, rules })
  return { season, counts: gapCounts(gaps), gaps }
}
