import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { maxDrillBatch, type ErrorBody } from '@riskatlas/shared'
import { createApp } from '@riskatlas/server'
import { maxPmtilesReads, maxPmtilesWaiting } from '../../server/src/basemap.ts'
import { inProcessEvents } from '../../server/src/events/port.ts'
import { startRiskAtlas } from '../../server/src/server.ts'
import { openHome, signIn, testHomes, type HomeContext } from '../support/homes.ts'

/**
 * Regression tests for the security review of issue 8 — each failed before its fix.
 * §6: protection beyond /api.
 */
describe.each(testHomes())('protection beyond /api on the $name home', (home) => {
  let ctx: HomeContext
  beforeAll(() => {
    ctx = openHome(home)
  })
  afterAll(() => ctx.close())

  it('denies a route the server answers but the policy table does not declare, /api or not', async () => {
    const app = createApp({ db: ctx.db, home: home.name, log: () => {} })
    // What a capability that forgot its policy line would add.
    app.get('/forgotten/ogc/collections', (c) => c.json({ collections: ['vulnerable_people'] }))
    app.get('/forgotten/tiles/:z/:x/:y', (c) => c.text('tile'))
    app.get('/api/forgotten', (c) => c.json({ secret: true }))
    for (const path of ['/forgotten/ogc/collections', '/forgotten/tiles/1/2/3', '/api/forgotten']) {
      const response = await app.request(path)
      expect(response.status, path).toBe(403)
      expect(((await response.json()) as ErrorBody).error.code).toBe('forbidden')
    }
    // The client's pages and an unknown API path still answer as before.
    expect((await app.request('/coverage')).status).toBe(200)
    expect((await app.request('/api/nothing-here')).status).toBe(404)
  })

  it('answers only GET and HEAD outside /api', async () => {
    for (const [method, path] of [
      ['POST', '/'],
      ['PUT', '/coverage'],
      ['DELETE', '/basemap/local.pmtiles'],
      ['PATCH', '/assets/x.js'],
      ['OPTIONS', '/ogc'],
    ] as const) {
      const response = await ctx.app.request(path, { method })
      expect(response.status, `${method} ${path}`).toBe(405)
      expect(response.headers.get('allow')).toBe('GET, HEAD')
      expect(((await response.json()) as ErrorBody).error.code).toBe('method_not_allowed')
    }
    expect((await ctx.app.request('/coverage', { method: 'HEAD' })).status).toBe(200)
  })

  it('compares scheme and host of Origin: an http page cannot write to the https site', async () => {
    const editor = await signIn(ctx.app, 'editor')
    const village = await ctx.db.selectFrom('natural_villages').select('id').orderBy('id').executeTakeFirstOrThrow()
    const post = (url: string, headers: Record<string, string>) =>
      ctx.app.request(url, {
        method: 'POST',
        headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrfToken, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ naturalVillageId: village.id, scenario: 'fire', plannedOn: '2027-05-23', organiser: '来源测试' }),
      })
    try {
      const downgraded = await post('https://riskatlas.example/api/drills', {
        host: 'riskatlas.example',
        origin: 'http://riskatlas.example',
      })
      expect(downgraded.status).toBe(403)
      const otherPort = await post('http://riskatlas.example/api/drills', {
        host: 'riskatlas.example',
        origin: 'http://riskatlas.example:8081',
      })
      expect(otherPort.status).toBe(403)
      const opaque = await post('http://riskatlas.example/api/drills', { host: 'riskatlas.example', origin: 'null' })
      expect(opaque.status).toBe(403)
      expect(await ctx.db.selectFrom('drills').select('id').where('organiser', '=', '来源测试').execute()).toEqual([])
      const same = await post('https://riskatlas.example/api/drills', { host: 'riskatlas.example', origin: 'https://riskatlas.example' })
      expect(same.status).toBe(201)
    } finally {
      await ctx.db.deleteFrom('drills').where('organiser', '=', '来源测试').execute()
    }
  })

  it('takes the scheme from X-Forwarded-Proto only behind a trusted proxy', async () => {
    const proxied = createApp({
      db: ctx.db,
      home: home.name,
      log: () => {},
      trustProxy: true,
      loginLimits: { perAccount: 1000, perAddress: 1000 },
    })
    const login = (origin: string, proto: string) =>
      proxied.request('http://riskatlas.example/api/auth/login', {
        method: 'POST',
        headers: { host: 'riskatlas.example', origin, 'x-forwarded-proto': proto, 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'nobody', password: 'wrong-password' }),
      })
    expect((await login('https://riskatlas.example', 'https')).status).toBe(401) // same origin: the login itself answers
    expect((await login('http://riskatlas.example', 'https')).status).toBe(403)
    const direct = await ctx.app.request('http://riskatlas.example/api/auth/login', {
      method: 'POST',
      headers: {
        host: 'riskatlas.example',
        origin: 'https://riskatlas.example',
        'x-forwarded-proto': 'https',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ username: 'nobody', password: 'wrong-password' }),
    })
    expect(direct.status).toBe(403) // not behind a trusted proxy: the header is ignored
  })
})

/** §3: sign-in limits an attacker cannot turn against the owner. */
describe.each(testHomes())('sign-in limits on the $name home', (home) => {
  let ctx: HomeContext
  beforeAll(() => {
    ctx = openHome(home)
  })
  afterAll(() => ctx.close())

  // Behind a trusted proxy, so each request says which address it comes from.
  const limitedApp = () => createApp({ db: ctx.db, home: home.name, log: () => {}, trustProxy: true })
  const login = (app: ReturnType<typeof createApp>, address: string, username: string, password: string) =>
    app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ username, password }),
    })

  it('never refuses the owner’s right password for failures another address caused', async () => {
    const app = limitedApp()
    const attacker: number[] = []
    for (let i = 0; i < 8; i++) attacker.push((await login(app, '203.0.113.7', 'editor', `guess-${i}-wrong`)).status)
    expect(attacker).toEqual([401, 401, 401, 401, 401, 429, 429, 429])
    // The owner, from their own desk, signs in at once.
    expect((await login(app, '198.51.100.2', 'editor', 'demo-editor-2026')).status).toBe(200)
    // From another clean desk a typo is a plain 401, and the right password then passes.
    expect((await login(app, '198.51.100.3', 'editor', 'a-typo-of-mine')).status).toBe(401)
    expect((await login(app, '198.51.100.3', 'editor', 'demo-editor-2026')).status).toBe(200)
    // While the account is under attack, any one further address gets two guesses, then waits.
    const spread: number[] = []
    for (let i = 0; i < 3; i++) spread.push((await login(app, '203.0.113.8', 'editor', `more-${i}-wrong`)).status)
    expect(spread).toEqual([401, 401, 429])
    // The guessing address waits even with the right password.
    const blocked = await login(app, '203.0.113.7', 'editor', 'demo-editor-2026')
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(800)
  })

  it('counts failures only: an office behind one address signs in all day', async () => {
    const app = limitedApp()
    const statuses: number[] = []
    for (let i = 0; i < 25; i++)
      statuses.push(
        (await login(app, '198.51.100.50', i % 2 ? 'viewer' : 'editor', i % 2 ? 'demo-viewer-2026' : 'demo-editor-2026')).status,
      )
    expect(statuses).toEqual(Array(25).fill(200))
    // Failures from that address still count to its limit (20 a window, over any accounts).
    const guesses: number[] = []
    for (let i = 0; i < 21; i++) guesses.push((await login(app, '198.51.100.51', `nobody-${i}`, 'wrong-password')).status)
    expect(guesses.slice(0, 20)).toEqual(Array(20).fill(401))
    expect(guesses[20]).toBe(429)
  })
})

/** §4: one id schema on every id parameter. */
describe.each(testHomes())('record ids on the $name home', (home) => {
  let ctx: HomeContext
  beforeAll(() => {
    ctx = openHome(home)
  })
  afterAll(() => ctx.close())

  const badIds = ['0x1c', '29e0', '+30', '%2028', '028', '0', '-1', '28.0', '2147483648', '99999999999', '1e3']

  it('answers 400 for an id that is not decimal digits within the column’s range, on every :id route', async () => {
    const { routePolicies } = await import('../../server/src/auth/policies.ts')
    // Every `:id` is a record id, but a layer's, which is its catalogue name.
    const idRoutes = Object.keys(routePolicies).filter((key) => key.includes('/:id') && !key.startsWith('GET /api/layers/:id'))
    expect(idRoutes.length).toBeGreaterThanOrEqual(8)
    const admin = await signIn(ctx.app, 'admin')
    for (const key of idRoutes) {
      const [method, pattern] = key.split(' ') as [string, string]
      for (const id of badIds) {
        const response = await admin.request(pattern.replace(':id', id), { method, ...(method === 'PATCH' ? { body: {} } : {}) })
        expect(response.status, `${method} ${pattern} with id ${id}`).toBe(400)
        const body = (await response.json()) as ErrorBody
        expect(body.error.code).toBe('validation_failed')
        // A POST's body may be checked first (an upload's fields); every other route names the id.
        if (method !== 'POST')
          expect(
            (body.error.details as { issues: { path: string }[] }).issues.map((issue) => issue.path),
            `${key} ${id}`,
          ).toContain('id')
      }
    }
    // The largest id the column holds is a valid id: 404, not 500.
    expect((await admin.request('/api/drills/2147483647')).status).toBe(404)
  })

  it('uses the same rule for ids in query strings and JSON bodies', async () => {
    const admin = await signIn(ctx.app, 'admin')
    for (const path of [
      '/api/drills?naturalVillageId=0x1c',
      '/api/drills?naturalVillageId=2147483648',
      '/api/vulnerable-people?naturalVillageId=%2B30',
      '/api/audit-log?before=99999999999',
    ]) {
      expect((await admin.request(path)).status, path).toBe(400)
    }
    const tooLarge = await admin.request('/api/drills', {
      method: 'POST',
      body: { naturalVillageId: 2147483648, scenario: 'flood', plannedOn: '2027-05-20', organiser: '编号测试' },
    })
    expect(tooLarge.status).toBe(400)
    const person = await admin.request('/api/vulnerable-people', {
      method: 'POST',
      body: { naturalVillageId: 2 ** 40, category: 'elderly', name: '编号测试' },
    })
    expect(person.status).toBe(400)
  })
})

/** §4: resources a client cannot exhaust. */
describe('resource limits', () => {
  const [home] = testHomes()
  let ctx: HomeContext
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'riskatlas-limits-'))
  const file = path.join(scratch, 'big.pmtiles')
  const size = 4 * 1024 * 1024
  beforeAll(() => {
    fs.writeFileSync(file, Buffer.from(Array.from({ length: size }, (_, i) => (i * 7) % 251)))
    ctx = openHome(home!, { basemap: { kind: 'pmtiles', file } })
  })
  afterAll(async () => {
    await ctx.close()
    fs.rmSync(scratch, { recursive: true, force: true })
  })

  it('streams the basemap file, honours every single-range form and answers 416 outside it', async () => {
    const whole = await ctx.app.request('/basemap/local.pmtiles')
    expect(whole.status).toBe(200)
    expect(whole.headers.get('content-length')).toBe(String(size))
    expect(Buffer.from(await whole.arrayBuffer()).equals(fs.readFileSync(file))).toBe(true)
    const suffix = await ctx.app.request('/basemap/local.pmtiles', { headers: { range: 'bytes=-100' } })
    expect(suffix.status).toBe(206)
    expect(suffix.headers.get('content-range')).toBe(`bytes ${size - 100}-${size - 1}/${size}`)
    expect(Buffer.from(await suffix.arrayBuffer()).equals(fs.readFileSync(file).subarray(size - 100))).toBe(true)
    const open = await ctx.app.request('/basemap/local.pmtiles', { headers: { range: `bytes=${size - 10}-` } })
    expect(open.status).toBe(206)
    expect((await open.arrayBuffer()).byteLength).toBe(10)
    for (const range of [`bytes=${size}-`, 'bytes=-0', `bytes=20-10`]) {
      const refused = await ctx.app.request('/basemap/local.pmtiles', { headers: { range } })
      expect(refused.status, range).toBe(416)
      expect(refused.headers.get('content-range')).toBe(`bytes */${size}`)
    }
  })

  it('reads the basemap for at most a few requests at once; the others wait their turn', async () => {
    // Ranges large enough that each read waits on its reader (back-pressure) and keeps its slot.
    const range = { range: 'bytes=0-2097151' }
    const first = await Promise.all(
      Array.from({ length: maxPmtilesReads }, () => ctx.app.request('/basemap/local.pmtiles', { headers: range })),
    )
    let answered = false
    const waiting = Promise.resolve(ctx.app.request('/basemap/local.pmtiles', { headers: range })).then((response) => {
      answered = true
      return response
    })
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve))
    expect(answered).toBe(false) // every read slot is held by a body nobody has read yet
    await first[0]!.arrayBuffer()
    const late = await waiting
    expect(late.status).toBe(206)
    for (const response of [...first.slice(1), late]) expect((await response.arrayBuffer()).byteLength).toBe(2 * 1024 * 1024)
  })

  it('queues only so many basemap reads: past the bound a read is refused at once, and the queue drains', async () => {
    const range = { range: 'bytes=0-2097151' }
    const holding = await Promise.all(
      Array.from({ length: maxPmtilesReads }, () => ctx.app.request('/basemap/local.pmtiles', { headers: range })),
    )
    const queued = Array.from({ length: maxPmtilesWaiting }, () =>
      Promise.resolve(ctx.app.request('/basemap/local.pmtiles', { headers: range })),
    )
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve))
    const refused = await ctx.app.request('/basemap/local.pmtiles', { headers: range })
    expect(refused.status).toBe(429)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited')
    // Reading the held bodies frees the slots; every queued read is then served in full.
    await Promise.all(holding.map((response) => response.arrayBuffer()))
    for (const pending of queued) {
      // In turn: a queued read gets its slot only when one before it has been read.
      const response = await pending
      expect(response.status).toBe(206)
      expect((await response.arrayBuffer()).byteLength).toBe(2 * 1024 * 1024)
    }
    expect((await ctx.app.request('/basemap/local.pmtiles', { headers: { range: 'bytes=0-9' } })).status).toBe(206)
  })

  it('refuses a drill batch larger than one transaction should hold', async () => {
    const admin = await signIn(ctx.app, 'admin')
    const village = await ctx.db.selectFrom('natural_villages').select('id').orderBy('id').executeTakeFirstOrThrow()
    const drill = { naturalVillageId: village.id, scenario: 'flood', plannedOn: '2027-05-20', organiser: '批量上限测试' }
    const response = await admin.request('/api/drills/batch', { method: 'POST', body: { drills: Array(maxDrillBatch + 1).fill(drill) } })
    expect(response.status).toBe(400)
    expect(await ctx.db.selectFrom('drills').select('id').where('organiser', '=', '批量上限测试').execute()).toEqual([])
    expect(maxDrillBatch).toBeLessThan(1000)
  })

  it('closes the connection of a client that sends its headers or its body too slowly', async () => {
    // The suite's own connection (the embedded home admits one), handed to the real HTTP server.
    const database = {
      db: ctx.db,
      pool: undefined as never,
      home: home!.name,
      connectionString: home!.connectionString,
      events: inProcessEvents(),
      close: async () => {},
    }
    const running = await startRiskAtlas({
      dataDir: '',
      database,
      port: 0,
      seed: 'never',
      requestTimeouts: { headersMs: 1_000, requestMs: 2_000 },
    })
    try {
      const slow = (start: string) =>
        new Promise<string>((resolve, reject) => {
          const socket = net.connect(running.port, '127.0.0.1', () => socket.write(start))
          let answer = ''
          socket.on('data', (chunk) => (answer += chunk))
          socket.on('error', reject)
          socket.on('close', () => resolve(answer)) // the server hung up on us
        })
      const [headers, body] = await Promise.all([
        slow('GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: '),
        slow('POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user'),
      ])
      expect(headers).toMatch(/^HTTP\/1\.1 408/)
      expect(body).toMatch(/^HTTP\/1\.1 408/)
      expect((await fetch(`${running.url}/api/health`)).status).toBe(200)
    } finally {
      await running.close()
    }
  })
})
