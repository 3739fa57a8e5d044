import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { ExposureResponse, PlanResponse } from '@riskatlas/shared'
import { startRiskAtlas, type RunningServer } from '@riskatlas/server'
import { desktopViewport, launchChromium, recordPage } from '../support/browser.ts'
import { artifactsDir, clientDist, e2eDataDir, ensureClientBuilt, signedInContext, waitForMapIdle } from './harness.ts'

/**
 * The evacuation view in Chromium: draw an area on the map and read its counts, open the
 * evacuation list; run a plan for the town, save it, and see the computed routes on the map.
 */
let app: RunningServer
let browser: Browser
let editor: BrowserContext

interface EvacuationHandle {
  assignments: number
  auditRoutes: number
  computedRoutes: number
  exposureVillages: number | null
}
declare global {
  interface Window {
    __evacuation?: EvacuationHandle
  }
}

beforeAll(async () => {
  fs.mkdirSync(artifactsDir, { recursive: true })
  ensureClientBuilt()
  fs.mkdirSync(e2eDataDir, { recursive: true })
  app = await startRiskAtlas({ port: 0, dataDir: e2eDataDir, clientDist })
  browser = await launchChromium()
  editor = await signedInContext(browser, app.url, 'editor', desktopViewport)
})

afterAll(async () => {
  // Leave the shared e2e database as it was: no computed routes.
  await app?.database.db.deleteFrom('evacuation_routes').where('source', '=', 'computed').execute()
  await editor?.close()
  await browser?.close()
  await app?.close()
})

async function openView(page: Page): Promise<void> {
  await page.goto(`${app.url}/evacuation`)
  await waitForMapIdle(page, 90_000)
  await page.waitForFunction(() => window.__evacuation !== undefined && window.__evacuation.auditRoutes > 0, undefined, { timeout: 60_000 })
}

describe('evacuation view end to end', () => {
  it('draws an area, reads its counts and opens the evacuation list', async () => {
    const page = await editor.newPage()
    const record = recordPage(page)
    await openView(page)
    // An area around the town's most threatened village (from the plan), ±0.012°.
    const plan = (await (
      await editor.request.post(`${app.url}/api/evacuation/plan`, {
        data: { scope: { kind: 'all' } },
        headers: { 'x-csrf-token': await csrf() },
      })
    ).json()) as PlanResponse
    const [lon, lat] = plan.villages[0]!.location
    const corners: [number, number][] = [
      [lon - 0.012, lat - 0.012],
      [lon + 0.012, lat - 0.012],
      [lon + 0.012, lat + 0.012],
      [lon - 0.012, lat + 0.012],
    ]
    await page.locator('[data-testid="tab-exposure"]').click()
    const center: [number, number] = [lon, lat]
    await page.evaluate((c) => window.__riskatlas!.map.jumpTo({ center: c, zoom: 13.5 }), center)
    await waitForMapIdle(page, 60_000)
    await page.locator('[data-testid="draw-area"]').click()
    await page.waitForSelector('text=单击添加顶点')
    const box = (await page.locator('[data-testid="map"]').boundingBox())!
    const pixels = await page.evaluate((points) => points.map((p) => window.__riskatlas!.map.project(p)), corners)
    for (const p of pixels) {
      await page.mouse.click(box.x + p.x, box.y + p.y)
      await page.waitForTimeout(250)
    }
    // Closing the ring: click the first point again.
    await page.mouse.click(box.x + pixels[0]!.x, box.y + pixels[0]!.y)
    const summary = page.locator('[data-testid="exposure-summary"]')
    await summary.waitFor({ timeout: 60_000 })

    // The counts on screen equal the server's exposure for the same area.
    const shown = Number(await page.locator('[data-testid="exposure-villages"]').textContent())
    const people = Number((await page.locator('[data-testid="exposure-people"]').textContent())!.replace(/,/g, ''))
    const expected = (await (
      await editor.request.post(`${app.url}/api/exposure`, {
        data: { area: { kind: 'polygon', geometry: { type: 'Polygon', coordinates: [[...corners, corners[0]!]] } } },
        headers: { 'x-csrf-token': await csrf() },
      })
    ).json()) as ExposureResponse
    expect(shown).toBeGreaterThan(0)
    // The drawn ring is the clicked pixels, so it may differ from the ideal box by a pixel: at most one village at its edge.
    expect(Math.abs(shown - expected.summary.villages)).toBeLessThanOrEqual(1)
    expect(people).toBeGreaterThan(0)
    await page.screenshot({ path: path.join(artifactsDir, 'evacuation-exposure.png') })

    await page.locator('[data-testid="open-list"]').click()
    const list = page.locator('[data-testid="evacuation-list"]')
    await list.waitFor()
    await expect.poll(() => list.locator('li').count()).toBe(shown)
    // The editor may see names: the personal-data note is shown.
    expect(await list.textContent()).toContain('仅限工作使用')
    await list.locator('button.entry').first().click()
    await page.screenshot({ path: path.join(artifactsDir, 'evacuation-list.png') })
    expect(record.consoleErrors).toEqual([])
    await page.close()
  })

  it('runs a plan, saves it and shows the computed routes on the map', async () => {
    const page = await editor.newPage()
    const record = recordPage(page)
    await openView(page)
    const before = await page.evaluate(() => window.__evacuation!.auditRoutes)
    await page.locator('[data-testid="plan-run"]').click()
    await page.locator('[data-testid="plan-summary"]').waitFor({ timeout: 60_000 })
    const assignments = await page.evaluate(() => window.__evacuation!.assignments)
    expect(assignments).toBeGreaterThan(0)
    await waitForMapIdle(page, 60_000)
    await expect
      .poll(() => page.evaluate(() => window.__riskatlas!.map.queryRenderedFeatures({ layers: ['evacuation-plan-lines'] }).length), {
        timeout: 30_000,
      })
      .toBeGreaterThan(0)
    await page.screenshot({ path: path.join(artifactsDir, 'evacuation-plan.png') })

    await page.locator('[data-testid="plan-save"]').click()
    await page.locator('[data-testid="plan-saved"]').waitFor({ timeout: 60_000 })
    await page.waitForFunction((n) => window.__evacuation!.computedRoutes === n, assignments, { timeout: 60_000 })
    expect(await page.evaluate(() => window.__evacuation!.auditRoutes)).toBe(before + assignments)
    await waitForMapIdle(page, 60_000)
    const computed = await page.evaluate(
      () =>
        window
          .__riskatlas!.map.queryRenderedFeatures({ layers: ['evacuation-audit-routes'] })
          .filter((f) => f.properties.source === 'computed').length,
    )
    expect(computed).toBeGreaterThan(0)
    await page.screenshot({ path: path.join(artifactsDir, 'evacuation-saved.png') })
    expect(record.consoleErrors).toEqual([])
    await page.close()
  })
})

async function csrf(): Promise<string> {
  const me = await editor.request.get(`${app.url}/api/auth/me`)
  return ((await me.json()) as { csrfToken: string }).csrfToken
}
