import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  commandOverviewSchema,
  displaySetupCodeSchema,
  evacuationProgressSchema,
  instructionListSchema,
  instructionSchema,
  shelterProgressSchema,
  streamChangeSchema,
  villageProgressSchema,
} from '@riskatlas/shared'
import { createApp } from '@riskatlas/server'
import { demoDisplayToken } from '../../server/src/seed/demo-accounts.ts'
import { openHome, signIn, testHomes, type HomeContext, type Session } from '../support/homes.ts'
import { sseClient, type SseFrame } from '../support/sse.ts'

const marker = '指挥测试'
const display = { authorization: `Bearer ${demoDisplayToken}` }

describe.each(testHomes())('the flood-season command on the $name home', (home) => {
  let ctx: HomeContext
  let admin: Session
  let editor: Session
  let villageEditor: Session
  let viewer: Session
  let ownCode: string
  let otherCode: string
  let warningId: number
  let ownVillage: number
  let otherVillage: number

  const warning = (stage: 'prepare' | 'move_now', codes: string[]) => ({
    kind: 'flash_flood',
    level: 'red',
    stage,
    issuedBy: marker,
    validFrom: new Date(Date.now() - 60_000).toISOString(),
    validTo: new Date(Date.now() + 6 * 3_600_000).toISOString(),
    area: { kind: 'villages', adminCodes: codes },
  })
  const report = (moved: number, extra: Partial<{ vulnerableMoved: number; shelterId: number | null }> = {}) => ({
    moved,
    shelterId: null,
    staying: { refused: 2, unreachable: 1, alreadySafe: 3 },
    vulnerableMoved: 1,
    ...extra,
  })
  const progress = async (session: Session | undefined = admin) => {
    const response = session
      ? await session.request(`/api/evacuation/progress?warningId=${warningId}`)
      : await ctx.app.request(`/api/evacuation/progress?warningId=${warningId}`, { headers: display })
    expect(response.status).toBe(200)
    return evacuationProgressSchema.parse(await response.json())
  }

  beforeAll(async () => {
    ctx = openHome(home)
    admin = await signIn(ctx.app, 'admin')
    editor = await signIn(ctx.app, 'editor')
    villageEditor = await signIn(ctx.app, 'village_editor')
    viewer = await signIn(ctx.app, 'viewer')
    ownCode = (await ctx.db.selectFrom('users').select('village_scope').where('username', '=', 'village_editor').executeTakeFirstOrThrow())
      .village_scope![0]!
    otherCode = (
      await ctx.db
        .selectFrom('admin_areas')
        .select('code')
        .where('level', '=', 'village')
        .where('code', '<>', ownCode)
        .orderBy('code')
        .executeTakeFirstOrThrow()
    ).code
    const issued = await admin.request('/api/warnings', { method: 'POST', body: warning('move_now', [ownCode, otherCode]) })
    expect(issued.status, await issued.clone().text()).toBe(201)
    warningId = ((await issued.json()) as { id: number }).id
    const { villages } = await progress()
    ownVillage = villages.find((v) => v.adminCode === ownCode)!.naturalVillageId
    otherVillage = villages.find((v) => v.adminCode === otherCode)!.naturalVillageId
  })
  afterAll(async () => {
    await ctx.db.deleteFrom('warnings').where('issued_by', '=', marker).execute()
    await ctx.db.deleteFrom('instructions').where('text', 'like', `${marker}%`).execute()
    await ctx.db.updateTable('display_tokens').set({ revoked_at: new Date() }).where('name', '=', marker).execute()
    await ctx.close()
  })

  it('lists every natural village of a move-now warning with what it must move (from the data), nothing reported yet', async () => {
    const p = await progress(undefined)
    expect(p.reportingOpen).toBe(true)
    expect(p.warning).toMatchObject({ id: warningId, stage: 'move_now', status: 'active' })
    const populations = await ctx.db
      .selectFrom('natural_villages')
      .select(['id', 'population'])
      .where('admin_code', 'in', [ownCode, otherCode])
      .execute()
    expect(p.villages.map((v) => v.naturalVillageId).sort()).toEqual(populations.map((v) => v.id).sort())
    for (const v of p.villages) {
      expect(v.toMove).toBe(populations.find((row) => row.id === v.naturalVillageId)!.population)
      expect(v).toMatchObject({ moved: 0, remaining: v.toMove, reports: 0, updatedAt: null })
    }
    expect(p.adminVillages.map((a) => a.adminCode)).toEqual([ownCode, otherCode].sort())
    expect(p.town.toMove).toBe(populations.reduce((n, v) => n + v.population, 0))
  })

  it('takes a village cadre’s report for their own village — timestamped, audited, in the totals — and refuses another village’s', async () => {
    const shelter = await ctx.db
      .selectFrom('facilities')
      .select(['id', 'name'])
      .where('kind', '=', 'shelter')
      .orderBy('id')
      .executeTakeFirstOrThrow()
    const stream = sseClient(await ctx.app.request('/api/events', { headers: display }))
    try {
      await stream.next((f) => f.event === 'ready')
      const response = await villageEditor.request(`/api/evacuation/progress/${warningId}/villages/${ownVillage}`, {
        method: 'PUT',
        body: report(10, { shelterId: shelter.id }),
      })
      expect(response.status, await response.clone().text()).toBe(200)
      const record = villageProgressSchema.parse(await response.json())
      expect(record).toMatchObject({
        naturalVillageId: ownVillage,
        moved: 10,
        shelterId: shelter.id,
        shelterName: shelter.name,
        reports: 1,
      })
      expect(record.remaining).toBe(Math.max(0, record.toMove - 16))
      expect(Date.now() - Date.parse(record.updatedAt!)).toBeLessThan(60_000)
      const change = streamChangeSchema.parse(
        JSON.parse((await stream.next((f: SseFrame) => f.event === 'data.changed' && f.data!.includes('evacuation_progress'))).data!),
      )
      expect(change).toMatchObject({ entity: 'evacuation_progress', action: 'create', ids: [ownVillage] })
    } finally {
      await stream.close()
    }
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('entity', '=', 'evacuation_progress')
      .where('entity_id', '=', `${warningId}:${ownVillage}`)
      .execute()
    expect(audit).toEqual([{ actor: 'village_editor', action: 'create' }])
    // A second report replaces the record and counts.
    const again = await villageEditor.request(`/api/evacuation/progress/${warningId}/villages/${ownVillage}`, {
      method: 'PUT',
      body: report(12),
    })
    expect(villageProgressSchema.parse(await again.json())).toMatchObject({ moved: 12, reports: 2, shelterId: null })

    const refused = await villageEditor.request(`/api/evacuation/progress/${warningId}/villages/${otherVillage}`, {
      method: 'PUT',
      body: report(5),
    })
    expect(refused.status).toBe(403)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden')
    expect(
      (await viewer.request(`/api/evacuation/progress/${warningId}/villages/${ownVillage}`, { method: 'PUT', body: report(5) })).status,
    ).toBe(403)
    const byEditor = await editor.request(`/api/evacuation/progress/${warningId}/villages/${otherVillage}`, {
      method: 'PUT',
      body: report(7),
    })
    expect(byEditor.status).toBe(200)

    const p = await progress()
    const own = p.adminVillages.find((a) => a.adminCode === ownCode)!
    expect(own).toMatchObject({
      moved: 12,
      villagesReported: 1,
      vulnerableMoved: 1,
      staying: { refused: 2, unreachable: 1, alreadySafe: 3 },
    })
    expect(p.town.moved).toBe(19)
    expect(p.town.villagesReported).toBe(2)
  })

  it('validates reports: counts, vulnerable within moved, a real shelter, a village of the warning, a move-now warning', async () => {
    const put = (body: unknown, village = ownVillage, warning = warningId) =>
      villageEditor.request(`/api/evacuation/progress/${warning}/villages/${village}`, { method: 'PUT', body })
    const bad = await put({ ...report(3), vulnerableMoved: 4 })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('validation_failed')
    expect((await put({ ...report(3), moved: -1 })).status).toBe(400)
    const notShelter = await ctx.db.selectFrom('facilities').select('id').where('kind', '<>', 'shelter').executeTakeFirstOrThrow()
    expect((await put(report(3, { shelterId: notShelter.id }))).status).toBe(400)
    const outside = await ctx.db
      .selectFrom('natural_villages')
      .select('id')
      .where('admin_code', 'not in', [ownCode, otherCode])
      .executeTakeFirstOrThrow()
    expect((await put(report(3), outside.id)).status).toBe(404)
    const prepared = await admin.request('/api/warnings', { method: 'POST', body: warning('prepare', [ownCode]) })
    const preparedId = ((await prepared.json()) as { id: number }).id
    const early = await put(report(3), ownVillage, preparedId)
    expect(early.status).toBe(409)
    expect(((await early.json()) as { error: { code: string } }).error.code).toBe('conflict')
    expect((await progress(admin)).villages.find((v) => v.naturalVillageId === ownVillage)!.moved).toBe(12)
  })

  it('records shelter check-ins, shown beside capacity and the people reported as moved there', async () => {
    const shelter = await ctx.db
      .selectFrom('facilities')
      .select(['id', 'admin_code'])
      .where('kind', '=', 'shelter')
      .orderBy('id')
      .executeTakeFirstOrThrow()
    await villageEditor.request(`/api/evacuation/progress/${warningId}/villages/${ownVillage}`, {
      method: 'PUT',
      body: report(12, { shelterId: shelter.id }),
    })
    const response = await editor.request(`/api/evacuation/progress/${warningId}/shelters/${shelter.id}`, {
      method: 'PUT',
      body: { checkedIn: 9 },
    })
    expect(response.status, await response.clone().text()).toBe(200)
    expect(shelterProgressSchema.parse(await response.json())).toMatchObject({ id: shelter.id, checkedIn: 9, reportedMoved: 12 })
    // Each shelter names the administrative village it lies in: the phone page offers a cadre their own.
    expect((await progress()).shelters.find((s) => s.id === shelter.id)).toMatchObject({
      checkedIn: 9,
      reportedMoved: 12,
      adminCode: shelter.admin_code,
    })
    expect(
      await ctx.db
        .selectFrom('audit_log')
        .select('actor')
        .where('entity', '=', 'shelter_checkin')
        .where('entity_id', '=', `${warningId}:${shelter.id}`)
        .execute(),
    ).toEqual([{ actor: 'editor' }])
    expect(
      (await viewer.request(`/api/evacuation/progress/${warningId}/shelters/${shelter.id}`, { method: 'PUT', body: { checkedIn: 1 } }))
        .status,
    ).toBe(403)
    const scopedOk = shelter.admin_code === ownCode ? 200 : 403
    expect(
      (
        await villageEditor.request(`/api/evacuation/progress/${warningId}/shelters/${shelter.id}`, {
          method: 'PUT',
          body: { checkedIn: 10 },
        })
      ).status,
    ).toBe(scopedOk)
  })

  it('sends instructions to administrative villages; each village acknowledges; unacknowledged past the deadline is overdue', async () => {
    const sent = await admin.request('/api/instructions', {
      method: 'POST',
      body: { warningId, text: `${marker} 立即组织转移`, adminCodes: [ownCode, otherCode], ackWithinMinutes: 5 },
    })
    expect(sent.status, await sent.clone().text()).toBe(201)
    const instruction = instructionSchema.parse(await sent.json())
    expect(instruction).toMatchObject({ total: 2, acknowledged: 0, overdue: false, ackWithinMinutes: 5 })
    expect(
      (await villageEditor.request('/api/instructions', { method: 'POST', body: { text: marker, adminCodes: [ownCode] } })).status,
    ).toBe(403)
    expect(
      (await admin.request('/api/instructions', { method: 'POST', body: { text: marker, adminCodes: ['999999999999'] } })).status,
    ).toBe(400)

    const ack = await villageEditor.request(`/api/instructions/${instruction.id}/ack`, { method: 'POST', body: { adminCode: ownCode } })
    expect(ack.status).toBe(200)
    const acked = instructionSchema.parse(await ack.json())
    expect(acked.acknowledged).toBe(1)
    const first = acked.targets.find((t) => t.adminCode === ownCode)!.acknowledgedAt
    expect(first).not.toBeNull()
    const repeat = instructionSchema.parse(
      await (
        await villageEditor.request(`/api/instructions/${instruction.id}/ack`, { method: 'POST', body: { adminCode: ownCode } })
      ).json(),
    )
    expect(repeat.targets.find((t) => t.adminCode === ownCode)!.acknowledgedAt).toBe(first)
    expect(
      (await villageEditor.request(`/api/instructions/${instruction.id}/ack`, { method: 'POST', body: { adminCode: otherCode } })).status,
    ).toBe(403)
    const notTarget = await ctx.db
      .selectFrom('admin_areas')
      .select('code')
      .where('level', '=', 'village')
      .where('code', 'not in', [ownCode, otherCode])
      .executeTakeFirstOrThrow()
    expect(
      (await admin.request(`/api/instructions/${instruction.id}/ack`, { method: 'POST', body: { adminCode: notTarget.code } })).status,
    ).toBe(404)

    // Ten minutes later (the clock injected), the other village has still not acknowledged.
    const later = createApp({ db: ctx.db, home: home.name, log: () => {}, now: () => new Date(Date.now() + 10 * 60_000) })
    const listed = instructionListSchema
      .parse(await (await later.request(`/api/instructions?warningId=${warningId}`, { headers: display })).json())
      .instructions.find((i) => i.id === instruction.id)!
    expect(listed.overdue).toBe(true)
    expect(listed.targets.find((t) => t.adminCode === ownCode)!.overdue).toBe(false)
    expect(listed.targets.find((t) => t.adminCode === otherCode)!.overdue).toBe(true)
    const open = instructionListSchema.parse(await (await later.request('/api/instructions?status=open', { headers: display })).json())
    expect(open.instructions.map((i) => i.id)).toContain(instruction.id)
  })

  it('gives the big screen its figures as counts: progress, shelters, instructions, latest events', async () => {
    const response = await ctx.app.request('/api/command/overview', { headers: display })
    expect(response.status).toBe(200)
    const overview = commandOverviewSchema.parse(await response.json())
    expect(overview.warnings.map((w) => w.id)).toContain(warningId)
    expect(overview.progress?.warningId).toBe(warningId)
    expect(overview.progress!.town.moved).toBe((await progress()).town.moved)
    expect(overview.hazardPoints.total).toBe(overview.hazardPoints.byKind.reduce((n, k) => n + k.total, 0))
    const activeHazards = await ctx.db
      .selectFrom('hazard_points')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow()
    expect(overview.hazardPoints.total).toBe(Number(activeHazards.n))
    expect(overview.villagesUnderWarning.admin).toBeGreaterThanOrEqual(2)
    expect(overview.instructions.total).toBeGreaterThanOrEqual(1)
    expect(overview.latestEvents.length).toBeGreaterThan(0)
    expect(overview.latestEventId).toBe(overview.latestEvents[0]!.id)
    const vulnerable = await ctx.db
      .selectFrom('vulnerable_people')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(overview.vulnerable.total).toBe(Number(vulnerable.n))
  })

  it('signs a wall screen in with a one-time code for an HttpOnly SameSite=Strict cookie; revoking the token ends it', async () => {
    const token = (await (await admin.request('/api/display-tokens', { method: 'POST', body: { name: marker } })).json()) as {
      id: number
      token: string
    }
    expect((await editor.request(`/api/display-tokens/${token.id}/setup-code`, { method: 'POST' })).status).toBe(403)
    const issued = await admin.request(`/api/display-tokens/${token.id}/setup-code`, { method: 'POST' })
    expect(issued.status).toBe(201)
    const setup = displaySetupCodeSchema.parse(await issued.json())
    expect(setup.link).toBe(`/command/setup#code=${setup.code}`)
    expect(JSON.stringify(setup)).not.toContain(token.token)

    const exchanged = await ctx.app.request('/api/display-session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: setup.code.toLowerCase() }),
    })
    expect(exchanged.status).toBe(200)
    const setCookie = exchanged.headers.get('set-cookie')!
    expect(setCookie).toMatch(/^ra_display=/)
    expect(setCookie).toMatch(/HttpOnly/i)
    expect(setCookie).toMatch(/SameSite=Strict/i)
    expect(setCookie).not.toContain(token.token)
    expect(await exchanged.text()).not.toContain(token.token)
    const cookie = setCookie.split(';')[0]!

    const me = (await (await ctx.app.request('/api/auth/me', { headers: { cookie } })).json()) as {
      user: { role: string; displayName: string }
    }
    expect(me.user).toMatchObject({ role: 'display', displayName: marker })
    expect((await ctx.app.request('/api/command/overview', { headers: { cookie } })).status).toBe(200)
    const stream = await ctx.app.request('/api/events', { headers: { cookie } })
    expect(stream.status).toBe(200)
    await stream.body?.cancel()
    expect((await ctx.app.request('/api/vulnerable-people', { headers: { cookie } })).status).toBe(403)

    // Once only.
    const twice = await ctx.app.request('/api/display-session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: setup.code }),
    })
    expect(twice.status).toBe(401)
    // An expired code is refused too.
    const stale = displaySetupCodeSchema.parse(
      await (await admin.request(`/api/display-tokens/${token.id}/setup-code`, { method: 'POST' })).json(),
    )
    await ctx.db
      .updateTable('display_setup_codes')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('used_at', 'is', null)
      .where('display_token_id', '=', token.id)
      .execute()
    expect(
      (
        await ctx.app.request('/api/display-session', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ code: stale.code }),
        })
      ).status,
    ).toBe(401)

    expect((await admin.request(`/api/display-tokens/${token.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await ctx.app.request('/api/command/overview', { headers: { cookie } })).status).toBe(401)
    const afterRevoke = (await (await ctx.app.request('/api/auth/me', { headers: { cookie } })).json()) as { user: unknown }
    expect(afterRevoke.user).toBeNull()
  })

  it('answers a burst of wrong setup codes from one address with 429 rate_limited — even a right code waits — and not another address', async () => {
    const limited = createApp({ db: ctx.db, home: home.name, log: () => {}, trustProxy: true, setupCodeLimit: 3 })
    const token = (await (await admin.request('/api/display-tokens', { method: 'POST', body: { name: marker } })).json()) as { id: number }
    const code = async () =>
      displaySetupCodeSchema.parse(await (await admin.request(`/api/display-tokens/${token.id}/setup-code`, { method: 'POST' })).json())
        .code
    const exchange = (from: string, attempt: string) =>
      limited.request('/api/display-session', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
        body: JSON.stringify({ code: attempt }),
      })
    const statuses = []
    for (let guess = 0; guess < 4; guess++) statuses.push((await exchange('198.51.100.7', `WRNG-${guess}000`)).status)
    expect(statuses).toEqual([401, 401, 401, 429])
    const blocked = await exchange('198.51.100.7', await code())
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await blocked.json()).toMatchObject({ error: { code: 'rate_limited', details: { retryAfterSeconds: expect.any(Number) } } })
    expect((await exchange('198.51.100.8', await code())).status).toBe(200)
  })
})
