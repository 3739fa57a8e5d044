import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditLogSchema, type ErrorBody } from '@riskatlas/shared'
import { createApp } from '@riskatlas/server'
import { demoAccounts, demoDisplayToken } from '../../server/src/seed/demo-accounts.ts'
import { openHome, signIn, testHomes, type HomeContext } from '../support/homes.ts'

const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

describe.each(testHomes())('accounts and sign-in on the $name home', (home) => {
  let ctx: HomeContext
  beforeAll(() => {
    ctx = openHome(home)
  })
  afterAll(() => ctx.close())

  it('signs in with an HttpOnly, SameSite=Lax session cookie and tells who is signed in', async () => {
    const response = await ctx.app.request('/api/auth/login', json({ username: 'viewer', password: 'demo-viewer-2026' }))
    expect(response.status).toBe(200)
    const cookie = response.headers.get('set-cookie')!
    expect(cookie).toMatch(/^ra_session=[\w-]{40,};/)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    expect(cookie).not.toMatch(/Secure/) // plain http here; https sets Secure
    const me = await ctx.app.request('/api/auth/me', { headers: { cookie: cookie.split(';')[0]! } })
    expect(await me.json()).toMatchObject({ user: { username: 'viewer', role: 'viewer' }, csrfToken: expect.any(String) })
  })

  it('sets Secure on the cookie when the request came over HTTPS', async () => {
    const response = await ctx.app.request(
      'https://riskatlas.example/api/auth/login',
      json({ username: 'viewer', password: 'demo-viewer-2026' }),
    )
    expect(response.headers.get('set-cookie')).toMatch(/Secure/)
  })

  it('refuses a wrong password with one message for unknown and known accounts alike', async () => {
    const wrong = await ctx.app.request('/api/auth/login', json({ username: 'viewer', password: 'not-the-password' }))
    const unknown = await ctx.app.request('/api/auth/login', json({ username: 'nobody-here', password: 'whatever-it-is' }))
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect(((await wrong.json()) as ErrorBody).error.message).toBe(((await unknown.json()) as ErrorBody).error.message)
  })

  it('stores passwords as scrypt hashes, never in clear', async () => {
    const rows = await ctx.db.selectFrom('users').select(['username', 'password_hash']).execute()
    for (const account of demoAccounts) {
      const row = rows.find((r) => r.username === account.username)!
      expect(row.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/)
      expect(row.password_hash).not.toContain(account.password)
    }
  })

  it('answers a login burst with 429 and a retry time, per account and per client address', async () => {
    // A second app on the same connection: the embedded engine admits one session.
    const limited = { app: createApp({ db: ctx.db, home: home.name, log: () => {}, loginLimits: { perAccount: 5, perAddress: 7 } }) }
    const statuses: number[] = []
    for (let i = 0; i < 7; i++)
      statuses.push((await limited.app.request('/api/auth/login', json({ username: 'editor', password: `guess-${i}-wrong` }))).status)
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429])
    const blocked = await limited.app.request('/api/auth/login', json({ username: 'editor', password: 'demo-editor-2026' }))
    expect(blocked.status).toBe(429) // even the right password waits out the window
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(800)
    expect(await blocked.json()).toMatchObject({ error: { code: 'rate_limited', details: { retryAfterSeconds: expect.any(Number) } } })
    // The address limit catches a spray over many accounts from the same client — keyed on the
    // socket, so a forged X-Forwarded-For does not reset it (no trusted proxy is configured).
    const spray: number[] = []
    for (const [i, username] of ['a1x', 'a2x', 'a3x'].entries()) {
      const request = json({ username, password: 'nope-nope-nope' })
      const response = await limited.app.request('/api/auth/login', {
        ...request,
        headers: { ...request.headers, 'x-forwarded-for': `203.0.113.${i}` },
      })
      spray.push(response.status)
    }
    expect(spray).toContain(429)
  })

  it('does not accept a session id planted before login, and ends the session on logout', async () => {
    const planted = 'ra_session=attacker-chosen-session-identifier-0123456789'
    const login = await ctx.app.request('/api/auth/login', {
      ...json({ username: 'editor', password: 'demo-editor-2026' }),
      headers: { 'content-type': 'application/json', cookie: planted },
    })
    expect(login.status).toBe(200)
    const issued = login.headers.get('set-cookie')!.split(';')[0]!
    expect(issued).not.toBe(planted)
    const withPlanted = await ctx.app.request('/api/vulnerable-people', { headers: { cookie: planted } })
    expect(withPlanted.status).toBe(401)
    const csrfToken = ((await (await ctx.app.request('/api/auth/me', { headers: { cookie: issued } })).json()) as { csrfToken: string })
      .csrfToken
    const logout = await ctx.app.request('/api/auth/logout', { method: 'POST', headers: { cookie: issued, 'x-csrf-token': csrfToken } })
    expect(logout.status).toBe(204)
    expect((await ctx.app.request('/api/vulnerable-people', { headers: { cookie: issued } })).status).toBe(401)
  })

  it('refuses a state-changing request without the CSRF token, or from another origin', async () => {
    const editor = await signIn(ctx.app, 'editor')
    const village = await ctx.db.selectFrom('natural_villages').select('id').orderBy('id').executeTakeFirstOrThrow()
    const body = { naturalVillageId: village.id, category: 'elderly', name: '测试甲' }
    const noToken = await editor.request('/api/vulnerable-people', { method: 'POST', body, headers: { 'x-csrf-token': '' } })
    expect(noToken.status).toBe(403)
    expect(((await noToken.json()) as ErrorBody).error.message).toMatch(/CSRF/)
    const crossSite = await editor.request('/api/vulnerable-people', {
      method: 'POST',
      body,
      headers: { origin: 'https://evil.example', host: 'localhost' },
    })
    expect(crossSite.status).toBe(403)
    const count = await ctx.db
      .selectFrom('vulnerable_people')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('name', '=', '测试甲')
      .executeTakeFirstOrThrow()
    expect(Number(count.n)).toBe(0)
  })

  it('lets a display token read counts, refuses it personal data, and stops it once revoked', async () => {
    const admin = await signIn(ctx.app, 'admin')
    const issued = (await (await admin.request('/api/display-tokens', { method: 'POST', body: { name: '测试大屏' } })).json()) as {
      id: number
      token: string
    }
    const bearer = { headers: { authorization: `Bearer ${issued.token}` } }
    expect((await ctx.app.request('/api/vulnerable-people/counts', bearer)).status).toBe(200)
    expect((await ctx.app.request('/api/vulnerable-people', bearer)).status).toBe(403)
    expect((await admin.request(`/api/display-tokens/${issued.id}`, { method: 'DELETE' })).status).toBe(204)
    const revoked = await ctx.app.request('/api/vulnerable-people/counts', bearer)
    expect(revoked.status).toBe(401)
    expect(
      (await ctx.app.request('/api/vulnerable-people/counts', { headers: { authorization: `Bearer ${demoDisplayToken}` } })).status,
    ).toBe(200)
  })

  it('rejects unknown fields at every level, so nobody sets role, village or audit fields by sending them', async () => {
    const editor = await signIn(ctx.app, 'village_editor')
    const admin = await signIn(ctx.app, 'admin')
    const village = await ctx.db.selectFrom('natural_villages').select('id').orderBy('code').executeTakeFirstOrThrow()
    for (const extra of [{ id: 999999 }, { updatedAt: '2020-01-01' }, { adminCode: '530502199013' }]) {
      const response = await editor.request('/api/vulnerable-people', {
        method: 'POST',
        body: { naturalVillageId: village.id, category: 'elderly', name: '测试乙', ...extra },
      })
      expect(response.status).toBe(400)
    }
    const viewer = await ctx.db.selectFrom('users').select('id').where('username', '=', 'viewer').executeTakeFirstOrThrow()
    expect((await admin.request(`/api/users/${viewer.id}`, { method: 'PATCH', body: { username: 'root' } })).status).toBe(400)
    expect(
      (await ctx.app.request('/api/auth/login', json({ username: 'viewer', password: 'demo-viewer-2026', role: 'admin' }))).status,
    ).toBe(400)
  })

  it('audits every read and export of personal data; the log cannot be changed or deleted', async () => {
    const admin = await signIn(ctx.app, 'admin')
    const person = await ctx.db.selectFrom('vulnerable_people').select('id').orderBy('id').executeTakeFirstOrThrow()
    const before = await ctx.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.max('id').as('max'))
      .executeTakeFirstOrThrow()
    expect((await admin.request(`/api/vulnerable-people/${person.id}?reason=${encodeURIComponent('核对包保责任人')}`)).status).toBe(200)
    const csv = await admin.request('/api/vulnerable-people/export.csv')
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const rows = await ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '>', Number(before.max ?? 0))
      .orderBy('id')
      .execute()
    expect(rows.map((r) => [r.actor, r.action, r.entity])).toEqual(
      expect.arrayContaining([
        ['admin', 'read', 'vulnerable_people'],
        ['admin', 'export', 'vulnerable_people'],
      ]),
    )
    expect(rows.find((r) => r.action === 'read')).toMatchObject({ entity_id: String(person.id), reason: '核对包保责任人' })
    await expect(ctx.db.updateTable('audit_log').set({ actor: 'someone-else' }).execute()).rejects.toThrow(/append-only/)
    await expect(ctx.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/)
    const log = await admin.request('/api/audit-log?limit=5')
    expect(log.status).toBe(200)
    expect(((await log.json()) as { entries: unknown[] }).entries).toHaveLength(5)
  })

  it('sends the reasons it wrote itself as codes, a reason a user typed as written, and older prose rows as their codes', async () => {
    const admin = await signIn(ctx.app, 'admin')
    const person = await ctx.db.selectFrom('vulnerable_people').select('id').orderBy('id').executeTakeFirstOrThrow()
    expect((await admin.request(`/api/vulnerable-people/${person.id}?reason=${encodeURIComponent('核对住址')}`)).status).toBe(200)
    expect((await admin.request('/api/vulnerable-people')).status).toBe(200)
    // A row written before the codes, in the English prose of the time.
    await ctx.db
      .insertInto('audit_log')
      .values({
        actor: 'admin',
        action: 'create',
        entity: 'display_tokens',
        entity_id: null,
        reason: 'display setup code issued',
        details: null,
      })
      .execute()
    const log = auditLogSchema.parse(await (await admin.request('/api/audit-log?limit=3')).json())
    expect(log.entries.map((entry) => entry.reason)).toEqual([{ code: 'display_setup_code_issued' }, { code: 'list_view' }, '核对住址'])
    const stored = await ctx.db.selectFrom('audit_log').select('reason').orderBy('id', 'desc').limit(3).execute()
    expect(stored.map((row) => row.reason)).toEqual(['display setup code issued', 'list_view', '核对住址'])
  })

  it('audits an evacuation card that names vulnerable people, and names nobody for a viewer', async () => {
    const admin = await signIn(ctx.app, 'admin')
    const viewer = await signIn(ctx.app, 'viewer')
    const village = await ctx.db
      .selectFrom('natural_villages as v')
      .innerJoin('vulnerable_people as p', 'p.natural_village_id', 'v.id')
      .select('v.id')
      .orderBy('v.id')
      .executeTakeFirstOrThrow()
    const before = Number(
      (
        await ctx.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.max('id').as('max'))
          .executeTakeFirstOrThrow()
      ).max ?? 0,
    )
    const asViewer = (await (await viewer.request(`/api/villages/${village.id}/evacuation-card`)).json()) as { vulnerablePeople: unknown }
    expect(asViewer.vulnerablePeople).toBeNull()
    expect(
      await ctx.db.selectFrom('audit_log').select('id').where('id', '>', before).where('entity', '=', 'evacuation_card').execute(),
    ).toHaveLength(0)
    const asAdmin = (await (await admin.request(`/api/villages/${village.id}/evacuation-card`)).json()) as { vulnerablePeople: unknown[] }
    expect(asAdmin.vulnerablePeople.length).toBeGreaterThan(0)
    const rows = await ctx.db.selectFrom('audit_log').selectAll().where('id', '>', before).where('entity', '=', 'evacuation_card').execute()
    expect(rows.map((r) => [r.actor, r.action, r.entity_id])).toEqual([['admin', 'export', String(village.id)]])
  })

  it('limits a scoped editor to their own villages in lists and exports', async () => {
    const scoped = await signIn(ctx.app, 'village_editor')
    const scope = (
      await ctx.db.selectFrom('users').select('village_scope').where('username', '=', 'village_editor').executeTakeFirstOrThrow()
    ).village_scope!
    const { people } = (await (await scoped.request('/api/vulnerable-people')).json()) as { people: { adminCode: string }[] }
    expect(people.length).toBeGreaterThan(0)
    expect(new Set(people.map((p) => p.adminCode))).toEqual(new Set(scope))
    const csv = await (await scoped.request('/api/vulnerable-people/export.csv')).text()
    expect(csv.trim().split('\r\n')).toHaveLength(people.length + 1)
    // Asking for another administrative village does not widen the scope: it narrows to nothing.
    const other = await ctx.db
      .selectFrom('admin_areas')
      .select('code')
      .where('level', '=', 'village')
      .where('code', 'not in', scope)
      .executeTakeFirstOrThrow()
    const outside = (await (await scoped.request(`/api/vulnerable-people?adminCode=${other.code}`)).json()) as { people: unknown[] }
    expect(outside.people).toEqual([])
    const admin = await signIn(ctx.app, 'admin')
    const narrowed = (await (await admin.request(`/api/vulnerable-people?adminCode=${other.code}`)).json()) as {
      people: { adminCode: string }[]
    }
    expect(narrowed.people.length).toBeGreaterThan(0)
    expect(new Set(narrowed.people.map((p) => p.adminCode))).toEqual(new Set([other.code]))
    expect((await admin.request('/api/vulnerable-people?adminCode=12345')).status).toBe(400)
  })

  it('sends secure headers with a CSP that admits MapLibre workers, and no CORS headers', async () => {
    const response = await ctx.app.request('/api/health', { headers: { origin: 'https://elsewhere.example' } })
    const csp = response.headers.get('content-security-policy')!
    expect(csp).toContain("default-src 'self'")
    expect(csp).toMatch(/worker-src 'self' blob:/)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('refuses an oversized body with 413 JSON', async () => {
    const response = await ctx.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) },
      body: JSON.stringify({ username: 'x', password: 'y'.repeat(2 * 1024 * 1024) }),
    })
    expect(response.status).toBe(413)
    expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large' } })
  })
})
