import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { AreaGeometry, AuditResponse } from '@riskatlas/shared'
import { villageThreats } from '../coverage/queries.ts'
import type { ThreatRow } from '../coverage/rules.ts'
import { defaultCoverageRules } from '../coverage/season.ts'
import type { Database } from '../db/schema.ts'
import { fromGeoJson, intersects, latitude, longitude } from '../db/postgis.ts'
import { Invalid, NotFound } from '../errors.ts'
import { currentDataVersion } from '../events/changes.ts'
import { vulnerableTotals, type VillageVulnerableTotals } from '../people/queries.ts'
import { auditRoutes, type AuditRouteRow, type AuditShelterRow } from './audit.ts'
import type { LonLat } from './geo.ts'
import { buildGraph, type RoadGraph, type RoadInput } from './graph.ts'
import type { EvacuationSettings } from './rules.ts'

type Db = Kysely<Database>
type Sql = RawBuilder<unknown>

/** Hazard statuses whose danger zones no longer bind routes (the coverage rules' choice). */
const ignoredStatuses = [...defaultCoverageRules.ignoredHazardStatuses]
const activeZone = sql`h.danger_zone IS NOT NULL AND h.status <> ALL(${ignoredStatuses}::text[])`

/** Every road with its line and the danger zones it touches (PostGIS decides the touching). */
export async function roadInputs(db: Db): Promise<RoadInput[]> {
  const { rows } = await sql<{ id: number; passable_in_flood: boolean; geojson: string; zones: number[] }>`
    SELECT r.id, r.passable_in_flood, ST_AsGeoJSON(r.geom, 7) AS geojson,
           coalesce((SELECT array_agg(h.id ORDER BY h.id) FROM hazard_points h
                     WHERE ${activeZone} AND ${intersects(sql`h.danger_zone`, sql`r.geom`)}), '{}') AS zones
    FROM roads r ORDER BY r.id`.execute(db)
  return rows.map((row) => ({
    id: row.id,
    passableInFlood: row.passable_in_flood,
    coordinates: (JSON.parse(row.geojson) as { coordinates: LonLat[] }).coordinates,
    zones: row.zones,
  }))
}

export interface CachedGraph {
  graph: RoadGraph
  dataVersion: number
  builtInMs: number
}

/**
 * The walking graph of one database, built in the server process from `roads` and kept until
 * the data version changes (any write to roads or danger zones raises it); concurrent requests
 * share one build.
 */
export class RoadGraphCache {
  private current: CachedGraph | undefined
  private pending: { version: number; promise: Promise<CachedGraph> } | undefined

  async get(db: Db): Promise<CachedGraph> {
    const { version } = await currentDataVersion(db)
    if (this.current?.dataVersion === version) return this.current
    if (this.pending?.version === version) return this.pending.promise
    const promise = (async () => {
      const started = performance.now()
      const graph = buildGraph(await roadInputs(db))
      const built = { graph, dataVersion: version, builtInMs: performance.now() - started }
      this.current = built
      return built
    })()
    this.pending = { version, promise }
    try {
      return await promise
    } finally {
      if (this.pending?.promise === promise) this.pending = undefined
    }
  }
}

// ------------------------------------------------------------------ areas

/** An area a plan or an exposure is about: SQL for its geometry (a warning's, a drawn polygon, danger zones). */
export interface ResolvedArea {
  geometry: Sql
  /** The warning's id, when the area is a warning's. */
  warningId?: number
  areaKm2: number
}

/**
 * A drawn polygon, checked by PostGIS: valid (closed rings, no self-intersection — the reason
 * is PostGIS's own), not empty, at most `maxKm2`. Any problem is a 400, never a 500.
 */
export async function drawnArea(db: Db, area: AreaGeometry, maxKm2: number): Promise<ResolvedArea> {
  const json = JSON.stringify(area)
  const geometry = fromGeoJson(sql`${json}::text`)
  const { rows } = await sql<{ valid: boolean; reason: string; km2: number | null; empty: boolean }>`
    SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason, ST_IsEmpty(g) AS empty,
           CASE WHEN ST_IsValid(g) THEN ST_Area(g::geography) / 1e6 END AS km2
    FROM (SELECT ${geometry} AS g) x`
    .execute(db)
    .catch((error: unknown) => {
      throw new Invalid('The area is not a geometry PostGIS can read.', { reason: (error as Error).message.slice(0, 200) })
    })
  const row = rows[0]
  if (!row) throw new Invalid('The area could not be checked.')
  if (!row.valid) throw new Invalid(`The area is not a valid polygon: ${row.reason}.`, { reason: row.reason })
  if (row.empty || row.km2 === null || row.km2 <= 0) throw new Invalid('The area is empty.')
  if (row.km2 > maxKm2)
    throw new Invalid(`The area is ${Math.round(row.km2)} km², larger than the ${maxKm2} km² allowed.`, {
      areaKm2: Math.round(row.km2 * 10) / 10,
      maxKm2,
    })
  return { geometry, areaKm2: Number(row.km2) }
}

/** A warning's area (404 for an unknown warning). */
export async function warningArea(db: Db, warningId: number): Promise<ResolvedArea> {
  const { rows } = await sql<{ km2: number }>`SELECT ST_Area(geom::geography) / 1e6 AS km2 FROM warnings WHERE id = ${warningId}`.execute(
    db,
  )
  if (!rows[0]) throw new NotFound(`No warning ${warningId}.`, { unknownIds: [warningId] })
  return { geometry: sql`(SELECT w.geom FROM warnings w WHERE w.id = ${warningId})`, warningId, areaKm2: Number(rows[0].km2) }
}

/** The union of some hazard points' danger zones (404 naming the unknown ids; 400 when none has a zone). */
export async function hazardZonesArea(db: Db, hazardIds: readonly number[]): Promise<ResolvedArea> {
  const ids = [...new Set(hazardIds)]
  const { rows } = await sql<{ id: number; has_zone: boolean }>`
    SELECT id, danger_zone IS NOT NULL AS has_zone FROM hazard_points WHERE id = ANY(${ids}::int[])`.execute(db)
  const known = new Set(rows.map((row) => row.id))
  const unknown = ids.filter((id) => !known.has(id))
  if (unknown.length > 0) throw new NotFound(`No hazard point ${unknown.join(', ')}.`, { unknownIds: unknown })
  const withZone = rows.filter((row) => row.has_zone).map((row) => row.id)
  if (withZone.length === 0) throw new Invalid('None of these hazard points has a danger zone.', { hazardIds: ids })
  const geometry = sql`(SELECT ST_Multi(ST_Union(h.danger_zone)) FROM hazard_points h WHERE h.id = ANY(${withZone}::int[]))`
  const km2 = await sql<{ km2: number }>`SELECT ST_Area(${geometry}::geography) / 1e6 AS km2`.execute(db)
  return { geometry, areaKm2: Number(km2.rows[0]?.km2 ?? 0) }
}

/** Road ids inside (touching) an area. */
export async function roadsInArea(db: Db, area: Sql): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`SELECT r.id FROM roads r WHERE ${intersects(sql`r.geom`, area)}`.execute(db)
  return rows.map((row) => row.id)
}

// ------------------------------------------------------------------ villages and shelters

export interface PlanVillageRow {
  id: number
  code: string
  name: string
  adminCode: string
  adminName: string
  lon: number
  lat: number
  population: number
  households: number
  vulnerable: number
  risk: number
  /** Active danger zones (hazard ids) the village lies in. */
  ownZones: number[]
  inArea: boolean
}

export type VillageSelection = { kind: 'all' } | { kind: 'ids'; ids: readonly number[] } | { kind: 'area'; area: Sql }

/**
 * The villages of a plan with their people, vulnerable count (a count from the people
 * capability), risk and own zones. `all`: every village at risk; `ids`: those (404 for unknown
 * ones); `area`: those inside it. With `area` given, `inArea` says who lies in it. The threats
 * and vulnerable totals read on the way come back too (for every village read, before `all` keeps
 * those at risk).
 */
export async function planVillages(
  db: Db,
  selection: VillageSelection,
  area?: Sql,
): Promise<{ villages: PlanVillageRow[]; threats: ThreatRow[]; vulnerable: Map<number, VillageVulnerableTotals> }> {
  const inArea = area ? sql<boolean>`${intersects(area, sql`v.geom`)}` : sql<boolean>`false`
  const filter =
    selection.kind === 'ids'
      ? sql`WHERE v.id = ANY(${[...selection.ids]}::int[])`
      : selection.kind === 'area'
        ? sql`WHERE ${intersects(selection.area, sql`v.geom`)}`
        : sql``
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
    in_area: boolean
  }>`
    SELECT v.id, v.code, v.name, v.admin_code, a.name AS admin_name, ${longitude(sql`v.geom`)} AS lon, ${latitude(sql`v.geom`)} AS lat,
           v.population, v.households, ${inArea} AS in_area
    FROM natural_villages v JOIN admin_areas a ON a.code = v.admin_code
    ${filter}
    ORDER BY v.code`.execute(db)
  if (selection.kind === 'ids') {
    const known = new Set(rows.map((row) => row.id))
    const unknown = [...new Set(selection.ids)].filter((id) => !known.has(id))
    if (unknown.length > 0) throw new NotFound(`No natural village ${unknown.join(', ')}.`, { unknownIds: unknown })
  }
  const ids = rows.map((row) => row.id)
  const [threats, vulnerable] = await Promise.all([villageThreats(db, defaultCoverageRules, ids), vulnerableTotals(db, ids)])
  const byVillage = new Map<number, { risk: number; zones: number[] }>()
  for (const threat of threats) {
    if (ignoredStatuses.includes(threat.hazardStatus)) continue
    const entry = byVillage.get(threat.naturalVillageId) ?? { risk: 0, zones: [] }
    entry.risk = Math.max(entry.risk, threat.inside ? 2 : 1)
    if (threat.inside) entry.zones.push(threat.hazardPointId)
    byVillage.set(threat.naturalVillageId, entry)
  }
  const villages = rows.map((row) => ({
    id: row.id,
    code: row.code,
    name: row.name,
    adminCode: row.admin_code,
    adminName: row.admin_name,
    lon: row.lon,
    lat: row.lat,
    population: row.population,
    households: row.households,
    vulnerable: vulnerable.get(row.id)?.total ?? 0,
    risk: byVillage.get(row.id)?.risk ?? 0,
    ownZones: [...new Set(byVillage.get(row.id)?.zones ?? [])].sort((a, b) => a - b),
    inArea: row.in_area,
  }))
  return { villages: selection.kind === 'all' ? villages.filter((village) => village.risk > 0) : villages, threats, vulnerable }
}

export interface ShelterRow {
  id: number
  code: string
  name: string
  adminCode: string | null
  lon: number
  lat: number
  open: boolean
  capacityPersons: number | null
  areaM2: number | null
  dangerZones: string[]
  inArea: boolean
}

/** Every shelter with its declared capacity, area, open flag, and the active danger zones it lies in; `inArea` for an area given. */
export async function shelterRows(db: Db, area?: Sql): Promise<ShelterRow[]> {
  const inArea = area ? sql<boolean>`${intersects(area, sql`f.geom`)}` : sql<boolean>`false`
  const { rows } = await sql<{
    id: number
    code: string
    name: string
    admin_code: string | null
    lon: number
    lat: number
    shelter_open: boolean
    capacity_persons: number | null
    area_m2: number | null
    zones: string[]
    in_area: boolean
  }>`
    SELECT f.id, f.code, f.name, f.admin_code, ${longitude(sql`f.geom`)} AS lon, ${latitude(sql`f.geom`)} AS lat,
           f.shelter_open, f.capacity_persons, f.area_m2, ${inArea} AS in_area,
           coalesce((SELECT array_agg(h.code ORDER BY h.code) FROM hazard_points h
                     WHERE ${activeZone} AND ${intersects(sql`h.danger_zone`, sql`f.geom`)}), '{}') AS zones
    FROM facilities f WHERE f.kind = 'shelter' ORDER BY f.code`.execute(db)
  return rows.map((row) => ({
    id: row.id,
    code: row.code,
    name: row.name,
    adminCode: row.admin_code,
    lon: row.lon,
    lat: row.lat,
    open: row.shelter_open,
    capacityPersons: row.capacity_persons,
    areaM2: row.area_m2 === null ? null : Number(row.area_m2),
    dangerZones: row.zones,
    inArea: row.in_area,
  }))
}

/** Opens or closes a shelter (404 for anything that is not one); returns its admin code for the scope check. */
export async function setShelterOpen(trx: Db, id: number, open: boolean): Promise<{ id: number; adminCode: string | null }> {
  const row = await trx
    .updateTable('facilities')
    .set({ shelter_open: open })
    .where('id', '=', id)
    .where('kind', '=', 'shelter')
    .returning(['id', 'admin_code'])
    .executeTakeFirst()
  if (!row) throw new NotFound(`No shelter ${id}.`)
  return { id: row.id, adminCode: row.admin_code }
}

// ------------------------------------------------------------------ saving a plan

export interface RouteToSave {
  villageId: number
  shelterId: number
  persons: number
  lengthM: number
  walkingMinutes: number
  coordinates: [number, number][]
}

/**
 * Stores computed routes for some villages inside the caller's transaction: their earlier
 * computed routes are replaced; their drawn routes are kept unless `replace`.
 */
export async function storeComputedRoutes(trx: Db, villageIds: readonly number[], routes: readonly RouteToSave[], replace: boolean) {
  const ids = [...new Set(villageIds)]
  const replacedComputed = ids.length
    ? await trx.deleteFrom('evacuation_routes').where('natural_village_id', 'in', ids).where('source', '=', 'computed').executeTakeFirst()
    : { numDeletedRows: 0n }
  let deletedDrawn = 0
  let keptDrawn = 0
  if (ids.length && replace) {
    deletedDrawn = Number(
      (await trx.deleteFrom('evacuation_routes').where('natural_village_id', 'in', ids).where('source', '=', 'drawn').executeTakeFirst())
        .numDeletedRows,
    )
  } else if (ids.length) {
    const row = await trx
      .selectFrom('evacuation_routes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('natural_village_id', 'in', ids)
      .where('source', '=', 'drawn')
      .executeTakeFirstOrThrow()
    keptDrawn = Number(row.n)
  }
  const routeIds: number[] = []
  for (let i = 0; i < routes.length; i += 200) {
    const chunk = routes.slice(i, i + 200)
    const inserted = await trx
      .insertInto('evacuation_routes')
      .values(
        chunk.map((route) => ({
          natural_village_id: route.villageId,
          shelter_id: route.shelterId,
          hazard_point_id: null,
          length_m: route.lengthM,
          walking_minutes: route.walkingMinutes,
          persons: route.persons,
          source: 'computed' as const,
          computed_at: new Date(),
          geom: sql<string>`${fromGeoJson(sql`${JSON.stringify({ type: 'LineString', coordinates: route.coordinates })}::text`)}`,
        })),
      )
      .returning('id')
      .execute()
    routeIds.push(...inserted.map((row) => row.id))
  }
  return { inserted: routeIds.length, replacedComputed: Number(replacedComputed.numDeletedRows), deletedDrawn, keptDrawn, routeIds }
}

// ------------------------------------------------------------------ the audit

/** Every stored route measured by PostGIS: length on the ground, foreign zones entered, own zones re-entered, how far its ends are from a road. */
export async function auditRouteRows(db: Db): Promise<AuditRouteRow[]> {
  const nearestRoad = (point: Sql) =>
    sql<number | null>`(SELECT ST_Distance(${point}::geography, rd.geom::geography) FROM roads rd ORDER BY rd.geom <-> ${point} LIMIT 1)`
  const { rows } = await sql<{
    id: number
    source: 'drawn' | 'computed'
    village_id: number
    village_code: string
    village_name: string
    admin_code: string
    admin_name: string
    population: number
    shelter_id: number
    persons: number | null
    length_m: number
    stored_minutes: number
    crossed: string[]
    reentered: string[]
    start_off: number | null
    end_off: number | null
    geojson: string
  }>`
    SELECT e.id, e.source, v.id AS village_id, v.code AS village_code, v.name AS village_name, v.admin_code, a.name AS admin_name,
           v.population, e.shelter_id, e.persons, ST_Length(e.geom::geography) AS length_m, e.walking_minutes AS stored_minutes,
           coalesce((SELECT array_agg(h.code ORDER BY h.code) FROM hazard_points h
                     WHERE ${activeZone} AND ${intersects(sql`h.danger_zone`, sql`e.geom`)} AND NOT ST_Intersects(h.danger_zone, v.geom)), '{}') AS crossed,
           coalesce((SELECT array_agg(h.code ORDER BY h.code) FROM hazard_points h
                     WHERE ${activeZone} AND ST_Intersects(h.danger_zone, v.geom)
                       AND ST_NumGeometries(ST_Multi(ST_Intersection(h.danger_zone, e.geom))) > 1), '{}') AS reentered,
           ${nearestRoad(sql`ST_StartPoint(e.geom)`)} AS start_off,
           ${nearestRoad(sql`ST_EndPoint(e.geom)`)} AS end_off,
           ST_AsGeoJSON(e.geom, 6) AS geojson
    FROM evacuation_routes e
    JOIN natural_villages v ON v.id = e.natural_village_id
    JOIN admin_areas a ON a.code = v.admin_code
    ORDER BY v.code, e.id`.execute(db)
  return rows.map((row) => ({
    id: row.id,
    source: row.source,
    villageId: row.village_id,
    villageCode: row.village_code,
    villageName: row.village_name,
    adminCode: row.admin_code,
    adminName: row.admin_name,
    population: row.population,
    shelterId: row.shelter_id,
    persons: row.persons,
    lengthM: Number(row.length_m),
    storedMinutes: Number(row.stored_minutes),
    crossedZones: row.crossed,
    reenteredZones: row.reentered,
    startOffRoadM: row.start_off === null ? null : Number(row.start_off),
    endOffRoadM: row.end_off === null ? null : Number(row.end_off),
    geometry: JSON.parse(row.geojson) as AuditRouteRow['geometry'],
  }))
}

/** Shelters for the audit: a shelter in the area of a warning in force now is unusable. */
export async function auditShelterRows(db: Db): Promise<AuditShelterRow[]> {
  const inForce = sql`(SELECT ST_Union(w.geom) FROM warnings w WHERE w.valid_from <= now() AND w.valid_to > now())`
  const rows = await shelterRows(db, sql`coalesce(${inForce}, ST_GeomFromText('POLYGON EMPTY', 4326))`)
  return rows.map((row) => ({
    id: row.id,
    code: row.code,
    name: row.name,
    open: row.open,
    capacityPersons: row.capacityPersons,
    areaM2: row.areaM2,
    dangerZones: row.dangerZones,
    inWarnedArea: row.inArea,
  }))
}

/** `GET /api/evacuation/audit`: every stored route checked (PostGIS measures, `auditRoutes` decides). */
export async function computeAudit(db: Db, settings: EvacuationSettings): Promise<AuditResponse> {
  const [routes, shelters] = await Promise.all([auditRouteRows(db), auditShelterRows(db)])
  const audited = auditRoutes(routes, shelters, settings)
  const byCode: Record<string, number> = {}
  for (const route of audited) for (const problem of route.problems) byCode[problem.code] = (byCode[problem.code] ?? 0) + 1
  const ok = audited.filter((route) => route.ok).length
  return {
    norms: {
      maxLengthM: settings.normLengthM,
      maxMinutes: settings.normMinutes,
      walkingSpeedKmh: settings.walkingSpeedKmh,
      m2PerPerson: settings.m2PerPerson,
      endToleranceM: settings.routeEndToleranceM,
    },
    summary: { routes: audited.length, ok, withProblems: audited.length - ok, byCode },
    routes: audited,
  }
}
