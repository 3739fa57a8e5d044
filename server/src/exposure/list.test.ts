import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import type { ExposureResponse } from '@riskatlas/shared'
import { listCsv, listPrintPage, listXlsx, safeCell } from './list.ts'

const entry = (over: Partial<ExposureResponse['evacuationList'][number]> = {}): ExposureResponse['evacuationList'][number] => ({
  villageId: 1,
  code: 'V1',
  name: '=HYPERLINK("http://x")',
  adminCode: '530502199201',
  adminName: '松坡村',
  moving: 120,
  households: 40,
  destinations: [
    {
      shelterId: 5,
      shelterName: '村委会广场',
      persons: 100,
      lengthM: 812.4,
      walkingMinutes: 12.2,
      geometry: { type: 'LineString', coordinates: [] },
    },
    {
      shelterId: 6,
      shelterName: '-学校操场',
      persons: 20,
      lengthM: 1500,
      walkingMinutes: 22.5,
      geometry: { type: 'LineString', coordinates: [] },
    },
  ],
  unplaced: 0,
  reason: null,
  contacts: [{ role: 'monitor', name: '李四', phone: '138****5678', hazardCode: 'HZ-1' }],
  vulnerableByCategory: { elderly: 2, disabled: 0, sick: 0, child: 1, pregnant: 0 },
  people: null,
  ...over,
})
const exposure = (entries: ExposureResponse['evacuationList'], named = false) =>
  ({ evacuationList: entries, named }) as unknown as ExposureResponse

describe('evacuation list files', () => {
  it('neutralises spreadsheet formulas', () => {
    for (const bad of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1']) expect(safeCell(bad).startsWith("'")).toBe(true)
    expect(safeCell('张三')).toBe('张三')
  })

  it('writes one CSV row per destination, quoted and formula-safe, with counts when nobody is named', () => {
    const csv = listCsv(exposure([entry()]))
    expect(csv.startsWith('\uFEFF"行政村"')).toBe(true)
    const lines = csv.trim().split('\r\n')
    expect(lines).toHaveLength(3)
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"")"`)
    expect(lines[1]).toContain('"村委会广场","100","812","12.2"')
    expect(lines[1]).toContain(`"老年人2、留守儿童1"`)
    expect(lines[2]).toContain(`"'-学校操场"`)
  })

  it('names people with their 包保责任人 only when the answer carries them', () => {
    const named = entry({
      people: [{ category: 'elderly', name: '王五', mobilityNeeds: null, responsibleName: '赵六', responsiblePhone: '13900000000' }],
    })
    expect(listCsv(exposure([named], true))).toContain('王五')
    expect(listCsv(exposure([named], true))).toContain('包保：赵六')
    expect(listCsv(exposure([entry()]))).not.toContain('王五')
  })

  it('says why a village has no place', () => {
    const csv = listCsv(exposure([entry({ destinations: [], unplaced: 120, reason: { code: 'cut_off_by_zones', params: {} } })]))
    expect(csv).toContain('被危险区')
  })

  it('writes an Excel workbook with the list and, when named, the people', async () => {
    const named = entry({
      people: [{ category: 'child', name: '王小五', mobilityNeeds: '需背', responsibleName: '赵六', responsiblePhone: '=cmd' }],
    })
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await listXlsx(exposure([named], true))) as never)
    const list = workbook.getWorksheet('转移名单')!
    expect(list.getRow(2).getCell(2).value).toBe(`'=HYPERLINK("http://x")`)
    expect(list.getRow(2).getCell(6).value).toBe(100)
    const people = workbook.getWorksheet('特殊人群')!
    expect(people.getRow(2).getCell(4).value).toBe('王小五')
    expect(people.getRow(2).getCell(7).value).toBe(`'=cmd`)
  })

  it('prints one A4 page per administrative village, escaping text', () => {
    const html = listPrintPage(exposure([entry(), entry({ villageId: 2, adminName: '老坪村', name: '<b>x</b>' })]), '2026-12-02 10:00')
    expect(html).toContain('size: A4')
    expect(html.match(/<section class="page">/g)).toHaveLength(2)
    expect(html).toContain('松坡村 转移名单')
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;')
  })
})
