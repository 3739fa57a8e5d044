import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { coverageResponseSchema, gapsResponseSchema } from '@riskatlas/shared'
import { createApp } from '@riskatlas/server'
import { demoDisplayToken } from '../../server/src/seed/demo-accounts.ts'
import { openHome, signIn, testHomes, type HomeContext, type Session } from '../support/homes.ts'

const today = '2026-11-30'
const marker = 'response-cache test'

/**
 * The read-only answers kept until the next write (layers, coverage, gaps, OGC collections):
 * ETag and If-None-Match → 304 on both homes; a write through the app, or straight into the
 * database (another process, psql), makes a new ETag and a body that shows it; personal data
 * is never cached nor shared, and every read of it is still audited.
 */
describe.each(testHomes())('cached answers on the $name home', (home) => {
  let ctx: HomeContext
  let editor: Session
  let viewer: Session
  let admin: Session

  beforeAll(async () => {
    ctx = openHome(home, { today: () => today })
    ;[editor, viewer, admin] = await Promise.all([signIn(ctx.app, 'editor'), signIn(ctx.app, 'viewer'), signIn(ctx.app, 'admin')])
  })
  afterAll(async () => {
    await ctx.db.deleteFrom('drills').where('organiser', '=', marker).execute()
    await ctx.close()
  })

  it('gives a layer an ETag and answers If-None-Match with an empty 304', async () => {
    const first = await ctx.app.request('/api/layers/shelters')
    expect(first.status).toBe(200)
    const etag = first.headers.get('etag')!
    expect(etag).toMatch(/^W\/"\d+-[\w-]{16}"$/)
    expect(first.headers.get('cache-control')).toBe('public, no-cache')
    expect(first.headers.get('content-type')).toMatch(/^application\/geo\+json/)
    const features = ((await first.json()) as { features: unknown[] }).features
    expect(features.length).toBeGreaterThan(0)

    const again = await ctx.app.request('/api/layers/shelters', { headers: { 'if-none-match': etag } })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
    expect(again.headers.get('etag')).toBe(etag)

    // Another variant (a bbox) has its own ETag; the old one does not validate it.
    const boxed = await ctx.app.request('/api/layers/shelters?bbox=99,25,99.1,25.1', { headers: { 'if-none-match': etag } })
    expect(boxed.status).toBe(200)
    expect(boxed.headers.get('etag')).not.toBe(etag)
  })

  it('sends the same body gzipped or plain from the cache', async () => {
    const zipped = await ctx.app.request('/api/layers/roads', { headers: { 'accept-encoding': 'gzip' } })
    expect(zipped.headers.get('content-encoding')).toBe('gzip')
    const plain = await ctx.app.request('/api/layers/roads')
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(plain.headers.get('etag')).toBe(zipped.headers.get('etag'))
    const { DecompressionStream } = globalThis
    const unzipped = await new Response(zipped.body!.pipeThrough(new DecompressionStream('gzip'))).text()
    expect(unzipped).toBe(await plain.text())
  })

  it('after a write straight into the database (as another process would) answers the new data under a new ETag', async () => {
    const before = await ctx.app.request('/api/layers/hazard_points')
    const etag = before.headers.get('etag')!
    const { features } = (await before.json()) as { features: { id: number; properties: { name: string } }[] }
    const target = features[0]!
    const renamed = `${target.properties.name}（缓存测试）`
    await sql`UPDATE hazard_points SET name = ${renamed} WHERE id = ${target.id}`.execute(ctx.db)
    try {
      const after = await ctx.app.request('/api/layers/hazard_points', { headers: { 'if-none-match': etag } })
      expect(after.status).toBe(200)
      expect(after.headers.get('etag')).not.toBe(etag)
      const updated = (await after.json()) as { features: { id: number; properties: { name: string } }[] }
      expect(updated.features.find((feature) => feature.id === target.id)!.properties.name).toBe(renamed)
    } finally {
      await sql`UPDATE hazard_points SET name = ${target.properties.name} WHERE id = ${target.id}`.execute(ctx.db)
    }
  })

  it('after a shelter is closed through the API, the shelters layer has a new ETag', async () => {
    const etag = (await ctx.app.request('/api/layers/shelters')).headers.get('etag')!
    const shelter = await ctx.db
      .selectFrom('facilities')
      .select(['id', 'shelter_open as open'])
      .where('kind', '=', 'shelter')
      .orderBy('id')
      .executeTakeFirstOrThrow()
    const open = shelter.open !== false
    expect((await editor.request(`/api/shelters/${shelter.id}`, { method: 'PATCH', body: { open: !open } })).status).toBe(200)
    try {
      const after = await ctx.app.request('/api/layers/shelters', { headers: { 'if-none-match': etag } })
      expect(after.status).toBe(200)
      expect(after.headers.get('etag')).not.toBe(etag)
    } finally {
      await editor.request(`/api/shelters/${shelter.id}`, { method: 'PATCH', body: { open } })
    }
  })

  it('gives coverage an ETag and 304, and after a drill is recorded a new ETag and the village planned', async () => {
    const first = await viewer.request('/api/coverage?year=2027')
    expect(first.headers.get('cache-control')).toBe('private, no-cache')
    const etag = first.headers.get('etag')!
    const coverage = coverageResponseSchema.parse(await first.json())
    const village = coverage.villages.find((entry) => entry.status === 'missing')!
    expect((await viewer.request('/api/coverage?year=2027', { headers: { 'if-none-match': etag } })).status).toBe(304)
    // Another season is another variant.
    expect((await viewer.request('/api/coverage?year=2026', { headers: { 'if-none-match': etag } })).status).toBe(200)

    const drill = await editor.request('/api/drills', {
      method: 'POST',
      body: { naturalVillageId: village.id, scenario: 'flood', plannedOn: '2027-05-20', organiser: marker },
    })
    expect(drill.status).toBe(201)
    const after = await viewer.request('/api/coverage?year=2027', { headers: { 'if-none-match': etag } })
    expect(after.status).toBe(200)
    expect(after.headers.get('etag')).not.toBe(etag)
    const updated = coverageResponseSchema.parse(await after.json())
    expect(updated.villages.find((entry) => entry.id === village.id)!.status).toBe('planned')
  })

  it('answers gaps with an ETag and 304; the answer names nobody, so every signed-in role may share it', async () => {
    const asViewer = await viewer.request('/api/gaps?year=2027')
    const etag = asViewer.headers.get('etag')!
    expect(etag).toBeTruthy()
    const text = await asViewer.text()
    gapsResponseSchema.parse(JSON.parse(text))
    const asDisplay = await ctx.app.request('/api/gaps?year=2027', { headers: { authorization: `Bearer ${demoDisplayToken}` } })
    expect(asDisplay.headers.get('etag')).toBe(etag)
    expect(await asDisplay.text()).toBe(text)
    expect((await admin.request('/api/gaps?year=2027', { headers: { 'if-none-match': etag } })).status).toBe(304)
    const names = await sql<{ name: string }>`SELECT name FROM vulnerable_people`.execute(ctx.db)
    for (const { name } of names.rows) expect(text).not.toContain(name)
    // Signed-in only: the cache never answers before the policy has.
    expect((await ctx.app.request('/api/gaps?year=2027', { headers: { 'if-none-match': etag } })).status).toBe(401)
  })

  it('never caches personal data: no ETag, no-store, the caller’s own scope, and an audit row for every read', async () => {
    const auditRows = async () =>
      Number(
        (await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE entity = 'vulnerable_people'`.execute(ctx.db)).rows[0]!.n,
      )
    const before = await auditRows()
    const asAdmin = await admin.request('/api/vulnerable-people')
    const asAdminAgain = await admin.request('/api/vulnerable-people')
    const villageEditor = await signIn(ctx.app, 'village_editor')
    const asScoped = await villageEditor.request('/api/vulnerable-people')
    for (const response of [asAdmin, asAdminAgain, asScoped]) {
      expect(response.status).toBe(200)
      expect(response.headers.get('cache-control')).toBe('no-store')
      expect(response.headers.get('etag')).toBeNull()
    }
    const everyone = ((await asAdmin.json()) as { people: unknown[] }).people.length
    const scoped = ((await asScoped.json()) as { people: unknown[] }).people.length
    expect(scoped).toBeLessThan(everyone)
    expect(await auditRows()).toBe(before + 3)
  })

  it('serves OGC collections and items with ETags, one variant per format', async () => {
    const json = await ctx.app.request('/ogc/collections/shelters/items', { headers: { accept: 'application/geo+json' } })
    const html = await ctx.app.request('/ogc/collections/shelters/items', { headers: { accept: 'text/html' } })
    expect(json.status).toBe(200)
    expect(html.status).toBe(200)
    expect(html.headers.get('content-type')).toMatch(/text\/html/)
    expect(json.headers.get('etag')).not.toBe(html.headers.get('etag'))
    expect(json.headers.get('content-crs')).toBeTruthy()
    const revalidated = await ctx.app.request('/ogc/collections/shelters/items', {
      headers: { accept: 'application/geo+json', 'if-none-match': json.headers.get('etag')! },
    })
    expect(revalidated.status).toBe(304)
  })

  it('with the cache switched off answers as before: no ETag, never 304', async () => {
    // On the same connection: the embedded engine admits one session.
    const off = createApp({ db: ctx.db, home: home.name, log: () => {}, responseCache: { enabled: false } })
    const first = await off.request('/api/layers/shelters')
    expect(first.status).toBe(200)
    expect(first.headers.get('etag')).toBeNull()
    const etag = (await ctx.app.request('/api/layers/shelters')).headers.get('etag')!
    expect((await off.request('/api/layers/shelters', { headers: { 'if-none-match': etag } })).status).toBe(200)
  })
})

/**
 * Two server processes on one external database: each has its own pool and its own in-process
 * events, so the second one's write reaches the first only through the database's counter.
 */
const external = testHomes().find((home) => home.name === 'external')
describe.runIf(external)('cached answers across two processes on the external home', () => {
  let first: HomeContext
  let second: HomeContext
  beforeAll(() => {
    first = openHome(external!, { today: () => today })
    second = openHome(external!, { today: () => today })
  })
  afterAll(async () => {
    await first.db.deleteFrom('drills').where('organiser', '=', marker).execute()
    await Promise.all([first.close(), second.close()])
  })

  it('a drill recorded on one invalidates the coverage the other holds', async () => {
    const viewer = await signIn(first.app, 'viewer')
    const editor = await signIn(second.app, 'editor')
    const before = await viewer.request('/api/coverage?year=2027')
    const etag = before.headers.get('etag')!
    const village = coverageResponseSchema.parse(await before.json()).villages.find((entry) => entry.status === 'missing')!
    expect((await viewer.request('/api/coverage?year=2027', { headers: { 'if-none-match': etag } })).status).toBe(304)

    const drill = await editor.request('/api/drills', {
      method: 'POST',
      body: { naturalVillageId: village.id, scenario: 'landslide', plannedOn: '2027-06-10', organiser: marker },
    })
    expect(drill.status).toBe(201)

    const after = await viewer.request('/api/coverage?year=2027', { headers: { 'if-none-match': etag } })
    expect(after.status).toBe(200)
    expect(after.headers.get('etag')).not.toBe(etag)
    expect(coverageResponseSchema.parse(await after.json()).villages.find((entry) => entry.id === village.id)!.status).toBe('planned')
  })
})
