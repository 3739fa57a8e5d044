import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { createAdaptorServer } from '@hono/node-server'
import { sql, type Kysely } from 'kysely'
import type pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type Database } from '@riskatlas/server'
import { createPool, embeddedWaitMs, kyselyOn } from '../../server/src/db/connect.ts'
import { onError } from '../../server/src/http.ts'
import { streamedFeatureCollection } from '../../server/src/layers/streamed.ts'
import { router } from '../../server/src/router.ts'
import { testHomes } from '../support/homes.ts'

/**
 * Large feature answers over a real HTTP server and socket (docs/adr/0004): streamed from a
 * cursor on the external home, built whole on the embedded one. A client that stops reading, or
 * goes away, must hold neither a database connection nor anyone else's request; a failure after
 * the first byte must cut the connection, never end half a collection as a success.
 *
 * The server listens on a Unix socket: its kernel buffer (≈ 200 KB) is far below the answers
 * here (10,000 roads ≈ 2.5 MB), so a client that does not read really leaves the server mid-answer.
 */
interface Served {
  socketPath: string
  /** Requests (their `x-probe` header, else their path) whose response the server finished writing. */
  finished: string[]
  /** Requests (the same names) whose response has sent its headers. */
  started: Set<string>
  close(): Promise<void>
}

async function serveOn(name: string, fetch: (request: Request) => Response | Promise<Response>): Promise<Served> {
  const socketPath = path.join(os.tmpdir(), `riskatlas-stream-${process.pid}-${name}.sock`)
  fs.rmSync(socketPath, { force: true })
  const server = createAdaptorServer({ fetch }) as http.Server
  const served: Served = {
    socketPath,
    finished: [],
    started: new Set(),
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  }
  server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
    const url = (request.headers['x-probe'] as string | undefined) ?? request.url!
    const started = setInterval(() => response.headersSent && (served.started.add(url), clearInterval(started)), 5)
    response.on('close', () => clearInterval(started))
    response.on('finish', () => served.finished.push(url))
  })
  await new Promise<void>((resolve) => server.listen(socketPath, resolve))
  return served
}

interface Answer {
  status: number
  headers: http.IncomingHttpHeaders
  body: Buffer
}

/** GET over the Unix socket, the body read whole (and not decoded). */
function get(served: Served, url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.get({ socketPath: served.socketPath, path: url, headers, agent: false }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }))
      response.on('error', reject)
    })
    request.on('error', reject)
  })
}

/** A client that sends its request and reads nothing until told to. */
function stalledClient(served: Served, url: string, probe = `stalled ${url}`) {
  const socket = net.connect(served.socketPath)
  socket.pause()
  socket.write(`GET ${url} HTTP/1.1\r\nHost: localhost\r\nX-Probe: ${probe}\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n`)
  return {
    socket,
    /** Reads the rest of the answer: its status and body (chunked transfer decoded). */
    readAll: () =>
      new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
        const chunks: Buffer[] = []
        socket.on('data', (chunk: Buffer) => chunks.push(chunk))
        socket.on('error', reject)
        socket.on('end', () => {
          const raw = Buffer.concat(chunks)
          const split = raw.indexOf('\r\n\r\n')
          const head = raw.subarray(0, split).toString('latin1')
          const rest = raw.subarray(split + 4)
          resolve({ status: Number(head.split(' ')[1]), body: /transfer-encoding: chunked/i.test(head) ? unchunked(rest) : rest })
        })
        socket.resume()
      }),
  }
}

function unchunked(raw: Buffer): Buffer {
  const parts: Buffer[] = []
  let at = 0
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at)
    const size = Number.parseInt(raw.subarray(at, lineEnd).toString('latin1'), 16)
    if (size === 0) return Buffer.concat(parts)
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size))
    at = lineEnd + 2 + size + 2
  }
}

async function until(condition: () => boolean, what: string, ms = 20_000) {
  const started = Date.now()
  while (!condition()) {
    if (Date.now() - started > ms) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** No connection of the pool is checked out, and nobody waits for one. */
const poolIdle = (pool: pg.Pool) => pool.idleCount === pool.totalCount && pool.waitingCount === 0

describe.each(testHomes())('large feature answers to slow and vanishing clients on the $name home', (home) => {
  let pool: pg.Pool
  let db: Kysely<Database>
  let served: Served
  let firstExtraRoad: number
  const logs: string[] = []

  beforeAll(async () => {
    // Two connections on the external home, as a pool has: the count beside the cursor.
    pool = createPool(home.connectionString, home.name === 'external' ? 3 : 1, () => {}, embeddedWaitMs)
    db = kyselyOn(pool)
    // Ten copies of the town's roads: 12,155 pieces, so a layer answer is its 10,000-feature maximum.
    const { rows } = await sql<{ next: number }>`SELECT coalesce(max(id), 0)::int + 1 AS next FROM roads`.execute(db)
    firstExtraRoad = rows[0]!.next
    await sql`INSERT INTO roads (name, class, passable_in_flood, geom)
      SELECT name, class, passable_in_flood, geom FROM roads, generate_series(1, 10) ORDER BY generate_series, id`.execute(db)
    const app = createApp({ db, home: home.name, log: (line) => logs.push(line), responseCache: { enabled: false } })
    served = await serveOn(home.name, app.fetch)
  }, 120_000)

  afterAll(async () => {
    await served?.close()
    await sql`DELETE FROM roads WHERE id >= ${firstExtraRoad}`.execute(db)
    await db.destroy()
  })

  const large = ['/api/layers/roads', '/ogc/collections/roads/items?limit=10000', '/api/exports/layers/roads.geojson']

  it('a client that stops reading mid-answer holds neither a database connection nor the other requests', async () => {
    for (const url of large) {
      const stalled = stalledClient(served, url)
      await until(() => served.started.has(`stalled ${url}`) && poolIdle(pool), `${url} to be under way with the pool idle`)
      await new Promise((resolve) => setTimeout(resolve, 200))
      // Still writing to the client that does not read, and the database is free.
      expect(served.finished, url).not.toContain(`stalled ${url}`)
      expect(poolIdle(pool), url).toBe(true)
      const shelters = await get(served, '/api/layers/shelters')
      expect(shelters.status).toBe(200)
      expect((JSON.parse(shelters.body.toString('utf8')) as { features: unknown[] }).features.length).toBeGreaterThan(0)
      const meanwhile = await get(served, url, { 'accept-encoding': 'identity' })
      expect(meanwhile.status).toBe(200)
      expect(served.finished, url).not.toContain(`stalled ${url}`)
      // And when it reads at last, it gets the whole answer.
      const late = await stalled.readAll()
      expect(late.status).toBe(200)
      const features = (answer: Buffer) => (JSON.parse(answer.toString('utf8')) as { features: { id: number }[] }).features
      expect(features(late.body).length).toBeGreaterThanOrEqual(10_000)
      expect(features(late.body).map((feature) => feature.id)).toEqual(features(meanwhile.body).map((feature) => feature.id))
      // The OGC answer holds its time stamp; the others are the same bytes.
      if (!url.startsWith('/ogc')) expect(late.body.equals(meanwhile.body), url).toBe(true)
      expect(served.finished).toContain(`stalled ${url}`)
    }
  })

  it('a client that goes away mid-answer gives the connection back, and the next request is answered', async () => {
    for (const url of large) {
      const leaving = stalledClient(served, url, `leaving ${url}`)
      await new Promise<void>((resolve) => {
        leaving.socket.once('data', () => resolve())
        leaving.socket.resume()
      })
      leaving.socket.destroy()
      await until(() => poolIdle(pool), `the pool to be idle after ${url}`)
      const next = await get(served, '/api/layers/roads?limit=3')
      expect(next.status).toBe(200)
      expect((JSON.parse(next.body.toString('utf8')) as { features: unknown[] }).features).toHaveLength(3)
      // The streamed answer stops where the client left (a buffered one may have been handed to the socket whole).
      if (home.name === 'external') expect(served.finished, url).not.toContain(`leaving ${url}`)
    }
    expect(logs.join('\n')).not.toMatch(/unexpected error/)
  })
})

describe.each(testHomes().filter((home) => home.name === 'external'))('streamed answers on the $name home', (home) => {
  let pool: pg.Pool
  let db: Kysely<Database>
  let served: Served
  const logs: string[] = []

  beforeAll(async () => {
    pool = createPool(home.connectionString, 3, () => {})
    db = kyselyOn(pool)
    // Rows 1 … 2,000, each a tiny JSON object; the row numbered `fails` divides by zero (read in batches of 500).
    const rows = (fails: number) =>
      sql<{ feature: string }>`SELECT CASE WHEN i < ${fails}::int THEN '{"i":' || i || '}' ELSE (1 / (i - i))::text END AS feature
        FROM generate_series(1, 2000) AS i`
    const frame = { head: '{"features":[\n', tail: '\n]}' }
    const app = router()
    app.onError(onError((line) => logs.push(line)))
    app.get('/rows/:fails', (c) =>
      streamedFeatureCollection(c, db, rows(Number(c.req.param('fails'))), Promise.resolve(frame), {
        contentType: 'application/json',
        log: (line) => logs.push(line),
      }),
    )
    app.get('/announced/:count', (c) =>
      streamedFeatureCollection(c, db, rows(5000), Promise.resolve({ ...frame, announced: Number(c.req.param('count')) }), {
        contentType: 'application/json',
        log: (line) => logs.push(line),
      }),
    )
    served = await serveOn('rows', app.fetch)
  })

  afterAll(async () => {
    await served?.close()
    await db.destroy()
  })

  /** GET that reports a cut connection instead of failing. */
  const getOrCut = (url: string) =>
    new Promise<{ status: number; complete: boolean; body: string }>((resolve) => {
      http.get({ socketPath: served.socketPath, path: url, agent: false }, (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        const done = () =>
          resolve({ status: response.statusCode!, complete: response.complete, body: Buffer.concat(chunks).toString('utf8') })
        response.on('end', done)
        response.on('error', done)
        response.on('aborted', done)
      })
    })

  it('sends every row when none fails', async () => {
    const answer = await getOrCut('/rows/5000')
    expect(answer).toMatchObject({ status: 200, complete: true })
    expect((JSON.parse(answer.body) as { features: { i: number }[] }).features.map((row) => row.i)).toEqual(
      Array.from({ length: 2000 }, (_, i) => i + 1),
    )
  })

  it('a failure before the first byte is the JSON error envelope, with no SQL in it', async () => {
    const answer = await getOrCut('/rows/1')
    expect(answer.status).toBe(500)
    expect(answer.complete).toBe(true)
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'internal_error' } })
    expect(answer.body).not.toMatch(/division|SELECT/i)
    await until(() => poolIdle(pool), 'the pool to be idle')
  })

  it('a failure after the first byte cuts the connection: never half a collection as a success', async () => {
    const answer = await getOrCut('/rows/1200')
    expect(answer.status).toBe(200)
    expect(answer.complete).toBe(false)
    expect(answer.body.startsWith('{"features":[\n{"i":1},\n{"i":2}')).toBe(true)
    expect(() => JSON.parse(answer.body)).toThrow()
    expect(logs.join('\n')).toMatch(/failed after the first byte: division by zero/)
    await until(() => poolIdle(pool), 'the pool to be idle')
  })

  it('rows that differ from the count the head announced cut the connection too', async () => {
    const answer = await getOrCut('/announced/1999')
    expect(answer.status).toBe(200)
    expect(answer.complete).toBe(false)
    expect(logs.join('\n')).toMatch(/announced 1999 features but the rows gave 2000/)
  })

  it('a streamed answer is gzipped as it flows for a client that accepts it, and the same bytes underneath', async () => {
    const app = createApp({ db, home: 'external', log: () => {} })
    const streamed = await serveOn('gzip', app.fetch)
    try {
      const plain = await get(streamed, '/api/layers/roads', { 'accept-encoding': 'identity' })
      expect(plain.headers['transfer-encoding']).toBe('chunked')
      expect(plain.headers['etag']).toMatch(/^W\//)
      const zipped = await get(streamed, '/api/layers/roads?limit=10000', { 'accept-encoding': 'gzip' })
      expect(zipped.headers['content-encoding']).toBe('gzip')
      expect(zlib.gunzipSync(zipped.body).equals(plain.body)).toBe(true)
      // The response cache kept the streamed answer as it passed: the repeat is a memory lookup, with its length.
      const again = await get(streamed, '/api/layers/roads', { 'accept-encoding': 'identity' })
      expect(again.headers['content-length']).toBe(String(plain.body.byteLength))
      expect(again.headers['etag']).toBe(plain.headers['etag'])
      expect(again.body.equals(plain.body)).toBe(true)
    } finally {
      await streamed.close()
    }
  })
})
