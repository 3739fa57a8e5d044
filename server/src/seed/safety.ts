import { sql, type RawBuilder, type Transaction } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { SeedDataset, TablePlan } from './seed.ts'

/**
 * The safety ledger's demo files (data/src/safety.ts) in seeding order, and the links the
 * files carry by code: inspection ↔ places, hidden danger → place, inspection and responsible
 * person; the status dates the ledger's history implies.
 */
export function safetyPlans(villageByCode: RawBuilder<unknown>, facilityByCode: RawBuilder<unknown>): TablePlan[] {
  const placeByCode = sql`(SELECT id FROM safety_places WHERE code = p->>'place_code')`
  return [
    {
      table: 'safety_places',
      file: 'safety_places',
      geometry: 'geom',
      references: { facility_id: facilityByCode, natural_village_id: villageByCode },
      skip: ['facility_code', 'natural_village_code'],
    },
    { table: 'safety_inspectors', file: 'safety_inspectors' },
    { table: 'safety_inspections', file: 'safety_inspections', skip: ['place_codes'] },
    { table: 'safety_sanctions', file: 'safety_sanctions', references: { place_id: placeByCode }, skip: ['place_code'] },
    { table: 'hazardous_operations', file: 'hazardous_operations', references: { place_id: placeByCode }, skip: ['place_code'] },
    { table: 'supervisory_visits', file: 'supervisory_visits', references: { place_id: placeByCode }, skip: ['place_code'] },
    {
      table: 'publicity_events',
      file: 'publicity_events',
      references: { natural_village_id: villageByCode },
      skip: ['natural_village_code'],
    },
  ]
}

/** Tables the links fill (truncated with the seeded tables on a replace). */
export const safetyLinkTables = ['safety_inspection_places', 'hidden_danger_photos', 'summary_narratives'] as const

export async function linkSafetyLedger(trx: Transaction<Database>, dataset: SeedDataset): Promise<Record<string, number>> {
  const links = (dataset.safety_inspections?.features ?? []).flatMap((feature) =>
    ((feature.properties.place_codes as string[] | undefined) ?? []).map((place) => ({ inspection: feature.properties.code, place })),
  )
  let inspectionPlaces = 0
  if (links.length > 0) {
    const result = await sql`
      INSERT INTO safety_inspection_places (inspection_id, place_id)
      SELECT i.id, sp.id FROM jsonb_to_recordset(${JSON.stringify(links)}::jsonb) AS l(inspection text, place text)
      JOIN safety_inspections i ON i.code = l.inspection
      JOIN safety_places sp ON sp.code = l.place`.execute(trx)
    inspectionPlaces = Number(result.numAffectedRows ?? 0)
    if (inspectionPlaces !== links.length)
      throw new Error(`safety_inspection_places: ${links.length - inspectionPlaces} links name an unknown inspection or place`)
  }

  // Each hidden danger's place: the place of its facility, or the bare place at its point.
  await sql`
    UPDATE hidden_dangers hd SET place_id = sp.id
    FROM safety_places sp
    WHERE hd.place_id IS NULL AND (
      (hd.facility_id IS NOT NULL AND sp.facility_id = hd.facility_id) OR
      (hd.facility_id IS NULL AND sp.facility_id IS NULL AND sp.name = hd.place_name AND sp.geom ~= hd.geom))`.execute(trx)
  if (dataset.safety_places && dataset.safety_places.features.length > 0) {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM hidden_dangers WHERE place_id IS NULL`.execute(trx)
    if (rows[0]!.n > 0) throw new Error(`hidden_dangers: ${rows[0]!.n} rows match no safety place`)
  }

  // The inspection that found it; the place's responsible person answers for it; who supervises it;
  // when rectification started (two days after it was found, or the day it was rectified if sooner).
  await sql`
    UPDATE hidden_dangers hd SET inspection_id = ip.inspection_id
    FROM safety_inspection_places ip JOIN safety_inspections i ON i.id = ip.inspection_id
    WHERE hd.source = 'inspection' AND ip.place_id = hd.place_id AND i.inspected_on = hd.found_on`.execute(trx)
  await sql`
    UPDATE hidden_dangers hd SET
      responsible_name = sp.responsible_name,
      supervised_by = CASE WHEN NOT hd.supervised THEN NULL WHEN hd.level = 'major' THEN '区安全生产委员会' ELSE '镇安全生产委员会' END,
      rectifying_on = CASE WHEN hd.status = 'open' THEN NULL ELSE LEAST(hd.found_on + 2, COALESCE(hd.rectified_on, hd.found_on + 2)) END
    FROM safety_places sp WHERE sp.id = hd.place_id`.execute(trx)
  return { safety_inspection_places: inspectionPlaces }
}
