import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorBodySchema, importCommitResultSchema, importListSchema, importPreviewSchema, importSummarySchema } from '@riskatlas/shared'
import { openHome, signIn, testHomes, type HomeContext, type Session } from '../support/homes.ts'

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/imports')
const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(fixtures, name)))
let serial = 0
const key = () => `import-test-${Date.now().toString(36)}-${serial++}`

describe.each(testHomes())('import API on the $name home', (home) => {
  let ctx: HomeContext
  let editor: Session
  let villageEditor: Session
  const created: number[] = []

  beforeAll(async () => {
    ctx = openHome(home)
    ;[editor, villageEditor] = await Promise.all([signIn(ctx.app, 'editor'), signIn(ctx.app, 'village_editor')])
  })

  afterAll(async () => {
    // Undo what is still committed (newest first), then drop the records.
    for (const id of [...created].reverse()) await editor.request(`/api/imports/${id}/undo`, { method: 'POST' })
    await sql`DELETE FROM hazard_points WHERE code LIKE 'HZ-IMP-%'`.execute(ctx.db)
    if (created.length) await sql`DELETE FROM imports WHERE id = ANY(${created}::integer[])`.execute(ctx.db)
    await ctx.close()
  })

  async function upload(
    session: Session,
    layer: string,
    name: string,
    bytes: Uint8Array | ReadableStream,
    headers: Record<string, string> = {},
  ) {
    return await ctx.app.request(`/api/imports?layer=${layer}&fileName=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': 'application/octet-stream', ...headers },
      body: bytes,
      ...(bytes instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit)
  }
  async function uploaded(session: Session, layer: string, name: string) {
    const response = await upload(session, layer, name, fixture(name))
    expect(response.status).toBe(201)
    const preview = importPreviewSchema.parse(await response.json())
    created.push(preview.import.id)
    return preview
  }
  const commit = (session: Session, id: number, mode: string, idempotencyKey = key()) =>
    session.request(`/api/imports/${id}/commit`, { method: 'POST', body: { mode, idempotencyKey } })
  const count = async (where = sql`code LIKE 'HZ-IMP-%'`) =>
    Number((await sql<{ n: string }>`SELECT count(*) AS n FROM hazard_points WHERE ${where}`.execute(ctx.db)).rows[0]!.n)

  it('uploads a CSV, proposes the mapping, previews it; commits once however often the commit is retried', async () => {
    // Ids restart with every seed (seed.test.ts reseeds the worker's home) while the append-only
    // audit log stays: only this test's rows.
    const since = new Date(Date.now() - 1000)
    const preview = await uploaded(editor, 'hazard_points', 'hazards-utf8.csv')
    expect(preview.import.status).toBe('uploaded')
    expect(preview.mapping).toMatchObject({ code: '编号', name: '名称', lon: '经度', lat: '纬度', threatened_people: '威胁人数' })
    expect(preview.totals).toEqual({ rows: 5, valid: 5, errors: 0, warnings: 0 })
    expect(preview.features.features).toHaveLength(5)
    const idempotencyKey = key()
    const first = await commit(editor, preview.import.id, 'append', idempotencyKey)
    expect(first.status).toBe(200)
    const result = importCommitResultSchema.parse(await first.json())
    expect(result.import).toMatchObject({
      status: 'committed',
      mode: 'append',
      counts: { inserted: 5, updated: 0, deleted: 0, repaired: 0 },
      committedBy: 'editor',
    })
    const retried = await commit(editor, preview.import.id, 'append', idempotencyKey)
    expect(retried.status).toBe(200)
    expect(importCommitResultSchema.parse(await retried.json()).import.id).toBe(preview.import.id)
    expect(await count()).toBe(5)
    const { rows } = await sql<{
      n: string
    }>`SELECT count(*) AS n FROM hazard_points WHERE import_id = ${preview.import.id} AND ST_IsValid(geom)`.execute(ctx.db)
    expect(Number(rows[0]!.n)).toBe(5)
    // A second commit with a new key is refused: the import is committed already.
    expect((await commit(editor, preview.import.id, 'append')).status).toBe(409)
    const listed = importListSchema.parse(await (await editor.request('/api/imports?layer=hazard_points')).json())
    expect(listed.imports.find((entry) => entry.id === preview.import.id)).toMatchObject({
      fileName: 'hazards-utf8.csv',
      counts: { inserted: 5 },
      createdBy: 'editor',
      undoable: true,
    })
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['action', 'reason'])
      .where('entity', '=', 'imports')
      .where('entity_id', '=', String(preview.import.id))
      .where('at', '>=', since)
      .execute()
    expect(audit).toEqual([{ action: 'create', reason: 'import_committed' }])
  })

  it('refuses an import whose last row is bad as a whole, and leaves the database unchanged', async () => {
    const before = await count(sql`true`)
    const preview = await uploaded(editor, 'hazard_points', 'hazards-last-row-bad.csv')
    expect(preview.totals).toMatchObject({ rows: 5, valid: 4, errors: 1 })
    const response = await commit(editor, preview.import.id, 'upsert')
    expect(response.status).toBe(400)
    const body = errorBodySchema.parse(await response.json())
    expect((body.error.details as { issues: { row: number }[] }).issues).toEqual([
      expect.objectContaining({ row: 6, column: '类型', severity: 'error' }),
    ])
    expect(await count(sql`true`)).toBe(before)
    const report = await editor.request(`/api/imports/${preview.import.id}/report.csv`)
    expect(report.status).toBe(200)
    const text = await report.text()
    // The reason is worded from the issue's code in both languages, the allowed values from the enum labels.
    expect(text).toContain('"6","类型","错误 error","取值无效 “火山”，应为 滑坡/崩塌/泥石流/山洪/内涝 — “火山” is not one of')
    // The answer itself carries codes, not the server's words: its only Chinese is the file's own text.
    const issue = (body.error.details as { issues: unknown[] }).issues[0]
    expect(issue).toMatchObject({
      code: 'not_allowed',
      params: { value: '火山', allowed: 'landslide,collapse,debris_flow,flash_flood,waterlogging' },
    })
    expect(body.error.message).not.toMatch(/[\u4e00-\u9fff]/)
    expect(body.error.details).toMatchObject({ reason: 'rows_with_errors', params: { rows: 1 } })
  })

  it('appending an existing code is refused; upsert updates by code; undo is refused while newer changes sit on the rows', async () => {
    const again = await uploaded(editor, 'hazard_points', 'hazards-dms-bom.csv')
    expect((await commit(editor, again.import.id, 'append')).status).toBe(400)
    const book = await uploaded(editor, 'hazard_points', 'hazards.xlsx')
    expect(book.sheet).toBe('隐患点台账')
    const committed = importCommitResultSchema.parse(await (await commit(editor, book.import.id, 'upsert')).json())
    expect(committed.import.counts).toEqual({ inserted: 0, updated: 5, deleted: 0, repaired: 0 })
    const first = importListSchema
      .parse(await (await editor.request('/api/imports?layer=hazard_points')).json())
      .imports.find((entry) => entry.fileName === 'hazards-utf8.csv' && entry.status === 'committed')!
    expect(importSummarySchema.parse(await (await editor.request(`/api/imports/${first.id}`)).json()).undoable).toBe(false)
    // The history says the same, by the same rule: the newer upsert can be undone, the first import not.
    const history = importListSchema.parse(await (await editor.request('/api/imports?layer=hazard_points')).json()).imports
    expect(history.find((entry) => entry.id === first.id)?.undoable).toBe(false)
    expect(history.find((entry) => entry.id === book.import.id)?.undoable).toBe(true)
    expect(history.filter((entry) => entry.status !== 'committed').every((entry) => entry.undoable === false)).toBe(true)
    const refused = await editor.request(`/api/imports/${first.id}/undo`, { method: 'POST' })
    expect(refused.status).toBe(409)
    expect(errorBodySchema.parse(await refused.json()).error.details).toMatchObject({ reason: 'rows_changed', params: { touched: 5 } })
    // Undo the upsert, then the first import: the rows are gone again.
    expect((await editor.request(`/api/imports/${book.import.id}/undo`, { method: 'POST' })).status).toBe(200)
    expect(await count()).toBe(5)
    expect((await editor.request(`/api/imports/${first.id}/undo`, { method: 'POST' })).status).toBe(200)
    expect(await count()).toBe(0)
  })

  it('a commit after the data changed since its preview checks the rows again: refuses a code taken meanwhile, takes one freed meanwhile', async () => {
    const csv = (code: string) =>
      new TextEncoder().encode(`编号,名称,类型,行政村代码,经度,纬度\n${code},并发测试点,滑坡,530502199207,99.1201,25.0701\n`)
    const send = async (code: string, name: string) => {
      const response = await upload(editor, 'hazard_points', name, csv(code))
      expect(response.status).toBe(201)
      const preview = importPreviewSchema.parse(await response.json())
      created.push(preview.import.id)
      return preview
    }
    // Previewed while HZ-IMP-LATE-1 is free; another import takes the code before the commit.
    const late = await send('HZ-IMP-LATE-1', 'late.csv')
    expect(late.totals).toMatchObject({ valid: 1, errors: 0 })
    const other = await send('HZ-IMP-LATE-1', 'other.csv')
    expect((await commit(editor, other.import.id, 'append')).status).toBe(200)
    const refused = await commit(editor, late.import.id, 'append')
    expect(refused.status).toBe(400)
    expect(errorBodySchema.parse(await refused.json()).error.details).toMatchObject({
      reason: 'rows_with_errors',
      issues: [expect.objectContaining({ row: 2, code: 'code_exists', severity: 'error' })],
    })
    expect(await count(sql`code = 'HZ-IMP-LATE-1'`)).toBe(1)

    // Previewed while HZ-IMP-LATE-2 is taken (an append would be refused); the code is freed before the commit.
    const holder = await send('HZ-IMP-LATE-2', 'holder.csv')
    expect((await commit(editor, holder.import.id, 'append')).status).toBe(200)
    const waiting = await send('HZ-IMP-LATE-2', 'waiting.csv')
    expect((await commit(editor, waiting.import.id, 'append')).status).toBe(400)
    expect((await editor.request(`/api/imports/${holder.import.id}/undo`, { method: 'POST' })).status).toBe(200)
    const accepted = await commit(editor, waiting.import.id, 'append')
    expect(accepted.status).toBe(200)
    expect(importCommitResultSchema.parse(await accepted.json()).import.counts).toMatchObject({ inserted: 1 })
    expect(await count(sql`code = 'HZ-IMP-LATE-2'`)).toBe(1)
    for (const id of [waiting.import.id, other.import.id])
      expect((await editor.request(`/api/imports/${id}/undo`, { method: 'POST' })).status).toBe(200)
    expect(await count(sql`code LIKE 'HZ-IMP-LATE-%'`)).toBe(0)
  })

  it('reads danger zones from a Gauss-Krüger Shapefile onto hazard points by code; undo restores the zones exactly', async () => {
    const before = (
      await sql<{
        code: string
        zone: string | null
      }>`SELECT code, danger_zone::text AS zone FROM hazard_points WHERE code IN ('HZ-530502199-001', 'HZ-530502199-002') ORDER BY code`.execute(
        ctx.db,
      )
    ).rows
    const preview = await uploaded(editor, 'danger_zones', 'danger-zones-gk3.zip')
    expect(preview.crs).toBe('CGCS2000_3_Degree_GK_Zone_33')
    expect(preview.totals).toMatchObject({ rows: 2, valid: 2, errors: 0 })
    expect((await commit(editor, preview.import.id, 'append')).status).toBe(400)
    const result = importCommitResultSchema.parse(await (await commit(editor, preview.import.id, 'upsert')).json())
    expect(result.import.counts).toMatchObject({ updated: 2 })
    const { rows } = await sql<{ valid: boolean; inside: boolean }>`
      SELECT ST_IsValid(danger_zone) AS valid, ST_Contains(danger_zone, geom) AS inside FROM hazard_points WHERE code IN ('HZ-530502199-001', 'HZ-530502199-002')`.execute(
      ctx.db,
    )
    expect(rows).toEqual([
      { valid: true, inside: true },
      { valid: true, inside: true },
    ])
    expect((await editor.request(`/api/imports/${preview.import.id}/undo`, { method: 'POST' })).status).toBe(200)
    const after = (
      await sql<{
        code: string
        zone: string | null
      }>`SELECT code, danger_zone::text AS zone FROM hazard_points WHERE code IN ('HZ-530502199-001', 'HZ-530502199-002') ORDER BY code`.execute(
        ctx.db,
      )
    ).rows
    expect(after).toEqual(before)
  })

  it('flags a self-intersecting polygon as repaired and refuses an empty one; the whole file is then refused', async () => {
    const preview = await uploaded(editor, 'danger_zones', 'danger-zones.geojson')
    expect(preview.issues).toEqual([
      expect.objectContaining({ row: 2, severity: 'warning', field: 'geometry', code: 'polygon_repaired' }),
      expect.objectContaining({ row: 3, severity: 'error', field: 'geometry', code: 'geometry_empty' }),
    ])
    expect((await commit(editor, preview.import.id, 'upsert')).status).toBe(400)
  })

  it('asks for the coordinate system of a Shapefile without .prj, then reads it in the chosen Gauss-Krüger zone', async () => {
    const preview = await uploaded(editor, 'hazard_points', 'hazards-gk6-noprj.zip')
    expect(preview.fileProblem).toEqual({ code: 'crs_required', reason: 'prj_missing', params: {} })
    const response = await editor.request(`/api/imports/${preview.import.id}/preview`, { method: 'POST', body: { crs: 'gk6:17' } })
    const chosen = importPreviewSchema.parse(await response.json())
    expect(chosen.fileProblem).toBeNull()
    expect(chosen.totals).toMatchObject({ rows: 5, valid: 5 })
    const [lon, lat] = (chosen.features.features[0] as { geometry: { coordinates: [number, number] } }).geometry.coordinates
    expect(Math.abs(lon - 99.1201) + Math.abs(lat - 25.0701)).toBeLessThan(0.00001)
  })

  it('offers to swap longitude and latitude, and applies the swap when asked', async () => {
    const preview = await uploaded(editor, 'hazard_points', 'hazards-swapped.csv')
    expect(preview.swapSuggested).toBe(true)
    const swapped = importPreviewSchema.parse(
      await (await editor.request(`/api/imports/${preview.import.id}/preview`, { method: 'POST', body: { swapCoordinates: true } })).json(),
    )
    expect(swapped.totals).toMatchObject({ valid: 5, errors: 0 })
  })

  it('imports the 特殊人群 workbook within scope only; a scoped editor is refused rows outside their villages', async () => {
    const preview = await uploaded(editor, 'vulnerable_people', 'vulnerable-people.xlsx')
    expect(preview.totals).toMatchObject({ rows: 3, valid: 3 })
    const result = importCommitResultSchema.parse(await (await commit(editor, preview.import.id, 'append')).json())
    expect(result.import.counts).toMatchObject({ inserted: 3 })
    const people = await editor.request('/api/vulnerable-people')
    const names = ((await people.json()) as { people: { name: string }[] }).people.map((p) => p.name)
    expect(names).toEqual(expect.arrayContaining(['导入测试甲', '导入测试乙', '导入测试丙']))
    expect((await editor.request(`/api/imports/${preview.import.id}/undo`, { method: 'POST' })).status).toBe(200)
    const remaining = ((await (await editor.request('/api/vulnerable-people')).json()) as { people: { name: string }[] }).people.filter(
      (p) => p.name.startsWith('导入测试'),
    )
    expect(remaining).toEqual([])
    const scoped = await uploaded(villageEditor, 'vulnerable_people', 'vulnerable-people.xlsx')
    expect(scoped.issues.some((issue) => issue.code === 'outside_scope')).toBe(true)
  })

  it('refuses uploads over 20 MB with 413 before parsing, whether the length is declared, chunked, or both', async () => {
    const size = 20 * 1024 * 1024 + 1
    const big = new Uint8Array(size)
    const declared = await upload(editor, 'hazard_points', 'big.csv', big, { 'content-length': String(size) })
    expect(declared.status).toBe(413)
    expect(errorBodySchema.parse(await declared.json()).error.code).toBe('payload_too_large')
    const stream = () =>
      new ReadableStream({
        start(controller) {
          for (let sent = 0; sent < size; sent += 1024 * 1024) controller.enqueue(new Uint8Array(Math.min(1024 * 1024, size - sent)))
          controller.close()
        },
      })
    const chunked = await upload(editor, 'hazard_points', 'big.csv', stream(), { 'transfer-encoding': 'chunked' })
    expect(chunked.status).toBe(413)
    // Both headers, the length understated: the stream is counted, not the header.
    const both = await upload(editor, 'hazard_points', 'big.csv', stream(), { 'transfer-encoding': 'chunked', 'content-length': '10' })
    expect(both.status).toBe(413)
    const unsupported = await upload(editor, 'hazard_points', 'notes.docx', new Uint8Array([1, 2, 3]))
    expect(unsupported.status).toBe(415)
  })
})
