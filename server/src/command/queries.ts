import { sql, type Kysely, type Transaction } from 'kysely'
import type { EvacuationProgress, Instruction, InstructionListQuery, VillageProgressReport } from '@riskatlas/shared'
import type { Principal } from '../auth/scope.ts'
import { intersects } from '../db/postgis.ts'
import type { Database } from '../db/schema.ts'
import { Invalid, NotFound } from '../errors.ts'
import { vulnerableTotals } from '../people/queries.ts'
import { findWarning, listWarnings, toWarning } from '../warnings/queries.ts'
import {
  adminVillageTotals,
  instructionView,
  progressTotals,
  reportedMovedByShelter,
  reportingOpen,
  shelterProgress,
  villageProgress,
  type InstructionRow,
  type ProgressRecord,
  type ShelterRow,
  type WarnedVillage,
} from './rules.ts'

type Db = Kysely<Database> | Transaction<Database>

/** The warning the progress is about: the one asked for, or the newest active one at 立即转移. */
export async function progressWarning(db: Db, warningId: number | undefined, now: Date) {
  if (warningId !== undefined) {
    const row = await findWarning(db, warningId)
    if (!row) throw new NotFound(`No warning with id ${warningId}`)
    return toWarning(row, now)
  }
  const active = (await listWarnings(db, { status: 'active' }, now)).filter((w) => w.stage === 'move_now')
  if (active.length === 0) throw new NotFound('No warning is active at 立即转移 (move now).')
  return active[0]!
}

/** The natural villages inside a warning's area, with people and vulnerable people from the data. */
export async function warnedVillages(db: Db, warningId: number): Promise<WarnedVillage[]> {
  const w = sql`(SELECT geom FROM warnings WHERE id = ${warningId})`
  const { rows } = await sql<{ id: number; code: string; name: string; admin_code: string; admin_name: string; population: number }>`
    SELECT v.id, v.code, v.name, v.admin_code, a.name AS admin_name, v.population
    FROM natural_villages v JOIN admin_areas a ON a.code = v.admin_code
    WHERE ${intersects(sql`v.geom`, w)} ORDER BY v.code`.execute(db)
  const vulnerable = await vulnerableTotals(
    db,
    rows.map((r) => r.id),
  )
  return rows.map((r) => ({
    naturalVillageId: r.id,
    code: r.code,
    name: r.name,
    adminCode: r.admin_code,
    adminName: r.admin_name,
    population: r.population,
    vulnerable: vulnerable.get(r.id)?.total ?? 0,
  }))
}

async function progressRecords(db: Db, warningId: number): Promise<Map<number, ProgressRecord>> {
  const rows = await db
    .selectFrom('evacuation_progress as p')
    .leftJoin('facilities as f', 'f.id', 'p.shelter_id')
    .select([
      'p.natural_village_id',
      'p.moved',
      'p.shelter_id',
      'f.name as shelter_name',
      'p.staying_refused',
      'p.staying_unreachable',
      'p.staying_already_safe',
      'p.vulnerable_moved',
      'p.reports',
      'p.updated_at',
    ])
    .where('p.warning_id', '=', warningId)
    .execute()
  return new Map(
    rows.map((r) => [
      r.natural_village_id,
      {
        naturalVillageId: r.natural_village_id,
        moved: r.moved,
        shelterId: r.shelter_id,
        shelterName: r.shelter_name,
        refused: r.staying_refused,
        unreachable: r.staying_unreachable,
        alreadySafe: r.staying_already_safe,
        vulnerableMoved: r.vulnerable_moved,
        reports: r.reports,
        updatedAt: new Date(r.updated_at),
      },
    ]),
  )
}

/**
 * The shelters of a warning: inside its area, assigned to its villages by stored routes, or
 * named by a report or a check-in. `assigned` is the people the routes send there (a drawn
 * route without persons carries its village's share of the population).
 */
async function warningShelters(db: Db, warningId: number, villageIds: readonly number[]): Promise<ShelterRow[]> {
  const w = sql`(SELECT geom FROM warnings WHERE id = ${warningId})`
  const ids = sql`${[...villageIds]}::int[]`
  const { rows } = await sql<{
    id: number
    code: string
    name: string
    admin_code: string | null
    capacity_persons: number | null
    assigned: number
    checked_in: number | null
    updated_at: Date | null
  }>`
    SELECT f.id, f.code, f.name, f.admin_code, f.capacity_persons,
           coalesce((SELECT sum(coalesce(r.persons, v.population / greatest(1, (SELECT count(*) FROM evacuation_routes r2
                       WHERE r2.natural_village_id = r.natural_village_id AND r2.persons IS NULL))))
                     FROM evacuation_routes r JOIN natural_villages v ON v.id = r.natural_village_id
                     WHERE r.shelter_id = f.id AND r.natural_village_id = ANY(${ids})), 0)::int AS assigned,
           c.checked_in, c.updated_at
    FROM facilities f
    LEFT JOIN shelter_checkins c ON c.shelter_id = f.id AND c.warning_id = ${warningId}
    WHERE f.kind = 'shelter' AND (${intersects(sql`f.geom`, w)}
       OR EXISTS (SELECT 1 FROM evacuation_routes r WHERE r.shelter_id = f.id AND r.natural_village_id = ANY(${ids}))
       OR c.shelter_id IS NOT NULL
       OR EXISTS (SELECT 1 FROM evacuation_progress p WHERE p.warning_id = ${warningId} AND p.shelter_id = f.id))
    ORDER BY f.code`.execute(db)
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    adminCode: r.admin_code,
    capacity: r.capacity_persons,
    assigned: r.assigned,
    checkedIn: r.checked_in,
    updatedAt: r.updated_at ? new Date(r.updated_at) : null,
  }))
}

/** `GET /api/evacuation/progress`: every warned village's record, totals per administrative village and town, shelters. */
export async function evacuationProgress(db: Db, warningId: number | undefined, now: Date): Promise<EvacuationProgress> {
  const warning = await progressWarning(db, warningId, now)
  const villagesOfData = await warnedVillages(db, warning.id)
  const records = await progressRecords(db, warning.id)
  const villages = villagesOfData.map((v) => villageProgress(v, records.get(v.naturalVillageId)))
  const shelters = await warningShelters(
    db,
    warning.id,
    villages.map((v) => v.naturalVillageId),
  )
  const moved = reportedMovedByShelter(villages)
  return {
    warning: { id: warning.id, title: warning.title, level: warning.level, stage: warning.stage, status: warning.status },
    reportingOpen: reportingOpen(warning.status, warning.stage),
    villages,
    adminVillages: adminVillageTotals(villages),
    town: progressTotals(villages),
    shelters: shelters.map((s) => shelterProgress(s, moved)),
  }
}

/** A shelter (facility of kind `shelter`) by id, or 400/404. */
export async function findShelter(db: Db, id: number, invalidIfMissing: boolean) {
  const row = await db.selectFrom('facilities').select(['id', 'name', 'kind', 'admin_code']).where('id', '=', id).executeTakeFirst()
  if (!row || row.kind !== 'shelter') {
    if (invalidIfMissing) throw new Invalid(`No shelter with id ${id}`, { issues: [{ path: ['shelterId'], message: 'not a shelter' }] })
    throw new NotFound(`No shelter with id ${id}`)
  }
  return row
}

export async function findProgress(db: Db, warningId: number, villageId: number) {
  return db
    .selectFrom('evacuation_progress')
    .selectAll()
    .where('warning_id', '=', warningId)
    .where('natural_village_id', '=', villageId)
    .executeTakeFirst()
}

/** Writes a village's report (the whole record); every report counts (`reports`). */
export async function upsertProgress(trx: Db, warningId: number, villageId: number, report: VillageProgressReport, actor: Principal) {
  const values = {
    moved: report.moved,
    shelter_id: report.shelterId,
    staying_refused: report.staying.refused,
    staying_unreachable: report.staying.unreachable,
    staying_already_safe: report.staying.alreadySafe,
    vulnerable_moved: report.vulnerableMoved,
    updated_by: actor.username,
  }
  await trx
    .insertInto('evacuation_progress')
    .values({ warning_id: warningId, natural_village_id: villageId, ...values })
    .onConflict((oc) =>
      oc
        .columns(['warning_id', 'natural_village_id'])
        .doUpdateSet({ ...values, reports: sql`evacuation_progress.reports + 1`, updated_at: sql`now()` }),
    )
    .execute()
}

export async function findCheckIn(db: Db, warningId: number, shelterId: number) {
  return db
    .selectFrom('shelter_checkins')
    .selectAll()
    .where('warning_id', '=', warningId)
    .where('shelter_id', '=', shelterId)
    .executeTakeFirst()
}

export async function upsertCheckIn(trx: Db, warningId: number, shelterId: number, checkedIn: number, actor: Principal) {
  await trx
    .insertInto('shelter_checkins')
    .values({ warning_id: warningId, shelter_id: shelterId, checked_in: checkedIn, updated_by: actor.username })
    .onConflict((oc) =>
      oc.columns(['warning_id', 'shelter_id']).doUpdateSet({ checked_in: checkedIn, updated_by: actor.username, updated_at: sql`now()` }),
    )
    .execute()
}

// ------------------------------------------------------------------ instructions

/** Administrative villages by code; throws 400 naming any unknown code. */
export async function adminVillageNames(db: Db, codes: readonly string[]): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('admin_areas')
    .select(['code', 'name'])
    .where('level', '=', 'village')
    .where('code', 'in', [...codes])
    .execute()
  const names = new Map(rows.map((r) => [r.code, r.name]))
  const unknown = codes.filter((code) => !names.has(code))
  if (unknown.length > 0)
    throw new Invalid(`Unknown administrative village: ${unknown.join(', ')}`, {
      issues: unknown.map((code) => ({ path: ['adminCodes'], message: `unknown administrative village ${code}` })),
    })
  return names
}

export async function insertInstruction(
  trx: Db,
  values: { warningId: number | null; text: string; sentBy: string; ackWithinMinutes: number; adminCodes: readonly string[] },
): Promise<number> {
  const row = await trx
    .insertInto('instructions')
    .values({ warning_id: values.warningId, text: values.text, sent_by: values.sentBy, ack_within_minutes: values.ackWithinMinutes })
    .returning('id')
    .executeTakeFirstOrThrow()
  await trx
    .insertInto('instruction_targets')
    .values(
      [...new Set(values.adminCodes)].map((code) => ({
        instruction_id: row.id,
        admin_code: code,
        acknowledged_at: null,
        acknowledged_by: null,
      })),
    )
    .execute()
  return row.id
}

async function instructionRows(
  db: Db,
  where: { id?: number; warningId?: number; open?: boolean; limit: number },
): Promise<InstructionRow[]> {
  let query = db.selectFrom('instructions as i').select(['i.id', 'i.warning_id', 'i.text', 'i.sent_at', 'i.ack_within_minutes'])
  if (where.id !== undefined) query = query.where('i.id', '=', where.id)
  if (where.warningId !== undefined) query = query.where('i.warning_id', '=', where.warningId)
  if (where.open)
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('instruction_targets as t')
          .select('t.admin_code')
          .whereRef('t.instruction_id', '=', 'i.id')
          .where('t.acknowledged_at', 'is', null),
      ),
    )
  const rows = await query.orderBy('i.sent_at', 'desc').orderBy('i.id', 'desc').limit(where.limit).execute()
  if (rows.length === 0) return []
  const targets = await db
    .selectFrom('instruction_targets as t')
    .leftJoin('admin_areas as a', 'a.code', 't.admin_code')
    .select(['t.instruction_id', 't.admin_code', 'a.name', 't.acknowledged_at'])
    .where(
      't.instruction_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('t.admin_code')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    warningId: r.warning_id,
    text: r.text,
    sentAt: new Date(r.sent_at),
    ackWithinMinutes: r.ack_within_minutes,
    targets: targets
      .filter((t) => t.instruction_id === r.id)
      .map((t) => ({
        adminCode: t.admin_code,
        adminName: t.name ?? t.admin_code,
        acknowledgedAt: t.acknowledged_at ? new Date(t.acknowledged_at) : null,
      })),
  }))
}

export async function listInstructions(db: Db, query: InstructionListQuery, now: Date): Promise<Instruction[]> {
  const rows = await instructionRows(db, {
    ...(query.warningId !== undefined ? { warningId: query.warningId } : {}),
    open: query.status === 'open',
    limit: query.limit ?? 50,
  })
  return rows.map((row) => instructionView(row, now))
}

export async function findInstruction(db: Db, id: number, now: Date): Promise<Instruction> {
  const [row] = await instructionRows(db, { id, limit: 1 })
  if (!row) throw new NotFound(`No instruction with id ${id}`)
  return instructionView(row, now)
}

/** Records a village's acknowledgement; a repeat keeps the first time. Returns whether it was new. */
export async function acknowledge(trx: Db, instructionId: number, adminCode: string, actor: Principal): Promise<boolean> {
  const result = await trx
    .updateTable('instruction_targets')
    .set({ acknowledged_at: new Date(), acknowledged_by: actor.username })
    .where('instruction_id', '=', instructionId)
    .where('admin_code', '=', adminCode)
    .where('acknowledged_at', 'is', null)
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}
