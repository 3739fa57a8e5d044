import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  errorBodySchema,
  warningDetailSchema,
  type WarningGeometry,
  warningImpactSchema,
  warningListSchema,
  type WarningCreate,
} from '@riskatlas/shared'
import { demoDisplayToken } from '../../server/src/seed/demo-accounts.ts'
import { openHome, signIn, testHomes, type HomeContext, type Session } from '../support/homes.ts'

/** Every warning a test issues carries this issuer, so cleanup finds exactly them. */
const marker = '预警接口测试'
const hour = 3_600_000

/** 石口村 and 河边寨村: the demo town's flash-flood valley. */
const valley = ['530502199205', '530502199207']

function issue(overrides: Partial<WarningCreate> = {}): WarningCreate {
  return {
    kind: 'flash_flood',
    level: 'orange',
    stage: 'prepare',
    issuedBy: marker,
    source: '县防办〔2026〕88号',
    validFrom: new Date(Date.now() - hour).toISOString(),
    validTo: new Date(Date.now() + 6 * hour).toISOString(),
    area: { kind: 'villages', adminCodes: valley },
    ...overrides,
  }
}

describe.each(testHomes())('warnings API on the $name home', (home) => {
  let ctx: HomeContext
  let admin: Session
  let editor: Session
  let villageEditor: Session
  let viewer: Session
  let auditBefore = 0
  const display = (path: string) => ctx.app.request(path, { headers: { authorization: `Bearer ${demoDisplayToken}` } })

  beforeAll(async () => {
    ctx = openHome(home)
    auditBefore = Number(
      (
        await ctx.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.max('id').as('id'))
          .executeTakeFirst()
      )?.id ?? 0,
    )
    ;[admin, editor, villageEditor, viewer] = await Promise.all([
      signIn(ctx.app, 'admin'),
      signIn(ctx.app, 'editor'),
      signIn(ctx.app, 'village_editor'),
      signIn(ctx.app, 'viewer'),
    ])
  })

  afterAll(async () => {
    await ctx.db.deleteFrom('warnings').where('issued_by', '=', marker).execute()
    await ctx.close()
  })

  it('issues a warning for administrative villages: stored with their boundaries, titled, listed as active, on the map layer', async () => {
    const response = await editor.request('/api/warnings', { method: 'POST', body: issue() })
    expect(response.status, await response.clone().text()).toBe(201)
    const warning = warningDetailSchema.parse(await response.json())
    expect(warning).toMatchObject({
      status: 'active',
      areaKind: 'villages',
      adminCodes: valley,
      revision: 1,
      source: '县防办〔2026〕88号',
      title: '云岭镇山洪灾害橙色预警（准备转移）',
    })
    expect(warning.geometry.type).toBe('MultiPolygon')
    expect(warning.history).toEqual([expect.objectContaining({ revision: 1, change: 'issue', actor: 'editor', level: 'orange' })])

    const list = warningListSchema.parse(await (await viewer.request('/api/warnings')).json())
    expect(list.warnings.map((w) => w.id)).toContain(warning.id)
    const layer = (await (await ctx.app.request('/api/layers/active_warnings')).json()) as { features: { id: number }[] }
    expect(layer.features.map((f) => f.id)).toContain(warning.id)

    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'reason'])
      .where('entity', '=', 'warning')
      .where('entity_id', '=', String(warning.id))
      .where('id', '>', auditBefore)
      .execute()
    expect(audit).toEqual([{ actor: 'editor', action: 'create', reason: 'warning_issued' }])
  })

  it('issues a warning for a drawn polygon and names the administrative villages it crosses', async () => {
    // A box around 石口村's natural villages, computed from the data rather than hard-coded.
    const box = await ctx.db
      .selectFrom('natural_villages')
      .select((eb) => [
        eb.fn.min(eb.fn('ST_X', ['geom'])).as('x0'),
        eb.fn.max(eb.fn('ST_X', ['geom'])).as('x1'),
        eb.fn.min(eb.fn('ST_Y', ['geom'])).as('y0'),
        eb.fn.max(eb.fn('ST_Y', ['geom'])).as('y1'),
      ])
      .where('admin_code', '=', valley[0]!)
      .executeTakeFirstOrThrow()
    const [x0, x1, y0, y1] = [Number(box.x0) - 0.001, Number(box.x1) + 0.001, Number(box.y0) - 0.001, Number(box.y1) + 0.001]
    const geometry: WarningGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [x0, y0],
          [x1, y0],
          [x1, y1],
          [x0, y1],
          [x0, y0],
        ],
      ],
    }
    const response = await admin.request('/api/warnings', {
      method: 'POST',
      body: issue({ kind: 'rainstorm', level: 'red', stage: 'move_now', area: { kind: 'polygon', geometry } }),
    })
    expect(response.status, await response.clone().text()).toBe(201)
    const warning = warningDetailSchema.parse(await response.json())
    expect(warning.areaKind).toBe('polygon')
    expect(warning.adminCodes).toContain(valley[0])
    expect(warning.title).toBe('云岭镇暴雨红色预警（立即转移）')

    const impact = warningImpactSchema.parse(await (await admin.request(`/api/warnings/${warning.id}/impact`)).json())
    const inside = await ctx.db.selectFrom('natural_villages').select('id').where('admin_code', '=', valley[0]!).execute()
    expect(impact.naturalVillages.map((v) => v.id)).toEqual(expect.arrayContaining(inside.map((v) => v.id)))
  })

  it('refuses a self-crossing polygon, an area outside the town, an unknown village and a validity that runs backwards', async () => {
    const bowtie: WarningGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [99.1, 25.1],
          [99.12, 25.12],
          [99.12, 25.1],
          [99.1, 25.12],
          [99.1, 25.1],
        ],
      ],
    }
    const far: WarningGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [10, 10],
          [10.1, 10],
          [10.1, 10.1],
          [10, 10.1],
          [10, 10],
        ],
      ],
    }
    const cases: [WarningCreate, RegExp][] = [
      [issue({ area: { kind: 'polygon', geometry: bowtie } }), /not a valid polygon/],
      [issue({ area: { kind: 'polygon', geometry: far } }), /outside the town/],
      [issue({ area: { kind: 'villages', adminCodes: ['530502199999'] } }), /No administrative village 530502199999/],
      [issue({ validTo: new Date(Date.now() - 2 * hour).toISOString() }), /validTo must be after validFrom/],
    ]
    const count = async () =>
      Number(
        (
          await ctx.db
            .selectFrom('warnings')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const before = await count()
    for (const [body, message] of cases) {
      const response = await admin.request('/api/warnings', { method: 'POST', body })
      expect(response.status).toBe(400)
      const { error } = errorBodySchema.parse(await response.json())
      expect(error.code).toBe('validation_failed')
      expect(JSON.stringify(error)).toMatch(message)
    }
    const unknownField = await admin.request('/api/warnings', { method: 'POST', body: { ...issue(), colour: 'red' } })
    expect(unknownField.status).toBe(400)
    expect(await count()).toBe(before)
  })

  it('keeps every change as a revision: raise to 立即转移, then lift; a lifted warning cannot change and leaves the map', async () => {
    const created = warningDetailSchema.parse(await (await admin.request('/api/warnings', { method: 'POST', body: issue() })).json())
    const raised = await admin.request(`/api/warnings/${created.id}`, {
      method: 'PATCH',
      body: { stage: 'move_now', level: 'red', reason: '雨量站 3 小时 120 mm' },
    })
    expect(raised.status, await raised.clone().text()).toBe(200)
    expect(warningDetailSchema.parse(await raised.json())).toMatchObject({ stage: 'move_now', level: 'red', revision: 2 })

    const lifted = warningDetailSchema.parse(
      await (await editor.request(`/api/warnings/${created.id}`, { method: 'PATCH', body: { lift: true, reason: '降雨减弱' } })).json(),
    )
    expect(lifted.status).toBe('lifted')
    expect(lifted.liftedAt).not.toBeNull()
    expect(lifted.history.map((r) => [r.revision, r.change, r.stage, r.reason])).toEqual([
      [1, 'issue', 'prepare', null],
      [2, 'update', 'move_now', '雨量站 3 小时 120 mm'],
      [3, 'lift', 'move_now', '降雨减弱'],
    ])
    const again = await admin.request(`/api/warnings/${created.id}`, { method: 'PATCH', body: { level: 'yellow' } })
    expect(again.status).toBe(409)
    const both = await admin.request(`/api/warnings/${created.id}`, { method: 'PATCH', body: { lift: true, level: 'red' } })
    expect(both.status).toBe(400)

    const current = warningListSchema.parse(await (await viewer.request('/api/warnings')).json())
    expect(current.warnings.map((w) => w.id)).not.toContain(created.id)
    const all = warningListSchema.parse(await (await viewer.request('/api/warnings?status=lifted')).json())
    expect(all.warnings.map((w) => w.id)).toContain(created.id)
    const layer = (await (await ctx.app.request('/api/layers/active_warnings')).json()) as { features: { id: number }[] }
    expect(layer.features.map((f) => f.id)).not.toContain(created.id)
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['action', 'reason'])
      .where('entity', '=', 'warning')
      .where('entity_id', '=', String(created.id))
      .where('id', '>', auditBefore)
      .orderBy('id')
      .execute()
    expect(audit).toEqual([
      { action: 'create', reason: 'warning_issued' },
      { action: 'update', reason: '雨量站 3 小时 120 mm' },
      { action: 'update', reason: '降雨减弱' },
    ])
  })

  it('refuses warnings from a village editor, a viewer and a big screen', async () => {
    expect((await villageEditor.request('/api/warnings', { method: 'POST', body: issue() })).status).toBe(403)
    expect((await viewer.request('/api/warnings', { method: 'POST', body: issue() })).status).toBe(403)
    const screen = await ctx.app.request('/api/warnings', {
      method: 'POST',
      headers: { authorization: `Bearer ${demoDisplayToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(issue()),
    })
    expect(screen.status).toBe(403)
  })

  it('counts what a warning covers, matching the data; names contacts only to those who may see them', async () => {
    // The valley and the village editor's own administrative village.
    const scope = (
      await ctx.db.selectFrom('users').select('village_scope').where('username', '=', 'village_editor').executeTakeFirstOrThrow()
    ).village_scope!
    const codes = [...valley, scope[0]!]
    const warning = warningDetailSchema.parse(
      await (
        await admin.request('/api/warnings', { method: 'POST', body: issue({ area: { kind: 'villages', adminCodes: codes } }) })
      ).json(),
    )
    const impact = warningImpactSchema.parse(await (await admin.request(`/api/warnings/${warning.id}/impact`)).json())
    const villages = await ctx.db.selectFrom('natural_villages').select(['id', 'population']).where('admin_code', 'in', codes).execute()
    // Natural villages are points inside their administrative village: exactly those of the two villages.
    expect(impact.naturalVillages.map((v) => v.id).sort((a, b) => a - b)).toEqual(villages.map((v) => v.id).sort((a, b) => a - b))
    expect(impact.totals.population).toBe(villages.reduce((sum, v) => sum + v.population, 0))
    const vulnerable = await ctx.db
      .selectFrom('vulnerable_people')
      .select((eb) => eb.fn.countAll().as('n'))
      .where(
        'natural_village_id',
        'in',
        villages.map((v) => v.id),
      )
      .executeTakeFirstOrThrow()
    expect(impact.totals.vulnerable).toBe(Number(vulnerable.n))
    expect(impact.totals.vulnerable).toBeGreaterThan(0)
    expect(impact.hazardPoints.length).toBeGreaterThan(0)
    expect(impact.totals.shelters).toBe(impact.shelters.length)
    expect(impact.contacts?.length).toBe(impact.totals.contacts)
    expect(impact.totals.contacts).toBeGreaterThan(0)

    // The village editor sees the contacts of its own administrative village only; viewer and screen none.
    const scoped = warningImpactSchema.parse(await (await villageEditor.request(`/api/warnings/${warning.id}/impact`)).json())
    expect(scoped.contacts?.length).toBeGreaterThan(0)
    expect(scoped.contacts!.length).toBeLessThan(impact.contacts!.length)
    expect(scoped.contacts?.every((c) => c.adminCode !== null && scope.includes(c.adminCode))).toBe(true)
    const forViewer = warningImpactSchema.parse(await (await viewer.request(`/api/warnings/${warning.id}/impact`)).json())
    expect(forViewer.contacts).toBeNull()
    expect(forViewer.totals).toEqual(impact.totals)
    const screenResponse = await display(`/api/warnings/${warning.id}/impact`)
    const text = await screenResponse.text()
    expect(warningImpactSchema.parse(JSON.parse(text)).contacts).toBeNull()
    const phones = await ctx.db
      .selectFrom('hazard_points')
      .select(['responsible_name', 'responsible_phone', 'monitor_name', 'monitor_phone'])
      .execute()
    const secrets = phones
      .flatMap((p) => [p.responsible_name, p.responsible_phone, p.monitor_name, p.monitor_phone])
      .filter((s): s is string => !!s && s.length > 1)
    expect(secrets.filter((secret) => text.includes(secret))).toEqual([])
    const detail = warningDetailSchema.parse(await (await display(`/api/warnings/${warning.id}`)).json())
    expect(detail.history.every((r) => r.actor === null)).toBe(true)

    // Reading the contacts is audited; counts are not.
    const audited = await ctx.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'reason'])
      .where('entity', '=', 'warning')
      .where('entity_id', '=', String(warning.id))
      .where('action', '=', 'read')
      .where('id', '>', auditBefore)
      .execute()
    expect(audited.map((a) => a.actor).sort()).toEqual(['admin', 'village_editor'])
    expect((await admin.request('/api/warnings/99999999/impact')).status).toBe(404)
  })
})
