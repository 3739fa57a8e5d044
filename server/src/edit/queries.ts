import { sql, type Kysely } from 'kysely'
import { editGeometryKinds, type EditAttributes, type EditFeature, type EditGeometry, type EditLayer } from '@riskatlas/shared'
import type { Database } from '../db/schema.ts'
import { Conflict, Invalid, NotFound } from '../errors.ts'
import { walkingMinutes } from '../evacuation/rules.ts'

type Trx = Kysely<Database>

/**
 * A feature as the edit API stores it in the audit log (`before` / `after`) and answers it:
 * the public geometry and attributes, the row's version, and what else the row held that an
 * undo must put back (`stored`: the administrative village, a hazard point's danger zone and
 * threatened villages, a route's source).
 */
export interface EditSnapshot {
  id: number
  version: string
  geometry: EditGeometry
  properties: Record<string, unknown>
  stored: Record<string, unknown>
}

/** The administrative village a write touches, for the editor's scope (null: none of them). */
export interface Placed {
  snapshot: EditSnapshot
  adminCode: string | null
}

/** One editable layer's reads and writes; every identifier is written here, never taken from a request. */
export interface EditLayerStore<L extends EditLayer = EditLayer> {
  /** The feature, its row locked for the rest of the transaction; undefined when there is none. */
  read(trx: Trx, id: number): Promise<Placed | undefined>
  /** Checks references and writes a new row (with `id` when an undo puts a deleted one back). */
  insert(trx: Trx, values: EditValues<L>, id?: number): Promise<number>
  /** Writes every attribute and the geometry of an existing row. */
  update(trx: Trx, id: number, values: EditValues<L>, current: Placed): Promise<void>
  /** Deletes the row (409 when other records still depend on it). */
  remove(trx: Trx, id: number): Promise<void>
  /** The administrative village a new or changed feature would be in (for the scope check before writing). */
  adminCodeOf(trx: Trx, values: EditValues<L>): Promise<string | null>
}

/** What a write stores: the geometry, the attributes and, on an undo, the rest the row held. */
export interface EditValues<L extends EditLayer = EditLayer> {
  geometry: EditGeometry
  properties: EditAttributes[L]
  stored?: Record<string, unknown> | undefined
}

const geometryText = (geometry: EditGeometry) => JSON.stringify(geometry)
const geomFrom = (geometry: EditGeometry) => sql`ST_SetSRID(ST_GeomFromGeoJSON(${geometryText(geometry)}::text), 4326)`

/**
 * Checks a geometry with PostGIS before any write: readable, valid (no self-intersection, no
 * zero-length line — PostGIS's reason is in the answer), not empty, and inside the town. The
 * embedded PostGIS can answer a GEOS failure with no row at all, so a missing row is a refusal too.
 */
export async function checkGeometry(trx: Trx, layer: EditLayer, geometry: EditGeometry): Promise<void> {
  const g = geomFrom(geometry)
  const validity = await sql<{ valid: boolean; reason: string; empty: boolean }>`
    SELECT ST_IsValid(g) AS valid, ST_IsValidReason(g) AS reason, ST_IsEmpty(g) AS empty FROM (SELECT ${g} AS g) x`
    .execute(trx)
    .catch((error: unknown) => {
      throw new Invalid('The geometry is not one PostGIS can read.', {
        issues: [{ path: 'geometry', message: (error as Error).message.slice(0, 200) }],
      })
    })
  const row = validity.rows[0]
  if (!row) throw new Invalid('The geometry could not be checked.', { issues: [{ path: 'geometry', message: 'could not be checked' }] })
  if (!row.valid)
    throw new Invalid(`The ${editGeometryKinds[layer]} is not valid: ${row.reason}.`, {
      issues: [{ path: 'geometry', message: row.reason, code: 'invalid_geometry' }],
    })
  if (row.empty) throw new Invalid('The geometry is empty.', { issues: [{ path: 'geometry', message: 'empty', code: 'empty_geometry' }] })
  // Lines and polygons may run a little past the boundary as drawn (0.001° ≈ 100 m); points may not.
  const margin = editGeometryKinds[layer] === 'point' ? 0 : 0.001
  const inside = await sql<{ inside: boolean | null }>`
    SELECT bool_or(ST_CoveredBy(${g}, ST_Buffer(t.geom, ${margin}::float8))) AS inside FROM admin_areas t WHERE t.level = 'town'`.execute(
    trx,
  )
  if (inside.rows[0]?.inside !== true)
    throw new Invalid('The geometry lies outside the town.', {
      issues: [{ path: 'geometry', message: 'outside the town', code: 'outside_town' }],
    })
}

/** The administrative village a point lies in (null when in none). */
async function villageAt(trx: Trx, geometry: EditGeometry): Promise<string | null> {
  const { rows } = await sql<{ code: string }>`
    SELECT a.code FROM admin_areas a WHERE a.level = 'village' AND ST_Covers(a.geom, ${geomFrom(geometry)}) ORDER BY a.code LIMIT 1`.execute(
    trx,
  )
  return rows[0]?.code ?? null
}

/** A unique code already used (23505) is the editor's conflict, not a server error. */
async function uniqueCode<T>(write: Promise<T>, code: string): Promise<T> {
  return write.catch((error: unknown) => {
    if ((error as { code?: string }).code === '23505')
      throw new Conflict(`The code ${code} is already used.`, {
        issues: [{ path: 'properties.code', message: 'already used', code: 'already_used' }],
      })
    throw error
  })
}

/** 409 naming what still depends on a row the editor wants to delete (an undo could not bring those links back). */
async function assertUnreferenced(trx: Trx, references: { label: string; count: RawCount }[], what: string): Promise<void> {
  const found: Record<string, number> = {}
  for (const reference of references) {
    const { rows } = await reference.count.execute(trx)
    const n = Number(rows[0]?.n ?? 0)
    if (n > 0) found[reference.label] = n
  }
  if (Object.keys(found).length > 0)
    throw new Conflict(
      `${what} is still referenced: ${Object.entries(found)
        .map(([label, n]) => `${n} ${label}`)
        .join(', ')}.`,
      {
        references: found,
      },
    )
}
type RawCount = ReturnType<typeof sql<{ n: string | number }>>

const hazardColumns = [
  'code',
  'name',
  'kind',
  'scale',
  'risk_level',
  'threatened_households',
  'threatened_people',
  'threatened_property_10k_yuan',
  'monitor_name',
  'responsible_name',
  'status',
] as const

export const hazardPointStore: EditLayerStore<'hazard_points'> = {
  async read(trx, id) {
    const row = await trx
      .selectFrom('hazard_points as h')
      .select(hazardColumns.map((column) => `h.${column}` as const))
      .select([
        'h.id',
        'h.admin_code',
        sql<string>`h.xmin::text`.as('version'),
        sql<string>`ST_AsGeoJSON(h.geom, 7)`.as('geometry'),
        sql<string | null>`ST_AsGeoJSON(h.danger_zone, 7)`.as('danger_zone'),
        sql<number[]>`ARRAY(SELECT t.natural_village_id FROM hazard_threatened_villages t WHERE t.hazard_point_id = h.id ORDER BY 1)`.as(
          'threatened_village_ids',
        ),
      ])
      .where('h.id', '=', id)
      .forUpdate()
      .executeTakeFirst()
    if (!row) return undefined
    const properties = Object.fromEntries(hazardColumns.map((column) => [column, row[column]]))
    properties.threatened_property_10k_yuan = Number(row.threatened_property_10k_yuan)
    return {
      adminCode: row.admin_code,
      snapshot: {
        id: row.id,
        version: row.version,
        geometry: JSON.parse(row.geometry) as EditGeometry,
        properties,
        stored: {
          admin_code: row.admin_code,
          danger_zone: row.danger_zone === null ? null : JSON.parse(row.danger_zone),
          threatened_village_ids: row.threatened_village_ids,
        },
      },
    }
  },
  adminCodeOf: (trx, values) => villageAt(trx, values.geometry),
  async insert(trx, values, id) {
    const stored = values.stored ?? {}
    const zone = stored.danger_zone as EditGeometry | null | undefined
    const inserted = await uniqueCode(
      trx
        .insertInto('hazard_points')
        .values({
          ...(id === undefined ? {} : { id }),
          ...values.properties,
          admin_code: await villageAt(trx, values.geometry),
          geom: geomFrom(values.geometry) as never,
          danger_zone: (zone ? sql`ST_Multi(${geomFrom(zone)})` : null) as never,
        })
        .returning('id')
        .executeTakeFirstOrThrow(),
      values.properties.code,
    )
    const villages = (stored.threatened_village_ids as number[] | undefined) ?? []
    if (villages.length > 0)
      await trx
        .insertInto('hazard_threatened_villages')
        .values(villages.map((villageId) => ({ hazard_point_id: inserted.id, natural_village_id: villageId })))
        .onConflict((oc) => oc.doNothing())
        .execute()
    return inserted.id
  },
  async update(trx, id, values, current) {
    const moved = JSON.stringify(values.geometry) !== JSON.stringify(current.snapshot.geometry)
    await uniqueCode(
      trx
        .updateTable('hazard_points')
        .set({
          ...values.properties,
          ...(moved ? { admin_code: await villageAt(trx, values.geometry), geom: geomFrom(values.geometry) as never } : {}),
        })
        .where('id', '=', id)
        .execute(),
      values.properties.code,
    )
  },
  async remove(trx, id) {
    await assertUnreferenced(
      trx,
      [{ label: 'evacuation routes', count: sql`SELECT count(*) AS n FROM evacuation_routes WHERE hazard_point_id = ${id}` }],
      'The hazard point',
    )
    await trx.deleteFrom('hazard_points').where('id', '=', id).execute()
  },
}

const facilityColumns = ['code', 'name', 'kind', 'address', 'capacity_persons', 'area_m2'] as const

export const facilityStore: EditLayerStore<'facilities'> = {
  async read(trx, id) {
    const row = await trx
      .selectFrom('facilities as f')
      .select(facilityColumns.map((column) => `f.${column}` as const))
      .select(['f.id', 'f.admin_code', sql<string>`f.xmin::text`.as('version'), sql<string>`ST_AsGeoJSON(f.geom, 7)`.as('geometry')])
      .where('f.id', '=', id)
      .forUpdate()
      .executeTakeFirst()
    if (!row) return undefined
    const properties = Object.fromEntries(facilityColumns.map((column) => [column, row[column]]))
    if (row.area_m2 !== null) properties.area_m2 = Number(row.area_m2)
    return {
      adminCode: row.admin_code,
      snapshot: {
        id: row.id,
        version: row.version,
        geometry: JSON.parse(row.geometry) as EditGeometry,
        properties,
        stored: { admin_code: row.admin_code },
      },
    }
  },
  adminCodeOf: (trx, values) => villageAt(trx, values.geometry),
  async insert(trx, values, id) {
    const inserted = await uniqueCode(
      trx
        .insertInto('facilities')
        .values({
          ...(id === undefined ? {} : { id }),
          ...values.properties,
          admin_code: await villageAt(trx, values.geometry),
          geom: geomFrom(values.geometry) as never,
        })
        .returning('id')
        .executeTakeFirstOrThrow(),
      values.properties.code,
    )
    return inserted.id
  },
  async update(trx, id, values, current) {
    const moved = JSON.stringify(values.geometry) !== JSON.stringify(current.snapshot.geometry)
    await uniqueCode(
      trx
        .updateTable('facilities')
        .set({
          ...values.properties,
          ...(moved ? { admin_code: await villageAt(trx, values.geometry), geom: geomFrom(values.geometry) as never } : {}),
        })
        .where('id', '=', id)
        .execute(),
      values.properties.code,
    )
  },
  async remove(trx, id) {
    await assertUnreferenced(
      trx,
      [
        { label: 'evacuation routes', count: sql`SELECT count(*) AS n FROM evacuation_routes WHERE shelter_id = ${id}` },
        { label: 'shelter check-ins', count: sql`SELECT count(*) AS n FROM shelter_checkins WHERE shelter_id = ${id}` },
        { label: 'evacuation reports', count: sql`SELECT count(*) AS n FROM evacuation_progress WHERE shelter_id = ${id}` },
        { label: 'self-checks', count: sql`SELECT count(*) AS n FROM enterprise_self_checks WHERE facility_id = ${id}` },
        { label: 'hidden dangers', count: sql`SELECT count(*) AS n FROM hidden_dangers WHERE facility_id = ${id}` },
        { label: 'ledger places', count: sql`SELECT count(*) AS n FROM safety_places WHERE facility_id = ${id}` },
      ],
      'The facility',
    )
    await trx.deleteFrom('facilities').where('id', '=', id).execute()
  },
}

/** A route's village, shelter and hazard point by code (400 naming the field when one is unknown). */
async function routeReferences(trx: Trx, properties: EditAttributes['evacuation_routes']) {
  const village = await trx
    .selectFrom('natural_villages')
    .select(['id', 'admin_code'])
    .where('code', '=', properties.village_code)
    .executeTakeFirst()
  const shelter = await trx
    .selectFrom('facilities')
    .select('id')
    .where('code', '=', properties.shelter_code)
    .where('kind', '=', 'shelter')
    .executeTakeFirst()
  const hazard =
    properties.hazard_code === null
      ? null
      : await trx.selectFrom('hazard_points').select('id').where('code', '=', properties.hazard_code).executeTakeFirst()
  const issues = [
    ...(village ? [] : [{ path: 'properties.village_code', message: 'no such natural village', code: 'unknown_reference' }]),
    ...(shelter ? [] : [{ path: 'properties.shelter_code', message: 'no such shelter', code: 'unknown_reference' }]),
    ...(hazard === undefined ? [{ path: 'properties.hazard_code', message: 'no such hazard point', code: 'unknown_reference' }] : []),
  ]
  if (!village || !shelter || hazard === undefined)
    throw new Invalid('The route names an unknown village, shelter or hazard point.', { issues })
  return { villageId: village.id, adminCode: village.admin_code, shelterId: shelter.id, hazardId: hazard?.id ?? null }
}

/** Drawn routes (转移路线): length and walking time follow the line; the speed is the evacuation setting's. */
export function evacuationRouteStore(walkingSpeedKmh: number): EditLayerStore<'evacuation_routes'> {
  const lengthOf = async (trx: Trx, geometry: EditGeometry) => {
    const { rows } = await sql<{ m: number }>`SELECT ST_Length(${geomFrom(geometry)}::geography) AS m`.execute(trx)
    return Math.round(Number(rows[0]?.m ?? 0))
  }
  const columns = async (trx: Trx, values: EditValues<'evacuation_routes'>) => {
    const references = await routeReferences(trx, values.properties)
    const lengthM = await lengthOf(trx, values.geometry)
    const stored = values.stored ?? {}
    return {
      natural_village_id: references.villageId,
      shelter_id: references.shelterId,
      hazard_point_id: references.hazardId,
      length_m: lengthM,
      walking_minutes: walkingMinutes(lengthM, walkingSpeedKmh),
      // An edited route is a drawn one; an undo puts back what the route was.
      source: (stored.source as 'drawn' | 'computed' | undefined) ?? 'drawn',
      persons: (stored.persons as number | null | undefined) ?? null,
      geom: geomFrom(values.geometry) as never,
    }
  }
  return {
    async read(trx, id) {
      const row = await trx
        .selectFrom('evacuation_routes as r')
        .innerJoin('natural_villages as v', 'v.id', 'r.natural_village_id')
        .innerJoin('facilities as s', 's.id', 'r.shelter_id')
        .leftJoin('hazard_points as h', 'h.id', 'r.hazard_point_id')
        .select([
          'r.id',
          'r.source',
          'r.persons',
          'r.length_m',
          'r.walking_minutes',
          'v.code as village_code',
          'v.admin_code',
          's.code as shelter_code',
          'h.code as hazard_code',
          sql<string>`r.xmin::text`.as('version'),
          sql<string>`ST_AsGeoJSON(r.geom, 7)`.as('geometry'),
        ])
        .where('r.id', '=', id)
        .forUpdate('r')
        .executeTakeFirst()
      if (!row) return undefined
      return {
        adminCode: row.admin_code,
        snapshot: {
          id: row.id,
          version: row.version,
          geometry: JSON.parse(row.geometry) as EditGeometry,
          properties: { village_code: row.village_code, shelter_code: row.shelter_code, hazard_code: row.hazard_code },
          stored: {
            source: row.source,
            persons: row.persons,
            length_m: Number(row.length_m),
            walking_minutes: Number(row.walking_minutes),
          },
        },
      }
    },
    async adminCodeOf(trx, values) {
      return (await routeReferences(trx, values.properties)).adminCode
    },
    async insert(trx, values, id) {
      const inserted = await trx
        .insertInto('evacuation_routes')
        .values({ ...(id === undefined ? {} : { id }), ...(await columns(trx, values)) })
        .returning('id')
        .executeTakeFirstOrThrow()
      return inserted.id
    },
    async update(trx, id, values) {
      const { source, persons, ...rest } = await columns(trx, values)
      // A reshaped computed route becomes a drawn one; an attribute-only edit keeps its source.
      const stored = values.stored
      await trx
        .updateTable('evacuation_routes')
        .set({ ...rest, source: stored ? source : 'drawn', persons: stored ? persons : null })
        .where('id', '=', id)
        .execute()
    },
    async remove(trx, id) {
      await trx.deleteFrom('evacuation_routes').where('id', '=', id).execute()
    },
  }
}

/** Danger zones (危险区) live on their hazard point: the feature's id is the hazard point's, creating one fills its zone. */
export const dangerZoneStore: EditLayerStore<'danger_zones'> = {
  async read(trx, id) {
    const row = await trx
      .selectFrom('hazard_points as h')
      .select([
        'h.id',
        'h.code',
        'h.admin_code',
        sql<string>`h.xmin::text`.as('version'),
        sql<string>`ST_AsGeoJSON(h.danger_zone, 7)`.as('geometry'),
      ])
      .where('h.id', '=', id)
      .where('h.danger_zone', 'is not', null)
      .forUpdate()
      .executeTakeFirst()
    if (!row) return undefined
    return {
      adminCode: row.admin_code,
      snapshot: {
        id: row.id,
        version: row.version,
        geometry: JSON.parse(row.geometry) as EditGeometry,
        properties: { hazard_code: row.code },
        stored: {},
      },
    }
  },
  async adminCodeOf(trx, values) {
    const hazard = await trx
      .selectFrom('hazard_points')
      .select('admin_code')
      .where('code', '=', values.properties.hazard_code)
      .executeTakeFirst()
    return hazard?.admin_code ?? null
  },
  async insert(trx, values, id) {
    const hazard = await trx
      .selectFrom('hazard_points')
      .select(['id', sql<boolean>`danger_zone IS NOT NULL`.as('has_zone')])
      .where('code', '=', values.properties.hazard_code)
      .forUpdate()
      .executeTakeFirst()
    if (!hazard || (id !== undefined && hazard.id !== id))
      throw new Invalid('No such hazard point.', {
        issues: [{ path: 'properties.hazard_code', message: 'no such hazard point', code: 'unknown_reference' }],
      })
    if (hazard.has_zone)
      throw new Conflict('This hazard point already has a danger zone: reshape it instead.', { hazardPointId: hazard.id })
    await trx
      .updateTable('hazard_points')
      .set({ danger_zone: sql`ST_Multi(${geomFrom(values.geometry)})` as never })
      .where('id', '=', hazard.id)
      .execute()
    return hazard.id
  },
  async update(trx, id, values, current) {
    if (values.properties.hazard_code !== current.snapshot.properties.hazard_code)
      throw new Invalid('A danger zone stays with its hazard point.', {
        issues: [{ path: 'properties.hazard_code', message: 'cannot change', code: 'immutable' }],
      })
    await trx
      .updateTable('hazard_points')
      .set({ danger_zone: sql`ST_Multi(${geomFrom(values.geometry)})` as never })
      .where('id', '=', id)
      .execute()
  },
  async remove(trx, id) {
    await trx.updateTable('hazard_points').set({ danger_zone: null }).where('id', '=', id).execute()
  },
}

/** The table each layer writes, as its change events name it. */
export const editTables: Record<EditLayer, 'hazard_points' | 'facilities' | 'evacuation_routes'> = {
  hazard_points: 'hazard_points',
  facilities: 'facilities',
  evacuation_routes: 'evacuation_routes',
  danger_zones: 'hazard_points',
}

export function editStores(walkingSpeedKmh: number): { [L in EditLayer]: EditLayerStore<L> } {
  return {
    hazard_points: hazardPointStore,
    facilities: facilityStore,
    evacuation_routes: evacuationRouteStore(walkingSpeedKmh),
    danger_zones: dangerZoneStore,
  }
}

/** A snapshot as the API answers it. */
export const featureOf = (layer: EditLayer, snapshot: EditSnapshot): EditFeature => ({
  layer,
  id: snapshot.id,
  version: snapshot.version,
  geometry: snapshot.geometry as EditFeature['geometry'],
  properties: snapshot.properties,
})

export async function readOrThrow(store: EditLayerStore, trx: Trx, layer: EditLayer, id: number): Promise<Placed> {
  const found = await store.read(trx, id)
  if (!found) throw new NotFound(`No ${layer} feature ${id}.`)
  return found
}

/** An audited map edit: the newest of an editor's that no undo has answered yet. */
export interface LastEdit {
  auditId: number
  layer: EditLayer
  action: 'create' | 'update' | 'delete'
  before: EditSnapshot | null
  after: EditSnapshot | null
}

export async function lastEditOf(trx: Trx, actor: string): Promise<LastEdit | undefined> {
  const { rows } = await sql<{ id: string | number; action: 'create' | 'update' | 'delete'; details: LastEditDetails }>`
    SELECT a.id, a.action, a.details FROM audit_log a
    WHERE a.actor = ${actor} AND a.reason = 'map_edit'
      AND NOT EXISTS (SELECT 1 FROM audit_log u WHERE u.actor = ${actor} AND u.reason = 'map_edit_undone' AND u.details->>'undoes' = a.id::text)
    ORDER BY a.id DESC LIMIT 1`.execute(trx)
  const row = rows[0]
  if (!row) return undefined
  return { auditId: Number(row.id), layer: row.details.layer, action: row.action, before: row.details.before, after: row.details.after }
}
interface LastEditDetails {
  layer: EditLayer
  before: EditSnapshot | null
  after: EditSnapshot | null
}

/** Takes an editor's undo as a lock on their own edits, so two undos at once do not both pick the same one. */
export async function lockEditorUndo(trx: Trx, actor: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`map_edit_undo:${actor}`}))`.execute(trx)
}

/**
 * What the feature's row should be now if nothing but map edits and their undos touched it
 * since `last`: the version the newest of those wrote, and whether an edit newer than `last`
 * is still in force (then `last` cannot be undone before it). Features sharing a row (a hazard
 * point and its danger zone) are read together, as their version is the row's.
 */
export async function editTrail(
  trx: Trx,
  entities: readonly string[],
  id: number,
  last: LastEdit,
): Promise<{ expectedVersion: string | null; newerInForce: boolean }> {
  const { rows } = await sql<{ id: string | number; reason: string; details: { after: EditSnapshot | null; undoes?: number } }>`
    SELECT a.id, a.reason, a.details FROM audit_log a
    WHERE a.entity = ANY(${[...entities]}::text[]) AND a.entity_id = ${String(id)}
      AND a.reason IN ('map_edit', 'map_edit_undone') AND a.id >= ${last.auditId}
    ORDER BY a.id`.execute(trx)
  const undone = new Set(rows.filter((row) => row.reason === 'map_edit_undone').map((row) => Number(row.details.undoes)))
  const newerInForce = rows.some((row) => row.reason === 'map_edit' && Number(row.id) > last.auditId && !undone.has(Number(row.id)))
  const newest = rows.at(-1)
  return { expectedVersion: newest?.details.after?.version ?? null, newerInForce }
}
