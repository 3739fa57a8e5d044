import ExcelJS from 'exceljs'
import { sql, type Kysely } from 'kysely'
import {
  fourListColumnTitles,
  fourListDefinitions,
  fourListSheetWords,
  fourListTitle,
  ledgerPhrase,
  ledgerTextIn,
  type FourList,
  type FourListCell,
  type FourListColumnKey,
  type FourListId,
} from '@riskatlas/shared'
import type { Database } from '../db/schema.ts'
import { vulnerableTotals } from '../people/queries.ts'

type Db = Kysely<Database>
/** An enum value as a phrase for the reader's language (null stays empty). */
const label = (value: string | null): FourListCell => (value === null ? null : ledgerPhrase('enum_value', { value }))

/** The four lists (四张清单), each from the explicit rule in `fourListDefinitions`, for one year. */
export async function fourList(db: Db, list: FourListId, year: number, today: string): Promise<FourList> {
  const from = `${year}-01-01`
  const to = `${year}-12-31`
  const asOf = to < today ? to : today
  let columns: FourListColumnKey[]
  let rows: Partial<Record<FourListColumnKey, FourListCell>>[]
  switch (list) {
    case 'major_risks': {
      columns = ['category', 'name', 'kind', 'village', 'level', 'exposure']
      const hazards = await sql<{ name: string; kind: string; village: string | null; level: number; people: number }>`
        SELECT h.name, h.kind, a.name AS village, h.risk_level AS level, h.threatened_people AS people
        FROM hazard_points h LEFT JOIN admin_areas a ON a.code = h.admin_code
        WHERE h.status = 'active' AND h.risk_level >= 3 ORDER BY h.risk_level DESC, h.code`.execute(db)
      const places = await sql<{ name: string; kind: string; village: string | null; scale: string | null; people: number | null }>`
        SELECT f.name, f.kind, a.name AS village, f.reservoir_scale AS scale, coalesce(f.pupils, f.residents) AS people
        FROM facilities f LEFT JOIN admin_areas a ON a.code = f.admin_code
        WHERE f.kind IN ('reservoir', 'nursing_home', 'school', 'kindergarten', 'market', 'construction_site') ORDER BY f.kind, f.code`.execute(
        db,
      )
      rows = [
        ...hazards.rows.map((h) => ({
          category: ledgerPhrase('category_hazard_point', {}),
          name: h.name,
          kind: label(h.kind),
          village: h.village,
          level: ledgerPhrase('risk_grade', { level: h.level }),
          exposure: h.people,
        })),
        ...places.rows.map((p) => ({
          category: ledgerPhrase('category_key_place', {}),
          name: p.name,
          kind: label(p.kind),
          village: p.village,
          level: label(p.scale),
          exposure: p.people,
        })),
      ]
      break
    }
    case 'major_dangers': {
      columns = ['foundOn', 'place', 'village', 'description', 'status', 'deadline', 'rectifiedOn', 'supervisedBy']
      const { rows: found } = await sql<Record<string, string | null>>`
        SELECT d.found_on::text AS "foundOn", d.place_name AS place, a.name AS village, d.description, d.status,
          d.deadline::text AS deadline, d.rectified_on::text AS "rectifiedOn", d.supervised_by AS "supervisedBy"
        FROM hidden_dangers d LEFT JOIN safety_places sp ON sp.id = d.place_id LEFT JOIN admin_areas a ON a.code = sp.admin_code
        WHERE d.level = 'major' AND d.found_on BETWEEN ${from}::date AND ${to}::date ORDER BY d.found_on, d.id`.execute(db)
      rows = found.map((r) => ({ ...r, status: label(r.status ?? null) }))
      break
    }
    case 'prominent_problems': {
      columns = ['problem', 'place', 'village', 'detail', 'since', 'count']
      const overdue = await sql<{ place: string; village: string | null; description: string; deadline: string; days: number }>`
        SELECT d.place_name AS place, a.name AS village, d.description, d.deadline::text AS deadline, (${asOf}::date - d.deadline)::int AS days
        FROM hidden_dangers d LEFT JOIN safety_places sp ON sp.id = d.place_id LEFT JOIN admin_areas a ON a.code = sp.admin_code
        WHERE d.found_on <= ${to}::date AND d.deadline < ${asOf}::date AND (d.rectified_on IS NULL OR d.rectified_on > ${asOf}::date)
        ORDER BY d.deadline, d.id`.execute(db)
      const repeated = await sql<{ place: string; village: string | null; n: number; first: string }>`
        SELECT sp.name AS place, a.name AS village, count(*)::int AS n, min(d.found_on)::text AS first
        FROM hidden_dangers d JOIN safety_places sp ON sp.id = d.place_id LEFT JOIN admin_areas a ON a.code = sp.admin_code
        WHERE d.found_on BETWEEN ${from}::date AND ${to}::date GROUP BY sp.id, sp.name, a.name HAVING count(*) >= 3 ORDER BY count(*) DESC, sp.name`.execute(
        db,
      )
      rows = [
        ...overdue.rows.map((r) => ({
          problem: ledgerPhrase('problem_overdue', {}),
          place: r.place,
          village: r.village,
          detail: r.description,
          since: r.deadline,
          count: r.days,
        })),
        ...repeated.rows.map((r) => ({
          problem: ledgerPhrase('problem_repeated', {}),
          place: r.place,
          village: r.village,
          detail: ledgerPhrase('dangers_found_in_year', { count: r.n }),
          since: r.first,
          count: r.n,
        })),
      ]
      break
    }
    case 'basic_info': {
      columns = ['adminVillage', 'hazards', 'threatened', 'shelters', 'drills', 'vulnerable', 'withResponsible']
      const { rows: villages } = await sql<{
        code: string
        name: string
        hazards: number
        threatened: number
        shelters: number
        drills: number
      }>`
        SELECT a.code, a.name,
          (SELECT count(*)::int FROM hazard_points h WHERE h.admin_code = a.code AND h.status = 'active') AS hazards,
          (SELECT coalesce(sum(h.threatened_people), 0)::int FROM hazard_points h WHERE h.admin_code = a.code AND h.status = 'active') AS threatened,
          (SELECT count(*)::int FROM facilities f WHERE f.admin_code = a.code AND f.kind = 'shelter') AS shelters,
          (SELECT count(*)::int FROM drills d JOIN natural_villages v ON v.id = d.natural_village_id
            WHERE v.admin_code = a.code AND d.status = 'held' AND d.held_on BETWEEN ${from}::date AND ${to}::date) AS drills
        FROM admin_areas a WHERE a.level = 'village' ORDER BY a.code`.execute(db)
      const totals = await vulnerableTotals(db)
      const adminOf = new Map(
        (await db.selectFrom('natural_villages').select(['id', 'admin_code']).execute()).map((v) => [v.id, v.admin_code]),
      )
      const byAdmin = new Map<string, { total: number; without: number }>()
      for (const t of totals.values()) {
        const code = adminOf.get(t.naturalVillageId)!
        const entry = byAdmin.get(code) ?? { total: 0, without: 0 }
        entry.total += t.total
        entry.without += t.withoutResponsible
        byAdmin.set(code, entry)
      }
      rows = villages.map((v) => {
        const people = byAdmin.get(v.code) ?? { total: 0, without: 0 }
        return {
          adminVillage: v.name,
          hazards: v.hazards,
          threatened: v.threatened,
          shelters: v.shelters,
          drills: v.drills,
          vulnerable: people.total,
          withResponsible: people.total - people.without,
        }
      })
      break
    }
  }
  return { list, year, columns, rows }
}

const cellText = (cell: FourListCell | undefined): string | number =>
  cell === null || cell === undefined ? '' : typeof cell === 'number' ? cell : ledgerTextIn('zh', cell)

/** The list as an .xlsx workbook in the town's language: a title row, the rule, the header and the rows, worded from the shared tables. */
export async function fourListWorkbook(list: FourList): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'RiskAtlas'
  const title = fourListTitle(list.list, list.year).zh
  const sheet = workbook.addWorksheet(title.slice(0, 31))
  sheet.addRow([title]).font = { bold: true, size: 14 }
  sheet.mergeCells(1, 1, 1, list.columns.length)
  sheet.addRow([`${fourListSheetWords.rule.zh}${fourListDefinitions[list.list].rule.zh}`]).font = { italic: true, size: 10 }
  sheet.mergeCells(2, 1, 2, list.columns.length)
  const header = sheet.addRow([fourListSheetWords.no.zh, ...list.columns.map((key) => fourListColumnTitles[key].zh)])
  header.font = { bold: true }
  list.rows.forEach((row, index) => sheet.addRow([index + 1, ...list.columns.map((key) => cellText(row[key]))]))
  sheet.columns.forEach((column, index) => (column.width = index === 0 ? 6 : 18))
  return new Uint8Array(await workbook.xlsx.writeBuffer())
}
