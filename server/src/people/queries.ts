import { sql, type Kysely, type RawBuilder } from 'kysely'
import {
  importTargets,
  vulnerableCategories,
  type ImportIssue,
  type VulnerableCategory,
  type VulnerableCounts,
  type VulnerablePerson,
  type VulnerablePersonInput,
  type SafetyPlaceCreate,
  type SafetyPlaceUpdate,
  type AuditReason,
} from '@riskatlas/shared'
import { writeAudit } from '../audit/queries.ts'
import { assertVillageInScope, canSeePersonalData, personalDataScope, type Principal } from '../auth/scope.ts'
import type { Database } from '../db/schema.ts'
import { latitude, longitude, pointAt } from '../db/postgis.ts'
import { Invalid, NotFound } from '../errors.ts'
import type { LayerImport } from '../imports/layers.ts'
import { columnsOf, registerTable, type PreparedRow } from '../imports/queries.ts'
import { maskName, maskPhone } from './rules.ts'

/**
 * The people capability's repository: the ONE place that reads `vulnerable_people` and the
 * phone numbers of contacts (a source test holds every other module to that). A read that
 * returns names or phones takes the caller, limits itself to the caller's villages and writes
 * its audit row; everything else leaves as counts.
 */
type Db = Kysely<Database>

/** Who reads personal data and why: every such read writes this into the audit log. */
export interface PersonalRead {
  principal: Principal
  /** Why, in the reader's words (`?reason=`), or the view's default. */
  reason: AuditReason
}

export interface PeopleFilter {
  naturalVillageId?: number | undefined
  adminCode?: string | undefined
  withoutResponsible?: boolean | undefined
}

// ------------------------------------------------------------------ rows

const personColumns = [
  'p.id',
  'p.natural_village_id',
  'v.name as village_name',
  'v.admin_code',
  'a.name as admin_name',
  'p.category',
  'p.name',
  'p.phone',
  'p.address',
  'p.mobility_needs',
  'p.responsible_name',
  'p.responsible_phone',
  'p.updated_at',
] as const

function selectPeople(db: Db) {
  return db
    .selectFrom('vulnerable_people as p')
    .innerJoin('natural_villages as v', 'v.id', 'p.natural_village_id')
    .innerJoin('admin_areas as a', 'a.code', 'v.admin_code')
    .select(personColumns)
    .orderBy('v.code')
    .orderBy('p.id')
}

type PersonRow = Awaited<ReturnType<ReturnType<typeof selectPeople>['executeTakeFirstOrThrow']>>

function toPerson(row: PersonRow): VulnerablePerson {
  return {
    id: row.id,
    naturalVillageId: row.natural_village_id,
    naturalVillageName: row.village_name,
    adminCode: row.admin_code,
    adminName: row.admin_name,
    category: row.category,
    name: row.name,
    phone: row.phone,
    address: row.address,
    mobilityNeeds: row.mobility_needs,
    responsibleName: row.responsible_name,
    responsiblePhone: row.responsible_phone,
    updatedAt: row.updated_at.toISOString(),
  }
}

/** People in `scope` (`null` = all administrative villages), narrowed by the filter. Out-of-scope rows are never fetched. */
async function findPeople(db: Db, scope: readonly string[] | null, filter: PeopleFilter & { id?: number }): Promise<VulnerablePerson[]> {
  if (scope && scope.length === 0) return []
  let query = selectPeople(db)
  if (scope) query = query.where('v.admin_code', 'in', [...scope])
  if (filter.naturalVillageId) query = query.where('p.natural_village_id', '=', filter.naturalVillageId)
  if (filter.adminCode) query = query.where('v.admin_code', '=', filter.adminCode)
  if (filter.id) query = query.where('p.id', '=', filter.id)
  if (filter.withoutResponsible)
    query = query.where((eb) => eb.or([eb('p.responsible_name', 'is', null), eb('p.responsible_name', '=', '')]))
  return (await query.execute()).map(toPerson)
}

async function findPerson(db: Db, id: number): Promise<VulnerablePerson> {
  const [person] = await findPeople(db, null, { id })
  if (!person) throw new NotFound(`No vulnerable person ${id}.`)
  return person
}

// ------------------------------------------------------------------ audited reads of names and phones

/** The caller's list (or export) of people, limited to their villages, with its audit row. */
export async function readPeople(
  db: Db,
  read: PersonalRead,
  filter: PeopleFilter,
  action: 'list' | 'export' = 'list',
): Promise<VulnerablePerson[]> {
  const people = await findPeople(db, personalDataScope(read.principal), filter)
  const details =
    action === 'list'
      ? { ids: people.map((p) => p.id), naturalVillageId: filter.naturalVillageId ?? null, adminCode: filter.adminCode ?? null }
      : { ids: people.map((p) => p.id) }
  await writeAudit(db, read.principal, { action, entity: 'vulnerable_people', reason: read.reason, details })
  return people
}

/** One person, if in the caller's villages (403 otherwise), with its audit row. */
export async function readPerson(db: Db, read: PersonalRead, id: number): Promise<VulnerablePerson> {
  const person = await findPerson(db, id)
  assertVillageInScope(read.principal, person.adminCode)
  await writeAudit(db, read.principal, { action: 'read', entity: 'vulnerable_people', entityId: id, reason: read.reason })
  return person
}

/** A vulnerable person as an evacuation card names them. */
export interface CardPerson {
  category: VulnerableCategory
  name: string
  mobilityNeeds: string | null
  responsibleName: string | null
  responsiblePhone: string | null
}

/**
 * Named people per natural village for evacuation cards — only for villages whose
 * administrative village the caller may see personally (absent from the map otherwise) — and
 * one `export` audit row for the cards that name anyone, as a printed card leaves the office.
 */
export async function readPeopleForCards(
  db: Db,
  principal: Principal | undefined,
  villages: readonly { id: number; adminCode: string }[],
): Promise<Map<number, CardPerson[]>> {
  return await readNamedForVillages(db, principal, villages, {
    action: 'export',
    entity: 'evacuation_card',
    reason: 'evacuation_card',
  })
}

/**
 * Named people per natural village for an exposure's evacuation list (转移名单) — the same
 * rule as the cards: only villages the caller may see personally, one audit row (`list` for
 * the on-screen list, `export` for CSV, Excel and the printed page).
 */
export async function readPeopleForEvacuationList(
  db: Db,
  principal: Principal | undefined,
  villages: readonly { id: number; adminCode: string }[],
  action: 'list' | 'export',
): Promise<Map<number, CardPerson[]>> {
  return await readNamedForVillages(db, principal, villages, { action, entity: 'evacuation_list', reason: 'evacuation_list' })
}

async function readNamedForVillages(
  db: Db,
  principal: Principal | undefined,
  villages: readonly { id: number; adminCode: string }[],
  audit: { action: 'list' | 'export'; entity: 'evacuation_card' | 'evacuation_list'; reason: AuditReason },
): Promise<Map<number, CardPerson[]>> {
  const allowed = villages.filter((village) => canSeePersonalData(principal, village.adminCode)).map((village) => village.id)
  const named = new Map<number, CardPerson[]>(allowed.map((id) => [id, []]))
  if (!principal || allowed.length === 0) return named
  const rows = await db
    .selectFrom('vulnerable_people')
    .select(['natural_village_id', 'category', 'name', 'mobility_needs', 'responsible_name', 'responsible_phone'])
    .where('natural_village_id', 'in', allowed)
    .orderBy('natural_village_id')
    .orderBy('category')
    .orderBy('name')
    .execute()
  for (const row of rows) {
    named.get(row.natural_village_id)!.push({
      category: row.category,
      name: row.name,
      mobilityNeeds: row.mobility_needs,
      responsibleName: row.responsible_name,
      responsiblePhone: row.responsible_phone,
    })
  }
  await writeAudit(db, principal, {
    action: audit.action,
    entity: audit.entity,
    entityId: allowed.length === 1 ? allowed[0]! : null,
    reason: audit.reason,
    details: { naturalVillageIds: allowed, people: rows.length },
  })
  return named
}

/** A hazard point's monitor (监测员) and responsible person with their phones: contacts on a card. */
export interface HazardContacts {
  hazardPointId: number
  monitorName: string | null
  monitorPhone: string | null
  responsibleName: string | null
  responsiblePhone: string | null
}

/**
 * The contacts of hazard points with their phone numbers in full. Only for a reader who may
 * see them — the caller masks them otherwise (`maskPhone`) — and covered by that reader's
 * card audit row (`readPeopleForCards`).
 */
export async function hazardContacts(db: Db, hazardIds: readonly number[]): Promise<Map<number, HazardContacts>> {
  if (hazardIds.length === 0) return new Map()
  const rows = await db
    .selectFrom('hazard_points')
    .select(['id', 'monitor_name', 'monitor_phone', 'responsible_name', 'responsible_phone'])
    .where('id', 'in', [...hazardIds])
    .execute()
  return new Map(
    rows.map((row) => [
      row.id,
      {
        hazardPointId: row.id,
        monitorName: row.monitor_name,
        monitorPhone: row.monitor_phone,
        responsibleName: row.responsible_name,
        responsiblePhone: row.responsible_phone,
      },
    ]),
  )
}

// ------------------------------------------------------------------ writes (inside the caller's transaction)

const columns = (input: Partial<VulnerablePersonInput>) => ({
  ...(input.naturalVillageId === undefined ? {} : { natural_village_id: input.naturalVillageId }),
  ...(input.category === undefined ? {} : { category: input.category }),
  ...(input.name === undefined ? {} : { name: input.name }),
  ...(input.phone === undefined ? {} : { phone: input.phone }),
  ...(input.address === undefined ? {} : { address: input.address }),
  ...(input.mobilityNeeds === undefined ? {} : { mobility_needs: input.mobilityNeeds }),
  ...(input.responsibleName === undefined ? {} : { responsible_name: input.responsibleName }),
  ...(input.responsiblePhone === undefined ? {} : { responsible_phone: input.responsiblePhone }),
})

/** The administrative village of a natural village the input names; `Invalid` if there is none. */
async function inputVillage(db: Db, naturalVillageId: number): Promise<string> {
  const row = await db.selectFrom('natural_villages').select('admin_code').where('id', '=', naturalVillageId).executeTakeFirst()
  if (!row) throw new Invalid(`No natural village ${naturalVillageId}.`, { field: 'naturalVillageId' })
  return row.admin_code
}

/** Adds a person in the writer's villages, with its audit row; returns the person as stored. */
export async function addPerson(trx: Db, principal: Principal, input: VulnerablePersonInput): Promise<VulnerablePerson> {
  assertVillageInScope(principal, await inputVillage(trx, input.naturalVillageId))
  const row = await trx
    .insertInto('vulnerable_people')
    .values({ ...columns(input), natural_village_id: input.naturalVillageId, category: input.category, name: input.name })
    .returning('id')
    .executeTakeFirstOrThrow()
  await writeAudit(trx, principal, { action: 'create', entity: 'vulnerable_people', entityId: row.id })
  return findPerson(trx, row.id)
}

/** Changes a person the writer may edit (and may move them only into their own villages). */
export async function changePerson(
  trx: Db,
  principal: Principal,
  id: number,
  patch: Partial<VulnerablePersonInput>,
): Promise<VulnerablePerson> {
  const existing = await findPerson(trx, id)
  assertVillageInScope(principal, existing.adminCode)
  if (patch.naturalVillageId !== undefined && patch.naturalVillageId !== existing.naturalVillageId) {
    assertVillageInScope(principal, await inputVillage(trx, patch.naturalVillageId))
  }
  await trx
    .updateTable('vulnerable_people')
    .set({ ...columns(patch), updated_at: new Date() })
    .where('id', '=', id)
    .execute()
  await writeAudit(trx, principal, { action: 'update', entity: 'vulnerable_people', entityId: id, details: { fields: Object.keys(patch) } })
  return findPerson(trx, id)
}

export async function removePerson(trx: Db, principal: Principal, id: number): Promise<void> {
  const existing = await findPerson(trx, id)
  assertVillageInScope(principal, existing.adminCode)
  await trx.deleteFrom('vulnerable_people').where('id', '=', id).execute()
  await writeAudit(trx, principal, { action: 'delete', entity: 'vulnerable_people', entityId: id })
}

// ------------------------------------------------------------------ counts (no personal data)

const unassigned = sql<boolean>`nullif(btrim(p.responsible_name), '') IS NULL`

/** How many vulnerable people are listed, and how many have no responsible person: two numbers, one row. */
export async function vulnerableGrandTotal(db: Db): Promise<{ listed: number; withoutResponsible: number }> {
  const row = await db
    .selectFrom('vulnerable_people as p')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.countAll<number>().filterWhere(unassigned).as('unassigned')])
    .executeTakeFirstOrThrow()
  return { listed: Number(row.n), withoutResponsible: Number(row.unassigned) }
}

/** Counts per natural village and category — the only form in which vulnerable people leave the office. */
export async function vulnerableCounts(db: Db): Promise<VulnerableCounts[]> {
  const rows = await db
    .selectFrom('natural_villages as v')
    .leftJoin('vulnerable_people as p', 'p.natural_village_id', 'v.id')
    .select((eb) => [
      'v.id',
      'v.name',
      'v.admin_code',
      eb.fn.count<number>('p.id').as('total'),
      eb.fn.count<number>('p.id').filterWhere(unassigned).as('without_responsible'),
      ...vulnerableCategories.map((category) => eb.fn.count<number>('p.id').filterWhere('p.category', '=', category).as(category)),
    ])
    .groupBy(['v.id', 'v.name', 'v.admin_code'])
    .orderBy('v.id')
    .execute()
  return rows.map((r) => ({
    naturalVillageId: r.id,
    naturalVillageName: r.name,
    adminCode: r.admin_code,
    total: Number(r.total),
    withoutResponsible: Number(r.without_responsible),
    byCategory: Object.fromEntries(
      vulnerableCategories.map((category) => [category, Number(r[category])]),
    ) as VulnerableCounts['byCategory'],
  }))
}

/** Per natural village with anyone: how many, how many without a responsible person (包保责任人), by category. */
export interface VillageVulnerableTotals {
  naturalVillageId: number
  total: number
  withoutResponsible: number
  byCategory: Record<VulnerableCategory, number>
}

/** Totals per natural village (only villages that have vulnerable people), optionally for some villages only. */
export async function vulnerableTotals(db: Db, villageIds?: readonly number[]): Promise<Map<number, VillageVulnerableTotals>> {
  const counts = await db
    .selectFrom('vulnerable_people as p')
    .select((eb) => [
      'p.natural_village_id',
      'p.category',
      eb.fn.count<number>('p.id').as('n'),
      eb.fn.count<number>('p.id').filterWhere(unassigned).as('unassigned'),
    ])
    .$if(villageIds !== undefined, (query) => query.where('p.natural_village_id', 'in', villageIds!.length ? [...villageIds!] : [-1]))
    .groupBy(['p.natural_village_id', 'p.category'])
    .execute()
  const totals = new Map<number, VillageVulnerableTotals>()
  for (const row of counts) {
    const entry = totals.get(row.natural_village_id) ?? {
      naturalVillageId: row.natural_village_id,
      total: 0,
      withoutResponsible: 0,
      byCategory: Object.fromEntries(vulnerableCategories.map((category) => [category, 0])) as Record<VulnerableCategory, number>,
    }
    entry.total += Number(row.n)
    entry.withoutResponsible += Number(row.unassigned)
    entry.byCategory[row.category] += Number(row.n)
    totals.set(row.natural_village_id, entry)
  }
  return totals
}

/** The table's row count, keyed by its name (for `/api/health`). */
export async function vulnerablePeopleTableCount(db: Db): Promise<Record<string, number>> {
  const row = await db
    .selectFrom('vulnerable_people')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return { vulnerable_people: Number(row.n) }
}

/** SQL for how many vulnerable people a natural village has (`village` is its id): a count, fit for a public layer. */
export function vulnerableCountOf(village: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`(SELECT count(*) FROM vulnerable_people p WHERE p.natural_village_id = ${village})`
}

// ------------------------------------------------------------------ a warning's contacts (audited)

/** A hazard point's contact as a warning's impact lists them (what the command rings first). */
export interface ImpactContact {
  role: 'monitor' | 'responsible'
  hazardPointId: number
  hazardName: string
  adminCode: string | null
  name: string
  phone: string | null
}

/**
 * The monitors and responsible persons of a warning's hazard points with their phones — only
 * those in administrative villages the caller may see personally — with one `read` audit row
 * naming the warning. `null` for a caller who may see none (viewers, big screens).
 */
export async function readWarningContacts(
  db: Db,
  principal: Principal | undefined,
  warningId: number,
  hazards: readonly { id: number; adminCode: string | null }[],
): Promise<ImpactContact[] | null> {
  if (!principal || personalDataScope(principal)?.length === 0) return null
  const allowed = hazards.filter((h) => h.adminCode !== null && canSeePersonalData(principal, h.adminCode)).map((h) => h.id)
  if (allowed.length === 0) return []
  const rows = await db
    .selectFrom('hazard_points')
    .select(['id', 'name', 'admin_code', 'monitor_name', 'monitor_phone', 'responsible_name', 'responsible_phone'])
    .where('id', 'in', allowed)
    .orderBy('risk_level', 'desc')
    .orderBy('id')
    .execute()
  const contacts: ImpactContact[] = []
  for (const row of rows) {
    const base = { hazardPointId: row.id, hazardName: row.name, adminCode: row.admin_code }
    if (row.responsible_name) contacts.push({ ...base, role: 'responsible', name: row.responsible_name, phone: row.responsible_phone })
    if (row.monitor_name) contacts.push({ ...base, role: 'monitor', name: row.monitor_name, phone: row.monitor_phone })
  }
  await writeAudit(db, principal, {
    action: 'read',
    entity: 'warning',
    entityId: warningId,
    reason: 'warning_contacts',
    details: { hazardPointIds: allowed },
  })
  return contacts
}

/** How many contacts a warning's hazard points have (a count, for everyone). */
export async function contactCount(db: Db, hazardIds: readonly number[]): Promise<number> {
  if (hazardIds.length === 0) return 0
  const row = await db
    .selectFrom('hazard_points')
    .select(
      sql<number>`sum((nullif(btrim(responsible_name), '') IS NOT NULL)::int + (nullif(btrim(monitor_name), '') IS NOT NULL)::int)`.as('n'),
    )
    .where('id', 'in', [...hazardIds])
    .executeTakeFirstOrThrow()
  return Number(row.n ?? 0)
}
// ------------------------------------------------------------------ import (特殊人群台账), through the generic import writer

/**
 * How the 特殊人群 spreadsheet is written: rows resolve their natural village by code (its
 * administrative village is the scope checked); replace mode replaces the lists of the villages
 * the file names, within the importer's scope. The generic writer keeps before images inside
 * the database for undo; nothing of them leaves it.
 */
export const peopleImport: LayerImport = (() => {
  const target = importTargets.vulnerable_people
  const spec = registerTable({
    table: 'vulnerable_people',
    key: null,
    columns: [{ name: 'natural_village_id', type: 'integer' }, ...columnsOf(target.fields.filter((field) => field.key !== 'village_code'))],
    geometryColumns: [],
    adminCode: (alias) =>
      sql<string | null>`(SELECT v.admin_code FROM natural_villages v WHERE v.id = ${sql.ref(`${alias}.natural_village_id`)})`,
  })
  return {
    target,
    spec,
    modes: target.modes,
    async resolve(db, rows) {
      const codes = [...new Set(rows.map((row) => String(row.values.village_code)))]
      const villages = new Map(
        (
          await db
            .selectFrom('natural_villages')
            .select(['id', 'code', 'admin_code'])
            .where('code', 'in', codes.length ? codes : [''])
            .execute()
        ).map((v) => [v.code, v]),
      )
      const issues: ImportIssue[] = []
      const prepared: PreparedRow[] = []
      for (const row of rows) {
        const village = villages.get(String(row.values.village_code))
        if (!village) {
          issues.push({
            row: row.row,
            field: 'village_code',
            code: 'natural_village_unknown',
            params: { value: String(row.values.village_code) },
            severity: 'error',
          })
          continue
        }
        const values = Object.fromEntries(Object.entries(row.values).filter(([key]) => key !== 'village_code'))
        prepared.push({ row: row.row, values: { ...values, natural_village_id: village.id }, adminCode: village.admin_code })
      }
      return { prepared, issues }
    },
    async replaceIds(db, scope, prepared) {
      const villageIds = [...new Set(prepared.map((row) => Number(row.values.natural_village_id)))]
      if (villageIds.length === 0) return []
      let query = db
        .selectFrom('vulnerable_people as p')
        .innerJoin('natural_villages as v', 'v.id', 'p.natural_village_id')
        .select('p.id')
        .where('p.natural_village_id', 'in', villageIds)
      if (scope) query = query.where('v.admin_code', 'in', scope.length ? [...scope] : [''])
      return (await query.execute()).map((row) => row.id)
    },
  }
})()
// ------------------------------------------------------------------ contacts of the safety ledger's places

/** A ledger place's responsible person (企业/场所负责人) as one reader may see them. */
export interface PlaceContact {
  responsibleName: string | null
  responsiblePhone: string | null
  /** True when the name and phone were masked for this reader. */
  masked: boolean
}

/**
 * The responsible people of safety-ledger places, in full for a reader who may see personal
 * data of the place's administrative village (editor in scope, admin), masked (张*明,
 * 138****1234) for everyone else. Revealing any in full writes one `read` audit row.
 */
export async function readPlaceContacts(
  db: Db,
  principal: Principal | undefined,
  places: readonly { id: number; adminCode: string | null }[],
): Promise<Map<number, PlaceContact>> {
  const contacts = new Map<number, PlaceContact>()
  if (places.length === 0) return contacts
  const rows = await db
    .selectFrom('safety_places')
    .select(['id', 'responsible_name', 'responsible_phone'])
    .where(
      'id',
      'in',
      places.map((place) => place.id),
    )
    .execute()
  const byId = new Map(rows.map((row) => [row.id, row]))
  const revealed: number[] = []
  for (const place of places) {
    const row = byId.get(place.id)
    if (!row) continue
    const full = place.adminCode !== null ? canSeePersonalData(principal, place.adminCode) : principal?.role === 'admin'
    if (full) revealed.push(place.id)
    contacts.set(place.id, {
      responsibleName: full ? row.responsible_name : maskName(row.responsible_name),
      responsiblePhone: full ? row.responsible_phone : maskPhone(row.responsible_phone),
      masked: !full && (row.responsible_name !== null || row.responsible_phone !== null),
    })
  }
  if (principal && revealed.length > 0) {
    await writeAudit(db, principal, {
      action: 'read',
      entity: 'safety_place',
      entityId: revealed.length === 1 ? revealed[0]! : null,
      reason: 'ledger_contacts',
      details: { ids: revealed },
    })
  }
  return contacts
}

// ---------------------------------------------------------------- the ledger's places (their responsible person is personal data)

/** Writes a new safety-ledger place (its contact included: the one place that names a contact's phone column). */
export async function insertSafetyPlace(
  trx: Db,
  input: Omit<SafetyPlaceCreate, 'adminCode'> & { adminCode: string | null; code: string },
): Promise<number> {
  const row = await trx
    .insertInto('safety_places')
    .values({
      code: input.code,
      name: input.name,
      kind: input.kind,
      facility_id: input.facilityId ?? null,
      admin_code: input.adminCode,
      natural_village_id: input.naturalVillageId ?? null,
      industry: input.industry ?? null,
      responsible_name: input.responsibleName ?? null,
      responsible_phone: input.responsiblePhone ?? null,
      geom: pointAt(input.longitude, input.latitude),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Corrects a place's record; `null` clears an optional field. */
export async function updateSafetyPlace(
  trx: Db,
  id: number,
  patch: SafetyPlaceUpdate,
  /** The administrative village the place's natural village lies in, when the patch moves it. */
  adminCode?: string | null,
): Promise<void> {
  await trx
    .updateTable('safety_places')
    .set({
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.kind === undefined ? {} : { kind: patch.kind }),
      ...(patch.industry === undefined ? {} : { industry: patch.industry }),
      ...(patch.responsibleName === undefined ? {} : { responsible_name: patch.responsibleName }),
      ...(patch.responsiblePhone === undefined ? {} : { responsible_phone: patch.responsiblePhone }),
      ...(patch.naturalVillageId === undefined ? {} : { natural_village_id: patch.naturalVillageId }),
      ...(patch.naturalVillageId === undefined || adminCode === undefined ? {} : { admin_code: adminCode }),
      ...(patch.facilityId === undefined ? {} : { facility_id: patch.facilityId }),
      ...(patch.longitude === undefined || patch.latitude === undefined ? {} : { geom: pointAt(patch.longitude, patch.latitude) }),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute()
}

/**
 * What the audit log keeps of a place, before and after a change: its fields, not its contact.
 * The responsible person's name and phone are personal data; the audit says whether they are
 * set, never what they are (the audit log is read by admins beyond the place's village).
 */
export async function placeAuditRecord(trx: Db, id: number): Promise<Record<string, unknown>> {
  const row = await trx
    .selectFrom('safety_places')
    .select([
      'code',
      'name',
      'kind',
      'industry',
      'admin_code',
      'natural_village_id',
      'facility_id',
      sql<boolean>`responsible_name IS NOT NULL`.as('has_responsible_name'),
      sql<boolean>`responsible_phone IS NOT NULL`.as('has_responsible_phone'),
      longitude(sql`geom`).as('longitude'),
      latitude(sql`geom`).as('latitude'),
    ])
    .where('id', '=', id)
    .executeTakeFirst()
  if (!row) throw new NotFound(`No place ${id}.`)
  return {
    code: row.code,
    name: row.name,
    kind: row.kind,
    industry: row.industry,
    adminCode: row.admin_code,
    naturalVillageId: row.natural_village_id,
    facilityId: row.facility_id,
    hasResponsibleName: row.has_responsible_name,
    hasResponsiblePhone: row.has_responsible_phone,
    longitude: Number(Number(row.longitude).toFixed(6)),
    latitude: Number(Number(row.latitude).toFixed(6)),
  }
}
