import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import {
  fourListIds,
  fourListSchema,
  ledgerRecordKinds,
  ledgerRecordSchema,
  ledgerRecordsSchema,
  hiddenDangerListSchema,
  hiddenDangerSchema,
  rectificationRatesSchema,
  safetyPlaceCardSchema,
  safetyPlaceListSchema,
  safetyPlaceSchema,
  summaryFigureIds,
  summaryFigureRowsSchema,
  summarySchema,
  type HiddenDanger,
  type Summary,
} from '@riskatlas/shared'
import { openHome, signIn, testHomes, type HomeContext, type Session } from '../support/homes.ts'

const marker = '台账测试'

/** One file of an Office document (a zip), as its XML. */
function officeXml(bytes: ArrayBuffer, entry: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'office-')), 'doc.zip')
  fs.writeFileSync(file, Buffer.from(bytes))
  try {
    return execFileSync('unzip', ['-p', file, entry], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true })
  }
}
const untagged = (xml: string) => xml.replace(/<[^>]+>/g, '')
/** One file of an Office document (a zip), as text with the XML tags taken out. */
const officeText = (bytes: ArrayBuffer, entry: string): string => untagged(officeXml(bytes, entry))
/** A Word document's tables, each as rows of cell texts. */
const wordTables = (xml: string): string[][][] =>
  [...xml.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)].map(([, table]) =>
    [...table!.matchAll(/<w:tr[ >][\s\S]*?<\/w:tr>/g)].map(([row]) =>
      [...row.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map(([, cell]) => untagged(cell!)),
    ),
  )
const today = '2026-11-30'
const tinyPng = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
)

/** The safety ledger and the work summary through the API, on both database homes. */
describe.each(testHomes())('the safety ledger and work summary on the $name home', (home) => {
  let ctx: HomeContext
  let admin: Session
  let viewer: Session
  let villageEditor: Session
  let placeId: number

  const summary = async (query = 'year=2023'): Promise<Summary> => {
    const response = await admin.request(`/api/summary?${query}`)
    expect(response.status).toBe(200)
    return summarySchema.parse(await response.json())
  }
  const create = async (body: Record<string, unknown>): Promise<HiddenDanger> => {
    const response = await admin.request('/api/ledger/dangers', {
      method: 'POST',
      body: { placeId, source: 'inspection', description: marker, level: 'general', ...body },
    })
    expect(response.status, await response.clone().text()).toBe(201)
    return hiddenDangerSchema.parse(await response.json())
  }

  beforeAll(async () => {
    ctx = openHome(home, { today: () => today })
    admin = await signIn(ctx.app, 'admin')
    viewer = await signIn(ctx.app, 'viewer')
    villageEditor = await signIn(ctx.app, 'village_editor')
    placeId = (
      await ctx.db.selectFrom('safety_places').select('id').where('kind', '=', 'enterprise').orderBy('id').executeTakeFirstOrThrow()
    ).id
  })
  afterAll(async () => {
    await ctx.db.deleteFrom('hidden_dangers').where('description', '=', marker).execute()
    await ctx.db.deleteFrom('safety_places').where('name', 'like', `${marker}%`).execute()
    await ctx.db.deleteFrom('publicity_events').where('title', '=', marker).execute()
    await ctx.db.deleteFrom('warnings').where('issued_by', '=', marker).execute()
    await ctx.db.deleteFrom('hazardous_operations').where('description', '=', marker).execute()
    await ctx.db.deleteFrom('summary_narratives').where('year', '=', 2097).execute()
    await ctx.close()
  })

  it('computes every figure of the 2023 work summary from the rows, as the town’s document states them', async () => {
    const { figures } = await summary()
    expect({
      enterprisesSelfChecked: figures.enterprisesSelfChecked,
      hiddenDangersFound: figures.hiddenDangersFound,
      rectified: figures.rectified,
      major: figures.major,
      supervised: figures.supervised,
      enterprisesSanctioned: figures.enterprisesSanctioned,
      interviews: figures.interviews,
      technicalInspectors: figures.technicalInspectors,
      supervisoryHelp: figures.supervisoryHelp,
      principalLedInspections: figures.principalLedInspections,
      hazardousOperations: figures.hazardousOperations,
      leaflets: figures.leaflets,
      peopleAdvised: figures.peopleAdvised,
    }).toEqual({
      enterprisesSelfChecked: 53,
      hiddenDangersFound: 207,
      rectified: 197,
      major: 4,
      supervised: 12,
      enterprisesSanctioned: 5,
      interviews: 1,
      technicalInspectors: 2,
      supervisoryHelp: 10,
      principalLedInspections: 3,
      hazardousOperations: 13,
      leaflets: 970,
      peopleAdvised: 80,
    })
  })

  it('gives every figure the rows it counts: as many rows as the figure, or rows whose values add up to it', async () => {
    const { figures } = await summary()
    const sums = new Set([
      'leaflets',
      'peopleAdvised',
      'peopleTrained',
      'drillParticipants',
      'vulnerableListed',
      'vulnerableWithResponsible',
    ])
    for (const figure of summaryFigureIds) {
      const response = await admin.request(`/api/summary/figures/${figure}?year=2023`)
      expect(response.status, figure).toBe(200)
      const body = summaryFigureRowsSchema.parse(await response.json())
      expect(body.value, figure).toBe(figures[figure])
      const counted = sums.has(figure) ? body.rows.reduce((sum, row) => sum + (row.value ?? 0), 0) : body.rows.length
      expect(counted, figure).toBe(figures[figure])
    }
    const found = summaryFigureRowsSchema.parse(await (await admin.request('/api/summary/figures/hiddenDangersFound?year=2023')).json())
    expect(found.rows.every((row) => row.date!.startsWith('2023-'))).toBe(true)
  })

  it('counts one more found when a hidden danger dated 2023 is added, and one more rectified when it is rectified', async () => {
    const before = (await summary()).figures
    const danger = await create({ foundOn: '2023-08-10', deadline: '2023-09-10' })
    const added = (await summary()).figures
    expect(added.hiddenDangersFound).toBe(before.hiddenDangersFound + 1)
    expect(added.rectified).toBe(before.rectified)
    const response = await admin.request(`/api/ledger/dangers/${danger.id}/transition`, {
      method: 'POST',
      body: { to: 'rectified', on: '2023-08-20' },
    })
    expect(response.status).toBe(200)
    const rectified = (await summary()).figures
    expect(rectified.rectified).toBe(before.rectified + 1)
    expect(rectified.hiddenDangersFound).toBe(before.hiddenDangersFound + 1)
    // Any period: a range that holds only that day counts only dangers found then.
    const day = await summary('from=2023-08-10&to=2023-08-10')
    expect(day.figures.hiddenDangersFound).toBeGreaterThanOrEqual(1)
    expect(day.period).toEqual({ from: '2023-08-10', to: '2023-08-10', year: null })
    // Deleting it puts the year back as the town's document has it (later tests read 207).
    expect((await admin.request(`/api/ledger/dangers/${danger.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await summary()).figures.hiddenDangersFound).toBe(before.hiddenDangersFound)
  })

  it('counts the warnings issued in 2023 from the warning rows, and one more when a 2023 warning is issued', async () => {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM warnings WHERE (valid_from AT TIME ZONE 'Asia/Shanghai')::date BETWEEN '2023-01-01' AND '2023-12-31'`.execute(
      ctx.db,
    )
    const before = (await summary()).figures.warningsIssued
    expect(before).toBe(rows[0]!.n)
    expect(before).toBe(8)
    const village = await ctx.db
      .selectFrom('admin_areas')
      .select('code')
      .where('level', '=', 'village')
      .orderBy('code')
      .executeTakeFirstOrThrow()
    const issued = await admin.request('/api/warnings', {
      method: 'POST',
      body: {
        kind: 'rainstorm',
        level: 'yellow',
        stage: 'prepare',
        issuedBy: marker,
        validFrom: '2023-08-20T18:00:00+08:00',
        validTo: '2023-08-21T18:00:00+08:00',
        area: { kind: 'villages', adminCodes: [village.code] },
      },
    })
    expect(issued.status, await issued.clone().text()).toBe(201)
    expect((await summary()).figures.warningsIssued).toBe(before + 1)
    const counted = summaryFigureRowsSchema.parse(await (await admin.request('/api/summary/figures/warningsIssued?year=2023')).json())
    expect(counted.rows).toHaveLength(before + 1)
    await ctx.db.deleteFrom('warnings').where('issued_by', '=', marker).execute()
    expect((await summary()).figures.warningsIssued).toBe(before)
  })

  it('corrects and deletes register rows: the figure a row counts follows it, each change audited with before and after', async () => {
    const { last } = await ctx.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.max('id').as('last'))
      .executeTakeFirstOrThrow()
    const before = (await summary()).figures
    const created = await admin.request('/api/ledger/records', {
      method: 'POST',
      body: { kind: 'publicity', record: { heldOn: '2023-06-15', kind: 'publicity', title: marker, location: marker, leaflets: 10 } },
    })
    expect(created.status, await created.clone().text()).toBe(201)
    const { id } = (await created.json()) as { id: number }
    expect((await summary()).figures.leaflets).toBe(before.leaflets + 10)

    // The row carries the stored values an edit form starts from.
    const rows = ledgerRecordsSchema.parse(await (await viewer.request('/api/ledger/records/publicity?year=2023')).json()).rows
    expect(rows.find((row) => row.id === id)!.record).toEqual({
      heldOn: '2023-06-15',
      kind: 'publicity',
      title: marker,
      location: marker,
      naturalVillageId: null,
      leaflets: 10,
      peopleAdvised: 0,
      peopleTrained: 0,
    })

    const edit = (body: unknown, session = admin, kind = 'publicity', rowId = id) =>
      session.request(`/api/ledger/records/${kind}/${rowId}`, { method: 'PATCH', body })
    const edited = await edit({ leaflets: 25, peopleAdvised: 3 })
    expect(edited.status, await edited.clone().text()).toBe(200)
    expect(ledgerRecordSchema.parse(await edited.json()).record).toMatchObject({ leaflets: 25, peopleAdvised: 3, title: marker })
    const afterEdit = (await summary()).figures
    expect(afterEdit.leaflets).toBe(before.leaflets + 25)
    expect(afterEdit.peopleAdvised).toBe(before.peopleAdvised + 3)

    for (const body of [{ leaflets: -1 }, {}, { placeId: placeId }, { heldOn: '2023-02-30' }, { title: '' }]) {
      const refused = await edit(body)
      expect(refused.status, JSON.stringify(body)).toBe(400)
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('validation_failed')
    }
    expect((await edit({ leaflets: 1 }, admin, 'publicity', 999999)).status).toBe(404)
    expect((await edit({ leaflets: 1 }, admin, 'inspectors', 1)).status).toBe(400)
    expect((await edit({ leaflets: 1 }, viewer)).status).toBe(403)
    expect((await viewer.request(`/api/ledger/records/publicity/${id}`, { method: 'DELETE' })).status).toBe(403)
    expect((await summary()).figures.leaflets).toBe(before.leaflets + 25)

    expect((await admin.request(`/api/ledger/records/publicity/${id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await admin.request(`/api/ledger/records/publicity/${id}`, { method: 'DELETE' })).status).toBe(404)
    const afterDelete = (await summary()).figures
    expect(afterDelete.leaflets).toBe(before.leaflets)
    expect(afterDelete.peopleAdvised).toBe(before.peopleAdvised)

    // A filing moved out of the year leaves its count; one whose window runs backwards is refused.
    const filing = await admin.request('/api/ledger/records', {
      method: 'POST',
      body: {
        kind: 'hazardous_operations',
        record: { placeId, filedOn: '2023-03-01', kind: 'hot_work', startsOn: '2023-03-02', endsOn: '2023-03-03', description: marker },
      },
    })
    const filingId = ((await filing.json()) as { id: number }).id
    expect((await summary()).figures.hazardousOperations).toBe(before.hazardousOperations + 1)
    expect((await edit({ endsOn: '2023-03-01' }, admin, 'hazardous_operations', filingId)).status).toBe(400)
    expect((await edit({ filedOn: '2024-01-05' }, admin, 'hazardous_operations', filingId)).status).toBe(200)
    expect((await summary()).figures.hazardousOperations).toBe(before.hazardousOperations)
    expect((await admin.request(`/api/ledger/records/hazardous_operations/${filingId}`, { method: 'DELETE' })).status).toBe(204)

    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'entity_id', 'details'])
      .where('entity', '=', 'ledger_record')
      .where('id', '>', Number(last ?? 0))
      .orderBy('id')
      .execute()
    const ofRow = audit.filter((row) => row.entity_id === String(id))
    expect(ofRow.map((row) => [row.action, row.actor])).toEqual([
      ['create', 'admin'],
      ['update', 'admin'],
      ['delete', 'admin'],
    ])
    expect(ofRow[1]!.details).toMatchObject({
      kind: 'publicity',
      before: { leaflets: 10, peopleAdvised: 0 },
      after: { leaflets: 25, peopleAdvised: 3 },
    })
    expect(ofRow[2]!.details).toMatchObject({ kind: 'publicity', before: { leaflets: 25, title: marker } })
    expect(audit.filter((row) => row.entity_id === String(filingId)).map((row) => row.action)).toEqual(['create', 'update', 'delete'])
  })

  it('refuses a register row citing a place, hidden danger or natural village that does not exist', async () => {
    const post = (kind: string, record: Record<string, unknown>) =>
      admin.request('/api/ledger/records', { method: 'POST', body: { kind, record } })
    const refused = [
      await post('sanctions', { placeId: 999999, imposedOn: '2023-05-01', kind: 'exposure', note: marker }),
      await post('sanctions', { placeId, imposedOn: '2023-05-01', kind: 'exposure', hiddenDangerId: 999999, note: marker }),
      await post('publicity', { heldOn: '2023-05-01', kind: 'publicity', title: marker, location: marker, naturalVillageId: 999999 }),
      await post('inspections', { inspectedOn: '2023-05-01', ledBy: 'member', leader: marker, placeIds: [placeId, 999999] }),
    ]
    for (const answer of refused) {
      expect(answer.status).toBe(400)
      const { error } = (await answer.json()) as { error: { code: string; details: { issues: { path: string }[] } } }
      expect(error.code).toBe('validation_failed')
      expect(JSON.stringify(error.details)).toMatch(/placeId|hiddenDangerId|naturalVillageId/)
    }
    const { n } = await ctx.db
      .selectFrom('safety_sanctions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('note', '=', marker)
      .executeTakeFirstOrThrow()
    expect(Number(n)).toBe(0)
    // A correction that would cite a missing hidden danger is refused the same way.
    const sanction = await post('sanctions', { placeId, imposedOn: '2023-05-01', kind: 'exposure', note: marker })
    const sanctionId = ((await sanction.json()) as { id: number }).id
    const patched = await admin.request(`/api/ledger/records/sanctions/${sanctionId}`, {
      method: 'PATCH',
      body: { hiddenDangerId: 999999 },
    })
    expect(patched.status).toBe(400)
    expect((await admin.request(`/api/ledger/records/sanctions/${sanctionId}`, { method: 'DELETE' })).status).toBe(204)
  })

  it('walks the status machine: forward with dates in order, back only with a reason, every change audited', async () => {
    // Ids restart with every re-seed; the audit log stays, so only this test's rows count.
    const { last } = await ctx.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.max('id').as('last'))
      .executeTakeFirstOrThrow()
    const danger = await create({ foundOn: '2026-10-01', deadline: '2026-10-20' })
    expect(danger.status).toBe('open')
    expect(danger.overdue).toBe(true)
    const move = (body: unknown) => admin.request(`/api/ledger/dangers/${danger.id}/transition`, { method: 'POST', body })

    const early = await move({ to: 'rectified', on: '2026-09-30' })
    expect(early.status).toBe(400)
    expect(((await early.json()) as { error: { code: string } }).error.code).toBe('validation_failed')
    expect((await move({ to: 'rectifying', on: '2026-12-25' })).status).toBe(400)

    const rectifying = hiddenDangerSchema.parse(await (await move({ to: 'rectifying', on: '2026-10-05' })).json())
    expect(rectifying).toMatchObject({ status: 'rectifying', rectifyingOn: '2026-10-05', rectifiedOn: null })
    expect((await move({ to: 'rectified', on: '2026-10-04' })).status).toBe(400)
    expect((await move({ to: 'rectifying', on: '2026-10-06' })).status).toBe(409)
    const rectified = hiddenDangerSchema.parse(await (await move({ to: 'rectified', on: '2026-10-15' })).json())
    expect(rectified).toMatchObject({ status: 'rectified', rectifiedOn: '2026-10-15', overdue: false })

    const back = await move({ to: 'open', on: '2026-11-01' })
    expect(back.status).toBe(400)
    expect(JSON.stringify(await back.json())).toContain('reason')
    const reopened = hiddenDangerSchema.parse(await (await move({ to: 'open', on: '2026-11-01', reason: '复查发现问题反弹' })).json())
    expect(reopened).toMatchObject({ status: 'open', rectifyingOn: null, rectifiedOn: null })

    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['action', 'reason', 'details'])
      .where('entity', '=', 'hidden_danger')
      .where('entity_id', '=', String(danger.id))
      .where('id', '>', Number(last ?? 0))
      .orderBy('id')
      .execute()
    expect(audit.map((row) => row.action)).toEqual(['create', 'update', 'update', 'update'])
    expect(audit.at(-1)!.reason).toBe('复查发现问题反弹')
    expect(audit[1]!.details).toMatchObject({ from: 'open', to: 'rectifying' })
  })

  it('refuses a record whose dates are out of order, and a correction that would put found after rectified', async () => {
    const future = await admin.request('/api/ledger/dangers', {
      method: 'POST',
      body: { placeId, foundOn: '2027-01-01', source: 'report', description: marker, level: 'general' },
    })
    expect(future.status).toBe(400)
    const deadline = await admin.request('/api/ledger/dangers', {
      method: 'POST',
      body: { placeId, foundOn: '2026-05-01', deadline: '2026-04-01', source: 'report', description: marker, level: 'general' },
    })
    expect(deadline.status).toBe(400)
    const unknown = await admin.request('/api/ledger/dangers', {
      method: 'POST',
      body: { placeId, foundOn: '2026-05-01', source: 'rumour', description: marker, level: 'general' },
    })
    expect(unknown.status).toBe(400)
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('validation_failed')

    const danger = await create({ foundOn: '2026-06-01' })
    await admin.request(`/api/ledger/dangers/${danger.id}/transition`, { method: 'POST', body: { to: 'rectified', on: '2026-06-10' } })
    const later = await admin.request(`/api/ledger/dangers/${danger.id}`, { method: 'PATCH', body: { foundOn: '2026-06-20' } })
    expect(later.status).toBe(400)
    const fixed = await admin.request(`/api/ledger/dangers/${danger.id}`, {
      method: 'PATCH',
      body: { foundOn: '2026-05-28', level: 'major' },
    })
    expect(hiddenDangerSchema.parse(await fixed.json())).toMatchObject({ foundOn: '2026-05-28', level: 'major', status: 'rectified' })
  })

  it('stores before/after photos, checks their size and type, and serves them to signed-in staff only', async () => {
    const danger = await create({ foundOn: '2026-09-01' })
    const upload = (bytes: Uint8Array<ArrayBuffer>, type: string) =>
      admin.request(`/api/ledger/dangers/${danger.id}/photos?phase=before`, {
        method: 'POST',
        headers: { 'content-type': type },
        raw: bytes,
      })

    const stored = await upload(tinyPng, 'image/png')
    expect(stored.status).toBe(201)
    const { id } = (await stored.json()) as { id: number }
    expect((await upload(Uint8Array.from(Buffer.from('GIF89a not allowed')), 'image/gif')).status).toBe(415)
    expect((await upload(tinyPng, 'image/jpeg')).status).toBe(415)
    const big = new Uint8Array(5 * 1024 * 1024 + 1)
    big.set(tinyPng)
    const tooLarge = await upload(big, 'image/png')
    expect(tooLarge.status).toBe(413)
    expect(((await tooLarge.json()) as { error: { code: string } }).error.code).toBe('payload_too_large')

    const served = await viewer.request(`/api/ledger/photos/${id}`)
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toBe('image/png')
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(tinyPng)
    expect((await ctx.app.request(`/api/ledger/photos/${id}`)).status).toBe(401)
    const read = hiddenDangerSchema.parse(await (await viewer.request(`/api/ledger/dangers/${danger.id}`)).json())
    expect(read.photos).toEqual([expect.objectContaining({ id, phase: 'before', contentType: 'image/png', byteSize: tinyPng.byteLength })])
  })

  it('masks responsible names and phones for viewers and outside an editor’s villages, and audits reads in full', async () => {
    const places = async (session: Session) =>
      safetyPlaceListSchema.parse(await (await session.request('/api/ledger/places')).json()).places
    const full = await places(admin)
    const masked = await places(viewer)
    const stored = await ctx.db.selectFrom('safety_places').select(['id', 'responsible_name', 'admin_code']).execute()
    const withPhone = full.filter((place) => place.responsiblePhone !== null)
    expect(withPhone.length).toBeGreaterThan(100)
    expect(withPhone.every((place) => /^1380000\d{4}$/.test(place.responsiblePhone!))).toBe(true)
    for (const place of masked) {
      expect(place.responsiblePhone === null || /^138\*{4}\d{4}$/.test(place.responsiblePhone)).toBe(true)
      const name = stored.find((row) => row.id === place.id)!.responsible_name
      if (name) expect(place.responsibleName).not.toBe(name)
    }
    const scope = (
      await ctx.db.selectFrom('users').select('village_scope').where('username', '=', 'village_editor').executeTakeFirstOrThrow()
    ).village_scope!
    const scoped = await places(villageEditor)
    expect(
      scoped.filter((place) => !place.personalMasked && place.responsiblePhone !== null).every((place) => scope.includes(place.adminCode!)),
    ).toBe(true)
    expect(scoped.some((place) => place.personalMasked)).toBe(true)

    const dangers = hiddenDangerListSchema.parse(await (await viewer.request('/api/ledger/dangers?limit=50')).json()).dangers
    expect(dangers.filter((d) => d.responsibleName !== null).every((d) => d.personalMasked && d.responsibleName!.includes('*'))).toBe(true)

    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['actor'])
      .where('entity', '=', 'safety_place')
      .where('action', '=', 'read')
      .execute()
    expect(audit.some((row) => row.actor === 'admin')).toBe(true)
    expect(audit.some((row) => row.actor === 'viewer')).toBe(false)
  })

  it('adds and corrects a place, validated, scoped and audited, its contact masked for a viewer', async () => {
    const village = await ctx.db.selectFrom('natural_villages').select(['id', 'admin_code']).orderBy('id').executeTakeFirstOrThrow()
    const name = `${marker}场所${home.name}`
    // Ids restart with every seed while the audit log stays: only this test's rows.
    const since = new Date(Date.now() - 1000)
    const response = await admin.request('/api/ledger/places', {
      method: 'POST',
      body: {
        name,
        kind: 'market',
        longitude: 99.1,
        latitude: 25.1,
        naturalVillageId: village.id,
        responsibleName: '王测试',
        responsiblePhone: '13800009999',
      },
    })
    expect(response.status, await response.clone().text()).toBe(201)
    const place = safetyPlaceSchema.parse(await response.json())
    expect(place).toMatchObject({ name, kind: 'market', adminCode: village.admin_code, naturalVillageId: village.id })
    expect([place.longitude, place.latitude]).toEqual([99.1, 25.1])
    expect(place.responsiblePhone).toBe('13800009999')

    const seen = safetyPlaceCardSchema.parse(await (await viewer.request(`/api/ledger/places/${place.id}`)).json()).place
    expect(seen.responsiblePhone).toBe('138****9999')
    expect(seen.responsibleName).not.toBe('王测试')

    const patched = await admin.request(`/api/ledger/places/${place.id}`, {
      method: 'PATCH',
      body: { industry: '农贸', responsiblePhone: null, longitude: 99.11, latitude: 25.11 },
    })
    expect(patched.status).toBe(200)
    expect(safetyPlaceSchema.parse(await patched.json())).toMatchObject({ industry: '农贸', responsiblePhone: null, longitude: 99.11 })
    // Moving it to a natural village of another administrative village moves its administrative village; a facility links it.
    const elsewhere = await ctx.db
      .selectFrom('natural_villages')
      .select(['id', 'admin_code'])
      .where('admin_code', '<>', village.admin_code)
      .orderBy('id')
      .executeTakeFirstOrThrow()
    const market = await ctx.db.selectFrom('facilities').select('id').where('kind', '=', 'market').orderBy('id').executeTakeFirstOrThrow()
    const moved = await admin.request(`/api/ledger/places/${place.id}`, {
      method: 'PATCH',
      body: { naturalVillageId: elsewhere.id, facilityId: market.id },
    })
    expect(moved.status, await moved.clone().text()).toBe(200)
    expect(safetyPlaceSchema.parse(await moved.json())).toMatchObject({
      naturalVillageId: elsewhere.id,
      adminCode: elsewhere.admin_code,
      facilityId: market.id,
    })
    const unlinked = await admin.request(`/api/ledger/places/${place.id}`, { method: 'PATCH', body: { facilityId: null } })
    expect(safetyPlaceSchema.parse(await unlinked.json()).facilityId).toBeNull()

    const refused = [
      await admin.request('/api/ledger/places', { method: 'POST', body: { name, kind: 'castle', longitude: 99.1, latitude: 25.1 } }),
      await admin.request('/api/ledger/places', {
        method: 'POST',
        body: { name, kind: 'market', longitude: 99.1, latitude: 25.1, naturalVillageId: 999999 },
      }),
      await admin.request('/api/ledger/places', {
        method: 'POST',
        body: { name, kind: 'market', longitude: 99.1, latitude: 25.1, owner: 'x' },
      }),
      await admin.request(`/api/ledger/places/${place.id}`, { method: 'PATCH', body: { longitude: 99.2 } }),
      await admin.request(`/api/ledger/places/${place.id}`, { method: 'PATCH', body: { responsiblePhone: 'call me' } }),
      await admin.request(`/api/ledger/places/${place.id}`, { method: 'PATCH', body: { facilityId: 999999 } }),
      await admin.request(`/api/ledger/places/${place.id}`, { method: 'PATCH', body: { naturalVillageId: 999999 } }),
    ]
    for (const answer of refused) {
      expect(answer.status).toBe(400)
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('validation_failed')
    }
    expect((await admin.request('/api/ledger/places/999999', { method: 'PATCH', body: { industry: 'x' } })).status).toBe(404)
    expect((await viewer.request(`/api/ledger/places/${place.id}`, { method: 'PATCH', body: { industry: 'x' } })).status).toBe(403)

    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor'])
      .where('entity', '=', 'safety_place')
      .where('entity_id', '=', String(place.id))
      .where('at', '>=', since)
      .orderBy('id')
      .execute()
    expect(audit.filter((row) => row.action !== 'read').map((row) => [row.action, row.actor])).toEqual([
      ['create', 'admin'],
      ['update', 'admin'],
      ['update', 'admin'],
      ['update', 'admin'],
    ])
  })

  it('deletes a place entered by mistake, audited with what it was; refuses while ledger rows cite it', async () => {
    const since = new Date(Date.now() - 1000)
    const made = await admin.request('/api/ledger/places', {
      method: 'POST',
      body: { name: `${marker}误录${home.name}`, kind: 'enterprise', longitude: 99.1, latitude: 25.1, responsiblePhone: '13800007777' },
    })
    expect(made.status).toBe(201)
    const place = safetyPlaceSchema.parse(await made.json())
    const corrected = await admin.request(`/api/ledger/places/${place.id}`, { method: 'PATCH', body: { industry: '建材' } })
    expect(corrected.status).toBe(200)

    // A hidden danger at the place: the place stays, and the answer says what cites it.
    const danger = await admin.request('/api/ledger/dangers', {
      method: 'POST',
      body: { placeId: place.id, foundOn: '2026-11-02', source: 'report', description: marker, level: 'general' },
    })
    expect(danger.status).toBe(201)
    const dangerId = hiddenDangerSchema.parse(await danger.json()).id
    const cited = await admin.request(`/api/ledger/places/${place.id}`, { method: 'DELETE' })
    expect(cited.status).toBe(409)
    expect(((await cited.json()) as { error: { code: string; details: unknown } }).error).toMatchObject({
      code: 'conflict',
      details: { references: { hidden_dangers: 1 } },
    })
    expect((await admin.request(`/api/ledger/places/${place.id}`)).status).toBe(200)

    expect((await viewer.request(`/api/ledger/places/${place.id}`, { method: 'DELETE' })).status).toBe(403)
    expect((await admin.request(`/api/ledger/dangers/${dangerId}`, { method: 'DELETE' })).status).toBe(204)
    expect((await admin.request(`/api/ledger/places/${place.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await admin.request(`/api/ledger/places/${place.id}`)).status).toBe(404)
    expect((await admin.request(`/api/ledger/places/${place.id}`, { method: 'DELETE' })).status).toBe(404)

    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('entity', '=', 'safety_place')
      .where('entity_id', '=', String(place.id))
      .where('action', 'in', ['update', 'delete'])
      .where('at', '>=', since)
      .orderBy('id')
      .execute()
    expect(audit.map((row) => row.action)).toEqual(['update', 'delete'])
    const [update, deletion] = audit.map((row) => (typeof row.details === 'string' ? JSON.parse(row.details) : row.details)) as {
      before: Record<string, unknown>
      after?: Record<string, unknown>
    }[]
    expect(update!.before).toMatchObject({ industry: null, kind: 'enterprise', hasResponsiblePhone: true })
    expect(update!.after).toMatchObject({ industry: '建材' })
    expect(deletion!.before).toMatchObject({ name: place.name, industry: '建材', longitude: 99.1, latitude: 25.1 })
    // The audit says a contact was set, never what it was.
    expect(JSON.stringify(audit)).not.toContain('13800007777')
  })

  it('never puts a place’s responsible person or phone on a public surface', async () => {
    const contacts = await ctx.db.selectFrom('safety_places').select(['responsible_name', 'responsible_phone']).execute()
    const secrets = new Set(contacts.flatMap((c) => [c.responsible_phone]).filter((v): v is string => Boolean(v)))
    const { layers } = (await (await ctx.app.request('/api/layers')).json()) as { layers: { id: string }[] }
    for (const layer of layers) {
      const text = await (await ctx.app.request(`/api/layers/${layer.id}`)).text()
      for (const secret of secrets) expect(text.includes(secret), `${layer.id} shows ${secret}`).toBe(false)
    }
    for (const path of ['/api/ledger/places', '/api/ledger/dangers', '/api/ledger/map', '/api/summary?year=2023']) {
      expect((await ctx.app.request(path)).status, path).toBe(401)
    }
    const mapText = await (await viewer.request('/api/ledger/map')).text()
    for (const contact of contacts) if (contact.responsible_name) expect(mapText.includes(contact.responsible_name)).toBe(false)
  })

  it('lists overdue dangers oldest deadline first, and a place’s card with its dangers', async () => {
    const body = hiddenDangerListSchema.parse(await (await viewer.request('/api/ledger/overdue')).json())
    expect(body.dangers.length).toBeGreaterThan(0)
    expect(body.dangers.every((d) => d.status !== 'rectified' && d.deadline! < today && d.overdue)).toBe(true)
    const deadlines = body.dangers.map((d) => d.deadline!)
    expect(deadlines).toEqual([...deadlines].sort())
    expect(body.dangers[0]!.daysOverdue).toBeGreaterThanOrEqual(body.dangers.at(-1)!.daysOverdue)

    const card = safetyPlaceCardSchema.parse(await (await viewer.request(`/api/ledger/places/${placeId}`)).json())
    const stored = await ctx.db.selectFrom('hidden_dangers').select('id').where('place_id', '=', placeId).execute()
    expect(card.dangers.map((d) => d.id).sort()).toEqual(stored.map((d) => d.id).sort())
    expect(card.place.openDangers).toBe(card.dangers.filter((d) => d.status !== 'rectified').length)
  })

  it('gives the rectification rate per administrative village and per kind of place, adding up to the year', async () => {
    const rates = rectificationRatesSchema.parse(await (await viewer.request('/api/ledger/rates?from=2023-01-01&to=2023-12-31')).json())
    const { figures } = await summary()
    for (const list of [rates.byVillage, rates.byPlaceKind]) {
      expect(list.reduce((sum, r) => sum + r.found, 0)).toBe(figures.hiddenDangersFound)
      expect(list.reduce((sum, r) => sum + r.rectified, 0)).toBe(figures.rectified)
      for (const r of list) expect(r.rate).toBeCloseTo(r.rectified / r.found)
    }
    expect(rates.byPlaceKind.find((r) => r.key === 'enterprise')!.found).toBeGreaterThan(50)
  })

  it('lets an editor save the narrative per year, and refuses a viewer', async () => {
    const saved = await admin.request('/api/summary/narratives', {
      method: 'PUT',
      body: { year: 2097, narratives: { problems: '一是……二是……' } },
    })
    expect(saved.status).toBe(200)
    expect((await summary('year=2097')).narratives).toEqual({ basic: '', work: '', problems: '一是……二是……', plans: '' })
    expect(
      (await viewer.request('/api/summary/narratives', { method: 'PUT', body: { year: 2097, narratives: { basic: 'x' } } })).status,
    ).toBe(403)
    expect((await admin.request('/api/summary?year=abc')).status).toBe(400)
    expect((await admin.request('/api/summary')).status).toBe(400)
    expect((await admin.request('/api/summary/figures/nonsense?year=2023')).status).toBe(400)
  })

  it('exports the summary as a .docx that opens and states the 2023 figures in the town’s four sections', async () => {
    const response = await viewer.request('/api/summary/export.docx?year=2023')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
    const text = officeText(await response.arrayBuffer(), 'word/document.xml')
    expect(text).toContain('2023年安全生产、防灾减灾和消防工作总结')
    for (const heading of ['一、基本情况', '二、重点工作开展情况', '三、存在问题', '四、下一步工作打算']) expect(text).toContain(heading)
    expect(text).toContain('督促企业开展自查自改53家，排查隐患207条，已整改197条，其中重大隐患4条，挂牌督办12条')
    expect(text).toContain(
      '曝光、约谈、联合惩戒企业5家，约谈通报1次；配备专兼职安全技术检查员2名，督导帮扶企业和场所10家，主要负责人带队检查3次，报备危险作业13次',
    )
    expect(text).toContain('发放宣传资料约970份，接受群众咨询约80人次')
    expect(text.indexOf('一、基本情况')).toBeLessThan(text.indexOf('四、下一步工作打算'))
  })

  it('puts the drills held by natural village in the .docx under 二、重点工作开展情况, one row per drill of the period', async () => {
    const xml = officeXml(await (await viewer.request('/api/summary/export.docx?year=2023')).arrayBuffer(), 'word/document.xml')
    const tables = wordTables(xml)
    expect(tables).toHaveLength(1)
    const [header, ...rows] = tables[0]!
    expect(header).toEqual(['序号', '自然村', '所属村（社区）', '演练日期', '演练科目', '参演人数', '转移特殊人群', '撤离用时（分钟）'])
    const { rows: drills } = await sql<{
      village: string
      admin: string
      held_on: string
      scenario: string
      participants: number | null
      vulnerable_moved: number | null
      evacuation_minutes: number | null
    }>`
      SELECT v.name AS village, a.name AS admin, d.held_on::text AS held_on, d.scenario, d.participants, d.vulnerable_moved,
        d.evacuation_minutes
      FROM drills d JOIN natural_villages v ON v.id = d.natural_village_id JOIN admin_areas a ON a.code = v.admin_code
      WHERE d.status = 'held' AND d.held_on BETWEEN '2023-01-01' AND '2023-12-31' ORDER BY d.held_on, v.code, d.id`.execute(ctx.db)
    expect(drills.length).toBeGreaterThan(5)
    const scenario: Record<string, string> = {
      flood: '洪涝',
      flash_flood: '山洪',
      landslide: '滑坡',
      debris_flow: '泥石流',
      earthquake: '地震',
      fire: '火灾',
    }
    const shown = (value: number | null) => (value === null ? '—' : String(value))
    expect(rows).toEqual(
      drills.map((d, i) => [
        String(i + 1),
        d.village,
        d.admin,
        d.held_on,
        scenario[d.scenario],
        shown(d.participants),
        shown(d.vulnerable_moved),
        shown(d.evacuation_minutes),
      ]),
    )
    const { figures } = await summary()
    expect(rows).toHaveLength(figures.drillsHeld)
    // The table sits in section 二, after the paragraph that counts the drills.
    const text = untagged(xml)
    const table = text.indexOf('各自然村汛前应急演练开展情况')
    expect(table).toBeGreaterThan(text.indexOf(`以自然村为单位开展应急避险演练${figures.drillsHeld}场`))
    expect(table).toBeGreaterThan(text.indexOf('二、重点工作开展情况'))
    expect(table).toBeLessThan(text.indexOf('三、存在问题'))
  })

  it('builds the four lists by their rules, viewable and as Excel', async () => {
    const list = async (id: string) => fourListSchema.parse(await (await viewer.request(`/api/ledger/lists/${id}?year=2023`)).json())
    const major = await list('major_dangers')
    expect(major.rows).toHaveLength(4)
    expect(major.columns).toContain('supervisedBy')
    const basic = await list('basic_info')
    const villages = await ctx.db.selectFrom('admin_areas').select('code').where('level', '=', 'village').execute()
    expect(basic.rows).toHaveLength(villages.length)
    const people = await ctx.db
      .selectFrom('vulnerable_people')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(basic.rows.reduce((sum, row) => sum + Number(row.vulnerable), 0)).toBe(Number(people.n))
    const risks = await list('major_risks')
    const reservoirs = await ctx.db.selectFrom('facilities').select('id').where('kind', '=', 'reservoir').execute()
    const reservoir = { code: 'enum_value', params: { value: 'reservoir' } }
    expect(risks.rows.filter((row) => JSON.stringify(row.kind) === JSON.stringify(reservoir))).toHaveLength(reservoirs.length)
    const problems = await list('prominent_problems')
    expect(problems.rows.length).toBeGreaterThan(0)
    const problemCode = (row: (typeof problems.rows)[number]) =>
      typeof row.problem === 'object' && row.problem ? row.problem.code : row.problem
    expect(
      problems.rows.every(
        (row) => problemCode(row) === 'problem_overdue' || (problemCode(row) === 'problem_repeated' && Number(row.count) >= 3),
      ),
    ).toBe(true)

    const xlsx = await viewer.request('/api/ledger/lists/major_dangers/export.xlsx?year=2023')
    expect(xlsx.status).toBe(200)
    const strings = officeText(await xlsx.arrayBuffer(), 'xl/sharedStrings.xml')
    expect(strings).toContain('2023年重大隐患清单')
    expect(strings).toContain('挂牌督办单位')
    expect(strings).toContain('口径：当年排查发现、等级为重大的隐患')
    for (const row of major.rows) expect(strings).toContain(String(row.description))
    const problemsXlsx = await viewer.request('/api/ledger/lists/prominent_problems/export.xlsx?year=2023')
    expect(officeText(await problemsXlsx.arrayBuffer(), 'xl/sharedStrings.xml')).toContain('逾期未整改')
    expect((await viewer.request('/api/ledger/lists/nonsense?year=2023')).status).toBe(400)
  })
  it('sends no words of its own in the ledger’s, the summary’s and the four lists’ answers: Chinese text is data from the database, the rest codes', async () => {
    // Every text value stored in the tables these answers read: names, descriptions, notes as typed.
    const tables = [
      'admin_areas',
      'natural_villages',
      'facilities',
      'hazard_points',
      'safety_places',
      'hidden_dangers',
      'safety_inspections',
      'safety_sanctions',
      'hazardous_operations',
      'supervisory_visits',
      'publicity_events',
      'safety_inspectors',
      'warnings',
      'summary_narratives',
    ]
    const stored = new Set<string>()
    const collect = (value: unknown): void => {
      if (typeof value === 'string') stored.add(value)
      else if (value && typeof value === 'object') Object.values(value).forEach(collect)
    }
    for (const table of tables) {
      const { rows } = await sql<{
        row: unknown
      }>`SELECT to_jsonb(t) - 'geom' - 'boundary' - 'danger_zone' AS row FROM ${sql.table(table)} t`.execute(ctx.db)
      rows.forEach((r) => collect(r.row))
    }
    const composed: string[] = []
    const scan = (path: string, value: unknown): void => {
      if (typeof value === 'string') {
        // string_agg joins names with 、 (the places of one inspection): each part must be data.
        const parts = value.split('、')
        if (/[\u4e00-\u9fff]/.test(value) && !stored.has(value) && !parts.every((part) => stored.has(part)))
          composed.push(`${path}: ${value}`)
      } else if (Array.isArray(value)) value.forEach((item, i) => scan(`${path}[${i}]`, item))
      else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) scan(`${path}.${key}`, item)
    }
    const paths = [
      '/api/ledger/rates?from=2023-01-01&to=2023-12-31',
      '/api/ledger/rates',
      '/api/summary?year=2023',
      ...fourListIds.map((list) => `/api/ledger/lists/${list}?year=2023`),
      ...ledgerRecordKinds.map((kind) => `/api/ledger/records/${kind}?year=2023`),
      ...summaryFigureIds.map((figure) => `/api/summary/figures/${figure}?year=2023`),
    ]
    for (const path of paths) {
      const response = await admin.request(path)
      expect(response.status, path).toBe(200)
      scan(path, await response.json())
    }
    expect(composed).toEqual([])
  })
})
