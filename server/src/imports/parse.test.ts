import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { importTargets } from '@riskatlas/shared'
import { matchHeaders } from './headers.ts'
import { parseFile } from './parse.ts'
import { mapRows } from './rows.ts'
import { UnreadableFile } from './types.ts'
import { excelSerialToDate } from './xlsx.ts'

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../tests/fixtures/imports')
const read = (name: string) => new Uint8Array(fs.readFileSync(path.join(fixtures, name)))
const hazards = importTargets.hazard_points
const zones = importTargets.danger_zones
const town = { west: 99.0, south: 25.03, east: 99.2, north: 25.17 }
const expected: [number, number][] = [
  [99.1201, 25.0701],
  [99.0679, 25.0762],
  [99.1279, 25.1102],
  [99.1502, 25.0903],
  [99.0905, 25.1304],
]

async function importHazards(name: string, options: Parameters<typeof mapRows>[2] extends infer O ? Partial<O> : never = {}) {
  const parsed = await parseFile(name, read(name), { fields: hazards.fields })
  const sheet = parsed.sheets.at(-1)!
  const mapping = matchHeaders(sheet.columns, hazards.fields)
  return { parsed, sheet, mapping, result: mapRows(sheet, hazards, { mapping, town, ...options }, parsed.spatial) }
}

const coordinatesOf = (rows: { geometry?: { coordinates?: unknown } }[]) => rows.map((row) => row.geometry!.coordinates as [number, number])
function expectNear(actual: [number, number][], tolerance = 0.00005) {
  expect(actual).toHaveLength(expected.length)
  actual.forEach(([x, y], i) => {
    const [ex, ey] = expected[i]!
    expect(Math.abs(x - ex), `row ${i} lon`).toBeLessThan(tolerance)
    expect(Math.abs(y - ey), `row ${i} lat`).toBeLessThan(tolerance)
  })
}

describe('CSV', () => {
  it('reads UTF-8 without a BOM, matching the Chinese headers', async () => {
    const { parsed, mapping, result } = await importHazards('hazards-utf8.csv')
    expect(parsed.encoding).toBe('utf-8')
    expect(mapping).toMatchObject({
      code: '编号',
      name: '名称',
      kind: '类型',
      threatened_households: '威胁户数',
      threatened_people: '威胁人数',
      monitor_name: '监测员',
      monitor_phone: '联系电话',
      lon: '经度',
      lat: '纬度',
    })
    expect(result.issues).toEqual([])
    expectNear(coordinatesOf(result.rows))
    expect(result.rows[1]!.values).toMatchObject({
      code: 'HZ-IMP-002',
      kind: 'debris_flow',
      scale: 'large',
      risk_level: 4,
      threatened_people: 121,
      monitor_phone: '13800001002',
    })
  })
  it('reads UTF-8 with a BOM and every typed degrees-minutes-seconds form, full-width too', async () => {
    const { parsed, sheet, result } = await importHazards('hazards-dms-bom.csv')
    expect(parsed.encoding).toBe('utf-8')
    expect(sheet.columns[0]).toBe('编号')
    expect(result.issues).toEqual([])
    expectNear(coordinatesOf(result.rows), 0.0001)
  })
  it('detects GBK, and matches 东经/北纬 and headers with units in brackets', async () => {
    const { parsed, mapping, result } = await importHazards('hazards-gbk.csv')
    expect(parsed.encoding).toBe('gb18030')
    expect(mapping).toMatchObject({
      lon: '东经',
      lat: '北纬',
      threatened_households: '威胁户数（户）',
      threatened_people: '威胁人数（人）',
    })
    expect(result.rows[0]!.values.name).toBe('新寨滑坡')
    expectNear(coordinatesOf(result.rows))
  })
  it('suggests swapping longitude and latitude, and applies the swap when asked', async () => {
    const first = await importHazards('hazards-swapped.csv')
    expect(first.result.swapSuggested).toBe(true)
    expect(first.result.rows).toHaveLength(0)
    expect(first.result.issues[0]).toMatchObject({ row: 2, column: '纬度', severity: 'error' })
    const swapped = await importHazards('hazards-swapped.csv', { swapCoordinates: true })
    expect(swapped.result.swapSuggested).toBe(false)
    expectNear(coordinatesOf(swapped.result.rows))
  })
  it('converts GCJ-02 (Amap) and BD-09 (Baidu) coordinates to WGS84', async () => {
    const raw = await importHazards('hazards-gcj02.csv')
    expect(Math.abs(coordinatesOf(raw.result.rows)[0]![0] - 99.1201)).toBeGreaterThan(0.0005)
    expectNear(coordinatesOf((await importHazards('hazards-gcj02.csv', { coordinateSystem: 'gcj02' })).result.rows))
    expectNear(coordinatesOf((await importHazards('hazards-bd09.csv', { coordinateSystem: 'bd09' })).result.rows))
  })
  it('reports each bad row with its row number, column and reason; far points are warned, not refused', async () => {
    const { result } = await importHazards('hazards-traps.csv')
    expect(result.rows.map((row) => row.values.code)).toEqual(['HZ-IMP-001', 'HZ-IMP-FAR'])
    expect(result.issues).toEqual([
      expect.objectContaining({ row: 3, column: '经度', field: 'lon', severity: 'warning', code: 'far_from_town' }),
      expect.objectContaining({ row: 4, column: '经度', field: 'lon', severity: 'error', code: 'not_coordinate' }),
      expect.objectContaining({ row: 5, column: '名称', field: 'name', severity: 'error', code: 'required', params: { field: 'name' } }),
    ])
  })
  it('refuses a last row with an unknown type by listing it', async () => {
    const { result } = await importHazards('hazards-last-row-bad.csv')
    expect(result.rows).toHaveLength(4)
    expect(result.issues).toEqual([
      expect.objectContaining({
        row: 6,
        column: '类型',
        severity: 'error',
        code: 'not_allowed',
        params: expect.objectContaining({ value: '火山' }),
      }),
    ])
  })
})

describe('Excel', () => {
  it('finds the register sheet below a merged title row, skipping empty rows, numbers as text and trailing notes', async () => {
    const { parsed, sheet, result } = await importHazards('hazards.xlsx')
    expect(parsed.sheets.map((s) => s.name)).toEqual(['填表说明', '隐患点台账'])
    expect(sheet.headerRow).toBe(3)
    expect(sheet.columns).toContain('登记日期')
    expect(result.rows).toHaveLength(5)
    expect(result.rows[0]!.values).toMatchObject({ threatened_households: 12, threatened_people: 48 })
    expectNear(coordinatesOf(result.rows))
    // "制表：应急办" below the data is a note: skipped with a warning.
    expect(result.issues).toEqual([expect.objectContaining({ row: 10, severity: 'warning', code: 'note_row_skipped' })])
  })
  it('turns Excel serial numbers into dates', () => {
    expect(excelSerialToDate(46000)).toBe('2025-12-09')
    expect(excelSerialToDate(1)).toBe('1899-12-31')
    expect(excelSerialToDate(-3)).toBeUndefined()
  })
  it('reads the 特殊人群 workbook with its fields', async () => {
    const people = importTargets.vulnerable_people
    const parsed = await parseFile('vulnerable-people.xlsx', read('vulnerable-people.xlsx'), { fields: people.fields })
    const sheet = parsed.sheets[0]!
    const mapping = matchHeaders(sheet.columns, people.fields)
    expect(mapping).toMatchObject({
      village_code: '自然村编号',
      category: '类别',
      name: '姓名',
      phone: '联系电话',
      responsible_name: '帮扶责任人',
      responsible_phone: '责任人电话',
    })
    const result = mapRows(sheet, people, { mapping }, false)
    expect(result.issues).toEqual([])
    expect(result.rows.map((row) => row.values.category)).toEqual(['elderly', 'disabled', 'pregnant'])
  })
  it('refuses a file named .xlsx that is not a workbook, and old .xls', async () => {
    await expect(parseFile('x.xlsx', new TextEncoder().encode('a,b'), { fields: hazards.fields })).rejects.toBeInstanceOf(UnreadableFile)
    await expect(parseFile('x.xls', new Uint8Array([0xd0, 0xcf]), { fields: hazards.fields })).rejects.toMatchObject({ reason: 'xls_old' })
  })
})

describe('GeoJSON', () => {
  it('reads points with their properties', async () => {
    const parsed = await parseFile('hazards.geojson', read('hazards.geojson'), { fields: hazards.fields })
    const sheet = parsed.sheets[0]!
    const mapping = matchHeaders(sheet.columns, hazards.fields)
    expect(mapping).toMatchObject({
      code: 'code',
      name: 'name',
      kind: 'kind',
      threatened_people: 'threatened_people',
      monitor_name: 'monitor',
    })
    const result = mapRows(sheet, hazards, { mapping, town }, true)
    expectNear(coordinatesOf(result.rows))
  })
  it('refuses an empty polygon, keeps a self-intersecting one for PostGIS to repair', async () => {
    const parsed = await parseFile('danger-zones.geojson', read('danger-zones.geojson'), { fields: zones.fields })
    const sheet = parsed.sheets[0]!
    const mapping = matchHeaders(sheet.columns, zones.fields)
    expect(mapping).toEqual({ code: '隐患点编号' })
    const result = mapRows(sheet, zones, { mapping }, true)
    expect(result.rows.map((row) => [row.values.code, row.geometry!.type])).toEqual([
      ['HZ-530502199-001', 'MultiPolygon'],
      ['HZ-530502199-002', 'MultiPolygon'],
    ])
    expect(result.issues).toEqual([expect.objectContaining({ row: 3, field: 'geometry', code: 'geometry_empty' })])
  })
  it('refuses what is not GeoJSON', async () => {
    await expect(parseFile('x.geojson', new TextEncoder().encode('{"type":"Topology"}'), { fields: zones.fields })).rejects.toMatchObject({
      reason: 'geojson_not_collection',
    })
    await expect(parseFile('x.geojson', new TextEncoder().encode('{'), { fields: zones.fields })).rejects.toMatchObject({
      reason: 'geojson_syntax',
    })
  })
})

describe('zipped Shapefile', () => {
  it('honours a Gauss-Krüger 3° zone .prj and the .cpg (GBK text)', async () => {
    const parsed = await parseFile('danger-zones-gk3.zip', read('danger-zones-gk3.zip'), { fields: zones.fields })
    expect(parsed.crs).toBe('CGCS2000_3_Degree_GK_Zone_33')
    expect(parsed.encoding).toBe('gb18030')
    const sheet = parsed.sheets[0]!
    expect(sheet.records[0]!.values['名称']).toBe('小河山洪沟危险区')
    const result = mapRows(sheet, zones, { mapping: matchHeaders(sheet.columns, zones.fields) }, true)
    expect(result.issues).toEqual([])
    const ring = (result.rows[0]!.geometry!.coordinates as number[][][][])[0]![0]!
    const xs = ring.map((p) => p[0]!)
    const ys = ring.map((p) => p[1]!)
    expect(Math.min(...xs)).toBeCloseTo(99.120819 - 0.004, 6)
    expect(Math.max(...ys)).toBeCloseTo(25.069668 + 0.004, 6)
  })
  it('asks for the coordinate system when the .prj is missing, and reads a 6° zone once told; GBK guessed without a .cpg', async () => {
    await expect(parseFile('hazards-gk6-noprj.zip', read('hazards-gk6-noprj.zip'), { fields: hazards.fields })).rejects.toMatchObject({
      code: 'crs_required',
    })
    const parsed = await parseFile('hazards-gk6-noprj.zip', read('hazards-gk6-noprj.zip'), { fields: hazards.fields, crs: 'gk6:17' })
    expect(parsed.encoding).toBe('gb18030')
    const sheet = parsed.sheets[0]!
    const mapping = matchHeaders(sheet.columns, hazards.fields)
    expect(mapping).toMatchObject({ code: '编号', name: '名称', kind: '类型', monitor_name: '监测员' })
    const result = mapRows(sheet, hazards, { mapping, town }, true)
    expect(result.rows[0]!.values.name).toBe('新寨滑坡')
    expectNear(coordinatesOf(result.rows), 0.000001)
  })
  it('reads CGCS2000 geographic with a UTF-8 .cpg', async () => {
    const parsed = await parseFile('hazards-cgcs2000.zip', read('hazards-cgcs2000.zip'), { fields: hazards.fields })
    expect(parsed.encoding).toBe('utf-8')
    const sheet = parsed.sheets[0]!
    const result = mapRows(sheet, hazards, { mapping: matchHeaders(sheet.columns, hazards.fields), town }, true)
    expectNear(coordinatesOf(result.rows), 0.000001)
  })
})

describe('header matching', () => {
  it('matches English and Chinese spellings, each header once', () => {
    expect(matchHeaders(['Longitude', 'LAT', 'Name', 'ID', '监测员电话', '东经(°)'], hazards.fields)).toEqual({
      lon: 'Longitude',
      lat: 'LAT',
      name: 'Name',
      code: 'ID',
      monitor_phone: '监测员电话',
    })
    expect(matchHeaders(['X', 'Y', '隐患点名称', '*编号'], hazards.fields)).toEqual({
      lon: 'X',
      lat: 'Y',
      name: '隐患点名称',
      code: '*编号',
    })
  })
})
