import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { layerIds } from '@riskatlas/shared'
import { desktopViewport, launchChromium } from '../support/browser.ts'
import { clientDist, ensureClientBuilt, startApp, waitForMapIdle } from './harness.ts'

export interface ClientBench {
  /** Every JS chunk of the production build with its gzip size. */
  chunks: { file: string; gzipBytes: number }[]
  /** JS the browser fetched to reach a drawn map: entry, its imports and MapLibre's worker (target ≤ 700 KB). */
  initialJsGzipBytes: number
  /** Navigation start to the map's first `idle` with every demo layer on (target ≤ 5 s). */
  idleMs: number
}

const gzipBytes = (file: string) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length

/**
 * Measures the production client: bundle sizes per chunk, and in headless Chromium (software
 * WebGL) the JS actually loaded and the time to a drawn map with all layers of the demo town.
 */
export async function benchClient(): Promise<ClientBench> {
  ensureClientBuilt()
  const assets = path.join(clientDist, 'assets')
  const chunks = fs
    .readdirSync(assets)
    .filter((file) => /\.m?js$/.test(file))
    .map((file) => ({ file: `assets/${file}`, gzipBytes: gzipBytes(path.join(assets, file)) }))
    .sort((a, b) => b.gzipBytes - a.gzipBytes)

  const app = await startApp()
  const browser = await launchChromium()
  try {
    const context = await browser.newContext(desktopViewport)
    const page = await context.newPage()
    const scripts = new Set<string>()
    page.on('request', (request) => {
      const { pathname } = new URL(request.url())
      if (/\.m?js$/.test(pathname)) scripts.add(pathname.replace(/^\//, ''))
    })
    await page.goto(`${app.url}/?layers=${layerIds.join(',')}`)
    await waitForMapIdle(page, 120_000)
    const idleMs = await page.evaluate(() => performance.now())
    const initialJsGzipBytes = chunks.filter((chunk) => scripts.has(chunk.file)).reduce((sum, chunk) => sum + chunk.gzipBytes, 0)
    await context.close()
    return { chunks, initialJsGzipBytes, idleMs: Math.round(idleMs) }
  } finally {
    await browser.close()
    await app.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchClient()
  console.log(JSON.stringify(result, null, 2))
}
