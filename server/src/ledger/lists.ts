import ExcelJS from 'exceljs'
import { sql, type Kysely } from 'kysely'
import { enumLabels, fourListDefinitions, type FourList, type FourListId } from '@riskatlas/shared'
import type { Database } from '../db/schema.ts'
import { vulnerableTotals } from '../people/queries.ts'

type Db = Kysely<Database>
type Cell = string | number | null
const label = (value: string | null) => (value === null ? null : (enumLabels[value]?.zh ?? value))

/** The four lists (四张清单), each from the explicit rule in `fourListDefinitions`, for one year. */
export async function fourList(db: Db, list: FourListId, year: number, today: string): Promise<FourList> {
  const from = `${year}-01-01`
  const to = `${year}-12-31`
  const asOf = to < today ? to : today
  const definition = fourListDefinitions[list]
  let columns: { key: string; title: string }[]
  let rows: Record<string, Cell>[]
  switch (list) {
    case 'major_risks': {
      columns = [
        { key: 'category', title: '类别' },
        { key: 'name', title: '名称' },
        { key: 'kind', title: '类型' },
        { key: 'village', title: '所在村（社区）' },
        { key: 'level', title: '风险等级/规模' },
        { key: 'exposure', title: '威胁人数/在校（在院）人数' },
      ]
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
          category: '地质灾害/山洪',
          name: h.name,
          kind: label(h.kind),
          village: h.village,
          level: `${h.level}级`,
          exposure: h.people,
        })),
        ...places.rows.map((p) => ({
          category: '重点场所',
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
      columns = [
        { key: 'foundOn', title: '发现日期' },
        { key: 'place', title: '企业/场所' },
        { key: 'village', title: '所在村（社区）' },
        { key: 'description', title: '隐患描述' },
        { key: 'status', title: '整改状态' },
        { key: 'deadline', title: '整改期限' },
        { key: 'rectifiedOn', title: '整改完成' },
        { key: 'supervisedBy', title: '挂牌督办单位' },
      ]
      const { rows: found } = await sql<Record<string, string | null>>`
        SELECT d.found_on::text AS "foundOn", d.place_name AS place, a.name AS village, d.description, d.status,
          d.deadline::text AS deadline, d.rectified_on::text AS "rectifiedOn", d.supervised_by AS "supervisedBy"
        FROM hidden_dangers d LEFT JOIN safety_places sp ON sp.id = d.place_id LEFT JOIN admin_areas a ON a.code = sp.admin_code
        WHERE d.level = 'major' AND d.found_on BETWEEN ${from}::date AND ${to}::date ORDER BY d.found_on, d.id`.execute(db)
      rows = found.map((r) => ({ ...r, status: label(r.status ?? null) }))
      break
    }
    case 'prominent_problems': {
      columns = [
        { key: 'problem', title: '问题类型' },
        { key: 'place', title: '企业/场所' },
        { key: 'village', title: '所在村（社区）' },
        { key: 'detail', title: '具体问题' },
        { key: 'since', title: '发现/期限' },
        { key: 'count', title: '逾期天数/隐患条数' },
      ]
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
          problem: '逾期未整改',
          place: r.place,
          village: r.village,
          detail: r.description,
          since: r.deadline,
          count: r.days,
        })),
        ...repeated.rows.map((r) => ({
          problem: '隐患多发',
          place: r.place,
          village: r.village,
          detail: `当年发现隐患${r.n}条`,
          since: r.first,
          count: r.n,
        })),
      ]
      break
    }
    case 'basic_info': {
      columns = [
        { key: 'village', title: '行政村（社区）' },
        { key: 'hazards', title: '隐患点（处）' },
        { key: 'threatened', title: '受威胁人数' },
        { key: 'shelters', title: '避险安置点（个）' },
        { key: 'drills', title: '开展演练（场）' },
        { key: 'vulnerable', title: '特殊人群（人）' },
        { key: 'withResponsible', title: '落实包保责任人（人）' },
      ]
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
          village: v.name,
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
  return { list, year, title: `${year}年${definition.zh}`, rule: definition.rule, columns, rows }
}

/** The list as an .xlsx workbook: a title row, the rule, the header and the rows. */
export async function fourListWorkbook(list: FourList): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'RiskAtlas'
  const sheet = workbook.addWorksheet(list.title.slice(0, 31))
  sheet.addRow([list.title]).font = { bold: true, size: 14 }
  sheet.mergeCells(1, 1, 1, list.columns.length)
  sheet.addRow([`口径：${list.rule}`]).font = { italic: true, size: 10 }
  sheet.mergeCells(2, 1, 2, list.columns.length)
  const header = sheet.addRow(['序号', ...list.columns.map((c) => c.title)])
  header.font = { bold: true }
  list.rows.forEach((row, index) => sheet.addRow([index + 1, ...list.columns.map((c) => row[c.key] ?? '')]))
  sheet.columns.forEach((column, index) => (column.width = index === 0 ? 6 : 18))
  return new Uint8Array(await workbook.xlsx.writeBuffer())
}
