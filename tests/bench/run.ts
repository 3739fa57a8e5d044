/**
 * `pnpm bench`: performance figures with their targets beside them. Not a test: it prints.
 *
 * Datasets: the demo town (data/town) and a county (≥ 20 generated townships). Homes: the
 * embedded PostGIS (always) and a real PostGIS (BENCH_DATABASE_URL, default the local
 * server at 127.0.0.1:5432 when it answers). Every HTTP figure has beside it the same SQL
 * run directly over the same pool in the same run, so the ratio is free of machine noise.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { Worker } from 'node:worker_threads'
import { serve } from '@hono/node-server'
import { sql, type Kysely } from 'kysely'
import pg from 'pg'
import { generateCounty, townDir } from '@riskatlas/data'
import { findLayer } from '@riskatlas/shared'
import {
  createApp,
  featureCollectionSql,
  type AppDeps,
  layerSources,
  migrateToLatest,
  readSeedDirectory,
  seedDatabase,
  type Database,
  type SeedDataset,
} from '@riskatlas/server'
import { projectRoot } from '../../server/src/config.ts'
import { createPool, kyselyOn } from '../../server/src/db/connect.ts'
import { startEmbeddedDatabase } from '../../server/src/db/embedded.ts'
import { demoAccounts, seedDemoAccounts } from '../../server/src/seed/demo-accounts.ts'
import { percentile, time, type Timing } from './stats.ts'

const countyTowns = Number(process.env.BENCH_COUNTY_TOWNS ?? 24)
const externalBase = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
/** The real-PostGIS bench databases are named `${prefix}_town`, `${prefix}_county`, … (one prefix per person sharing a server). */
const databasePrefix = process.env.BENCH_DB_PREFIX ?? 'riskatlas_bench'
const results: { area: string; metric: string; value: string; target: string; ok: boolean | null }[] = []
const report = (area: string, metric: string, value: string, target = '', ok: boolean | null = null) => {
  results.push({ area, metric, value, target, ok })
  console.log(`${ok === null ? ' ' : ok ? '✓' : '✗'} ${area.padEnd(30)} ${metric.padEnd(44)} ${value.padEnd(26)} ${target}`)
}
const ms = (n: number) => `${n.toFixed(1)} ms`

// ---------------------------------------------------------------- datasets

/** The county of `pnpm db:seed:county` (data/src/county.ts): 24 townships in a 6-wide grid. */
function countyDataset(): SeedDataset {
  return generateCounty({ towns: countyTowns }) as unknown as SeedDataset
}

// ---------------------------------------------------------------- homes

interface Home {
  name: 'embedded' | 'external'
  db: Kysely<Database>
  /** The external database's URL (what another server, MapServer, connects to). */
  url?: string
  close(): Promise<void>
}

async function openEmbedded(dir: string): Promise<Home> {
  const embedded = await startEmbeddedDatabase(path.join(projectRoot, '.data', dir))
  const db = kyselyOn(createPool(embedded.connectionString, 1, () => {}))
  return { name: 'embedded', db, close: async () => (await db.destroy(), await embedded.close()) }
}

async function externalReachable(): Promise<boolean> {
  const url = new URL(externalBase)
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port || 5432), url.hostname, () => (socket.end(), resolve(true)))
    socket.on('error', () => resolve(false))
  })
}

async function openExternal(database: string): Promise<Home> {
  const admin = new pg.Client({ connectionString: externalBase })
  await admin.connect()
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${database}`)
  await admin.end()
  const url = new URL(externalBase)
  url.pathname = `/${database}`
  const db = kyselyOn(createPool(url.toString(), 10, () => {}))
  return { name: 'external', db, url: url.toString(), close: () => db.destroy() }
}

/** Seeds only when the database does not already hold this dataset (bench runs reuse it). */
async function ensureSeeded(home: Home, dataset: SeedDataset) {
  await migrateToLatest(home.db)
  const expected = dataset.roads!.features.length
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM roads`.execute(home.db)
  if (rows[0]!.n === expected) return
  const started = performance.now()
  await seedDatabase(home.db, dataset, { replace: true, activateWarnings: true })
  await sql`ANALYZE`.execute(home.db)
  console.log(`  (seeded ${home.name}: ${expected} road segments in ${((performance.now() - started) / 1000).toFixed(1)} s)`)
}

// ---------------------------------------------------------------- HTTP vs direct SQL

/**
 * Times GET `url` from a worker thread: the body is read whole but not parsed (parsing is the
 * client's cost), and the reading happens on the client's thread while the server's event
 * loop serves — as it would with the client on another machine.
 */
function timeHttp(url: string, runs = 40, warmup = 5, headers?: Record<string, string>): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./http-client.mjs', import.meta.url), { workerData: { url, runs, warmup, headers } })
    worker.once('message', (samples: number[]) => resolve({ p50: percentile(samples, 50), p95: percentile(samples, 95) }))
    worker.once('error', reject)
  })
}

/** An in-process server on `home` at a loopback port: its base URL, and how to close it. */
async function listen(home: Home, deps: Partial<AppDeps> = {}): Promise<{ base: string; close(): Promise<void> }> {
  const app = createApp({ db: home.db, home: home.name, log: () => {}, ...deps })
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  const port = (server.address() as net.AddressInfo).port
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) }
}

async function withServer<T>(home: Home, fn: (base: string) => Promise<T>, deps: Partial<AppDeps> = {}): Promise<T> {
  const server = await listen(home, deps)
  try {
    return await fn(server.base)
  } finally {
    await server.close()
  }
}

async function layerLatency(home: Home, base: string, layerId: string, query: { bbox?: [number, number, number, number] } = {}) {
  const search = query.bbox ? `?bbox=${query.bbox.join(',')}` : ''
  const url = `${base}/api/layers/${layerId}${search}`
  const sample = await (await fetch(url)).text()
  const features = (JSON.parse(sample) as { numberReturned: number }).numberReturned
  const bytes = Buffer.byteLength(sample)
  const http = await timeHttp(url)
  const statement = featureCollectionSql(layerSources[layerId]!, { bbox: query.bbox })
  const direct = await time(() => statement.execute(home.db))
  return { http, direct, features, bytes }
}

function reportLayer(
  area: string,
  label: string,
  result: { http: Timing; direct: Timing; features: number; bytes: number },
  targetMs?: number,
) {
  report(area, `${label} response size`, `${(result.bytes / 1024).toFixed(0)} KB`)
  const ratio = result.http.p50 / result.direct.p50
  report(
    area,
    `${label} (${result.features} features) HTTP p50/p95`,
    `${ms(result.http.p50)} / ${ms(result.http.p95)}`,
    targetMs ? `p50 ≤ ${targetMs} ms` : '',
    targetMs ? result.http.p50 <= targetMs : null,
  )
  report(area, `${label} same SQL direct p50/p95`, `${ms(result.direct.p50)} / ${ms(result.direct.p95)}`)
  report(area, `${label} HTTP ÷ direct (p50)`, `${ratio.toFixed(2)}×`, '≤ 1.5×', ratio <= 1.5)
}

/** A bbox over the county's roads holding about `target` segments, found by bisection on its size. */
async function bboxFor(home: Home, target: number): Promise<[number, number, number, number]> {
  const { rows } = await sql<{
    x: number
    y: number
  }>`SELECT ST_X(ST_Centroid(ST_Extent(geom))) AS x, ST_Y(ST_Centroid(ST_Extent(geom))) AS y FROM roads`.execute(home.db)
  const { x, y } = rows[0]!
  let low = 0.01
  let high = 1.5
  let box: [number, number, number, number] = [x - low, y - low, x + low, y + low]
  for (let i = 0; i < 20; i++) {
    const half = (low + high) / 2
    box = [x - half, y - half, x + half, y + half]
    const counted = await sql<{
      n: number
    }>`SELECT count(*)::int AS n FROM roads WHERE geom && ST_MakeEnvelope(${box[0]}, ${box[1]}, ${box[2]}, ${box[3]}, 4326)`.execute(
      home.db,
    )
    const n = counted.rows[0]!.n
    if (Math.abs(n - target) < target * 0.03) break
    if (n < target) low = half
    else high = half
  }
  return box
}

/** The cost of moving a body through Node's HTTP stack alone: what no query can undercut. */
async function staticBodyTransport(): Promise<Timing> {
  const body = JSON.stringify({ padding: 'x'.repeat(1024 * 1024 - 15) })
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve(
      { fetch: () => new Response(body, { headers: { 'content-type': 'application/json' } }), port: 0, hostname: '127.0.0.1' },
      () => resolve(s),
    )
  })
  try {
    return await timeHttp(`http://127.0.0.1:${(server.address() as net.AddressInfo).port}/`)
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
}

// ---------------------------------------------------------------- vector tiles (issue 14 §6)

/** Tile p50/p95 at county scale, cold and cached (tests/bench/tiles-bench.ts); targets 20 ms real PostGIS, 60 ms embedded. */
async function benchTilesOn(countyHome: Home) {
  const { benchTiles } = await import('./tiles-bench.ts')
  await benchTiles(
    report,
    countyHome.db,
    `county tiles, ${countyHome.name}`,
    { withServer: (fn, deps) => withServer(countyHome, fn, deps), timeHttp },
    countyHome.name === 'external' ? 20 : 60,
  )
}

async function benchCountyTiles(homeName: 'embedded' | 'external', county: SeedDataset) {
  const countyHome = homeName === 'external' ? await openExternal(`${databasePrefix}_county`) : await openEmbedded('bench-county')
  try {
    await ensureSeeded(countyHome, county)
    await benchTilesOn(countyHome)
  } finally {
    await countyHome.close()
  }
}

// ---------------------------------------------------------------- the map at county scale (issue 14 §3)

/**
 * The production client's time to a drawn map with every layer on, the county's server beside
 * the town's, interleaved in one Chromium (tests/bench/map-bench.ts). Builds the client if missing.
 */
async function benchMapAtCountyScale(homeName: 'embedded' | 'external', town: SeedDataset, county: SeedDataset) {
  const { ensureClientBuilt, clientDist } = await import('../e2e/harness.ts')
  const { benchCountyMap } = await import('./map-bench.ts')
  ensureClientBuilt()
  const townHome = homeName === 'external' ? await openExternal(`${databasePrefix}_town`) : await openEmbedded('bench-town')
  const countyHome = homeName === 'external' ? await openExternal(`${databasePrefix}_county`) : await openEmbedded('bench-county')
  try {
    await ensureSeeded(townHome, town)
    await ensureSeeded(countyHome, county)
    const townServer = await listen(townHome, { clientDist })
    const countyServer = await listen(countyHome, { clientDist })
    try {
      await benchCountyMap((area, metric, value, target, ok) => report(`${area}, ${homeName}`, metric, value, target, ok), {
        town: townServer.base,
        county: countyServer.base,
      })
    } finally {
      await townServer.close()
      await countyServer.close()
    }
  } finally {
    await townHome.close()
    await countyHome.close()
  }
}

// ---------------------------------------------------------------- backup and restore (issue 13 §8)

async function benchCountyBackup(external: boolean, county: SeedDataset) {
  const { benchBackup } = await import('./backup-bench.ts')
  await benchBackup(report, {
    externalBase: external ? externalBase : undefined,
    databasePrefix,
    openCounty: async (homeName) => {
      const countyHome = homeName === 'external' ? await openExternal(`${databasePrefix}_county`) : await openEmbedded('bench-county')
      await ensureSeeded(countyHome, county)
      return countyHome
    },
  })
}

// ---------------------------------------------------------------- beside MapServer (issue 14 §6)

const besideConnections = Number(process.env.BENCH_BESIDE_CONNECTIONS ?? 20)
const besideSeconds = Number(process.env.BENCH_BESIDE_SECONDS ?? 3)
/** Identity on both sides: MapServer under lighttpd does not compress, so neither does RiskAtlas here. */
const identity = { 'accept-encoding': 'identity' }

interface Surface {
  label: string
  /** RiskAtlas's path, on the town's or the county's server. */
  riskAtlas: { on: 'town' | 'county'; path: string }
  mapServer: string
  kind: 'json' | 'mvt'
  /** The same work run directly over the pool (OGC items: the count and the page, as the route does). */
  direct?: () => Promise<unknown>
}

async function featuresIn(url: string, kind: Surface['kind']): Promise<{ features: number; bytes: number }> {
  const response = await fetch(url, { headers: identity })
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`)
  const body = new Uint8Array(await response.arrayBuffer())
  if (kind === 'mvt') return { features: (await import('./tiles-bench.ts')).tileFeatureCount(body, 'roads'), bytes: body.byteLength }
  return { features: (JSON.parse(Buffer.from(body).toString('utf8')) as { features: unknown[] }).features.length, bytes: body.byteLength }
}

/**
 * Items and a tile from RiskAtlas and from MapServer 8 on the same tables of the real PostGIS,
 * interleaved: the demo town's whole roads layer, a ~5,000-piece bbox of the county's roads
 * (OGC API – Features items on both) and the county's densest z12 roads tile. RiskAtlas runs
 * twice, as shipped (response and tile caches on) and with both caches off (every request runs
 * its SQL, as MapServer does). p50/p95, the ratio RiskAtlas ÷ MapServer, feature counts checked,
 * and throughput at `besideConnections` keep-alive connections.
 */
async function benchBesideMapServer(town: SeedDataset, county: SeedDataset) {
  const area = 'beside MapServer 8, external'
  const mapServerBench = await import('./mapserver-bench.ts')
  const missing = mapServerBench.mapServerMissing()
  if (missing) {
    report(area, 'MapServer figures', `skipped: ${missing}`)
    return
  }
  const { densestRoadTile, loadAverage } = await import('./tiles-bench.ts')
  const { countItems, itemsText } = await import('../../server/src/ogc/queries.ts')
  const townHome = await openExternal(`${databasePrefix}_town`)
  const countyHome = await openExternal(`${databasePrefix}_county`)
  const opened: { close(): Promise<void> }[] = []
  try {
    await ensureSeeded(townHome, town)
    await ensureSeeded(countyHome, county)
    const bbox = await bboxFor(countyHome, 5000)
    const tile = await densestRoadTile(countyHome.db, 12)
    const mapServer = await mapServerBench.startMapServer({ county: countyHome.url!, town: townHome.url! })
    opened.push(mapServer)
    const uncached = { responseCache: { enabled: false }, tileCacheBytes: 0 }
    // Caches off and features buffered (built whole, then sent): the path before streaming, and the embedded home's.
    const buffered = { ...uncached, streamFeatures: false }
    const servers = {
      town: { shipped: await listen(townHome), uncached: await listen(townHome, uncached), buffered: await listen(townHome, buffered) },
      county: {
        shipped: await listen(countyHome),
        uncached: await listen(countyHome, uncached),
        buffered: await listen(countyHome, buffered),
      },
    }
    opened.push(...Object.values(servers.town), ...Object.values(servers.county))
    const roads = findLayer('roads')!
    const bboxText = bbox.map((n) => n.toFixed(6)).join(',')
    const surfaces: Surface[] = [
      {
        label: 'whole layer (demo-town roads), OGC items',
        riskAtlas: { on: 'town', path: '/ogc/collections/roads/items?limit=10000' },
        mapServer: mapServer.itemsUrl('town_roads', 'limit=10000'),
        kind: 'json',
        direct: () => Promise.all([countItems(townHome.db, roads, {}), itemsText(townHome.db, roads, { limit: 10000, offset: 0 })]),
      },
      {
        label: 'county roads in a bbox, OGC items',
        riskAtlas: { on: 'county', path: `/ogc/collections/roads/items?limit=10000&bbox=${bboxText}` },
        mapServer: mapServer.itemsUrl('roads', `limit=10000&bbox=${bboxText}`),
        kind: 'json',
        direct: () => {
          const parsed = bboxText.split(',').map(Number) as [number, number, number, number]
          return Promise.all([
            countItems(countyHome.db, roads, { bbox: parsed }),
            itemsText(countyHome.db, roads, { bbox: parsed, limit: 10000, offset: 0 }),
          ])
        },
      },
      {
        label: `county roads z12 tile ${tile.x}/${tile.y}`,
        riskAtlas: { on: 'county', path: `/tiles/roads/12/${tile.x}/${tile.y}.mvt` },
        mapServer: mapServer.tileUrl(12, tile.x, tile.y),
        kind: 'mvt',
      },
    ]
    for (const surface of surfaces) {
      const own = servers[surface.riskAtlas.on]
      const ours = await featuresIn(`${own.shipped.base}${surface.riskAtlas.path}`, surface.kind)
      const theirs = await featuresIn(surface.mapServer, surface.kind)
      report(
        area,
        `${surface.label}: features RiskAtlas / MapServer`,
        `${ours.features} / ${theirs.features}`,
        surface.kind === 'json' ? 'equal' : '(tiles: buffers differ)',
        surface.kind === 'json' ? ours.features === theirs.features : null,
      )
      report(
        area,
        `${surface.label}: size RiskAtlas / MapServer`,
        `${(ours.bytes / 1024).toFixed(0)} / ${(theirs.bytes / 1024).toFixed(0)} KB`,
      )
      // Interleaved halves: a burst of load elsewhere falls on all three alike.
      const timings: Record<'shipped' | 'uncached' | 'buffered' | 'mapServer' | 'direct', Timing[]> = {
        shipped: [],
        uncached: [],
        buffered: [],
        mapServer: [],
        direct: [],
      }
      for (let half = 0; half < 2; half++) {
        timings.uncached.push(await timeHttp(`${own.uncached.base}${surface.riskAtlas.path}`, 20, 3, identity))
        if (surface.kind === 'json') timings.buffered.push(await timeHttp(`${own.buffered.base}${surface.riskAtlas.path}`, 20, 3, identity))
        timings.shipped.push(await timeHttp(`${own.shipped.base}${surface.riskAtlas.path}`, 20, 3, identity))
        timings.mapServer.push(await timeHttp(surface.mapServer, 20, 3, identity))
        if (surface.direct) timings.direct.push(await time(surface.direct, 20, 3))
      }
      const mean = (list: Timing[], key: keyof Timing) => list.reduce((sum, timing) => sum + timing[key], 0) / list.length
      const mapServerP50 = mean(timings.mapServer, 'p50')
      report(area, `${surface.label}: MapServer p50/p95`, `${ms(mapServerP50)} / ${ms(mean(timings.mapServer, 'p95'))}`)
      for (const mode of ['uncached', 'buffered', 'shipped'] as const) {
        if (timings[mode].length === 0) continue
        const p50 = mean(timings[mode], 'p50')
        const name = { shipped: 'RiskAtlas (caches on)', uncached: 'RiskAtlas (caches off)', buffered: 'RiskAtlas (caches off, buffered)' }[
          mode
        ]
        report(area, `${surface.label}: ${name} p50/p95`, `${ms(p50)} / ${ms(mean(timings[mode], 'p95'))}`)
        report(
          area,
          `${surface.label}: ${name} ÷ MapServer (p50)`,
          `${(p50 / mapServerP50).toFixed(2)}×`,
          '≤ 0.5×',
          p50 / mapServerP50 <= 0.5,
        )
      }
      if (timings.direct.length) {
        const directP50 = mean(timings.direct, 'p50')
        const ratio = mean(timings.uncached, 'p50') / directP50
        report(area, `${surface.label}: the same SQL direct p50/p95`, `${ms(directP50)} / ${ms(mean(timings.direct, 'p95'))}`)
        report(
          area,
          `${surface.label}: RiskAtlas (caches off, buffered) ÷ direct (p50)`,
          `${(mean(timings.buffered, 'p50') / directP50).toFixed(2)}×`,
        )
        report(
          area,
          `${surface.label}: RiskAtlas (caches off) ÷ direct (p50)`,
          `${ratio.toFixed(2)}×`,
          ours.bytes >= 1024 * 1024 ? '≤ 1.25× (≥ 1 MB)' : '',
          ours.bytes >= 1024 * 1024 ? ratio <= 1.25 : null,
        )
      }
      const runs: Record<'shipped' | 'uncached' | 'mapServer', LoadRun[]> = { shipped: [], uncached: [], mapServer: [] }
      for (let round = 0; round < 2; round++) {
        runs.uncached.push(await loadRun(`${own.uncached.base}${surface.riskAtlas.path}`, identity, besideConnections, besideSeconds))
        runs.shipped.push(await loadRun(`${own.shipped.base}${surface.riskAtlas.path}`, identity, besideConnections, besideSeconds))
        runs.mapServer.push(await loadRun(surface.mapServer, identity, besideConnections, besideSeconds))
      }
      const rps = (list: LoadRun[]) => list.reduce((sum, run) => sum + run.rps, 0) / list.length
      report(
        area,
        `${surface.label}: req/s at ${besideConnections} connections, MapServer · RiskAtlas off · on`,
        `${rps(runs.mapServer).toFixed(0)} · ${rps(runs.uncached).toFixed(0)} · ${rps(runs.shipped).toFixed(0)} (errors ${errorsOf([...runs.mapServer, ...runs.uncached, ...runs.shipped])})`,
      )
      report(
        area,
        `${surface.label}: throughput RiskAtlas off · on ÷ MapServer`,
        `${(rps(runs.uncached) / rps(runs.mapServer)).toFixed(1)}× · ${(rps(runs.shipped) / rps(runs.mapServer)).toFixed(1)}×`,
      )
      report(area, `load average (1 min) after ${surface.label}`, loadAverage())
    }
  } finally {
    for (const server of opened.reverse()) await server.close().catch(() => {})
    await townHome.close()
    await countyHome.close()
  }
}

// ---------------------------------------------------------------- load: 50 connections, cache off and on

const loadConnections = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 50)
const loadSeconds = Number(process.env.BENCH_LOAD_SECONDS ?? 5)
const loadRounds = Number(process.env.BENCH_LOAD_ROUNDS ?? 3)

interface LoadRun {
  rps: number
  p50: number
  p99: number
  errors: Record<string, number>
}

/** `loadConnections` keep-alive connections hammering `url` from a worker thread for `loadSeconds`. */
function loadRun(url: string, headers: Record<string, string>, connections = loadConnections, seconds = loadSeconds): Promise<LoadRun> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load-client.mjs', import.meta.url), {
      workerData: { url, headers, connections, durationMs: seconds * 1000, warmupMs: 1000 },
    })
    worker.once('message', ({ samples, errors, seconds }: { samples: number[]; errors: Record<string, number>; seconds: number }) =>
      resolve({
        rps: samples.length / seconds,
        p50: samples.length ? percentile(samples, 50) : NaN,
        p99: samples.length ? percentile(samples, 99) : NaN,
        errors,
      }),
    )
    worker.once('error', reject)
  })
}

const median = (values: number[]) => percentile(values, 50)

/** Errors of several runs, summed, with their kinds: `0`, or `39 (503 ×30, ECONNRESET ×9)`. */
function errorsOf(runs: LoadRun[]): string {
  const kinds = new Map<string, number>()
  for (const run of runs) for (const [kind, n] of Object.entries(run.errors)) kinds.set(kind, (kinds.get(kind) ?? 0) + n)
  const total = [...kinds.values()].reduce((a, b) => a + b, 0)
  return total === 0 ? '0' : `${total} (${[...kinds].map(([kind, n]) => `${kind} ×${n}`).join(', ')})`
}

async function signInCookie(base: string, username: (typeof demoAccounts)[number]['username']): Promise<string> {
  const account = demoAccounts.find((candidate) => candidate.username === username)!
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: account.password }),
  })
  if (response.status !== 200) throw new Error(`bench sign-in failed: ${response.status}`)
  return response.headers.get('set-cookie')!.split(';')[0]!
}

/**
 * Issue 8 §7: the demo town's roads layer and its drill coverage under `loadConnections`
 * concurrent connections (gzip accepted, as a browser does), on one database with two servers
 * side by side — the response cache off ("before") and on ("after") — in interleaved runs, so
 * machine noise falls on both alike; each figure is the median of `loadRounds` runs.
 */
async function benchLoad(homeName: 'embedded' | 'external', town: SeedDataset) {
  const home = homeName === 'external' ? await openExternal(`${databasePrefix}_town`) : await openEmbedded('bench-town')
  try {
    await ensureSeeded(home, town)
    await seedDemoAccounts(home.db)
    await withServer(
      home,
      (before) =>
        withServer(home, async (after) => {
          const cookie = await signInCookie(after, 'viewer')
          const surfaces: { label: string; path: string; headers: Record<string, string> }[] = [
            { label: 'layer roads (demo town)', path: '/api/layers/roads', headers: { 'accept-encoding': 'gzip' } },
            { label: 'coverage (demo town)', path: '/api/coverage', headers: { 'accept-encoding': 'gzip', cookie } },
          ]
          for (const surface of surfaces) {
            const runs: Record<'before' | 'after', LoadRun[]> = { before: [], after: [] }
            for (let round = 0; round < loadRounds; round++) {
              runs.before.push(await loadRun(`${before}${surface.path}`, surface.headers))
              runs.after.push(await loadRun(`${after}${surface.path}`, surface.headers))
            }
            for (const mode of ['before', 'after'] as const) {
              const figures = runs[mode]
              report(
                `load, ${homeName}, ${loadConnections} connections`,
                `${surface.label}, cache ${mode === 'before' ? 'off' : 'on'}: req/s · p50 · p99 · errors`,
                `${median(figures.map((run) => run.rps)).toFixed(0)} · ${ms(median(figures.map((run) => run.p50)))} · ${ms(median(figures.map((run) => run.p99)))} · ${errorsOf(figures)}`,
              )
            }
          }
        }),
      { responseCache: { enabled: false } },
    )
  } finally {
    await home.close()
  }
}

// ---------------------------------------------------------------- restart and memory

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

function withoutDatabaseUrl(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const rest = { ...env }
  delete rest.DATABASE_URL
  return rest
}

/** Starts the real server process on an existing data directory; time to the first 200 on /api/health, and peak RSS after serving every layer. */
async function restartAndMemory(dataDir: string) {
  const port = await freePort()
  const started = performance.now()
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'server/src/main.ts')], {
    cwd: projectRoot,
    env: { ...withoutDatabaseUrl(process.env), DATA_DIR: dataDir, PORT: String(port), SEED: 'never', LOG_REQUESTS: 'false' },
    stdio: 'ignore',
  })
  try {
    let firstOk = 0
    while (performance.now() - started < 60_000) {
      const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
        (r) => r.status === 200,
        () => false,
      )
      if (ok) {
        firstOk = performance.now() - started
        break
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    for (let round = 0; round < 3; round++) {
      const { layers } = (await (await fetch(`http://127.0.0.1:${port}/api/layers`)).json()) as { layers: { id: string }[] }
      for (const layer of layers) await (await fetch(`http://127.0.0.1:${port}/api/layers/${layer.id}`)).arrayBuffer()
    }
    const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8')
    const peakKb = Number(status.match(/VmHWM:\s+(\d+)/)?.[1] ?? 0)
    return { firstOkMs: firstOk, peakRssMb: peakKb / 1024 }
  } finally {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
  }
}

// ---------------------------------------------------------------- main

async function main() {
  console.log(`RiskAtlas bench — ${new Date().toISOString()} — node ${process.version}, ${(await import('node:os')).cpus().length} cores\n`)
  const town = readSeedDirectory(townDir)
  const external = await externalReachable()
  if (!external) console.log(`  (no PostgreSQL at ${externalBase}: real-PostGIS figures skipped)`)
  const homes: ('embedded' | 'external')[] = external ? ['external', 'embedded'] : ['embedded']
  // BENCH_ONLY=load: only the concurrent-load figures (issue 8 §7), cache off and on.
  if (process.env.BENCH_ONLY === 'load') {
    for (const homeName of homes) await benchLoad(homeName, town)
    writeTable()
    return
  }
  // BENCH_ONLY=evacuation: only the issue-12 figures — routing (with pgRouting beside it) and
  // exposure on the county in the real PostGIS (BENCH_EVACUATION=exposure: exposure alone).
  if (process.env.BENCH_ONLY === 'evacuation') {
    const evacuation = await import('./evacuation-bench.ts')
    if (process.env.BENCH_EVACUATION !== 'exposure')
      await evacuation.benchRouting(report, external ? externalBase : undefined, `${databasePrefix}_routing`)
    if (external) {
      const countyHome = await openExternal(`${databasePrefix}_county`)
      try {
        await ensureSeeded(countyHome, countyDataset())
        await evacuation.benchExposure(report, countyHome.db, 'county, external')
        if (process.env.BENCH_EVACUATION !== 'exposure') await evacuation.benchCountyPlan(report, countyHome.db, 'county, external')
      } finally {
        await countyHome.close()
      }
    }
    writeTable()
    return
  }
  // BENCH_ONLY=tiles: only the issue-14 tile figures (county, cold and cached, every home).
  if (process.env.BENCH_ONLY === 'tiles') {
    for (const homeName of homes) await benchCountyTiles(homeName, countyDataset())
    writeTable()
    return
  }
  // BENCH_ONLY=mapserver: only the issue-14 comparison with MapServer 8 (real PostGIS).
  if (process.env.BENCH_ONLY === 'mapserver') {
    if (!external) throw new Error('the MapServer comparison needs the real PostGIS')
    await benchBesideMapServer(town, countyDataset())
    writeTable()
    return
  }
  // BENCH_ONLY=map: only the issue-14 §3 figure, the map at county scale beside the demo town.
  if (process.env.BENCH_ONLY === 'map') {
    await benchMapAtCountyScale(external ? 'external' : 'embedded', town, countyDataset())
    writeTable()
    return
  }
  // BENCH_ONLY=live: only the live-update figures (issue 11 §6): the event stream and the big screen.
  if (process.env.BENCH_ONLY === 'live') {
    if (!external) throw new Error('the live-update figures need the real PostGIS')
    await (await import('./events-bench.ts')).benchEvents(report, externalBase)
    await (await import('./screen-bench.ts')).benchScreen(report, externalBase)
    writeTable()
    return
  }
  // BENCH_ONLY=import: only the issue-13 import figures (50,000 CSV rows on both homes).
  if (process.env.BENCH_ONLY === 'import') {
    await (await import('./import-bench.ts')).benchImport(report, external ? externalBase : undefined, `${databasePrefix}_import`)
    writeTable()
    return
  }
  // BENCH_ONLY=backup: only the issue-13 backup and restore figures (the county, both homes).
  if (process.env.BENCH_ONLY === 'backup') {
    await benchCountyBackup(external, countyDataset())
    writeTable()
    return
  }
  console.log(`Generating the county dataset (${countyTowns} townships)…`)
  const generating = performance.now()
  const county = countyDataset()
  const perTown = (performance.now() - generating) / countyTowns
  report('dataset', 'generate one township (data/ generator), mean', ms(perTown), '≤ 5000 ms', perTown <= 5000)
  report(
    'dataset',
    'county natural villages / hazard points / road segments',
    `${county.natural_villages!.features.length} / ${county.hazard_points!.features.length} / ${county.roads!.features.length}`,
    '≥ 2000 / ≥ 500 / ≥ 20000',
    county.natural_villages!.features.length >= 2000 &&
      county.hazard_points!.features.length >= 500 &&
      county.roads!.features.length >= 20000,
  )

  const coverage = await import('./coverage-bench.ts').catch(() => undefined)
  const evacuation = await import('./evacuation-bench.ts')
  const summaryBench = await import('./summary-bench.ts')
  await evacuation.benchRouting(report, external ? externalBase : undefined, `${databasePrefix}_routing`)

  for (const homeName of homes) {
    const townTarget = homeName === 'external' ? 15 : 40
    const townHome = homeName === 'external' ? await openExternal(`${databasePrefix}_town`) : await openEmbedded('bench-town')
    try {
      await ensureSeeded(townHome, town)
      await withServer(townHome, async (base) => {
        const floor = await timeHttp(`${base}/api/config`)
        report(`demo town, ${homeName}`, 'HTTP floor: GET /api/config (no SQL) p50', ms(floor.p50))
        for (const layerId of ['hazard_points', 'natural_villages', 'shelters', 'roads', 'contours']) {
          const result = await layerLatency(townHome, base, layerId)
          reportLayer(`demo town, ${homeName}`, `${findLayer(layerId)!.title.en}`, result, townTarget)
        }
      })
    } finally {
      await townHome.close()
    }

    const countyHome = homeName === 'external' ? await openExternal(`${databasePrefix}_county`) : await openEmbedded('bench-county')
    try {
      await ensureSeeded(countyHome, county)
      const bbox = await bboxFor(countyHome, 5000)
      await withServer(countyHome, async (base) => {
        const result = await layerLatency(countyHome, base, 'roads', { bbox })
        reportLayer(`county, ${homeName}`, 'roads in a bbox', result, homeName === 'external' ? 60 : undefined)
      })
      if (coverage) {
        const year = 2026
        const figures = await coverage.benchCoverage(countyHome.db, year)
        const ok = homeName === 'external'
        report(
          `county, ${homeName}`,
          'coverage p50/p95',
          `${ms(figures.coverageP50Ms)} / ${ms(figures.coverageP95Ms)}`,
          ok ? 'p50 ≤ 300 ms' : '(reported)',
          ok ? figures.coverageP50Ms <= 300 : null,
        )
        report(
          `county, ${homeName}`,
          'gaps p50/p95',
          `${ms(figures.gapsP50Ms)} / ${ms(figures.gapsP95Ms)}`,
          ok ? 'p50 ≤ 300 ms' : '(reported)',
          ok ? figures.gapsP50Ms <= 300 : null,
        )
      }
      await benchTilesOn(countyHome)
      if (homeName === 'external') await evacuation.benchExposure(report, countyHome.db, `county, ${homeName}`)
      if (homeName === 'external') await evacuation.benchCountyPlan(report, countyHome.db, `county, ${homeName}`)
      if (homeName === 'external') await summaryBench.reportSummary(report, countyHome.db, `county, ${homeName}`)
    } finally {
      await countyHome.close()
    }
  }

  for (const homeName of homes) await benchLoad(homeName, town)
  if (external) await benchBesideMapServer(town, county)

  // Live updates (issue 11): 500 event-stream clients on one server process on the real PostGIS.
  if (external) await (await import('./events-bench.ts')).benchEvents(report, externalBase)
  // The big screen at 3840×2160 in software GL: frame rates, and its memory after an hour of events.
  if (external && process.env.BENCH_SKIP_CLIENT !== '1') await (await import('./screen-bench.ts')).benchScreen(report, externalBase)

  // Issue 13: a 50,000-row CSV import on both homes.
  await (await import('./import-bench.ts')).benchImport(report, external ? externalBase : undefined, `${databasePrefix}_import`)

  // Issue 13 §8: backup and restore of the county on both homes, and embedded → external.
  await benchCountyBackup(external, county)

  const transport = await staticBodyTransport()
  report('HTTP transport (no app, no SQL)', 'a static 1 MB body, p50', ms(transport.p50))

  const restart = await restartAndMemory(path.join(projectRoot, '.data', 'bench-town'))
  report(
    'embedded server process',
    'warm restart → first 200 on /api/health',
    ms(restart.firstOkMs),
    '≤ 5000 ms',
    restart.firstOkMs > 0 && restart.firstOkMs <= 5000,
  )
  report(
    'embedded server process',
    'peak RSS after serving every layer ×3',
    `${restart.peakRssMb.toFixed(0)} MB`,
    '≤ 1536 MB',
    restart.peakRssMb <= 1536,
  )

  if (process.env.BENCH_SKIP_CLIENT !== '1') {
    const { benchClient } = await import('../e2e/bench-client.ts')
    const client = await benchClient()
    for (const chunk of client.chunks.slice(0, 6)) report('client bundle', chunk.file, `${(chunk.gzipBytes / 1024).toFixed(1)} KB gzip`)
    report(
      'client bundle',
      'initial JS (entry + imports + worker)',
      `${(client.initialJsGzipBytes / 1024).toFixed(1)} KB gzip`,
      '≤ 700 KB',
      client.initialJsGzipBytes <= 700 * 1024,
    )
    report('client, headless Chromium', 'navigation → map idle, all layers on', ms(client.idleMs), '≤ 5000 ms', client.idleMs <= 5000)
  }

  writeTable()
}

function writeTable() {
  const failed = results.filter((r) => r.ok === false)
  const table = [
    '| area | metric | figure | target | met |',
    '|---|---|---|---|---|',
    ...results.map((r) => `| ${r.area} | ${r.metric} | ${r.value} | ${r.target} | ${r.ok === null ? '' : r.ok ? 'yes' : '**no**'} |`),
  ]
  fs.mkdirSync(path.join(projectRoot, 'tests', 'artifacts'), { recursive: true })
  fs.writeFileSync(path.join(projectRoot, 'tests', 'artifacts', 'bench.md'), `${table.join('\n')}\n`)
  console.log(
    `\n${results.length - failed.length} of ${results.length} figures within target where one is set; table in tests/artifacts/bench.md`,
  )
}

await main()
