import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { enumLabels, importCommitResultSchema, importPreviewSchema, importTargets, type ImportField } from '@riskatlas/shared'
import { parseCoordinate } from '../../server/src/imports/coords.ts'
import { templateLayers } from '../../server/src/exports/template.ts'
import { readXlsx } from '../../server/src/imports/xlsx.ts'
import { openHome, signIn, testHomes, type HomeContext, type Session } from '../support/homes.ts'

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
