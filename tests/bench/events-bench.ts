/**
 * Live-update figures (issue 11): N concurrent event-stream clients (500 by default) on one
 * server process — the delivery latency of a write to every client (p50/p95/max, measured from
 * the moment the write request is sent to the moment each client has read its `data.changed`
 * frame) and the server's RSS at start and after M minutes of one write every 2 s with all the
 * clients connected. The server is a child process (`server/src/main.ts`) on the real PostGIS
 * (the external home: LISTEN/NOTIFY) so its RSS is its own; the clients are raw HTTP sockets
 * in this process.
 *
 * Called by `pnpm bench` (run.ts); standalone: `tsx tests/bench/events-bench.ts`.
 * BENCH_EVENT_CLIENTS (500), BENCH_EVENT_MINUTES (10, as the issue asks), BENCH_EVENT_PERIOD_MS (2000).
 */
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import { demoDisplayToken } from '../../server/src/seed/demo-accounts.ts'
import { freshTownDatabase, signInAdmin, startServerProcess, type Report } from './server-process.ts'
import { percentile } from './stats.ts'

export type { Report }

const clients = Number(process.env.BENCH_EVENT_CLIENTS ?? 500)
const minutes = Number(process.env.BENCH_EVENT_MINUTES ?? 10)
const periodMs = Number(process.env.BENCH_EVENT_PERIOD_MS ?? 2000)
const marker = '事件基准'

const rssMb = (pid: number) => Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024

/**
 * The server's live JS heap after a full garbage collection, in MB: the child was started with
 * `--heapsnapshot-signal`, so SIGUSR2 makes it collect and write a heap snapshot, whose nodes'
 * self sizes add up to what is still reachable. RSS alone cannot tell a leak from a heap that
 * has simply not been shrunk yet.
 */
async function liveHeapMb(pid: number, dir: string): Promise<number> {
  const known = new Set(fs.readdirSync(dir))
  process.kill(pid, 'SIGUSR2')
  const deadline = performance.now() + 120_000
  for (;;) {
    if (performance.now() > deadline) throw new Error('the server wrote no heap snapshot')
    await new Promise((resolve) => setTimeout(resolve, 500))
    const file = fs.readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !known.has(f))
    if (!file) continue
    try {
      const snapshot = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as {
        snapshot: { meta: { node_fields: string[] } }
        nodes: number[]
      }
      const stride = snapshot.snapshot.meta.node_fields.length
      const selfSize = snapshot.snapshot.meta.node_fields.indexOf('self_size')
      let bytes = 0
      for (let i = selfSize; i < snapshot.nodes.length; i += stride) bytes += snapshot.nodes[i]!
      fs.rmSync(path.join(dir, file))
      return bytes / 2 ** 20
    } catch {
      // Still being written.
    }
  }
}

/** One event-stream client: a raw socket that notes when each event id arrived. */
function streamClient(port: number, agent: http.Agent): Promise<{ arrivals: Map<number, number>; open: () => boolean; close(): void }> {
  return new Promise((resolve, reject) => {
    const arrivals = new Map<number, number>()
    let open = true
    const request = http.get(
      { host: '127.0.0.1', port, path: '/api/events', agent, headers: { authorization: `Bearer ${demoDisplayToken}` } },
      (response) => {
        if (response.statusCode !== 200) return reject(new Error(`event stream answered ${response.statusCode}`))
        response.setEncoding('utf8')
        response.on('close', () => (open = false))
        let rest = ''
        let ready = false
        response.on('data', (chunk: string) => {
          const now = performance.now()
          const blocks = (rest + chunk).split('\n\n')
          rest = blocks.pop() ?? ''
          for (const block of blocks) {
            if (block.startsWith('event: ready') && !ready) {
              ready = true
              resolve({ arrivals, open: () => open, close: () => request.destroy() })
            }
            if (!block.startsWith('event: data.changed')) continue
            const id = Number(block.match(/\nid: (\d+)/)?.[1])
            if (id) arrivals.set(id, now)
          }
        })
      },
    )
    request.on('error', (error) => reject(error))
  })
}

export async function benchEvents(report: Report, databaseBase: string): Promise<void> {
  const { databaseUrl, db } = await freshTownDatabase(databaseBase, 'riskatlas_bench_events')
  const village = await db.selectFrom('natural_villages').select('id').orderBy('id').executeTakeFirstOrThrow()

  // The server writes a heap snapshot on SIGUSR2 (`liveHeapMb`).
  const snapshots = fs.mkdtempSync(path.join(os.tmpdir(), 'riskatlas-events-heap-'))
  const server = await startServerProcess(databaseUrl, {
    nodeArgs: ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapshots}`],
  }).catch(async (error: unknown) => {
    await db.destroy()
    throw error
  })
  const { child, port, base } = server
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity })
  const streams: Awaited<ReturnType<typeof streamClient>>[] = []
  try {
    const session = await signInAdmin(base)
    const rssIdle = rssMb(child.pid!)
    for (let i = 0; i < clients; i += 50)
      streams.push(...(await Promise.all(Array.from({ length: Math.min(50, clients - i) }, () => streamClient(port, agent)))))
    const rssConnected = rssMb(child.pid!)

    let day = 0
    /** One write; resolves with the event id once every client has it (or after 5 s). */
    const write = async () => {
      day++
      const sent = performance.now()
      const response = await fetch(`${base}/api/drills`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrfToken, origin: base },
        body: JSON.stringify({
          naturalVillageId: village.id,
          scenario: 'flood',
          plannedOn: `2027-${String(5 + (Math.floor(day / 28) % 6)).padStart(2, '0')}-${String(1 + (day % 28)).padStart(2, '0')}`,
          organiser: marker,
        }),
      })
      if (response.status !== 201) throw new Error(`write answered ${response.status}: ${await response.text()}`)
      const { rows } = await sql<{ id: string }>`SELECT max(id) AS id FROM event_log`.execute(db)
      const id = Number(rows[0]!.id)
      const deadline = performance.now() + 5_000
      while (streams.some((s) => !s.arrivals.has(id)) && performance.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 5))
      return { id, sent }
    }

    const latencies: number[] = []
    let missed = 0
    const measure = ({ id, sent }: { id: number; sent: number }) => {
      for (const s of streams) {
        const at = s.arrivals.get(id)
        if (at === undefined) missed++
        else latencies.push(at - sent)
        s.arrivals.delete(id)
      }
    }
    // Warm-up, then 20 measured writes 2 s apart.
    for (let i = 0; i < 3; i++) await write()
    for (const s of streams) s.arrivals.clear()
    for (let i = 0; i < 20; i++) {
      measure(await write())
      await new Promise((resolve) => setTimeout(resolve, periodMs))
    }
    const p50 = percentile(latencies, 50)
    const p95 = percentile(latencies, 95)
    report(
      `event stream, ${clients} clients`,
      'delivery after a write p50 / p95',
      `${p50.toFixed(0)} / ${p95.toFixed(0)} ms`,
      'p95 ≤ 500 ms',
      p95 <= 500,
    )
    report(
      `event stream, ${clients} clients`,
      'delivery max; deliveries missed',
      `${Math.max(...latencies).toFixed(0)} ms; ${missed}`,
      '0 missed',
      missed === 0,
    )

    const heapStart = await liveHeapMb(child.pid!, snapshots)
    const rssStart = rssMb(child.pid!)
    const rssSamples: number[] = []
    const soakEnd = performance.now() + minutes * 60_000
    let soakWrites = 0
    let peak = rssStart
    while (performance.now() < soakEnd) {
      const { id } = await write()
      for (const s of streams) s.arrivals.delete(id)
      soakWrites++
      peak = Math.max(peak, rssMb(child.pid!))
      if (soakWrites % 60 === 0) rssSamples.push(rssMb(child.pid!))
      await new Promise((resolve) => setTimeout(resolve, periodMs))
    }
    const rssEnd = rssMb(child.pid!)
    const heapEnd = await liveHeapMb(child.pid!, snapshots)
    const alive = streams.filter((s) => s.open()).length
    report(`event stream, ${clients} clients`, 'server RSS idle / with clients', `${rssIdle.toFixed(0)} / ${rssConnected.toFixed(0)} MB`)
    report(
      `event stream, ${clients} clients`,
      `server RSS at start / after ${minutes} min (1 write per ${periodMs / 1000} s)`,
      `${rssStart.toFixed(0)} / ${rssEnd.toFixed(0)} MB (peak ${peak.toFixed(0)})`,
    )
    report(
      `event stream, ${clients} clients`,
      'server RSS every 2 min of the soak',
      `${rssSamples.map((mb) => mb.toFixed(0)).join(', ')} MB`,
    )
    report(
      `event stream, ${clients} clients`,
      `server live heap after GC at start / after ${minutes} min`,
      `${heapStart.toFixed(1)} / ${heapEnd.toFixed(1)} MB`,
      'flat (≤ +10 %)',
      heapEnd <= heapStart * 1.1,
    )
    report(`event stream, ${clients} clients`, 'soak writes; clients connected', `${soakWrites}; ${alive}`)
  } finally {
    for (const s of streams) s.close()
    agent.destroy()
    await server.stop()
    await db.destroy()
    fs.rmSync(snapshots, { recursive: true, force: true })
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const base = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
  const rows: string[] = []
  await benchEvents((area, metric, value, target = '', ok = null) => {
    const line = `${ok === null ? ' ' : ok ? '✓' : '✗'} ${area.padEnd(30)} ${metric.padEnd(52)} ${value.padEnd(30)} ${target}`
    rows.push(line)
    console.log(line)
  }, base)
}
