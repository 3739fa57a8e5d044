import { sql, type Kysely, type Transaction } from 'kysely'
import type { Drill, DrillListQuery } from '@riskatlas/shared'
import type { Database } from '../db/schema.ts'
import { Invalid } from '../errors.ts'
import { floodSeason, seasonOfDate, type FloodSeasonRow } from '../coverage/season.ts'
import type { DrillValues } from './rules.ts'

type Db = Kysely<Database> | Transaction<Database>

interface DrillRecord extends DrillValues {
  id: number
  natural_village_id: number
  village_name: string
  admin_code: string
  admin_name: string
  created_at: Date
  updated_at: Date
}

/** A drill row as the API shows it; `seasonYear` from the drill's date (held, else planned). */
export function toDrill(row: DrillRecord, seasons: readonly FloodSeasonRow[]): Drill {
  const date = row.status === 'held' ? row.held_on : (row.planned_on ?? row.held_on)
  return {
    id: row.id,
    naturalVillageId: row.natural_village_id,
    naturalVillageName: row.village_name,
    adminCode: row.admin_code,
    adminName: row.admin_name,
    scenario: row.scenario,
    status: row.status,
    plannedOn: row.planned_on,
    heldOn: row.held_on,
    participants: row.participants,
    vulnerableMoved: row.vulnerable_moved,
    evacuationMinutes: row.evacuation_minutes,
    organiser: row.organiser,
    findings: row.findings,
    seasonYear: date ? (seasonOfDate(date, seasons)?.year ?? null) : null,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  }
}

function selectDrills(db: Db) {
  return db
    .selectFrom('drills as d')
    .innerJoin('natural_villages as v', 'v.id', 'd.natural_village_id')
    .innerJoin('admin_areas as a', 'a.code', 'v.admin_code')
    .select([
      'd.id',
      'd.natural_village_id',
      'd.scenario',
      'd.status',
      'd.planned_on',
      'd.held_on',
      'd.participants',
      'd.vulnerable_moved',
      'd.evacuation_minutes',
      'd.organiser',
      'd.findings',
      'd.created_at',
      'd.updated_at',
      'v.name as village_name',
      'v.admin_code',
      'a.name as admin_name',
    ])
    .$castTo<DrillRecord>()
}

export async function listDrills(db: Db, query: DrillListQuery, seasons: readonly FloodSeasonRow[]): Promise<Drill[]> {
  const dated = sql<string>`CASE WHEN d.status = 'held' THEN d.held_on ELSE coalesce(d.planned_on, d.held_on) END`
  let select = selectDrills(db)
  if (query.year !== undefined) {
    const season = floodSeason(query.year, seasons)
    select = select.where(sql<boolean>`${dated} BETWEEN ${season.startsOn}::date AND ${season.endsOn}::date`)
  }
  if (query.naturalVillageId !== undefined) select = select.where('d.natural_village_id', '=', query.naturalVillageId)
  if (query.adminCode !== undefined) select = select.where('v.admin_code', '=', query.adminCode)
  if (query.status !== undefined) select = select.where('d.status', '=', query.status)
  const rows = await select.orderBy(dated).orderBy('d.id').execute()
  return rows.map((row) => toDrill(row, seasons))
}

export async function findDrill(db: Db, id: number, options: { forUpdate?: boolean } = {}): Promise<DrillRecord | undefined> {
  let select = selectDrills(db).where('d.id', '=', id)
  if (options.forUpdate) select = select.forUpdate('d')
  return select.executeTakeFirst()
}

/** The village a drill is for, or `Invalid` naming the unknown id (bad input, not a missing URL). */
export async function drillVillage(db: Db, naturalVillageId: number): Promise<{ id: number; population: number; adminCode: string }> {
  const village = await db
    .selectFrom('natural_villages')
    .select(['id', 'population', 'admin_code as adminCode'])
    .where('id', '=', naturalVillageId)
    .executeTakeFirst()
  if (!village) {
    throw new Invalid(`naturalVillageId: there is no natural village with id ${naturalVillageId}`, {
      issues: [{ path: 'naturalVillageId', message: `no natural village with id ${naturalVillageId}` }],
    })
  }
  return village
}

export async function insertDrill(db: Db, naturalVillageId: number, values: DrillValues): Promise<number> {
  const row = await db
    .insertInto('drills')
    .values({ natural_village_id: naturalVillageId, ...values })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export async function updateDrill(db: Db, id: number, values: DrillValues): Promise<void> {
  await db
    .updateTable('drills')
    .set({ ...values, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute()
}

export async function deleteDrill(db: Db, id: number): Promise<void> {
  await db.deleteFrom('drills').where('id', '=', id).execute()
}
