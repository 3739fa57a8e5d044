import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core'
import type { CoverageResponse, CoverageStatus, EvacuationCard, GapsResponse } from '@riskatlas/shared'
import { startRiskAtlas } from '@riskatlas/server'
import { desktopViewport, launchChromium, recordPage } from '../support/browser.ts'
import { artifactsDir, clientDist, e2eDataDir, ensureClientBuilt, signedInContext, waitForMapIdle, type RunningApp } from './harness.ts'

/**
 * The drill workflow in the browser: plan a drill in the planner and see the village turn from
 * missing to planned on the coverage map, record it as held and see it turn drilled, then the
 * village's evacuation card in print preview. The server's calendar is fixed mid-season so a
 * drill can be planned for today and held today.
 */
const today = '2027-06-15'
const year = 2027

let app: RunningApp
let browser: Browser

/** A context signed in as the account (its stored state: each account signs in once per run). */
const signedIn = (username: 'editor' | 'viewer') => signedInContext(browser, app.url, username, desktopViewport)

async function getJson<T>(request: APIRequestContext, pathAndQuery: string): Promise<T> {
  const response = await request.get(`${app.url}${pathAndQuery}`)
  expect(response.status(), pathAndQuery).toBe(200)
  return (await response.json()) as T
}

/** The status the coverage map draws for a village: read from the rendered dots, not from the API. */
async function renderedStatus(page: Page, villageId: number): Promise<CoverageStatus | undefined> {
  return page.evaluate((id) => {
    const { map } = window.__riskatlas!
    const dot = map.queryRenderedFeatures({ layers: ['coverage-villages:dots'] }).find((feature) => feature.id === id)
    return dot?.properties.status as CoverageStatus | undefined
  }, villageId)
}

async function openCoverage(page: Page): Promise<void> {
  await page.goto(`${app.url}/coverage?year=${year}`)
  await waitForMapIdle(page)
  await page.waitForFunction(() => {
    const { map } = window.__riskatlas!
    return map.getLayer('coverage-villages:dots') && map.queryRenderedFeatures({ layers: ['coverage-villages:dots'] }).length > 0
  })
}

beforeAll(async () => {
  fs.mkdirSync(artifactsDir, { recursive: true })
  ensureClientBuilt()
  fs.mkdirSync(e2eDataDir, { recursive: true })
  app = await startRiskAtlas({ port: 0, dataDir: e2eDataDir, clientDist, today: () => today })
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await app?.close()
})

describe('drill planning end to end', () => {
  let editor: BrowserContext
  let village: { id: number; name: string; adminCode: string }
  let card: EvacuationCard
  const created: number[] = []

  beforeAll(async () => {
    editor = await signedIn('editor')
    const coverage = await getJson<CoverageResponse>(editor.request, `/api/coverage?year=${year}`)
    // A village that must drill, has nothing for the season yet, and has a route to a shelter.
    for (const candidate of coverage.villages.filter((entry) => entry.status === 'missing')) {
      const candidateCard = await getJson<EvacuationCard>(editor.request, `/api/villages/${candidate.id}/evacuation-card?year=${year}`)
      if (candidateCard.routes.length > 0 && candidateCard.contacts.some((contact) => contact.phone)) {
        village = { id: candidate.id, name: candidate.name, adminCode: candidate.adminCode }
        card = candidateCard
        break
      }
    }
    expect(village, 'a missing village with a route and contacts').toBeDefined()
  })

  afterAll(async () => {
    const { csrfToken } = await getJson<{ csrfToken: string }>(editor.request, '/api/auth/me')
    for (const id of created) await editor.request.delete(`${app.url}/api/drills/${id}`, { headers: { 'x-csrf-token': csrfToken } })
    await editor.close()
  })

  it('plans a drill in the planner: the village turns from missing to planned on the coverage map', async () => {
    const page = await editor.newPage()
    const record = recordPage(page)
    await openCoverage(page)
    expect(await renderedStatus(page, village.id)).toBe('missing')

    await page.goto(`${app.url}/drills?year=${year}&village=${village.id}`)
    const panel = page.locator(`[data-testid="planner-village"][data-village="${village.id}"]`)
    await panel.waitFor()
    await expect.poll(() => panel.locator('[data-testid="planner-status"]').textContent()).toBe('未安排')
    await panel.locator('input[name="plannedOn"]').fill(today)
    await panel.locator('select[name="scenario"]').selectOption('flash_flood')
    await panel.locator('input[name="organiser"]').fill('端到端测试')
    await panel.locator('[data-testid="plan-submit"]').click()
    await expect.poll(() => panel.locator('[data-testid="planner-status"]').textContent(), { timeout: 15_000 }).toBe('已计划')
    const drillId = Number(
      await panel.locator('[data-testid="drill-history"] li[data-status="planned"]').first().getAttribute('data-drill'),
    )
    created.push(drillId)
    await page.screenshot({ path: path.join(artifactsDir, 'drills-planner-planned.png') })

    await openCoverage(page)
    expect(await renderedStatus(page, village.id)).toBe('planned')
    await page.locator('[data-testid="tab-villages"]').click()
    await page.locator(`[data-testid="village-list"] button[data-village="${village.id}"]`).click()
    await expect.poll(() => page.locator('[data-testid="village-status"]').textContent()).toBe('已计划')
    await waitForMapIdle(page)
    await page.screenshot({ path: path.join(artifactsDir, 'drills-coverage-planned.png') })
    expect(record.consoleErrors.filter((line) => !/Failed to load resource/.test(line))).toEqual([])
    await page.close()
  })

  it('records the drill as held: the village turns drilled', async () => {
    const page = await editor.newPage()
    await page.goto(`${app.url}/drills?year=${year}&village=${village.id}`)
    const panel = page.locator(`[data-testid="planner-village"][data-village="${village.id}"]`)
    await panel.locator('[data-testid="record-start"]').first().click()
    const form = panel.locator('[data-testid="record-form"]')
    await form.locator('input[name="heldOn"]').fill(today)
    await form.locator('input[name="participants"]').fill('25')
    await form.locator('input[name="vulnerableMoved"]').fill('2')
    await form.locator('input[name="evacuationMinutes"]').fill('17')
    await form.locator('textarea[name="findings"]').fill('广播声音偏小，已调整')
    await form.locator('[data-testid="record-submit"]').click()
    await expect.poll(() => panel.locator('[data-testid="planner-status"]').textContent(), { timeout: 15_000 }).toBe('已演练')
    await expect.poll(() => panel.locator('[data-testid="drill-history"]').textContent()).toContain('广播声音偏小')
    await page.screenshot({ path: path.join(artifactsDir, 'drills-planner-held.png') })

    await openCoverage(page)
    expect(await renderedStatus(page, village.id)).toBe('drilled')
    await page.screenshot({ path: path.join(artifactsDir, 'drills-coverage-drilled.png') })
    await page.close()
  })

  it('locates a preparedness gap on the map with one click', async () => {
    const gaps = await getJson<GapsResponse>(editor.request, `/api/gaps?year=${year}`)
    const gap = gaps.gaps.find((entry) => entry.kind === 'hazard_without_monitor')!
    const page = await editor.newPage()
    await openCoverage(page)
    await page.locator('[data-testid="gap-lists"] [data-kind="hazard_without_monitor"] button.gap').first().click()
    await page.waitForFunction(() => !window.__riskatlas!.map.isMoving())
    await waitForMapIdle(page)
    const centre = await page.evaluate(() => window.__riskatlas!.map.getCenter())
    expect(Math.abs(centre.lng - gap.location[0])).toBeLessThan(0.01)
    expect(Math.abs(centre.lat - gap.location[1])).toBeLessThan(0.01)
    expect(await page.evaluate(() => window.__riskatlas!.map.queryRenderedFeatures({ layers: ['coverage-gap-marker:ring'] }).length)).toBe(
      1,
    )
    await page.screenshot({ path: path.join(artifactsDir, 'drills-coverage-gap.png') })
    await page.close()
  })

  it('prints the village’s evacuation card on one A4 page with its shelter and contacts', async () => {
    const page = await editor.newPage()
    await page.goto(`${app.url}/villages/${village.id}/card?year=${year}`)
    const sheet = page.locator(`[data-testid="evacuation-card"][data-village="${village.id}"]`)
    await sheet.waitFor()
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('.toolbar').isVisible()).toBe(false)
    const text = (await sheet.textContent()) ?? ''
    expect(text).toContain(village.name)
    expect(text).toContain(card.routes[0]!.shelter.name)
    const contact = card.contacts.find((entry) => entry.phone)!
    expect(text).toContain(contact.name)
    expect(text).toContain(contact.phone!)
    expect(await sheet.locator('[data-testid="card-inset"] path').count()).toBeGreaterThan(0)
    await page.screenshot({ path: path.join(artifactsDir, 'drills-card-print.png'), fullPage: true })
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true })
    fs.writeFileSync(path.join(artifactsDir, 'drills-card.pdf'), pdf)
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1)
    await page.close()
  })

  it('sends an anonymous visitor of the drill views to sign in first', async () => {
    const anonymous = await browser.newContext(desktopViewport)
    try {
      const page = await anonymous.newPage()
      await page.goto(`${app.url}/drills?year=${year}`)
      await page.waitForURL(/\/login\?next=/)
      expect(decodeURIComponent(new URL(page.url()).searchParams.get('next')!)).toBe(`/drills?year=${year}`)
    } finally {
      await anonymous.close()
    }
  })

  it('masks the phones on a viewer’s card, and prints every card of an administrative village at once', async () => {
    const viewer = await signedIn('viewer')
    try {
      const page = await viewer.newPage()
      await page.goto(`${app.url}/admin-villages/${village.adminCode}/cards?year=${year}`)
      await page.locator(`[data-testid="evacuation-card"][data-village="${village.id}"]`).waitFor()
      const count = await page.locator('[data-testid="evacuation-card"]').count()
      expect(count).toBeGreaterThan(1)
      const phones = await page.locator('[data-testid="card-contacts"] .phone').allTextContents()
      expect(phones.filter((phone) => /\d/.test(phone)).every((phone) => /^\d{3}\*+\d{4}$/.test(phone.trim()))).toBe(true)
      await page.emulateMedia({ media: 'print' })
      const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true })
      fs.writeFileSync(path.join(artifactsDir, 'drills-cards-admin.pdf'), pdf)
      expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(count)
      await page.close()
    } finally {
      await viewer.close()
    }
  })
})
