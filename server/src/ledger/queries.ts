import { sql, type Kysely } from 'kysely'
import {
  editableRecordKinds,
  ledgerPhrase,
  type EditableRecordKind,
  type HiddenDanger,
  type HiddenDangerCreate,
  type HiddenDangerListQuery,
  type LedgerRecordCreate,
  type LedgerRecordKind,
  type LedgerRecordValues,
  type LedgerRow,
  type LedgerText,
  type RectificationRate,
  type SafetyPlace,
} from '@riskatlas/shared'
import { canSeePersonalData, type Principal } from '../auth/scope.ts'
import type { Database } from '../db/schema.ts'
import { latitude, longitude, asGeoJson } from '../db/postgis.ts'
import { Invalid, NotFound } from '../errors.ts'
import { readPlaceContacts } from '../people/queries.ts'
import { maskName } from '../people/rules.ts'
import { daysOverdue, type DangerDates } from './rules.ts'

type Db = Kysely<Database>

/** The hidden-danger ledger's repository: places, dangers, photos, rates and the other registers. */

// ---------------------------------------------------------------- hidden dangers

function selectDangers(db: Db) {
  return db
    .selectFrom('hidden_dangers as d')
    .leftJoin('safety_places as sp', 'sp.id', 'd.place_id')
    .leftJoin('facilities as f', 'f.id', 'd.facility_id')
    .leftJoin('admin_areas as a', (join) => join.on(sql`a.code`, '=', sql`coalesce(sp.admin_code, f.admin_code)`))
    .select([
      'd.id',
      'd.place_id',
      'd.place_name',
      'sp.kind as place_kind',
      'a.code as admin_code',
      'a.name as admin_name',
      'd.found_on',
      'd.source',
      'd.description',
      'd.level',
      'd.status',
      'd.deadline',
      'd.rectifying_on',
      'd.rectified_on',
      'd.supervised',
      'd.supervised_by',
      'd.responsible_name',
      'd.sanction',
      'd.inspection_id',
    ])
    .select(() => [
      sql<number | null>`${longitude(sql`coalesce(d.geom, sp.geom, f.geom)`)}`.as('lon'),
      sql<number | null>`${latitude(sql`coalesce(d.geom, sp.geom, f.geom)`)}`.as('lat'),
    ])
}
type DangerRow = Awaited<ReturnType<ReturnType<typeof selectDangers>['executeTakeFirstOrThrow']>>

function toDanger(row: DangerRow, principal: Principal | undefined, today: string, photos: HiddenDanger['photos']): HiddenDanger {
  const full = row.admin_code ? canSeePersonalData(principal, row.admin_code) : principal?.role === 'admin'
  const overdueDays = daysOverdue({ status: row.status, deadline: row.deadline }, today)
  return {
    id: row.id,
    placeId: row.place_id,
    placeName: row.place_name,
    placeKind: row.place_kind ?? null,
    adminCode: row.admin_code ?? null,
    adminName: row.admin_name ?? null,
    foundOn: row.found_on,
    source: row.source,
    description: row.description,
    level: row.level,
    status: row.status,
    deadline: row.deadline,
    rectifyingOn: row.rectifying_on,
    rectifiedOn: row.rectified_on,
    supervised: row.supervised,
    supervisedBy: row.supervised_by,
    responsibleName: full ? row.responsible_name : maskName(row.responsible_name),
    personalMasked: !full && row.responsible_name !== null,
    sanction: row.sanction,
    inspectionId: row.inspection_id,
    overdue: overdueDays > 0,
    daysOverdue: overdueDays,
    photos,
    longitude: row.lon === null ? null : Number(row.lon),
    latitude: row.lat === null ? null : Number(row.lat),
  }
}

async function photosOf(db: Db, ids: readonly number[]): Promise<Map<number, HiddenDanger['photos']>> {
  const map = new Map<number, HiddenDanger['photos']>()
  if (ids.length === 0) return map
  const rows = await db
    .selectFrom('hidden_danger_photos')
    .select(['id', 'hidden_danger_id', 'phase', 'content_type', 'byte_size', 'uploaded_at'])
    .where('hidden_danger_id', 'in', [...ids])
    .orderBy('id')
    .execute()
  for (const row of rows) {
    const list = map.get(row.hidden_danger_id) ?? []
    list.push({
      id: row.id,
      phase: row.phase,
      contentType: row.content_type,
      byteSize: row.byte_size,
      uploadedAt: row.uploaded_at.toISOString(),
    })
    map.set(row.hidden_danger_id, list)
  }
  return map
}

export async function listDangers(
  db: Db,
  principal: Principal | undefined,
  filter: HiddenDangerListQuery,
  today: string,
  order: 'recent' | 'oldest_deadline' = 'recent',
): Promise<{ dangers: HiddenDanger[]; total: number }> {
  let query = selectDangers(db)
  if (filter.status) query = query.where('d.status', '=', filter.status)
  if (filter.level) query = query.where('d.level', '=', filter.level)
  if (filter.source) query = query.where('d.source', '=', filter.source)
  if (filter.placeKind) query = query.where('sp.kind', '=', filter.placeKind)
  if (filter.placeId) query = query.where('d.place_id', '=', filter.placeId)
  if (filter.adminCode) query = query.where('a.code', '=', filter.adminCode)
  if (filter.supervised !== undefined) query = query.where('d.supervised', '=', filter.supervised)
  if (filter.from) query = query.where('d.found_on', '>=', filter.from)
  if (filter.to) query = query.where('d.found_on', '<=', filter.to)
  if (filter.q)
    query = query.where((eb) => eb.or([eb('d.description', 'like', `%${filter.q}%`), eb('d.place_name', 'like', `%${filter.q}%`)]))
  if (filter.overdue === true) query = query.where('d.status', '<>', 'rectified').where('d.deadline', '<', today)
  if (filter.overdue === false)
    query = query.where((eb) => eb.or([eb('d.status', '=', 'rectified'), eb('d.deadline', 'is', null), eb('d.deadline', '>=', today)]))
  const { n } = await db
    .selectFrom(query.as('q'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  query =
    order === 'oldest_deadline'
      ? query.orderBy('d.deadline', 'asc').orderBy('d.id')
      : query.orderBy('d.found_on', 'desc').orderBy('d.id', 'desc')
  const rows = await query.limit(filter.limit ?? 1000).execute()
  const photos = await photosOf(
    db,
    rows.map((row) => row.id),
  )
  return { dangers: rows.map((row) => toDanger(row, principal, today, photos.get(row.id) ?? [])), total: Number(n) }
}

export async function findDanger(db: Db, principal: Principal | undefined, id: number, today: string): Promise<HiddenDanger> {
  const row = await selectDangers(db).where('d.id', '=', id).executeTakeFirst()
  if (!row) throw new NotFound(`No hidden danger ${id}.`)
  return toDanger(row, principal, today, (await photosOf(db, [id])).get(id) ?? [])
}

/** The stored record's status and dates (locked for the write), with its place's village. */
export async function dangerDates(trx: Db, id: number): Promise<DangerDates & { adminCode: string | null }> {
  const row = await trx
    .selectFrom('hidden_dangers as d')
    .leftJoin('safety_places as sp', 'sp.id', 'd.place_id')
    .leftJoin('facilities as f', 'f.id', 'd.facility_id')
    .select(['d.status', 'd.found_on', 'd.deadline', 'd.rectifying_on', 'd.rectified_on', 'd.supervised', 'd.supervised_by'])
    .select(sql<string | null>`coalesce(sp.admin_code, f.admin_code)`.as('admin_code'))
    .where('d.id', '=', id)
    .forUpdate('d')
    .executeTakeFirst()
  if (!row) throw new NotFound(`No hidden danger ${id}.`)
  return {
    status: row.status,
    foundOn: row.found_on,
    deadline: row.deadline,
    rectifyingOn: row.rectifying_on,
    rectifiedOn: row.rectified_on,
    supervised: row.supervised,
    supervisedBy: row.supervised_by,
    adminCode: row.admin_code,
  }
}

export async function placeForWrite(
  trx: Db,
  placeId: number,
  /** The place is the thing addressed (PATCH /places/:id): a missing one is 404, not a bad reference. */
  addressed = false,
): Promise<{ id: number; name: string; adminCode: string | null; facilityId: number | null; responsibleName: string | null }> {
  const row = await trx
    .selectFrom('safety_places')
    .select(['id', 'name', 'admin_code', 'facility_id', 'responsible_name'])
    .where('id', '=', placeId)
    .forUpdate()
    .executeTakeFirst()
  if (!row && addressed) throw new NotFound(`No place ${placeId}.`)
  if (!row) throw new Invalid(`No place ${placeId}.`, { issues: [{ path: ['placeId'], message: 'no such place' }] })
  return { id: row.id, name: row.name, adminCode: row.admin_code, facilityId: row.facility_id, responsibleName: row.responsible_name }
}

/**
 * A new place's administrative village: the one given, else its natural village's; the natural
 * village and facility named must exist (and the natural village lie in the village given).
 */
export async function placeScope(
  trx: Db,
  input: { adminCode?: string | undefined; naturalVillageId?: number | undefined; facilityId?: number | undefined },
): Promise<string | null> {
  let adminCode = input.adminCode ?? null
  if (input.adminCode !== undefined) {
    const area = await trx.selectFrom('admin_areas').select('code').where('code', '=', input.adminCode).executeTakeFirst()
    if (!area)
      throw new Invalid(`No administrative village ${input.adminCode}.`, { issues: [{ path: ['adminCode'], message: 'no such village' }] })
  }
  if (input.naturalVillageId !== undefined) {
    const village = await trx
      .selectFrom('natural_villages')
      .select('admin_code')
      .where('id', '=', input.naturalVillageId)
      .executeTakeFirst()
    if (!village)
      throw new Invalid(`No natural village ${input.naturalVillageId}.`, {
        issues: [{ path: ['naturalVillageId'], message: 'no such village' }],
      })
    if (adminCode !== null && village.admin_code !== adminCode)
      throw new Invalid('The natural village lies in another administrative village.', {
        issues: [{ path: ['naturalVillageId'], message: `not in ${adminCode}` }],
      })
    adminCode = village.admin_code
  }
  if (input.facilityId !== undefined) {
    const facility = await trx.selectFrom('facilities').select('id').where('id', '=', input.facilityId).executeTakeFirst()
    if (!facility)
      throw new Invalid(`No facility ${input.facilityId}.`, { issues: [{ path: ['facilityId'], message: 'no such facility' }] })
  }
  return adminCode
}

export async function insertDanger(trx: Db, input: HiddenDangerCreate, place: Awaited<ReturnType<typeof placeForWrite>>): Promise<number> {
  const row = await trx
    .insertInto('hidden_dangers')
    .values({
      place_id: place.id,
      facility_id: place.facilityId,
      place_name: place.name,
      found_on: input.foundOn,
      source: input.source,
      description: input.description,
      level: input.level,
      status: 'open',
      deadline: input.deadline ?? null,
      rectified_on: null,
      supervised: input.supervised ?? false,
      supervised_by: input.supervisedBy ?? null,
      responsible_name: input.responsibleName ?? place.responsibleName,
      sanction: null,
      inspection_id: input.inspectionId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function updateDanger(
  trx: Db,
  id: number,
  values: Partial<DangerDates> & {
    source?: HiddenDanger['source']
    description?: string
    level?: HiddenDanger['level']
    responsibleName?: string | null
  },
): Promise<void> {
  await trx
    .updateTable('hidden_dangers')
    .set({
      ...(values.status === undefined ? {} : { status: values.status }),
      ...(values.foundOn === undefined ? {} : { found_on: values.foundOn }),
      ...(values.deadline === undefined ? {} : { deadline: values.deadline }),
      ...(values.rectifyingOn === undefined ? {} : { rectifying_on: values.rectifyingOn }),
      ...(values.rectifiedOn === undefined ? {} : { rectified_on: values.rectifiedOn }),
      ...(values.supervised === undefined ? {} : { supervised: values.supervised }),
      ...(values.supervisedBy === undefined ? {} : { supervised_by: values.supervisedBy }),
      ...(values.source === undefined ? {} : { source: values.source }),
      ...(values.description === undefined ? {} : { description: values.description }),
      ...(values.level === undefined ? {} : { level: values.level }),
      ...(values.responsibleName === undefined ? {} : { responsible_name: values.responsibleName }),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute()
}

export async function deleteDanger(trx: Db, id: number): Promise<void> {
  await trx.deleteFrom('hidden_dangers').where('id', '=', id).execute()
}

// ---------------------------------------------------------------- photos

export async function insertPhoto(
  trx: Db,
  dangerId: number,
  phase: 'before' | 'after',
  contentType: string,
  bytes: Uint8Array,
  by: string,
): Promise<number> {
  const row = await trx
    .insertInto('hidden_danger_photos')
    .values({
      hidden_danger_id: dangerId,
      phase,
      content_type: contentType,
      byte_size: bytes.byteLength,
      bytes: Buffer.from(bytes),
      uploaded_by: by,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function readPhoto(db: Db, id: number): Promise<{ contentType: string; bytes: Buffer }> {
  const row = await db.selectFrom('hidden_danger_photos').select(['content_type', 'bytes']).where('id', '=', id).executeTakeFirst()
  if (!row) throw new NotFound(`No photo ${id}.`)
  return { contentType: row.content_type, bytes: row.bytes }
}

// ---------------------------------------------------------------- places

function selectPlaces(db: Db, today: string) {
  return db
    .selectFrom('safety_places as sp')
    .leftJoin('admin_areas as a', 'a.code', 'sp.admin_code')
    .leftJoin('natural_villages as v', 'v.id', 'sp.natural_village_id')
    .select([
      'sp.id',
      'sp.code',
      'sp.name',
      'sp.kind',
      'sp.facility_id',
      'sp.admin_code',
      'a.name as admin_name',
      'sp.natural_village_id',
      'v.name as village_name',
      'sp.industry',
    ])
    .select(() => [
      longitude(sql`sp.geom`).as('lon'),
      latitude(sql`sp.geom`).as('lat'),
      sql<number>`(SELECT count(*) FROM hidden_dangers d WHERE d.place_id = sp.id AND d.status <> 'rectified')`.as('open_dangers'),
      sql<number>`(SELECT count(*) FROM hidden_dangers d WHERE d.place_id = sp.id AND d.status <> 'rectified' AND d.deadline < ${today})`.as(
        'overdue_dangers',
      ),
    ])
}
type PlaceRow = Awaited<ReturnType<ReturnType<typeof selectPlaces>['executeTakeFirstOrThrow']>>

async function toPlaces(db: Db, principal: Principal | undefined, rows: PlaceRow[]): Promise<SafetyPlace[]> {
  const contacts = await readPlaceContacts(
    db,
    principal,
    rows.map((row) => ({ id: row.id, adminCode: row.admin_code })),
  )
  return rows.map((row) => {
    const contact = contacts.get(row.id)
    return {
      id: row.id,
      code: row.code,
      name: row.name,
      kind: row.kind,
      facilityId: row.facility_id,
      adminCode: row.admin_code,
      adminName: row.admin_name ?? null,
      naturalVillageId: row.natural_village_id,
      naturalVillageName: row.village_name ?? null,
      industry: row.industry,
      responsibleName: contact?.responsibleName ?? null,
      responsiblePhone: contact?.responsiblePhone ?? null,
      personalMasked: contact?.masked ?? false,
      longitude: Number(row.lon),
      latitude: Number(row.lat),
      openDangers: Number(row.open_dangers),
      overdueDangers: Number(row.overdue_dangers),
    }
  })
}

export async function listPlaces(
  db: Db,
  principal: Principal | undefined,
  filter: { kind?: SafetyPlace['kind'] | undefined; adminCode?: string | undefined; q?: string | undefined },
  today: string,
): Promise<SafetyPlace[]> {
  let query = selectPlaces(db, today)
  if (filter.kind) query = query.where('sp.kind', '=', filter.kind)
  if (filter.adminCode) query = query.where('sp.admin_code', '=', filter.adminCode)
  if (filter.q) query = query.where('sp.name', 'like', `%${filter.q}%`)
  return toPlaces(db, principal, await query.orderBy('sp.code').execute())
}

export async function findPlace(db: Db, principal: Principal | undefined, id: number, today: string): Promise<SafetyPlace> {
  const row = await selectPlaces(db, today).where('sp.id', '=', id).executeTakeFirst()
  if (!row) throw new NotFound(`No place ${id}.`)
  return (await toPlaces(db, principal, [row]))[0]!
}

// ---------------------------------------------------------------- rates, map

/** Found, rectified, open and overdue per administrative village and per kind of place, for dangers found in the period. */
export async function rectificationRates(db: Db, period: { from?: string | undefined; to?: string | undefined }, today: string) {
  type Counts = { key: string | null; label: string | null; found: number; rectified: number; open: number; overdue: number }
  const from = sql`
    FROM hidden_dangers d
    LEFT JOIN safety_places sp ON sp.id = d.place_id
    LEFT JOIN facilities f ON f.id = d.facility_id
    LEFT JOIN admin_areas a ON a.code = coalesce(sp.admin_code, f.admin_code)
    WHERE d.found_on >= ${period.from ?? '1900-01-01'} AND d.found_on <= ${period.to ?? '2999-12-31'}`
  const counts = sql`count(*)::int AS found,
      count(*) FILTER (WHERE d.status = 'rectified')::int AS rectified,
      count(*) FILTER (WHERE d.status <> 'rectified')::int AS open,
      count(*) FILTER (WHERE d.status <> 'rectified' AND d.deadline < ${today})::int AS overdue`
  const villages =
    await sql<Counts>`SELECT a.code AS key, a.name AS label, ${counts} ${from} GROUP BY a.code, a.name ORDER BY a.code`.execute(db)
  const kinds = await sql<Counts>`SELECT sp.kind AS key, NULL AS label, ${counts} ${from} GROUP BY sp.kind ORDER BY sp.kind`.execute(db)
  const rate = (row: Counts, label: LedgerText): RectificationRate => ({
    key: row.key ?? 'none',
    label,
    found: row.found,
    rectified: row.rectified,
    open: row.open,
    overdue: row.overdue,
    rate: row.found === 0 ? null : row.rectified / row.found,
  })
  return {
    byVillage: villages.rows.map((row) => rate(row, row.label ?? ledgerPhrase('village_unlocated', {}))),
    byPlaceKind: kinds.rows.map((row) =>
      rate(row, row.key ? ledgerPhrase('enum_value', { value: row.key }) : ledgerPhrase('place_unregistered', {})),
    ),
  }
}

/**
 * Open hidden dangers (not rectified) as GeoJSON for the staff map layer: level, status,
 * overdue — no names. Written by PostGIS, joined as text.
 */
export async function openDangerFeatures(db: Db, today: string): Promise<string> {
  const { rows } = await sql<{ feature: string }>`
    SELECT '{"type":"Feature","id":' || d.id || ',"geometry":' || ${asGeoJson(sql`coalesce(d.geom, sp.geom, f.geom)`)}
      || ',"properties":' || json_build_object(
        'id', d.id, 'placeId', d.place_id, 'placeName', d.place_name, 'description', d.description, 'level', d.level,
        'status', d.status, 'deadline', d.deadline, 'foundOn', d.found_on, 'supervised', d.supervised,
        'overdue', (d.deadline IS NOT NULL AND d.deadline < ${today}))::text || '}' AS feature
    FROM hidden_dangers d
    LEFT JOIN safety_places sp ON sp.id = d.place_id
    LEFT JOIN facilities f ON f.id = d.facility_id
    WHERE d.status <> 'rectified' AND coalesce(d.geom, sp.geom, f.geom) IS NOT NULL
    ORDER BY d.id`.execute(db)
  return `{"type":"FeatureCollection","features":[${rows.map((row) => row.feature).join(',')}]}`
}

// ---------------------------------------------------------------- the other registers

const periodWhere = (column: string, period: { from: string; to: string }) =>
  sql`${sql.ref(column)} >= ${period.from} AND ${sql.ref(column)} <= ${period.to}`

/** One register's rows in the period, in the common row shape (no personal data). */
export async function listRecords(db: Db, kind: LedgerRecordKind, period: { from: string; to: string }): Promise<LedgerRow[]> {
  type Raw = {
    id: number
    date: string | null
    title: LedgerText
    place_id: number | null
    place_name: string | null
    detail: LedgerText | null
    status: string | null
    value: number | null
  }
  /** A row as SQL gives it, before the server's words become phrases. */
  type Selected<Extra = object> = Omit<Raw, 'title' | 'detail'> & { title: string; detail: string | null } & Extra
  let rows: Raw[]
  switch (kind) {
    case 'inspections':
      rows = (
        await sql<Selected>`
          SELECT i.id, i.inspected_on::text AS date, i.leader AS title, NULL::int AS place_id,
            (SELECT string_agg(sp.name, '、' ORDER BY sp.name) FROM safety_inspection_places ip JOIN safety_places sp ON sp.id = ip.place_id WHERE ip.inspection_id = i.id) AS place_name,
            i.notes AS detail, i.led_by AS status,
            (SELECT count(*)::int FROM hidden_dangers d WHERE d.inspection_id = i.id) AS value
          FROM safety_inspections i WHERE ${periodWhere('i.inspected_on', period)} ORDER BY i.inspected_on, i.id`.execute(db)
      ).rows.map((row) => ({ ...row, title: ledgerPhrase('inspection_led_by', { leader: row.title }) }))
      break
    case 'self_checks':
      rows = (
        await sql<Selected>`
          SELECT c.id, c.checked_on::text AS date, NULL AS title, sp.id AS place_id, f.name AS place_name, NULL AS detail, NULL AS status,
            (SELECT count(*)::int FROM hidden_dangers d WHERE d.facility_id = c.facility_id AND d.source = 'self_check' AND d.found_on = c.checked_on) AS value
          FROM enterprise_self_checks c JOIN facilities f ON f.id = c.facility_id LEFT JOIN safety_places sp ON sp.facility_id = f.id
          WHERE ${periodWhere('c.checked_on', period)} ORDER BY c.checked_on, c.id`.execute(db)
      ).rows.map((row) => ({ ...row, title: ledgerPhrase('enterprise_self_check', {}) }))
      break
    case 'sanctions':
      rows = (
        await sql<Selected>`
          SELECT s.id, s.imposed_on::text AS date, s.kind AS title, sp.id AS place_id, sp.name AS place_name, s.note AS detail, s.kind AS status, NULL::int AS value
          FROM safety_sanctions s JOIN safety_places sp ON sp.id = s.place_id
          WHERE ${periodWhere('s.imposed_on', period)} ORDER BY s.imposed_on, s.id`.execute(db)
      ).rows.map((row) => ({ ...row, title: ledgerPhrase('enum_value', { value: row.title }) }))
      break
    case 'hazardous_operations':
      rows = (
        await sql<Selected<{ description: string; starts_on: string; ends_on: string }>>`
          SELECT o.id, o.filed_on::text AS date, o.kind AS title, sp.id AS place_id, sp.name AS place_name,
            o.description, o.starts_on::text AS starts_on, o.ends_on::text AS ends_on, o.kind AS status, NULL::int AS value
          FROM hazardous_operations o JOIN safety_places sp ON sp.id = o.place_id
          WHERE ${periodWhere('o.filed_on', period)} ORDER BY o.filed_on, o.id`.execute(db)
      ).rows.map(({ description, starts_on, ends_on, ...row }) => ({
        ...row,
        title: ledgerPhrase('enum_value', { value: row.title }),
        detail: ledgerPhrase('operation_window', { description, from: starts_on, to: ends_on }),
      }))
      break
    case 'supervisory_visits':
      rows = (
        await sql<Raw>`
          SELECT v.id, v.visited_on::text AS date, v.visited_by AS title, sp.id AS place_id, sp.name AS place_name, v.notes AS detail, NULL AS status, NULL::int AS value
          FROM supervisory_visits v JOIN safety_places sp ON sp.id = v.place_id
          WHERE ${periodWhere('v.visited_on', period)} ORDER BY v.visited_on, v.id`.execute(db)
      ).rows
      break
    case 'publicity':
      rows = (
        await sql<Selected<{ leaflets: number; people_advised: number; people_trained: number }>>`
          SELECT e.id, e.held_on::text AS date, e.title, NULL::int AS place_id, e.location AS place_name,
            e.leaflets, e.people_advised, e.people_trained, e.kind AS status,
            (e.leaflets + e.people_advised + e.people_trained)::int AS value
          FROM publicity_events e WHERE ${periodWhere('e.held_on', period)} ORDER BY e.held_on, e.id`.execute(db)
      ).rows.map(({ leaflets, people_advised, people_trained, ...row }) => ({
        ...row,
        detail: ledgerPhrase('publicity_counts', { leaflets, advised: people_advised, trained: people_trained }),
      }))
      break
    case 'inspectors':
      rows = (
        await sql<Selected<{ active_to: string | null }>>`
          SELECT i.id, i.active_from::text AS date, i.name AS title, NULL::int AS place_id, NULL AS place_name,
            i.active_to::text AS active_to, i.employment AS status, NULL::int AS value
          FROM safety_inspectors i WHERE i.active_from <= ${period.to} AND (i.active_to IS NULL OR i.active_to >= ${period.from})
          ORDER BY i.active_from, i.id`.execute(db)
      ).rows.map(({ active_to, ...row }) => ({
        ...row,
        detail: active_to === null ? ledgerPhrase('inspector_in_post', {}) : ledgerPhrase('inspector_until', { date: active_to }),
      }))
      break
  }
  const editable = (editableRecordKinds as readonly string[]).includes(kind)
  const records = editable
    ? await recordValuesOf(
        db,
        kind as EditableRecordKind,
        rows.map((row) => row.id),
      )
    : new Map<number, LedgerRecordValues>()
  return rows.map((row) => ({
    id: row.id,
    kind,
    date: row.date,
    title: row.title,
    placeId: row.place_id,
    placeName: row.place_name,
    detail: row.detail,
    status: row.status,
    value: row.value,
    ...(editable ? { record: records.get(row.id)! } : {}),
  }))
}

/** Inserts one register row (validated by its schema and the place's existence). */
export async function insertRecord(trx: Db, input: LedgerRecordCreate): Promise<number> {
  switch (input.kind) {
    case 'inspections': {
      const r = input.record
      for (const placeId of r.placeIds) await placeForWrite(trx, placeId)
      const row = await trx
        .insertInto('safety_inspections')
        .values({
          code: null,
          inspected_on: r.inspectedOn,
          led_by: r.ledBy,
          leader: r.leader,
          team: r.team ?? null,
          notes: r.notes ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx
        .insertInto('safety_inspection_places')
        .values(r.placeIds.map((placeId) => ({ inspection_id: row.id, place_id: placeId })))
        .execute()
      return row.id
    }
    case 'sanctions': {
      const r = input.record
      await placeForWrite(trx, r.placeId)
      const row = await trx
        .insertInto('safety_sanctions')
        .values({
          place_id: r.placeId,
          imposed_on: r.imposedOn,
          kind: r.kind,
          hidden_danger_id: r.hiddenDangerId ?? null,
          note: r.note ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    }
    case 'hazardous_operations': {
      const r = input.record
      await placeForWrite(trx, r.placeId)
      const row = await trx
        .insertInto('hazardous_operations')
        .values({
          place_id: r.placeId,
          filed_on: r.filedOn,
          kind: r.kind,
          starts_on: r.startsOn,
          ends_on: r.endsOn,
          description: r.description,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    }
    case 'supervisory_visits': {
      const r = input.record
      await placeForWrite(trx, r.placeId)
      const row = await trx
        .insertInto('supervisory_visits')
        .values({ place_id: r.placeId, visited_on: r.visitedOn, visited_by: r.visitedBy, notes: r.notes ?? null })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    }
    case 'publicity': {
      const r = input.record
      const row = await trx
        .insertInto('publicity_events')
        .values({
          held_on: r.heldOn,
          kind: r.kind,
          title: r.title,
          location: r.location,
          natural_village_id: r.naturalVillageId ?? null,
          leaflets: r.leaflets ?? 0,
          people_advised: r.peopleAdvised ?? 0,
          people_trained: r.peopleTrained ?? 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    }
    case 'self_checks': {
      const place = await placeForWrite(trx, input.record.placeId)
      if (place.facilityId === null)
        throw new Invalid('A self-check is filed by an enterprise with a facility record.', {
          issues: [{ path: ['record', 'placeId'], message: 'not an enterprise' }],
        })
      const row = await trx
        .insertInto('enterprise_self_checks')
        .values({ facility_id: place.facilityId, checked_on: input.record.checkedOn })
        .returning('id')
        .executeTakeFirstOrThrow()
      return row.id
    }
  }
}

// ---------------------------------------------------------------- correcting and deleting register rows

/** Each editable register's table and its columns by the API's field names (a whitelist: identifiers never come from a request). */
const registers: Record<EditableRecordKind, { table: string; columns: Record<string, string> }> = {
  inspections: {
    table: 'safety_inspections',
    columns: { inspectedOn: 'inspected_on', ledBy: 'led_by', leader: 'leader', team: 'team', notes: 'notes' },
  },
  sanctions: {
    table: 'safety_sanctions',
    columns: { placeId: 'place_id', imposedOn: 'imposed_on', kind: 'kind', hiddenDangerId: 'hidden_danger_id', note: 'note' },
  },
  hazardous_operations: {
    table: 'hazardous_operations',
    columns: {
      placeId: 'place_id',
      filedOn: 'filed_on',
      kind: 'kind',
      startsOn: 'starts_on',
      endsOn: 'ends_on',
      description: 'description',
    },
  },
  supervisory_visits: {
    table: 'supervisory_visits',
    columns: { placeId: 'place_id', visitedOn: 'visited_on', visitedBy: 'visited_by', notes: 'notes' },
  },
  publicity: {
    table: 'publicity_events',
    columns: {
      heldOn: 'held_on',
      kind: 'kind',
      title: 'title',
      location: 'location',
      naturalVillageId: 'natural_village_id',
      leaflets: 'leaflets',
      peopleAdvised: 'people_advised',
      peopleTrained: 'people_trained',
    },
  },
  self_checks: { table: 'enterprise_self_checks', columns: { checkedOn: 'checked_on' } },
}

/** The table an editable register is stored in (for the events port). */
export const registerTable = (kind: EditableRecordKind): string => registers[kind].table

/**
 * Register rows' stored values by id, named as the create schema names them (dates as
 * `YYYY-MM-DD`); an inspection carries its places, a self-check the place of its enterprise.
 */
export async function recordValuesOf(db: Db, kind: EditableRecordKind, ids: readonly number[]): Promise<Map<number, LedgerRecordValues>> {
  const values = new Map<number, LedgerRecordValues>()
  if (ids.length === 0) return values
  const { table, columns } = registers[kind]
  const derived =
    kind === 'inspections'
      ? sql`, coalesce((SELECT array_agg(ip.place_id ORDER BY ip.place_id) FROM safety_inspection_places ip WHERE ip.inspection_id = t.id), '{}') AS "placeIds"`
      : kind === 'self_checks'
        ? sql`, (SELECT min(sp.id) FROM safety_places sp WHERE sp.facility_id = t.facility_id) AS "placeId"`
        : sql``
  const { rows } = await sql<Record<string, unknown> & { id: number }>`
    SELECT t.id, ${sql.join(Object.entries(columns).map(([field, column]) => sql`${sql.ref(`t.${column}`)} AS ${sql.ref(field)}`))} ${derived}
    FROM ${sql.table(table)} t WHERE t.id IN (${sql.join([...ids])}) ORDER BY t.id`.execute(db)
  for (const { id, ...row } of rows) {
    const record: LedgerRecordValues = {}
    for (const [field, value] of Object.entries(row))
      record[field] =
        value instanceof Date
          ? value.toISOString().slice(0, 10)
          : Array.isArray(value)
            ? value.map(Number)
            : (value as string | number | null)
    values.set(id, record)
  }
  return values
}

/** One register row's stored values, locked for the write; 404 when there is none. */
export async function recordForWrite(trx: Db, kind: EditableRecordKind, id: number): Promise<LedgerRecordValues> {
  await sql`SELECT 1 FROM ${sql.table(registers[kind].table)} WHERE id = ${id} FOR UPDATE`.execute(trx)
  const record = (await recordValuesOf(trx, kind, [id])).get(id)
  if (!record) throw new NotFound(`No ${kind} record ${id}.`)
  return record
}

/**
 * The rows a register row cites must exist: its places (400, like an unknown place of a new
 * danger), the hidden danger a sanction follows (and it must be that place's), the natural
 * village of a publicity event.
 */
export async function checkRecordReferences(trx: Db, record: LedgerRecordValues): Promise<void> {
  const hiddenDangerId = record.hiddenDangerId
  if (typeof hiddenDangerId === 'number') {
    const danger = await trx.selectFrom('hidden_dangers').select('place_id').where('id', '=', hiddenDangerId).executeTakeFirst()
    if (!danger)
      throw new Invalid(`No hidden danger ${hiddenDangerId}.`, {
        issues: [{ path: 'record.hiddenDangerId', message: 'no such hidden danger' }],
      })
    if (typeof record.placeId === 'number' && danger.place_id !== null && danger.place_id !== record.placeId)
      throw new Invalid(`Hidden danger ${hiddenDangerId} was found at another place.`, {
        issues: [{ path: 'record.hiddenDangerId', message: 'found at another place' }],
      })
  }
  const naturalVillageId = record.naturalVillageId
  if (typeof naturalVillageId === 'number') {
    const village = await trx.selectFrom('natural_villages').select('id').where('id', '=', naturalVillageId).executeTakeFirst()
    if (!village)
      throw new Invalid(`No natural village ${naturalVillageId}.`, {
        issues: [{ path: 'record.naturalVillageId', message: 'no such village' }],
      })
  }
}

/** The administrative villages a register row belongs to (its places', or its natural village's); `[null]` for the whole town's. */
export async function recordVillages(trx: Db, record: LedgerRecordValues): Promise<(string | null)[]> {
  const placeIds = Array.isArray(record.placeIds) ? record.placeIds : typeof record.placeId === 'number' ? [record.placeId] : []
  if (placeIds.length > 0) {
    const villages: (string | null)[] = []
    for (const placeId of placeIds) villages.push((await placeForWrite(trx, placeId)).adminCode)
    return villages
  }
  if (typeof record.naturalVillageId === 'number') {
    const village = await trx
      .selectFrom('natural_villages')
      .select('admin_code')
      .where('id', '=', record.naturalVillageId)
      .executeTakeFirst()
    return [village?.admin_code ?? null]
  }
  return [null]
}

/** Writes a register row's corrected values (the patch already merged and checked). */
export async function updateRecord(trx: Db, kind: EditableRecordKind, id: number, patch: LedgerRecordValues): Promise<void> {
  const { table, columns } = registers[kind]
  const assignments = Object.entries(patch)
    .filter(([field]) => field in columns)
    .map(([field, value]) => sql`${sql.ref(columns[field]!)} = ${value}`)
  if (kind === 'self_checks' && typeof patch.placeId === 'number') {
    const place = await placeForWrite(trx, patch.placeId)
    if (place.facilityId === null)
      throw new Invalid('A self-check is filed by an enterprise with a facility record.', {
        issues: [{ path: 'placeId', message: 'not an enterprise' }],
      })
    assignments.push(sql`facility_id = ${place.facilityId}`)
  }
  if (assignments.length > 0) await sql`UPDATE ${sql.table(table)} SET ${sql.join(assignments)} WHERE id = ${id}`.execute(trx)
  if (kind === 'inspections' && Array.isArray(patch.placeIds)) {
    await trx.deleteFrom('safety_inspection_places').where('inspection_id', '=', id).execute()
    await trx
      .insertInto('safety_inspection_places')
      .values(patch.placeIds.map((placeId) => ({ inspection_id: id, place_id: placeId })))
      .execute()
  }
}

/** Deletes a register row (an inspection's places go with it; dangers and sanctions citing it keep their rows, the link cleared). */
export async function deleteRecord(trx: Db, kind: EditableRecordKind, id: number): Promise<void> {
  await sql`DELETE FROM ${sql.table(registers[kind].table)} WHERE id = ${id}`.execute(trx)
}

// ---------------------------------------------------------------- a place's audit record and deletion

/** The ledger rows that cite a place, by register (a place with any cannot be deleted). */
export async function placeReferences(trx: Db, id: number): Promise<Record<string, number>> {
  const { rows } = await sql<Record<string, string>>`
    SELECT (SELECT count(*) FROM hidden_dangers WHERE place_id = ${id}) AS hidden_dangers,
           (SELECT count(*) FROM safety_inspection_places WHERE place_id = ${id}) AS inspections,
           (SELECT count(*) FROM safety_sanctions WHERE place_id = ${id}) AS sanctions,
           (SELECT count(*) FROM hazardous_operations WHERE place_id = ${id}) AS hazardous_operations,
           (SELECT count(*) FROM supervisory_visits WHERE place_id = ${id}) AS supervisory_visits`.execute(trx)
  return Object.fromEntries(
    Object.entries(rows[0]!)
      .map(([register, n]) => [register, Number(n)] as const)
      .filter(([, n]) => n > 0),
  )
}

export async function deleteSafetyPlace(trx: Db, id: number): Promise<void> {
  await trx.deleteFrom('safety_places').where('id', '=', id).execute()
}
