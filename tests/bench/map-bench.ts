/**
 * The map at county scale against the demo town (issue 14 §3): navigation to the map's first
 * `idle` with every layer on, in headless Chromium with software GL, the production client
 * served by a RiskAtlas server on the county's database and one on the town's, side by side in
 * one run. The two are interleaved (county, town, town, county, …) in fresh browser contexts
 * (an empty HTTP cache each time), so the load of the machine falls on both alike; the figure
 * is the ratio of the medians. Target: the county within 1.5× of the town.
 */
import { layerIds } from '@riskatlas/shared'
import { desktopViewport, launchChromium } from '../support/browser.ts'
import { waitForMapIdle } from '../e2e/harness.ts'
import { percentile } from './stats.ts'

export type Report = (area: string, metric: string, value: string, target?: string, ok?: boolean | null) => void

export interface MapSides {
  town: string
  county: string
}

/** Time from navigation to the first `idle` of the map with every layer on, in a fresh context. */
async function idleOnce(browser: Awaited<ReturnType<typeof launchChromium>>, base: string): Promise<number> {
  const context = await browser.newContext(desktopViewport)
  try {
    const page = await context.newPage()
    await page.goto(`${base}/?layers=${layerIds.join(',')}`)
    await waitForMapIdle(page, 120_000)
    return await page.evaluate(() => performance.now())
  } finally {
    await context.close()
  }
}

export async function benchCountyMap(report: Report, sides: MapSides, pairs = Number(process.env.BENCH_MAP_PAIRS ?? 5)) {
  const area = 'map idle, county ÷ town'
  const browser = await launchChromium()
  try {
    // One warm-up each: the first start of Chromium and the server's first tiles are not the map's time.
    await idleOnce(browser, sides.county)
    await idleOnce(browser, sides.town)
    const county: number[] = []
    const town: number[] = []
    for (let i = 0; i < pairs; i++) {
      const order: (keyof MapSides)[] = i % 2 === 0 ? ['county', 'town'] : ['town', 'county']
      for (const side of order) (side === 'county' ? county : town).push(await idleOnce(browser, sides[side]))
    }
    const countyMs = percentile(county, 50)
    const townMs = percentile(town, 50)
    const ratio = countyMs / townMs
    const list = (values: number[]) => values.map((v) => Math.round(v)).join(', ')
    report(area, `county runs (ms)`, list(county))
    report(area, `town runs (ms)`, list(town))
    report(area, `median county / town (${pairs} interleaved pairs)`, `${Math.round(countyMs)} / ${Math.round(townMs)} ms`)
    report(area, 'county ÷ town', `${ratio.toFixed(2)}×`, '≤ 1.5×', ratio <= 1.5)
  } finally {
    await browser.close()
  }
}
