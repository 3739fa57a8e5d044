import { sql, type Kysely } from 'kysely'
import {
  ledgerPhrase,
  summarySectionIds,
  type LedgerRow,
  type LedgerText,
  type Summary,
  type SummaryFigureId,
  type SummaryFigures,
  type SummarySectionId,
} from '@riskatlas/shared'
import type { Database } from '../db/schema.ts'
import { listRecords } from '../ledger/queries.ts'
import { vulnerableGrandTotal, vulnerableTotals } from '../people/queries.ts'

type Db = Kysely<Database>
export interface Period {
  from: string
  to: string
  year: number | null
}

/**
 * The work summary's figures, each one explicit SQL over the ledger's rows for the period
 * (the rules are worded in `summaryFigureLabels`). Nothing is stored as a total.
 */
export async function summaryFigures(db: Db, period: Period): Promise<SummaryFigures> {
  const { from, to } = period
  const inPeriod = (column: string) => sql`${sql.ref(column)} BETWEEN ${from}::date AND ${to}::date`
  const [{ rows }, vulnerable] = await Promise.all([
    sql<Record<string, number>>`
    WITH found AS (SELECT status, level, supervised FROM hidden_dangers WHERE ${inPeriod('found_on')})
    SELECT
      (SELECT count(DISTINCT facility_id) FROM enterprise_self_checks WHERE ${inPeriod('checked_on')})::int AS "enterprisesSelfChecked",
      (SELECT count(*) FROM found)::int AS "hiddenDangersFound",
      (SELECT count(*) FILTER (WHERE status = 'rectified') FROM found)::int AS rectified,
      (SELECT count(*) FILTER (WHERE status <> 'rectified') FROM found)::int AS "openDangers",
      (SELECT count(*) FILTER (WHERE level = 'major') FROM found)::int AS major,
      (SELECT count(*) FILTER (WHERE supervised) FROM found)::int AS supervised,
      (SELECT count(DISTINCT place_id) FROM safety_sanctions WHERE ${inPeriod('imposed_on')})::int AS "enterprisesSanctioned",
      (SELECT count(*) FROM safety_sanctions WHERE kind = 'interview' AND ${inPeriod('imposed_on')})::int AS interviews,
      (SELECT count(*) FROM safety_inspectors WHERE active_from <= ${to}::date AND (active_to IS NULL OR active_to >= ${from}::date))::int AS "technicalInspectors",
      (SELECT count(DISTINCT place_id) FROM supervisory_visits WHERE ${inPeriod('visited_on')})::int AS "supervisoryHelp",
      (SELECT count(*) FROM safety_inspections WHERE led_by = 'principal_leader' AND ${inPeriod('inspected_on')})::int AS "principalLedInspections",
      (SELECT count(*) FROM hazardous_operations WHERE ${inPeriod('filed_on')})::int AS "hazardousOperations",
      (SELECT coalesce(sum(leaflets), 0) FROM publicity_events WHERE ${inPeriod('held_on')})::int AS leaflets,
      (SELECT coalesce(sum(people_advised), 0) FROM publicity_events WHERE ${inPeriod('held_on')})::int AS "peopleAdvised",
      (SELECT coalesce(sum(people_trained), 0) FROM publicity_events WHERE ${inPeriod('held_on')})::int AS "peopleTrained",
      (SELECT count(*) FROM drills WHERE status = 'held' AND ${inPeriod('held_on')})::int AS "drillsHeld",
      (SELECT coalesce(sum(participants), 0) FROM drills WHERE status = 'held' AND ${inPeriod('held_on')})::int AS "drillParticipants",
      (SELECT count(*) FROM warnings WHERE (valid_from AT TIME ZONE 'Asia/Shanghai')::date BETWEEN ${from}::date AND ${to}::date)::int AS "warningsIssued"
  `.execute(db),
    vulnerableGrandTotal(db),
  ])
  const { listed, withoutResponsible: without } = vulnerable
  const row = rows[0]!
  return {
    enterprisesSelfChecked: row.enterprisesSelfChecked!,
    hiddenDangersFound: row.hiddenDangersFound!,
    rectified: row.rectified!,
    major: row.major!,
    supervised: row.supervised!,
    enterprisesSanctioned: row.enterprisesSanctioned!,
    interviews: row.interviews!,
    technicalInspectors: row.technicalInspectors!,
    supervisoryHelp: row.supervisoryHelp!,
    principalLedInspections: row.principalLedInspections!,
    hazardousOperations: row.hazardousOperations!,
    leaflets: row.leaflets!,
    peopleAdvised: row.peopleAdvised!,
    peopleTrained: row.peopleTrained!,
    drillsHeld: row.drillsHeld!,
    drillParticipants: row.drillParticipants!,
    vulnerableListed: listed,
    vulnerableWithResponsible: listed - without,
    warningsIssued: row.warningsIssued!,
    openDangers: row.openDangers!,
  }
}

export async function summaryOf(db: Db, period: Period): Promise<Summary> {
  const { from, to } = period
  // Independent reads, side by side on an external pool (queued on the embedded engine's one connection).
  const [figures, drills, held, kinds, towns, narratives] = await Promise.all([
    summaryFigures(db, period),
    sql<{ id: number; name: string; admin_name: string; drills: number; participants: number }>`
    SELECT v.id, v.name, a.name AS admin_name, count(*)::int AS drills, coalesce(sum(d.participants), 0)::int AS participants
    FROM drills d JOIN natural_villages v ON v.id = d.natural_village_id JOIN admin_areas a ON a.code = v.admin_code
    WHERE d.status = 'held' AND d.held_on BETWEEN ${from}::date AND ${to}::date
    GROUP BY v.id, v.name, a.name, v.code ORDER BY v.code`.execute(db),
    sql<Summary['drillsHeld'][number]>`
    SELECT d.id, v.id AS "naturalVillageId", v.name AS "naturalVillageName", a.name AS "adminName", d.held_on::text AS "heldOn",
      d.scenario, d.participants, d.vulnerable_moved AS "vulnerableMoved", round(d.evacuation_minutes::numeric, 1)::float8 AS "evacuationMinutes"
    FROM drills d JOIN natural_villages v ON v.id = d.natural_village_id JOIN admin_areas a ON a.code = v.admin_code
    WHERE d.status = 'held' AND d.held_on BETWEEN ${from}::date AND ${to}::date
    ORDER BY d.held_on, v.code, d.id`.execute(db),
    sql<{ kind: string | null; found: number; rectified: number }>`
    SELECT sp.kind, count(*)::int AS found, count(*) FILTER (WHERE d.status = 'rectified')::int AS rectified
    FROM hidden_dangers d LEFT JOIN safety_places sp ON sp.id = d.place_id
    WHERE d.found_on BETWEEN ${from}::date AND ${to}::date GROUP BY sp.kind ORDER BY found DESC, sp.kind`.execute(db),
    db.selectFrom('admin_areas').select('name').where('level', '=', 'town').orderBy('code').execute(),
    period.year === null ? Promise.resolve(emptyNarratives()) : narrativesOf(db, period.year),
  ])
  return {
    period,
    townName: towns.length === 1 ? towns[0]!.name : ledgerPhrase('town_count', { count: towns.length }),
    figures,
    drillsByVillage: drills.rows.map((r) => ({
      naturalVillageId: r.id,
      naturalVillageName: r.name,
      adminName: r.admin_name,
      drills: r.drills,
      participants: r.participants,
    })),
    drillsHeld: held.rows,
    dangersByPlaceKind: kinds.rows.map((r) => ({ kind: r.kind ?? 'none', found: r.found, rectified: r.rectified })),
    vulnerableShareWithResponsible: figures.vulnerableListed === 0 ? null : figures.vulnerableWithResponsible / figures.vulnerableListed,
    narratives,
  }
}

function emptyNarratives(): Record<SummarySectionId, string> {
  return Object.fromEntries(summarySectionIds.map((id) => [id, ''])) as Record<SummarySectionId, string>
}

export async function narrativesOf(db: Db, year: number): Promise<Record<SummarySectionId, string>> {
  const rows = await db.selectFrom('summary_narratives').select(['section', 'body']).where('year', '=', year).execute()
  const narratives = emptyNarratives()
  for (const row of rows)
    if ((summarySectionIds as readonly string[]).includes(row.section)) narratives[row.section as SummarySectionId] = row.body
  return narratives
}

export async function saveNarratives(
  trx: Db,
  year: number,
  narratives: Partial<Record<SummarySectionId, string>>,
  by: string,
): Promise<void> {
  for (const [section, body] of Object.entries(narratives)) {
    await trx
      .insertInto('summary_narratives')
      .values({ year, section, body: body ?? '', updated_by: by, updated_at: new Date() })
      .onConflict((oc) => oc.columns(['year', 'section']).doUpdateSet({ body: body ?? '', updated_by: by, updated_at: new Date() }))
      .execute()
  }
}

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
/** A column holding an enum value (a danger's level, a drill's scenario), as a phrase the reader's language words. */
const enumValue = (value: LedgerText | null): LedgerText | null =>
  typeof value === 'string' ? ledgerPhrase('enum_value', { value }) : value
const toRows = (kind: string, rows: Raw[]): LedgerRow[] =>
  rows.map((r) => ({
    id: r.id,
    kind,
    date: r.date,
    title: r.title,
    placeId: r.place_id,
    placeName: r.place_name,
    detail: r.detail,
    status: r.status,
    value: r.value,
  }))

/**
 * The rows a figure counts: one row per counted thing (a danger, a place, an inspection, a
 * filing), or per event for sums (their `value`s add up to the figure). Names of people never.
 */
export async function figureRows(db: Db, figure: SummaryFigureId, period: Period): Promise<LedgerRow[]> {
  const { from, to } = period
  const between = (column: string) => sql`${sql.ref(column)} BETWEEN ${from}::date AND ${to}::date`
  const dangers = async (where: ReturnType<typeof sql>) =>
    toRows(
      'hidden_dangers',
      (
        await sql<Raw>`
          SELECT d.id, d.found_on::text AS date, d.description AS title, d.place_id, d.place_name, d.level AS detail, d.status, NULL::int AS value
          FROM hidden_dangers d WHERE ${between('d.found_on')} AND ${where} ORDER BY d.found_on, d.id`.execute(db)
      ).rows.map((row) => ({ ...row, detail: enumValue(row.detail) })),
    )
  switch (figure) {
    case 'hiddenDangersFound':
      return dangers(sql`true`)
    case 'rectified':
      return dangers(sql`d.status = 'rectified'`)
    case 'openDangers':
      return dangers(sql`d.status <> 'rectified'`)
    case 'major':
      return dangers(sql`d.level = 'major'`)
    case 'supervised':
      return dangers(sql`d.supervised`)
    case 'enterprisesSelfChecked':
      return toRows(
        'self_checks',
        (
          await sql<Raw>`
            SELECT f.id, min(c.checked_on)::text AS date, f.name AS title, min(sp.id) AS place_id, f.name AS place_name,
              string_agg(c.checked_on::text, '、' ORDER BY c.checked_on) AS detail, NULL AS status, count(*)::int AS value
            FROM enterprise_self_checks c JOIN facilities f ON f.id = c.facility_id LEFT JOIN safety_places sp ON sp.facility_id = f.id
            WHERE ${between('c.checked_on')} GROUP BY f.id, f.name, f.code ORDER BY f.code`.execute(db)
        ).rows,
      )
    case 'enterprisesSanctioned':
    case 'supervisoryHelp': {
      const table = figure === 'enterprisesSanctioned' ? 'safety_sanctions' : 'supervisory_visits'
      const column = figure === 'enterprisesSanctioned' ? 'x.imposed_on' : 'x.visited_on'
      return toRows(
        table,
        (
          await sql<Raw>`
            SELECT sp.id, min(${sql.ref(column)})::text AS date, sp.name AS title, sp.id AS place_id, sp.name AS place_name,
              string_agg(${sql.ref(column)}::text, '、' ORDER BY ${sql.ref(column)}) AS detail, NULL AS status, count(*)::int AS value
            FROM ${sql.table(table)} x JOIN safety_places sp ON sp.id = x.place_id
            WHERE ${between(column)} GROUP BY sp.id, sp.name, sp.code ORDER BY sp.code`.execute(db)
        ).rows,
      )
    }
    case 'interviews':
      return (await listRecords(db, 'sanctions', period)).filter((row) => row.status === 'interview')
    case 'technicalInspectors':
      return listRecords(db, 'inspectors', period)
    case 'principalLedInspections':
      return (await listRecords(db, 'inspections', period)).filter((row) => row.status === 'principal_leader')
    case 'hazardousOperations':
      return listRecords(db, 'hazardous_operations', period)
    case 'leaflets':
    case 'peopleAdvised':
    case 'peopleTrained': {
      const column = figure === 'leaflets' ? 'leaflets' : figure === 'peopleAdvised' ? 'people_advised' : 'people_trained'
      return toRows(
        'publicity_events',
        (
          await sql<Raw>`
            SELECT e.id, e.held_on::text AS date, e.title, NULL::int AS place_id, e.location AS place_name, NULL AS detail, e.kind AS status,
              ${sql.ref(`e.${column}`)}::int AS value
            FROM publicity_events e WHERE ${between('e.held_on')} AND ${sql.ref(`e.${column}`)} > 0 ORDER BY e.held_on, e.id`.execute(db)
        ).rows,
      )
    }
    case 'drillsHeld':
    case 'drillParticipants':
      return toRows(
        'drills',
        (
          await sql<Raw & { title: string }>`
            SELECT d.id, d.held_on::text AS date, v.name AS title, NULL::int AS place_id, v.name AS place_name, d.scenario AS detail, d.status,
              ${figure === 'drillsHeld' ? sql`1` : sql`coalesce(d.participants, 0)`}::int AS value
            FROM drills d JOIN natural_villages v ON v.id = d.natural_village_id
            WHERE d.status = 'held' AND ${between('d.held_on')} ORDER BY d.held_on, d.id`.execute(db)
        ).rows.map((row) => ({ ...row, title: ledgerPhrase('drill_of_village', { village: row.title }), detail: enumValue(row.detail) })),
      )
    case 'vulnerableListed':
    case 'vulnerableWithResponsible': {
      const totals = await vulnerableTotals(db)
      const villages = await db.selectFrom('natural_villages').select(['id', 'name', 'code']).orderBy('code').execute()
      return villages
        .filter((v) => totals.has(v.id))
        .map((v) => {
          const t = totals.get(v.id)!
          const value = figure === 'vulnerableListed' ? t.total : t.total - t.withoutResponsible
          return {
            id: v.id,
            kind: 'natural_villages',
            date: null,
            title: v.name,
            placeId: null,
            placeName: v.name,
            detail: ledgerPhrase('vulnerable_listed', { total: t.total, withoutResponsible: t.withoutResponsible }),
            status: null,
            value,
          }
        })
    }
    case 'warningsIssued':
      return toRows(
        'warnings',
        (
          await sql<Raw>`
            SELECT w.id, (w.valid_from AT TIME ZONE 'Asia/Shanghai')::date::text AS date, w.title, NULL::int AS place_id, NULL AS place_name,
              w.issued_by AS detail, w.level AS status, NULL::int AS value
            FROM warnings w WHERE (w.valid_from AT TIME ZONE 'Asia/Shanghai')::date BETWEEN ${from}::date AND ${to}::date ORDER BY w.valid_from, w.id`.execute(
            db,
          )
        ).rows,
      )
  }
}
