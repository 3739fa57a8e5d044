/**
 * Writes the small, real import fixtures under tests/fixtures/imports/ (committed; re-run with
 * `pnpm fixtures:imports` after changing this file). Every file is made by the tool that makes
 * such files in the field: GBK bytes by iconv-lite, workbooks by exceljs, Shapefiles by GDAL's
 * ogr2ogr (gdal-bin), zipped with fflate.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import ExcelJS from 'exceljs'
import { zipSync } from 'fflate'
import gcoord from 'gcoord'
import iconv from 'iconv-lite'

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../tests/fixtures/imports')
fs.mkdirSync(out, { recursive: true })
const write = (name: string, data: string | Uint8Array) => fs.writeFileSync(path.join(out, name), data)

/** Five hazard points inside the demo town (云岭镇, around 99.0–99.2°E, 25.03–25.16°N). */
const hazards = [
  {
    code: 'HZ-IMP-001',
    name: '新寨滑坡',
    kind: '滑坡',
    scale: '中型',
    risk: 3,
    admin: '530502199207',
    households: 12,
    people: 48,
    monitor: '张三',
    phone: '13800001001',
    lon: 99.1201,
    lat: 25.0701,
  },
  {
    code: 'HZ-IMP-002',
    name: '大箐沟泥石流',
    kind: '泥石流',
    scale: '大型',
    risk: 4,
    admin: '530502199204',
    households: 30,
    people: 121,
    monitor: '李四',
    phone: '13800001002',
    lon: 99.0679,
    lat: 25.0762,
  },
  {
    code: 'HZ-IMP-003',
    name: '河头山洪沟',
    kind: '山洪',
    scale: '小型',
    risk: 2,
    admin: '530502199206',
    households: 8,
    people: 29,
    monitor: '王五',
    phone: '13800001003',
    lon: 99.1279,
    lat: 25.1102,
  },
  {
    code: 'HZ-IMP-004',
    name: '老街崩塌',
    kind: '崩塌',
    scale: '小型',
    risk: 2,
    admin: '530502199207',
    households: 5,
    people: 17,
    monitor: '赵六',
    phone: '13800001004',
    lon: 99.1502,
    lat: 25.0903,
  },
  {
    code: 'HZ-IMP-005',
    name: '坝区内涝点',
    kind: '内涝',
    scale: '中型',
    risk: 1,
    admin: '530502199204',
    households: 21,
    people: 80,
    monitor: '钱七',
    phone: '13800001005',
    lon: 99.0905,
    lat: 25.1304,
  },
]
const header = ['编号', '名称', '类型', '规模', '风险等级', '行政村代码', '威胁户数', '威胁人数', '监测员', '联系电话', '经度', '纬度']
const csvLine = (cells: (string | number)[]) =>
  cells.map((cell) => (/[",\n]/.test(String(cell)) ? `"${String(cell).replace(/"/g, '""')}"` : String(cell))).join(',')
const hazardRow = (h: (typeof hazards)[number], lon: string | number = h.lon, lat: string | number = h.lat) => [
  h.code,
  h.name,
  h.kind,
  h.scale,
  h.risk,
  h.admin,
  h.households,
  h.people,
  h.monitor,
  h.phone,
  lon,
  lat,
]
const csv = (rows: (string | number)[][], head = header) => [head, ...rows].map(csvLine).join('\r\n') + '\r\n'

/** Degrees-minutes-seconds text for a decimal degree. */
function dms(value: number, style: 'symbols' | 'ascii' | 'chinese' | 'spaces'): string {
  const d = Math.floor(value)
  const mFloat = (value - d) * 60
  const m = Math.floor(mFloat)
  const s = Math.round((mFloat - m) * 60 * 10) / 10
  if (style === 'symbols') return `${d}°${m}′${s}″`
  if (style === 'ascii') return `${d}°${m}'${s}"`
  if (style === 'chinese') return `${d}度${m}分${s}秒`
  return `${d} ${m} ${s}`
}
const fullWidth = (text: string) => text.replace(/[0-9.]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0))

// CSV, UTF-8 without BOM, decimal degrees (also the base for the last-row failure copy).
write('hazards-utf8.csv', csv(hazards.map((h) => hazardRow(h))))
// CSV, UTF-8 with BOM (what Excel's "CSV UTF-8" writes), coordinates in every typed DMS form.
const styles = ['symbols', 'ascii', 'chinese', 'spaces', 'symbols'] as const
write(
  'hazards-dms-bom.csv',
  '\ufeff' +
    csv(
      hazards.map((h, i) => {
        const lon = i === 0 ? `${dms(h.lon, 'symbols')}E` : i === 4 ? fullWidth(dms(h.lon, 'symbols')) : dms(h.lon, styles[i]!)
        const lat = i === 0 ? `${dms(h.lat, 'symbols')}N` : i === 4 ? fullWidth(dms(h.lat, 'symbols')) : dms(h.lat, styles[i]!)
        return hazardRow(h, lon, lat)
      }),
    ),
)
// CSV in GBK (Chinese Excel's "CSV (逗号分隔)"), headers 东经/北纬 and units in brackets.
write(
  'hazards-gbk.csv',
  iconv.encode(
    csv(
      hazards.map((h) => hazardRow(h)),
      [...header.slice(0, 6), '威胁户数（户）', '威胁人数（人）', '监测员', '联系电话', '东经', '北纬'],
    ),
    'gbk',
  ),
)
// Longitude and latitude columns swapped.
write('hazards-swapped.csv', csv(hazards.map((h) => hazardRow(h, h.lat, h.lon))))
// Coordinates picked from Amap (GCJ-02) and Baidu (BD-09).
const shifted = (crs: string) =>
  hazards.map((h) => {
    const [lon, lat] = gcoord.transform([h.lon, h.lat], gcoord.WGS84, crs === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09) as [number, number]
    return hazardRow(h, lon.toFixed(6), lat.toFixed(6))
  })
write('hazards-gcj02.csv', csv(shifted('gcj02')))
write('hazards-bd09.csv', csv(shifted('bd09')))
// Four good rows and a last row whose type is unknown: the whole import must be refused.
write('hazards-last-row-bad.csv', csv([...hazards.slice(0, 4).map((h) => hazardRow(h)), hazardRow({ ...hazards[4]!, kind: '火山' })]))
// One point 400 km away (warned), one row with an unreadable coordinate, one with no name.
write(
  'hazards-traps.csv',
  csv([
    hazardRow(hazards[0]!),
    hazardRow({ ...hazards[1]!, code: 'HZ-IMP-FAR' }, 103.5, 25.1),
    hazardRow({ ...hazards[2]!, code: 'HZ-IMP-BADXY' }, '99°75′', 25.1),
    hazardRow({ ...hazards[3]!, code: 'HZ-IMP-NONAME', name: '' }),
  ]),
)

async function workbooks() {
  // A workbook as offices keep it: a notes sheet first, then the register with a merged title
  // row, a blank row, numbers typed as text, a date column holding Excel serials.
  const book = new ExcelJS.Workbook()
  const notes = book.addWorksheet('填表说明')
  notes.addRow(['本表由云岭镇应急办整理'])
  notes.addRow(['坐标为 WGS84'])
  const sheet = book.addWorksheet('隐患点台账')
  sheet.addRow(['云岭镇地质灾害隐患点台账（2026 年）'])
  sheet.mergeCells(1, 1, 1, header.length + 1)
  sheet.addRow([])
  sheet.addRow([...header, '登记日期'])
  for (const h of hazards) {
    const row = hazardRow(h).map((cell, i) => (i === 6 || i === 7 ? String(cell) : cell))
    sheet.addRow([...row, 46000 + hazards.indexOf(h)])
  }
  sheet.addRow([])
  sheet.addRow(['制表：应急办'])
  write('hazards.xlsx', new Uint8Array(await book.xlsx.writeBuffer()))

  const people = new ExcelJS.Workbook()
  const ps = people.addWorksheet('特殊人群')
  ps.addRow(['云岭镇特殊人群台账'])
  ps.mergeCells('A1:H1')
  ps.addRow(['自然村编号', '类别', '姓名', '联系电话', '住址', '转移需求', '帮扶责任人', '责任人电话'])
  ps.addRow(['530502199207002', '老年人', '导入测试甲', '13900000001', '新寨 1 号', '需搀扶', '导入责任人', '13900000009'])
  ps.addRow(['530502199207002', '残疾人', '导入测试乙', '13900000002', '新寨 2 号', '轮椅', '导入责任人', '13900000009'])
  ps.addRow(['530502199204006', '孕产妇', '导入测试丙', '', '大哨 3 号', '', '', ''])
  write('vulnerable-people.xlsx', new Uint8Array(await people.xlsx.writeBuffer()))
}

/** A square danger zone (degrees) around a point; `bowtie` makes it self-intersecting. */
function zone(lon: number, lat: number, size = 0.003, bowtie = false) {
  const ring = bowtie
    ? [
        [lon - size, lat - size],
        [lon + size, lat + size],
        [lon + size, lat - size],
        [lon - size, lat + size],
        [lon - size, lat - size],
      ]
    : [
        [lon - size, lat - size],
        [lon + size, lat - size],
        [lon + size, lat + size],
        [lon - size, lat + size],
        [lon - size, lat - size],
      ]
  return { type: 'Polygon', coordinates: [ring] }
}

function geojsonFixtures() {
  write(
    'hazards.geojson',
    JSON.stringify({
      type: 'FeatureCollection',
      features: hazards.map((h) => ({
        type: 'Feature',
        properties: { code: h.code, name: h.name, kind: 'landslide', threatened_people: h.people, monitor: h.monitor },
        geometry: { type: 'Point', coordinates: [h.lon, h.lat] },
      })),
    }),
  )
  // Danger zones for two of the demo town's seeded hazard points: one valid, one self-intersecting
  // (repaired with ST_MakeValid and flagged), one with an empty geometry (refused).
  write(
    'danger-zones.geojson',
    JSON.stringify({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { 隐患点编号: 'HZ-530502199-001' }, geometry: zone(99.120819, 25.069668) },
        { type: 'Feature', properties: { 隐患点编号: 'HZ-530502199-002' }, geometry: zone(99.067879, 25.076168, 0.003, true) },
        { type: 'Feature', properties: { 隐患点编号: 'HZ-530502199-003' }, geometry: { type: 'Polygon', coordinates: [] } },
      ],
    }),
  )
}

/** Runs ogr2ogr to write a Shapefile from GeoJSON features, then zips the parts it keeps. */
function shapefileFixture(name: string, features: unknown[], options: { srs: string; keep: string[]; encoding?: string }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'riskatlas-shp-'))
  const input = path.join(dir, 'in.geojson')
  fs.writeFileSync(input, JSON.stringify({ type: 'FeatureCollection', features }))
  const layer = name.replace(/\.zip$/, '')
  execFileSync('ogr2ogr', [
    '-f',
    'ESRI Shapefile',
    '-t_srs',
    options.srs,
    '-lco',
    `ENCODING=${options.encoding ?? 'CP936'}`,
    path.join(dir, `${layer}.shp`),
    input,
  ])
  const parts: Record<string, Uint8Array> = {}
  for (const ext of options.keep) {
    const file = path.join(dir, `${layer}.${ext}`)
    if (fs.existsSync(file)) parts[`${layer}/${layer}.${ext}`] = fs.readFileSync(file)
  }
  write(name, zipSync(parts, { mtime: new Date('2026-12-01T00:00:00Z') }))
  fs.rmSync(dir, { recursive: true, force: true })
}

function shapefiles() {
  const zones = [
    { type: 'Feature', properties: { 编号: 'HZ-530502199-001', 名称: '小河山洪沟危险区' }, geometry: zone(99.120819, 25.069668, 0.004) },
    { type: 'Feature', properties: { 编号: 'HZ-530502199-002', 名称: '大哨崩塌危险区' }, geometry: zone(99.067879, 25.076168, 0.004) },
  ]
  // CGCS2000 3° Gauss-Krüger zone 33 (EPSG:4521), .prj and a .cpg, GBK text.
  shapefileFixture('danger-zones-gk3.zip', zones, { srs: 'EPSG:4521', keep: ['shp', 'shx', 'dbf', 'prj', 'cpg'] })
  const points = hazards.map((h) => ({
    type: 'Feature',
    properties: { 编号: h.code, 名称: h.name, 类型: h.kind, 监测员: h.monitor },
    geometry: { type: 'Point', coordinates: [h.lon, h.lat] },
  }))
  // CGCS2000 6° zone 17 (EPSG:4495) points, GBK text with no .cpg and no .prj: the system must be asked for.
  shapefileFixture('hazards-gk6-noprj.zip', points, { srs: 'EPSG:4495', keep: ['shp', 'shx', 'dbf'] })
  // CGCS2000 geographic (EPSG:4490) with .prj, UTF-8 .dbf with its .cpg.
  shapefileFixture('hazards-cgcs2000.zip', points, { srs: 'EPSG:4490', keep: ['shp', 'shx', 'dbf', 'prj', 'cpg'], encoding: 'UTF-8' })
}

await workbooks()
geojsonFixtures()
shapefiles()
console.log(`fixtures written to ${out}: ${fs.readdirSync(out).join(', ')}`)
