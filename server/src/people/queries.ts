import type { Kysely, Transaction } from 'kysely'
import type { VulnerablePerson } from '@riskatlas/shared'
import type { Database } from '../db/schema.ts'

type Db = Kysely<Database> | Transaction<Database>

export interface PeopleFilter {
  /** Administrative villages whose people may be read; null = all. */
  adminScope: string[] | null
  naturalVillageId?: number | undefined
  adminCode?: string | undefined
  withoutResponsible?: boolean | undefined
  id?: number | undefined
}

/** Vulnerable people with their natural village, limited to the caller's scope in SQL. */
export async function findVulnerablePeople(db: Db, filter: PeopleFilter): Promise<VulnerablePerson[]> {
  if (filter.adminScope && filter.adminScope.length === 0) return []
  let query = db
    .selectFrom('vulnerable_people as p')
    .innerJoin('natural_villages as v', 'v.id', 'p.natural_village_id')
    .select([
      'p.id', 'p.natural_village_id', 'v.name as village_name', 'v.admin_code', 'p.category', 'p.name', 'p.phone', 'p.address',
      'p.mobility_needs', 'p.responsible_name', 'p.responsible_phone', 'p.updated_at',
    ])
    .orderBy('v.code')
    .orderBy('p.id')
  if (filter.adminScope) query = query.where('v.admin_code', 'in', filter.adminScope)
  if (filter.naturalVillageId) query = query.where('p.natural_village_id', '=', filter.naturalVillageId)
  if (filter.adminCode) query = query.where('v.admin_code', '=', filter.adminCode)
  if (filter.id) query = query.where('p.id', '=', filter.id)
  if (filter.withoutResponsible) query = query.where((eb) => eb.or([eb('p.responsible_name', 'is', null), eb('p.responsible_name', '=', '')]))
  const rows = await query.execute()
  return rows.map((r) => ({
    id: r.id,
    naturalVillageId: r.natural_village_id,
    naturalVillageName: r.village_name,
    adminCode: r.admin_code,
    category: r.category as VulnerablePerson['category'],
    name: r.name,
    phone: r.phone,
    address: r.address,
    mobilityNeeds: r.mobility_needs,
    responsibleName: r.responsible_name,
    responsiblePhone: r.responsible_phone,
    updatedAt: r.updated_at.toISOString(),
  }))
}

/** Counts per natural village and category — the only form in which vulnerable people leave the office. */
export async function vulnerableCounts(db: Db) {
  const rows = await db
    .selectFrom('natural_villages as v')
    .leftJoin('vulnerable_people as p', 'p.natural_village_id', 'v.id')
    .select((eb) => [
      'v.id',
      'v.name',
      'v.admin_code',
      eb.fn.count<number>('p.id').as('total'),
      eb.fn.count<number>('p.id').filterWhere((w) => w.or([w('p.responsible_name', 'is', null), w('p.responsible_name', '=', '')])).as('without_responsible'),
      ...(['elderly', 'disabled', 'sick', 'child', 'pregnant'] as const).map((category) =>
        eb.fn.count<number>('p.id').filterWhere('p.category', '=', category).as(category),
      ),
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
    byCategory: { elderly: Number(r.elderly), disabled: Number(r.disabled), sick: Number(r.sick), child: Number(r.child), pregnant: Number(r.pregnant) },
  }))
}

export async function villageAdminCode(db: Db, naturalVillageId: number): Promise<{ adminCode: string; name: string } | undefined> {
  const row = await db.selectFrom('natural_villages').select(['admin_code', 'name']).where('id', '=', naturalVillageId).executeTakeFirst()
  return row ? { adminCode: row.admin_code, name: row.name } : undefined
}
