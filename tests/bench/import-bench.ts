/**
 * Issue 13 §8: a 50,000-row CSV import of hazard points — upload (which parses, maps and
 * validates: the preview) and commit — on both homes, the server as its own process so its memory
 * is its own; while it runs, another user's layer requests are timed against their idle figure.
 * Each run is undone afterwards, so every run imports into the same town.
 */
import fs from 'node:fs'
import path from 'node:path'
import { projectRoot } from '../../server/src/config.ts'
import { freshTownDatabase, signInAdmin, startServerProcess, type Report, type ServerProcess } from './server-process.ts'
import { percentile } from './stats.ts'

export const importRows = Number(process.env.BENCH_IMPORT_ROWS ?? 50_000)
const runs = Number(process.env.BENCH_IMPORT_RUNS ?? 3)

const kinds = ['滑坡', '崩塌', '泥石流', '山洪', '内涝']
const scales = ['小型', '中型', '大型']
const villages = ['530502199201', '530502199204', '530502199207']

/** A deterministic CSV the office could have typed: Chinese headers, UTF-8, points inside the demo town. */
export function hazardCsv(rows: number, run: number): Uint8Array<ArrayBuffer> {
  const lines = ['编号,名称,类型,规模,风险等级,行政村代码,威胁户数,威胁人数,监测员,联系电话,经度,纬度']
  for (let i = 0; i < rows; i++) {
    const lon = (99.05 + ((i * 7919) % 10_000) / 100_000).toFixed(6)
    const lat = (25.05 + ((i * 104_729) % 10_000) / 100_000).toFixed(6)
    lines.push(
      [
        `HZ-BENCH-${run}-${String(i).padStart(6, '0')}`,
        `基准隐患点${i}`,
        kinds[i % kinds.length],
        scales[i % scales.length],
        1 + (i % 4),
        villages[i % villages.length],
        i % 40,
        i % 160,
        `监测员${i % 97}`,
        `1380000${String(i % 10_000).padStart(4, '0')}`,
        lon,
        lat,
      ].join(','),
    )
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`) as Uint8Array<ArrayBuffer>
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024
}

/** Samples the process's resident memory every 50 ms until stopped; returns the peak. */
function watchMemory(pid: number): () => number {
  let peak = rssMb(pid)
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssMb(pid))
    } catch {
      // the process is gone
    }
  }, 50)
  return () => (clearInterval(timer), peak)
}

/** Another user's layer requests, one after another, until stopped; returns their latencies. */
function layerTraffic(base: string): () => Promise<number[]> {
  const samples: number[] = []
  let stopped = false
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now()
      const response = await fetch(`${base}/api/layers/shelters`)
      await response.arrayBuffer()
      samples.push(performance.now() - started)
    }
  })()
  return async () => {
    stopped = true
    await loop
    return samples
  }
}

async function idleLayerP95(base: string): Promise<number> {
  const samples: number[] = []
  for (let i = 0; i < 40; i++) {
    const started = performance.now()
    await (await fetch(`${base}/api/layers/shelters`)).arrayBuffer()
    if (i >= 5) samples.push(performance.now() - started)
  }
  return percentile(samples, 95)
}

interface RunFigures {
  uploadMs: number
  commitMs: number
  undoMs: number
  peakRssMb: number
  layerP95Ms: number
}

async function importOnce(server: ServerProcess, session: { cookie: string; csrfToken: string }, run: number): Promise<RunFigures> {
  const csv = hazardCsv(importRows, run)
  const headers = { cookie: session.cookie, 'x-csrf-token': session.csrfToken, origin: server.base }
  const pid = server.child.pid!
  const peak = watchMemory(pid)
  const traffic = layerTraffic(server.base)

  let started = performance.now()
  const uploaded = await fetch(`${server.base}/api/imports?layer=hazard_points&fileName=bench-${run}.csv`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/octet-stream' },
    body: csv,
  })
  const preview = (await uploaded.json()) as { import: { id: number }; totals: { rows: number; valid: number; errors: number } }
  const uploadMs = performance.now() - started
  if (uploaded.status !== 201 || preview.totals.valid !== importRows) {
    throw new Error(`the upload answered ${uploaded.status} with ${JSON.stringify(preview).slice(0, 300)}`)
  }

  started = performance.now()
  const committed = await fetch(`${server.base}/api/imports/${preview.import.id}/commit`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ mode: 'append', idempotencyKey: `bench-${Date.now()}-${run}` }),
  })
  const result = (await committed.json()) as { import: { counts: { inserted: number } } }
  const commitMs = performance.now() - started
  const layerSamples = await traffic()
  const peakRssMb = peak()
  if (committed.status !== 200 || result.import.counts.inserted !== importRows) {
    throw new Error(`the commit answered ${committed.status} with ${JSON.stringify(result).slice(0, 300)}`)
  }

  started = performance.now()
  const undone = await fetch(`${server.base}/api/imports/${preview.import.id}/undo`, { method: 'POST', headers })
  if (undone.status !== 200) throw new Error(`the undo answered ${undone.status}: ${(await undone.text()).slice(0, 300)}`)
  const undoMs = performance.now() - started
  return { uploadMs, commitMs, undoMs, peakRssMb, layerP95Ms: percentile(layerSamples, 95) }
}

async function embeddedServer(): Promise<ServerProcess> {
  const dataDir = path.join(projectRoot, '.data', 'bench-import')
  fs.rmSync(dataDir, { recursive: true, force: true })
  // The embedded home in its own data directory, seeded with the demo town and accounts at its first start.
  return await startServerProcess('', { env: { DATABASE_URL: '', DATA_DIR: dataDir, SEED: 'if-empty' }, startTimeoutMs: 300_000 })
}

export async function benchImport(report: Report, externalBase: string | undefined, databaseName: string): Promise<void> {
  const homes: ('external' | 'embedded')[] = externalBase ? ['external', 'embedded'] : ['embedded']
  for (const home of homes) {
    let server: ServerProcess
    if (home === 'external') {
      const { databaseUrl, db } = await freshTownDatabase(externalBase!, databaseName)
      await db.destroy()
      server = await startServerProcess(databaseUrl)
    } else {
      server = await embeddedServer()
    }
    try {
      const session = await signInAdmin(server.base)
      const idleRssMb = rssMb(server.child.pid!)
      const idleP95 = await idleLayerP95(server.base)
      const figures: RunFigures[] = []
      for (let run = 1; run <= runs; run++) figures.push(await importOnce(server, session, run))
      const p50 = (pick: (f: RunFigures) => number) => percentile(figures.map(pick), 50)
      const area = `import ${importRows} rows, ${home}`
      const totalTarget = home === 'external' ? 10_000 : 30_000
      const total = p50((f) => f.uploadMs + f.commitMs)
      const s = (n: number) => `${(n / 1000).toFixed(1)} s`
      report(area, `upload + preview, p50 of ${runs}`, s(p50((f) => f.uploadMs)))
      report(area, `commit, p50 of ${runs}`, s(p50((f) => f.commitMs)))
      report(area, 'upload + preview + commit, p50', s(total), `≤ ${totalTarget / 1000} s`, total <= totalTarget)
      report(area, 'undo, p50', s(p50((f) => f.undoMs)))
      const aboveIdle = Math.max(...figures.map((f) => f.peakRssMb)) - idleRssMb
      report(area, `peak server RSS above idle (${idleRssMb.toFixed(0)} MB)`, `${aboveIdle.toFixed(0)} MB`, '≤ 300 MB', aboveIdle <= 300)
      const during = Math.max(...figures.map((f) => f.layerP95Ms))
      report(
        area,
        'another user’s layer p95 during / idle',
        `${during.toFixed(0)} / ${idleP95.toFixed(0)} ms`,
        '≤ 2× idle',
        during <= 2 * Math.max(idleP95, 1),
      )
    } finally {
      await server.stop()
    }
  }
}
