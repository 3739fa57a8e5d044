import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { coverageResponseSchema, drillSchema, errorBodySchema, type CoverageStatus, type Drill } from '@riskatlas/shared'
import { createApp } from '@riskatlas/server'
import { openHome, signIn, testHomes, type HomeContext, type Session, type TestApp } from '../support/homes.ts'

/** Every drill a test creates carries this organiser, so cleanup finds exactly them. */
const marker = '演练接口测试'
const today = '2026-11-30'

describe.each(testHomes())('drill API on the $name home', (home) => {
  let ctx: HomeContext
  let editor: Session
  let admin: Session
  let viewer: Session
  let villageEditor: Session
  /** A natural village that requires a drill and has nothing in the 2027 season yet. */
  let village: { id: number; population: number; adminCode: string }
  let outOfScope: { id: number }
  /** The audit log is append-only and outlives re-seeding (drill ids restart): only rows written by this run count. */
  let auditBefore = 0

  beforeAll(async () => {
    ctx = openHome(home, { today: () => today })
    auditBefore = Number(
      (
        await ctx.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.max('id').as('id'))
          .executeTakeFirst()
      )?.id ?? 0,
    )
    ;[editor, admin, viewer, villageEditor] = await Promise.all([
      signIn(ctx.app, 'editor'),
      signIn(ctx.app, 'admin'),
      signIn(ctx.app, 'viewer'),
      signIn(ctx.app, 'village_editor'),
    ])
    const coverage = coverageResponseSchema.parse(await (await viewer.request('/api/coverage?year=2027')).json())
    const missing = coverage.villages.find((entry) => entry.status === 'missing' && entry.population > 20)!
    village = { id: missing.id, population: missing.population, adminCode: missing.adminCode }
    const scope = (
      await ctx.db.selectFrom('users').select('village_scope').where('username', '=', 'village_editor').executeTakeFirstOrThrow()
    ).village_scope![0]!
    outOfScope = await ctx.db
      .selectFrom('natural_villages')
      .select('id')
      .where('admin_code', '<>', scope)
      .orderBy('id')
      .executeTakeFirstOrThrow()
  })

  afterAll(async () => {
    await ctx.db.deleteFrom('drills').where('organiser', '=', marker).execute()
    await ctx.close()
  })

  async function body(response: Response) {
    return (await response.json()) as unknown
  }

  async function expectInvalid(response: Response, mentions: string | RegExp) {
    expect(response.status).toBe(400)
    const { error } = errorBodySchema.parse(await body(response))
    expect(error.code).toBe('validation_failed')
    expect(error.message).toMatch(mentions)
    return error
  }

  async function plan(session: Session, extra: Record<string, unknown> = {}) {
    return session.request('/api/drills', {
      method: 'POST',
      body: { naturalVillageId: village.id, scenario: 'landslide', plannedOn: '2027-05-20', organiser: marker, ...extra },
    })
  }

  async function statusIn(year: number, app: TestApp = ctx.app, villageId = village.id): Promise<CoverageStatus> {
    const session = app === ctx.app ? viewer : await signIn(app, 'viewer')
    const coverage = coverageResponseSchema.parse(await (await session.request(`/api/coverage?year=${year}`)).json())
    return coverage.villages.find((entry) => entry.id === villageId)!.status
  }

  async function auditFor(id: number) {
    return ctx.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'entity', 'reason'])
      .where('entity', '=', 'drill')
      .where('id', '>', auditBefore)
      .where('entity_id', '=', String(id))
      .orderBy('id')
      .execute()
  }

  it('plans a drill, turning the village from missing to planned, and logs who did it', async () => {
    expect(await statusIn(2027)).toBe('missing')
    const response = await plan(editor)
    expect(response.status).toBe(201)
    const drill = drillSchema.parse(await body(response))
    expect(drill).toMatchObject({
      naturalVillageId: village.id,
      status: 'planned',
      plannedOn: '2027-05-20',
      heldOn: null,
      seasonYear: 2027,
      organiser: marker,
    })
    expect(await statusIn(2027)).toBe('planned')
    expect(await auditFor(drill.id)).toEqual([{ actor: 'editor', action: 'create', entity: 'drill', reason: null }])

    const listed = (await body(await viewer.request(`/api/drills?year=2027&naturalVillageId=${village.id}`))) as { drills: Drill[] }
    expect(listed.drills.map((entry) => entry.id)).toContain(drill.id)
    expect(drillSchema.parse(await body(await viewer.request(`/api/drills/${drill.id}`)))).toEqual(drill)
  })

  it('records a drill as held, turning the village drilled, then refuses to cancel it', async () => {
    await ctx.db.deleteFrom('drills').where('organiser', '=', marker).execute()
    const drill = drillSchema.parse(await body(await plan(editor, { plannedOn: '2027-05-12' })))
    // The day of the drill: it is still planned in the morning, held by the evening. Same
    // database (the embedded home admits one session), another calendar.
    const later = createApp({
      db: ctx.db,
      home: home.name,
      log: () => {},
      loginLimits: { perAccount: 1000, perAddress: 1000 },
      today: () => '2027-05-12',
    })
    const laterEditor = await signIn(later, 'editor')
    expect(await statusIn(2027, later)).toBe('planned')
    const recorded = await laterEditor.request(`/api/drills/${drill.id}`, {
      method: 'PATCH',
      body: {
        status: 'held',
        heldOn: '2027-05-12',
        participants: Math.min(40, village.population),
        vulnerableMoved: 2,
        evacuationMinutes: 18.5,
        findings: '转移顺利',
      },
    })
    expect(recorded.status).toBe(200)
    expect(drillSchema.parse(await body(recorded))).toMatchObject({
      status: 'held',
      heldOn: '2027-05-12',
      evacuationMinutes: 18.5,
      findings: '转移顺利',
    })
    expect(await statusIn(2027, later)).toBe('drilled')
    const cancel = await laterEditor.request(`/api/drills/${drill.id}`, { method: 'PATCH', body: { status: 'cancelled' } })
    expect(cancel.status).toBe(409)
    expect(errorBodySchema.parse(await body(cancel)).error.code).toBe('conflict')
    expect((await auditFor(drill.id)).map((row) => [row.action, row.reason])).toEqual([
      ['create', null],
      ['update', 'recorded_as_held'],
    ])
  })

  it('cancels a drill, which then counts as nothing, and deletes one entered by mistake', async () => {
    await ctx.db.deleteFrom('drills').where('organiser', '=', marker).execute()
    const drill = drillSchema.parse(await body(await plan(admin)))
    expect(await statusIn(2027)).toBe('planned')
    const cancelled = await admin.request(`/api/drills/${drill.id}`, { method: 'PATCH', body: { status: 'cancelled' } })
    expect(drillSchema.parse(await body(cancelled)).status).toBe('cancelled')
    expect(await statusIn(2027)).toBe('missing')

    const deleted = await admin.request(`/api/drills/${drill.id}`, { method: 'DELETE' })
    expect(deleted.status).toBe(204)
    expect((await viewer.request(`/api/drills/${drill.id}`)).status).toBe(404)
    expect((await auditFor(drill.id)).map((row) => [row.actor, row.action, row.reason])).toEqual([
      ['admin', 'create', null],
      ['admin', 'update', 'cancelled'],
      ['admin', 'delete', null],
    ])
  })

  it.each([
    ['an unknown village', { naturalVillageId: 999_999 }, /no natural village with id 999999/],
    ['a held date in the future', { plannedOn: undefined, heldOn: '2026-12-01' }, /heldOn: 2026-12-01 is in the future/],
    ['negative participants', { plannedOn: undefined, heldOn: '2026-06-01', participants: -1 }, /participants cannot be negative/],
    [
      'negative vulnerable people moved',
      { plannedOn: undefined, heldOn: '2026-06-01', vulnerableMoved: -3 },
      /vulnerableMoved cannot be negative/,
    ],
    [
      'negative evacuation minutes',
      { plannedOn: undefined, heldOn: '2026-06-01', evacuationMinutes: -5 },
      /evacuationMinutes cannot be negative/,
    ],
    ['a planned date before the flood season', { plannedOn: '2027-04-30' }, /plannedOn: 2027-04-30 is outside the flood season/],
    ['a planned date after the flood season', { plannedOn: '2027-11-01' }, /outside the flood season/],
    ['a planned date already past (record it as held instead)', { plannedOn: '2026-06-01' }, /plannedOn: 2026-06-01 has already passed/],
    [
      'a held date outside every flood season, unconfirmed',
      { plannedOn: undefined, heldOn: '2026-11-20' },
      /heldOn: 2026-11-20 is outside every flood season/,
    ],
    ['an unknown field', { colour: 'red' }, /colour/],
    ['an unknown scenario', { scenario: 'tsunami' }, /scenario must be one of/],
    ['a malformed date', { plannedOn: '20/05/2027' }, /YYYY-MM-DD/],
    ['no date at all', { plannedOn: undefined }, /plannedOn/],
    ['drill figures on a plan', { participants: 10 }, /only be given for a drill that was held/],
  ])('refuses %s with a 400 that says why', async (_what, change, mentions) => {
    const before = await ctx.db
      .selectFrom('drills')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    await expectInvalid(await plan(editor, change), mentions)
    const after = await ctx.db
      .selectFrom('drills')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })

  it('records a drill held outside every flood season only when that is confirmed, and it then counts for no season', async () => {
    const refused = await plan(editor, { plannedOn: undefined, heldOn: '2026-11-20' })
    const error = await expectInvalid(refused, /outside every flood season/)
    expect((error.details as { issues: { path: string; code: string }[] }).issues).toMatchObject([
      { path: 'heldOn', code: 'held_outside_season', params: { date: '2026-11-20' } },
    ])
    const confirmed = await plan(editor, { plannedOn: undefined, heldOn: '2026-11-20', confirmOutsideSeason: true })
    expect(confirmed.status).toBe(201)
    expect(drillSchema.parse(await body(confirmed))).toMatchObject({ status: 'held', heldOn: '2026-11-20', seasonYear: null })

    const planned = drillSchema.parse(await body(await plan(editor)))
    const patch = (change: unknown) => editor.request(`/api/drills/${planned.id}`, { method: 'PATCH', body: change })
    await expectInvalid(await patch({ status: 'held', heldOn: '2026-11-25' }), /heldOn: 2026-11-25 is outside every flood season/)
    const inSeason = await patch({ status: 'held', heldOn: '2026-10-12' })
    expect(drillSchema.parse(await body(inSeason))).toMatchObject({ status: 'held', seasonYear: 2026 })
    // Correcting the figures of a drill already held does not ask about its season again.
    expect((await patch({ participants: 3 })).status).toBe(200)
  })

  it('refuses participants above the village’s population', async () => {
    await expectInvalid(
      await plan(editor, { plannedOn: undefined, heldOn: '2026-06-01', participants: village.population + 1 }),
      new RegExp(`population of ${village.population}`),
    )
  })

  it('refuses bad changes to an existing drill and leaves it as it was', async () => {
    const drill = drillSchema.parse(await body(await plan(editor)))
    const patch = (change: unknown) => editor.request(`/api/drills/${drill.id}`, { method: 'PATCH', body: change })
    await expectInvalid(await patch({ plannedOn: '2027-12-24' }), /outside the flood season/)
    await expectInvalid(await patch({ heldOn: '2027-01-01' }), /in the future/)
    await expectInvalid(await patch({ heldOn: '2026-06-01', participants: -2 }), /cannot be negative/)
    await expectInvalid(await patch({ naturalVillageId: outOfScope.id }), /naturalVillageId/)
    await expectInvalid(await patch({}), /at least one field/)
    await expectInvalid(await patch({ status: 'held' }), /heldOn/)
    expect(drillSchema.parse(await body(await viewer.request(`/api/drills/${drill.id}`)))).toMatchObject({
      status: 'planned',
      plannedOn: '2027-05-20',
      heldOn: null,
    })
    expect((await editor.request('/api/drills/999999', { method: 'PATCH', body: { scenario: 'fire' } })).status).toBe(404)
  })

  it('plans a batch all or nothing', async () => {
    const count = async () =>
      Number(
        (
          await ctx.db
            .selectFrom('drills')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('organiser', '=', marker)
            .executeTakeFirstOrThrow()
        ).n,
      )
    const before = await count()
    const good = { naturalVillageId: village.id, scenario: 'flood', plannedOn: '2027-06-02', organiser: marker }
    const bad = await editor.request('/api/drills/batch', {
      method: 'POST',
      body: { drills: [good, { ...good, naturalVillageId: 999_999 }] },
    })
    const error = await expectInvalid(bad, /drills\.1: .*no natural village/)
    expect(error.details).toMatchObject({ index: 1 })
    expect(await count()).toBe(before)
    const created = await editor.request('/api/drills/batch', {
      method: 'POST',
      body: { drills: [good, { ...good, plannedOn: '2027-06-03' }] },
    })
    expect(created.status).toBe(201)
    expect(((await body(created)) as { drills: Drill[] }).drills.map((entry) => entry.plannedOn)).toEqual(['2027-06-02', '2027-06-03'])
    expect(await count()).toBe(before + 2)
  })

  it('lets only editors write, and a scoped editor only in their own villages', async () => {
    expect((await plan(viewer)).status).toBe(403)
    const outside = await villageEditor.request('/api/drills', {
      method: 'POST',
      body: { naturalVillageId: outOfScope.id, scenario: 'fire', plannedOn: '2027-05-20', organiser: marker },
    })
    expect(outside.status).toBe(403)
    expect(errorBodySchema.parse(await body(outside)).error.code).toBe('forbidden')
    const display = await ctx.app.request('/api/drills?year=2026', { headers: { authorization: 'Bearer dsp_demo-command-room-screen' } })
    expect(display.status).toBe(200)
    expect((await ctx.app.request('/api/drills')).status).toBe(401)
  })

  it('lists the demo season’s drills by year and status', async () => {
    const { drills } = (await body(await viewer.request('/api/drills?year=2026'))) as { drills: Drill[] }
    expect(new Set(drills.map((drill) => drill.status))).toEqual(new Set(['held', 'planned', 'cancelled']))
    expect(drills.every((drill) => drill.seasonYear === 2026)).toBe(true)
    const held = (await body(await viewer.request('/api/drills?year=2026&status=held'))) as { drills: Drill[] }
    expect(held.drills.length).toBeGreaterThan(0)
    expect(held.drills.every((drill) => drill.status === 'held' && drill.heldOn! >= '2026-05-01' && drill.heldOn! <= '2026-10-31')).toBe(
      true,
    )
    await expectInvalid(await viewer.request('/api/drills?year=1999'), /year must be 2000 or later/)
    await expectInvalid(await viewer.request('/api/drills?colour=red'), /colour/)
  })
})
