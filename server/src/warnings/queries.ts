import { sql, type Kysely, type Transaction } from 'kysely'
import type { Warning, WarningArea, WarningImpact, WarningListQuery, WarningRevision } from '@riskatlas/shared'
import type { Principal } from '../auth/scope.ts'
import { asGeoJson, intersects, isValid, multiFromGeoJson } from '../db/postgis.ts'
import type { Database } from '../db/schema.ts'
import { Invalid } from '../errors.ts'
import { contactCount, readWarningContacts, vulnerableTotals } from '../people/queries.ts'
import { warningStatus } from './rules.ts'

type Db = Kysely<Database> | Transaction<Database>

/** What a warning row holds, as the rules and the API see it. */
export interface WarningValues {
  kind: Warning['kind']
  level: Warning['level']
  stage: Warning['stage']
  title: string
  issuedBy: string | null
  source: string | null
  validFrom: Date
  validTo: Date
  areaKind: 'polygon' | 'villages'
  adminCodes: string[]
  /** The area as GeoJSON text (MultiPolygon), as PostGIS wrote it. */
  geometry: string
}

interface WarningRow extends WarningValues {
  id: number
  liftedAt: Date | null
  revision: number
  createdAt: Date
  updatedAt: Date
}

export function toWarning(row: WarningRow, now = new Date()): Warning {
  return {
    id: row.id,
    kind: row.kind,
    level: row.level,
    stage: row.stage,
    title: row.title,
    issuedBy: row.issuedBy,
    source: row.source,
    validFrom: row.validFrom.toISOString(),
    validTo: row.validTo.toISOString(),
    status: warningStatus(row, now),
    areaKind: row.areaKind,
    adminCodes: row.adminCodes,
    geometry: JSON.parse(row.geometry) as Warning['geometry'],
    liftedAt: row.liftedAt ? row.liftedAt.toISOString() : null,
    revision: row.revision,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

const warningColumns = sql`w.id, w.kind, w.level, w.stage, w.title, w.issued_by, w.source, w.valid_from, w.valid_to, w.area_kind,
  w.admin_codes, ${asGeoJson(sql`w.geom`)} AS geometry, w.lifted_at, w.revision, w.created_at, w.updated_at`

interface RawRow {
  id: number
  kind: Warning['kind']
  level: Warning['level']
  stage: Warning['stage']
  title: string
  issued_by: string | null
  source: string | null
  valid_from: Date
  valid_to: Date
  area_kind: 'polygon' | 'villages'
  admin_codes: string[]
  geometry: string
  lifted_at: Date | null
  revision: number
  created_at: Date
  updated_at: Date
}

const fromRaw = (r: RawRow): WarningRow => ({
  id: r.id,
  kind: r.kind,
  level: r.level,
  stage: r.stage,
  title: r.title,
  issuedBy: r.issued_by,
  source: r.source,
  validFrom: new Date(r.valid_from),
  validTo: new Date(r.valid_to),
  areaKind: r.area_kind,
  adminCodes: r.admin_codes,
  geometry: r.geometry,
  liftedAt: r.lifted_at ? new Date(r.lifted_at) : null,
  revision: r.revision,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
})

/** Warnings, newest validity first; `current` (default) = not lifted and not yet expired. */
export async function listWarnings(db: Db, filter: WarningListQuery, now = new Date()): Promise<Warning[]> {
  const status = filter.status ?? 'current'
  const where =
    status === 'current'
      ? sql`w.lifted_at IS NULL AND w.valid_to > ${now}`
      : status === 'active'
        ? sql`w.lifted_at IS NULL AND w.valid_from <= ${now} AND w.valid_to > ${now}`
        : status === 'scheduled'
          ? sql`w.lifted_at IS NULL AND w.valid_from > ${now}`
          : status === 'expired'
            ? sql`w.lifted_at IS NULL AND w.valid_to <= ${now}`
            : status === 'lifted'
              ? sql`w.lifted_at IS NOT NULL`
              : sql`true`
  const { rows } = await sql<RawRow>`
    SELECT ${warningColumns} FROM warnings w WHERE ${where}
    ORDER BY w.valid_from DESC, w.id DESC LIMIT ${filter.limit ?? 100}`.execute(db)
  return rows.map((row) => toWarning(fromRaw(row), now))
}

export async function findWarning(db: Db, id: number, options: { forUpdate?: boolean } = {}): Promise<WarningRow | undefined> {
  const { rows } =
    await sql<RawRow>`SELECT ${warningColumns} FROM warnings w WHERE w.id = ${id} ${options.forUpdate ? sql`FOR UPDATE` : sql``}`.execute(
      db,
    )
  return rows[0] ? fromRaw(rows[0]) : undefined
}

/**
 * The area as stored: a drawn polygon checked by PostGIS (valid, inside the town) with the
 * administrative villages it crosses, or the union of the picked villages' boundaries.
 */
export async function resolveArea(
  db: Db,
  area: WarningArea,
): Promise<{ geometry: string; adminCodes: string[]; areaKind: 'polygon' | 'villages' }> {
  if (area.kind === 'villages') {
    const codes = [...new Set(area.adminCodes)]
    const { rows } = await sql<{ codes: string[] | null; geometry: string | null }>`
      SELECT array_agg(a.code ORDER BY a.code) AS codes, ${asGeoJson(sql`ST_Multi(ST_Union(a.geom))`)} AS geometry
      FROM admin_areas a WHERE a.level = 'village' AND a.code = ANY(${codes}::varchar[])`.execute(db)
    const found = rows[0]?.codes ?? []
    const missing = codes.filter((code) => !found.includes(code))
    if (missing.length > 0 || !rows[0]?.geometry)
      throw new Invalid(`No administrative village ${missing.join(', ')}.`, {
        issues: [{ path: ['area', 'adminCodes'], message: `unknown: ${missing.join(', ')}` }],
      })
    return { geometry: rows[0].geometry, adminCodes: found, areaKind: 'villages' }
  }
  const text = JSON.stringify(area.geometry)
  const { rows } = await sql<{ valid: boolean; area_m2: number }>`
    SELECT ${isValid(multiFromGeoJson(sql`${text}`))} AS valid, ST_Area(${multiFromGeoJson(sql`${text}`)}::geography) AS area_m2`.execute(
    db,
  )
  if (!rows[0]?.valid)
    throw new Invalid('The area is not a valid polygon (it crosses itself or is not closed).', {
      issues: [{ path: ['area', 'geometry'], message: 'not a valid polygon' }],
    })
  if (!(rows[0].area_m2 > 0))
    throw new Invalid('The area is empty.', { issues: [{ path: ['area', 'geometry'], message: 'the polygon has no area' }] })
  const crossed = await sql<{ code: string }>`
    SELECT a.code FROM admin_areas a WHERE a.level = 'village' AND ${intersects(sql`a.geom`, multiFromGeoJson(sql`${text}`))} ORDER BY a.code`.execute(
    db,
  )
  if (crossed.rows.length === 0)
    throw new Invalid('The area lies outside the town.', {
      issues: [{ path: ['area', 'geometry'], message: 'outside every administrative village' }],
    })
  const stored = await sql<{ geometry: string }>`SELECT ${asGeoJson(multiFromGeoJson(sql`${text}`))} AS geometry`.execute(db)
  return { geometry: stored.rows[0]!.geometry, adminCodes: crossed.rows.map((row) => row.code), areaKind: 'polygon' }
}

/** The town's name (the one `level = 'town'` area), for titles and the big screen. */
export async function townName(db: Db): Promise<string> {
  const row = await db.selectFrom('admin_areas').select('name').where('level', '=', 'town').orderBy('code').executeTakeFirst()
  return row?.name ?? ''
}

export async function insertWarning(trx: Db, values: WarningValues): Promise<number> {
  const { rows } = await sql<{ id: number }>`
    INSERT INTO warnings (kind, level, stage, title, issued_by, source, valid_from, valid_to, area_kind, admin_codes, geom)
    VALUES (${values.kind}, ${values.level}, ${values.stage}, ${values.title}, ${values.issuedBy}, ${values.source}, ${values.validFrom}, ${values.validTo},
            ${values.areaKind}, ${values.adminCodes}::varchar[], ${multiFromGeoJson(sql`${values.geometry}`)})
    RETURNING id`.execute(trx)
  return rows[0]!.id
}

export async function updateWarning(trx: Db, id: number, values: WarningValues & { lifted: boolean }): Promise<number> {
  const { rows } = await sql<{ revision: number }>`
    UPDATE warnings SET kind = ${values.kind}, level = ${values.level}, stage = ${values.stage}, title = ${values.title},
      issued_by = ${values.issuedBy}, source = ${values.source}, valid_from = ${values.validFrom}, valid_to = ${values.validTo},
      area_kind = ${values.areaKind}, admin_codes = ${values.adminCodes}::varchar[], geom = ${multiFromGeoJson(sql`${values.geometry}`)},
      lifted_at = ${values.lifted ? sql`now()` : sql`lifted_at`}, revision = revision + 1, updated_at = now()
    WHERE id = ${id} RETURNING revision`.execute(trx)
  return rows[0]!.revision
}

export async function insertRevision(
  trx: Db,
  entry: {
    warningId: number
    revision: number
    actor: Principal
    change: 'issue' | 'update' | 'lift'
    reason: string | null
    values: WarningValues
  },
): Promise<void> {
  const v = entry.values
  const snapshot = {
    kind: v.kind,
    level: v.level,
    stage: v.stage,
    title: v.title,
    issuedBy: v.issuedBy,
    source: v.source,
    areaKind: v.areaKind,
    adminCodes: v.adminCodes,
  }
  await trx
    .insertInto('warning_revisions')
    .values({
      warning_id: entry.warningId,
      revision: entry.revision,
      actor: entry.actor.username,
      change: entry.change,
      reason: entry.reason,
      snapshot: JSON.stringify({
        ...snapshot,
        validFrom: entry.values.validFrom.toISOString(),
        validTo: entry.values.validTo.toISOString(),
      }),
    })
    .execute()
}

export async function warningHistory(db: Db, id: number, showActors: boolean): Promise<WarningRevision[]> {
  const rows = await db.selectFrom('warning_revisions').selectAll().where('warning_id', '=', id).orderBy('revision').execute()
  return rows.map((row) => {
    const snapshot = (typeof row.snapshot === 'string' ? JSON.parse(row.snapshot) : row.snapshot) as Record<string, unknown>
    return {
      revision: row.revision,
      at: new Date(row.at).toISOString(),
      actor: showActors ? row.actor : null,
      change: row.change,
      reason: row.reason,
      level: snapshot.level as WarningRevision['level'],
      stage: snapshot.stage as WarningRevision['stage'],
      validFrom: String(snapshot.validFrom),
      validTo: String(snapshot.validTo),
      adminCodes: (snapshot.adminCodes as string[]) ?? [],
    }
  })
}

/** A stored row's values, to start a change from. */
export function valuesOf(row: WarningRow): WarningValues {
  return {
    kind: row.kind,
    level: row.level,
    stage: row.stage,
    title: row.title,
    issuedBy: row.issuedBy,
    source: row.source,
    validFrom: row.validFrom,
    validTo: row.validTo,
    areaKind: row.areaKind,
    adminCodes: row.adminCodes,
    geometry: row.geometry,
  }
}

/**
 * What a warning covers: natural villages whose point lies inside the area, with their people
 * and vulnerable counts; active hazard points inside it (or whose danger zone reaches into it,
 * or that threaten a village inside); shelters inside it or assigned to a village inside by an
 * evacuation route; and — only for a caller who may see them — the hazard points' contacts.
 */
export async function warningImpact(db: Db, id: number, principal: Principal | undefined): Promise<WarningImpact> {
  const w = sql`(SELECT geom FROM warnings WHERE id = ${id})`
  const villages = await sql<{
    id: number
    code: string
    name: string
    admin_code: string
    admin_name: string
    population: number
    households: number
  }>`
    SELECT v.id, v.code, v.name, v.admin_code, a.name AS admin_name, v.population, v.households
    FROM natural_villages v JOIN admin_areas a ON a.code = v.admin_code
    WHERE ${intersects(sql`v.geom`, w)} ORDER BY v.code`.execute(db)
  const villageIds = villages.rows.map((v) => v.id)
  const hazards = await sql<{
    id: number
    code: string
    name: string
    kind: WarningImpact['hazardPoints'][number]['kind']
    risk_level: number
    threatened_people: number
    admin_code: string | null
  }>`
    SELECT h.id, h.code, h.name, h.kind, h.risk_level, h.threatened_people, h.admin_code
    FROM hazard_points h
    WHERE h.status = 'active' AND (${intersects(sql`h.geom`, w)}
       OR (h.danger_zone IS NOT NULL AND ${intersects(sql`h.danger_zone`, w)})
       OR EXISTS (SELECT 1 FROM hazard_threatened_villages t WHERE t.hazard_point_id = h.id AND t.natural_village_id = ANY(${villageIds}::int[])))
    ORDER BY h.risk_level DESC, h.code`.execute(db)
  const shelters = await sql<{
    id: number
    code: string
    name: string
    capacity_persons: number | null
    inside: boolean
    assigned_villages: number
  }>`
    SELECT f.id, f.code, f.name, f.capacity_persons, ${intersects(sql`f.geom`, w)} AS inside,
           (SELECT count(DISTINCT r.natural_village_id) FROM evacuation_routes r WHERE r.shelter_id = f.id AND r.natural_village_id = ANY(${villageIds}::int[]))::int AS assigned_villages
    FROM facilities f
    WHERE f.kind = 'shelter' AND (${intersects(sql`f.geom`, w)}
       OR EXISTS (SELECT 1 FROM evacuation_routes r WHERE r.shelter_id = f.id AND r.natural_village_id = ANY(${villageIds}::int[])))
    ORDER BY f.code`.execute(db)
  const vulnerable = await vulnerableTotals(db, villageIds)
  const naturalVillages = villages.rows.map((v) => {
    const counts = vulnerable.get(v.id)
    return {
      id: v.id,
      code: v.code,
      name: v.name,
      adminCode: v.admin_code,
      adminName: v.admin_name,
      population: v.population,
      households: v.households,
      vulnerable: counts?.total ?? 0,
      vulnerableWithResponsible: (counts?.total ?? 0) - (counts?.withoutResponsible ?? 0),
    }
  })
  const hazardPoints = hazards.rows.map((h) => ({
    id: h.id,
    code: h.code,
    name: h.name,
    kind: h.kind,
    riskLevel: h.risk_level,
    threatenedPeople: h.threatened_people,
  }))
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)
  const contacts = await readWarningContacts(
    db,
    principal,
    id,
    hazards.rows.map((h) => ({ id: h.id, adminCode: h.admin_code })),
  )
  return {
    warningId: id,
    naturalVillages,
    hazardPoints,
    shelters: shelters.rows.map((s) => ({
      id: s.id,
      code: s.code,
      name: s.name,
      capacityPersons: s.capacity_persons,
      inside: s.inside,
      assignedVillages: s.assigned_villages,
    })),
    totals: {
      naturalVillages: naturalVillages.length,
      population: sum(naturalVillages.map((v) => v.population)),
      households: sum(naturalVillages.map((v) => v.households)),
      vulnerable: sum(naturalVillages.map((v) => v.vulnerable)),
      vulnerableWithResponsible: sum(naturalVillages.map((v) => v.vulnerableWithResponsible)),
      hazardPoints: hazardPoints.length,
      shelters: shelters.rows.length,
      shelterCapacity: sum(shelters.rows.map((s) => s.capacity_persons ?? 0)),
      contacts: await contactCount(
        db,
        hazardPoints.map((h) => h.id),
      ),
    },
    contacts,
  }
}
