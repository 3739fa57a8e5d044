import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core'
import type { CoverageResponse, Drill } from '@riskatlas/shared'
import { startRiskAtlas } from '@riskatlas/server'
import { demoAccounts } from '../../server/src/seed/demo-accounts.ts'
import { desktopViewport, launchChromium, phoneViewport } from '../support/browser.ts'
import { artifactsDir, clientDist, e2eDataDir, ensureClientBuilt, signedInContext, waitForMapIdle, type RunningApp } from './harness.ts'

/**
 * The workspace as its users meet it (issue 10): each defect of the walk-through, reproduced
 * the way a person would meet it — clicking with the mouse, reading the figures, on a phone.
 * One server (its calendar fixed at 2 December 2026: the 2026 season is over, 2027 lies ahead),
 * one built client, one signed-in browser context per role and screen size.
 */
const today = '2026-12-02'

type Role = (typeof demoAccounts)[number]['username']

let app: RunningApp
let browser: Browser
const contexts = new Map<string, BrowserContext>()

/** The signed-in context of a role at a screen size, made once and shared by every test. */
async function signedIn(role: Role, viewport: BrowserContextOptions = desktopViewport): Promise<BrowserContext> {
  const key = `${role}@${viewport.viewport?.width}x${viewport.viewport?.height}`
  const existing = contexts.get(key)
  if (existing) return existing
  const context = await signedInContext(browser, app.url, role, viewport)
  contexts.set(key, context)
  return context
}

async function api<T>(context: BrowserContext, pathAndQuery: string): Promise<T> {
  const response = await context.request.get(`${app.url}${pathAndQuery}`)
  expect(response.status(), pathAndQuery).toBe(200)
  return (await response.json()) as T
}

const shot = (page: Page, name: string, fullPage = false) =>
  page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage, timeout: 90_000 })

/** The element the mouse would hit at the centre of a locator's box (the defect: a panel above it). */
async function hitAtCentre(page: Page, selector: string, index: number): Promise<{ x: number; y: number; hitsIt: boolean }> {
  return page.evaluate(
    ([sel, i]) => {
      const element = document.querySelectorAll(sel)[i]!
      const box = element.getBoundingClientRect()
      const x = box.left + box.width / 2
      const y = box.top + box.height / 2
      const hit = document.elementFromPoint(x, y)
      return { x, y, hitsIt: !!hit && (hit === element || element.contains(hit)) }
    },
    [selector, index] as const,
  )
}

beforeAll(async () => {
  fs.mkdirSync(artifactsDir, { recursive: true })
  ensureClientBuilt()
  fs.mkdirSync(e2eDataDir, { recursive: true })
  app = await startRiskAtlas({ port: 0, dataDir: e2eDataDir, clientDist, today: () => today })
  browser = await launchChromium()
})

afterAll(async () => {
  for (const context of contexts.values()) await context.close()
  await browser?.close()
  await app?.close()
})

describe('the desktop map, signed in (1440×900)', () => {
  let page: Page

  beforeAll(async () => {
    page = await (await signedIn('admin')).newPage()
    await page.goto(`${app.url}/`)
    await waitForMapIdle(page)
  })
  afterAll(() => page.close())

  it('opens the card of each search result clicked with the mouse, above the layer panel, and unticks no layer', async () => {
    const warnings = page.locator('[data-testid="layer-panel"] [data-layer="active_warnings"] input')
    expect(await warnings.isChecked()).toBe(true)
    const search = page.locator('input[type="search"]')
    await search.fill('水井岭')
    const results = page.locator('.results li[role="option"]')
    await expect.poll(() => results.count()).toBeGreaterThanOrEqual(4)
    const names = await results.locator('.name').allTextContents()
    await shot(page, 'workspace-search-results')
    for (const [index, name] of names.entries()) {
      await search.fill('')
      await search.fill('水井岭')
      await results.nth(index).waitFor()
      const { x, y, hitsIt } = await hitAtCentre(page, '.results li[role="option"]', index)
      expect(hitsIt, `result ${index + 1} (${name}) is under the mouse`).toBe(true)
      await page.mouse.click(x, y)
      await expect.poll(() => page.locator('[data-testid="feature-card"] h2').textContent()).toBe(name)
      expect(await warnings.isChecked(), `clicking ${name} left 生效预警 ticked`).toBe(true)
    }
  })

  it('puts 橙色预警 under a 生效预警 heading of its own in the legend', async () => {
    const section = page.locator('[data-legend-layer="active_warnings"]')
    expect(await section.locator('h4').textContent()).toBe('生效预警')
    expect(await section.locator('li').first().textContent()).toContain('橙色预警')
  })

  it('links a village’s card to its 明白卡, its drill planner entry and its coverage', async () => {
    const search = page.locator('input[type="search"]')
    await search.fill('水井岭')
    const village = page.locator('.results li[data-layer="natural_villages"]').first()
    await village.click()
    const links = page.locator('[data-testid="village-links"] a')
    await expect.poll(() => links.count()).toBe(3)
    const hrefs = await links.evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')))
    const id = /^\/villages\/(\d+)\/card$/.exec(hrefs[0] ?? '')?.[1]
    expect(id).toBeDefined()
    expect(hrefs).toEqual([`/villages/${id}/card`, `/drills?village=${id}`, `/coverage?village=${id}`])
    await shot(page, 'workspace-village-card')
    await links.first().click()
    await page.locator(`[data-testid="evacuation-card"][data-village="${id}"]`).waitFor()
    await page.goBack()
  })

  it('follows every item of the user menu with the mouse, above the layer panel', async () => {
    await page.goto(`${app.url}/`)
    await page.locator('[data-testid="user-menu-button"]').click()
    const items = page.locator('.menu [role="menuitem"]')
    expect(await items.evaluateAll((all) => all.map((item) => item.getAttribute('data-nav') ?? 'sign-out'))).toEqual([
      'map',
      'coverage',
      'drills',
      'evacuation',
      'warnings',
      'report',
      'command',
      'ledger',
      'summary',
      'lists',
      'people',
      'data',
      'admin',
      'sign-out',
    ])
    await shot(page, 'workspace-user-menu')
    const count = await items.count()
    for (let index = 0; index < count; index++) {
      const { hitsIt } = await hitAtCentre(page, '.menu [role="menuitem"]', index)
      expect(hitsIt, `menu item ${index + 1} is under the mouse`).toBe(true)
    }
    const coverage = await hitAtCentre(page, '.menu [role="menuitem"]', 1)
    await page.mouse.click(coverage.x, coverage.y)
    await page.waitForURL((url) => url.pathname === '/coverage')
  })

  it('signs out with 退出登录 clicked with the mouse on the map', async () => {
    const context = await browser.newContext(desktopViewport)
    const password = demoAccounts.find((account) => account.username === 'viewer')!.password
    await context.request.post(`${app.url}/api/auth/login`, { data: { username: 'viewer', password } })
    const viewerPage = await context.newPage()
    await viewerPage.goto(`${app.url}/`)
    await viewerPage.locator('[data-testid="user-menu-button"]').click()
    const signOut = await hitAtCentre(viewerPage, '[data-testid="sign-out"]', 0)
    expect(signOut.hitsIt).toBe(true)
    await viewerPage.mouse.click(signOut.x, signOut.y)
    await viewerPage.locator('[data-testid="sign-in-link"]').waitFor()
    expect(((await (await context.request.get(`${app.url}/api/auth/me`)).json()) as { user: unknown }).user).toBeNull()
    await context.close()
  })
})

describe('navigation', () => {
  it('offers one navigation on every page, by role', async () => {
    const admin = await (await signedIn('admin')).newPage()
    for (const where of ['/coverage', '/drills', '/people', '/admin']) {
      await admin.goto(`${app.url}${where}`)
      const nav = admin.locator('[data-testid="app-nav"] a')
      await expect.poll(() => nav.count(), { timeout: 15_000 }).toBe(13)
      expect(await nav.evaluateAll((links) => links.map((link) => link.getAttribute('data-nav'))), where).toEqual([
        'map',
        'coverage',
        'drills',
        'evacuation',
        'warnings',
        'report',
        'command',
        'ledger',
        'summary',
        'lists',
        'people',
        'data',
        'admin',
      ])
    }
    await admin.close()
    const viewer = await (await signedIn('viewer')).newPage()
    await viewer.goto(`${app.url}/drills`)
    const nav = viewer.locator('[data-testid="app-nav"] a')
    await expect.poll(() => nav.count(), { timeout: 15_000 }).toBe(8)
    expect(await nav.evaluateAll((links) => links.map((link) => link.getAttribute('data-nav')))).toEqual([
      'map',
      'coverage',
      'drills',
      'evacuation',
      'command',
      'ledger',
      'summary',
      'lists',
    ])
    await viewer.close()
  })
})

describe('the coverage page', () => {
  it('counts one set in the headline and the chips', async () => {
    const page = await (await signedIn('editor')).newPage()
    await page.goto(`${app.url}/coverage?year=2026`)
    const summary = page.locator('[data-testid="coverage-summary"]')
    await summary.waitFor({ timeout: 30_000 })
    const headline = /应演练 (\d+) 个自然村，已演练 (\d+) 个/.exec((await summary.textContent()) ?? '')
    expect(headline).not.toBeNull()
    const [required, drilled] = [Number(headline![1]), Number(headline![2])]
    const chip = async (status: string) => Number(await page.locator(`[data-testid="count-${status}"]`).textContent())
    expect(await chip('drilled')).toBe(drilled)
    expect((await chip('missing')) + (await chip('planned')) + (await chip('overdue')) + (await chip('drilled'))).toBe(required)
    await shot(page, 'workspace-coverage-figures')
    await page.close()
  })

  it('closes the previous village’s card when a gap that is not about a village is located', async () => {
    const page = await (await signedIn('editor')).newPage()
    await page.goto(`${app.url}/coverage?year=2026`)
    await page.locator('[data-testid="tab-villages"]').click()
    await page.locator('[data-testid="village-list"] button').first().click()
    await page.locator('[data-testid="village-card"]').waitFor()
    await page.locator('[data-testid="tab-gaps"]').click()
    await page.locator('[data-testid="gap-lists"] [data-kind="hazard_without_monitor"] button.gap').first().click()
    await expect.poll(() => page.locator('[data-testid="village-card"]').count()).toBe(0)
    await page.close()
  })
})

describe('the drill planner after the 2026 season (2 December 2026)', () => {
  /** A village with a 2026 drill and a 2027 plan: the walk-through's case. */
  let village: { id: number; name: string }
  const created: number[] = []

  beforeAll(async () => {
    const editor = await signedIn('editor')
    const { drills: next } = await api<{ drills: Drill[] }>(editor, '/api/drills?year=2027&status=planned')
    const { drills: past } = await api<{ drills: Drill[] }>(editor, '/api/drills?year=2026')
    const both = next.find((drill) => past.some((earlier) => earlier.naturalVillageId === drill.naturalVillageId))!
    expect(both, 'a village with drills in 2026 and 2027').toBeDefined()
    village = { id: both.naturalVillageId, name: both.naturalVillageName }
  })

  afterAll(async () => {
    const editor = await signedIn('editor')
    const { csrfToken } = await api<{ csrfToken: string }>(editor, '/api/auth/me')
    for (const id of created) await editor.request.delete(`${app.url}/api/drills/${id}`, { headers: { 'x-csrf-token': csrfToken } })
  })

  it('lists the history by date, and records a drill held without a plan on a date that counts for the season', async () => {
    const page = await (await signedIn('editor')).newPage()
    await page.goto(`${app.url}/drills?year=2026&village=${village.id}`)
    const panel = page.locator(`[data-testid="planner-village"][data-village="${village.id}"]`)
    const history = panel.locator('[data-testid="drill-history"] > li')
    await expect.poll(() => history.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2)
    const dates = await history.evaluateAll((items) => items.map((item) => item.getAttribute('data-date') ?? ''))
    expect(dates).toEqual([...dates].sort())
    // The season is over: no plan for 2026, and nothing pre-filled that would count for no season.
    expect(await panel.locator('[data-testid="season-over"]').count()).toBe(1)
    await panel.locator('[data-testid="record-direct"]').click()
    const form = panel.locator('[data-testid="record-form"]')
    expect(await form.locator('input[name="heldOn"]').inputValue()).toBe('')
    await form.locator('input[name="heldOn"]').fill('2026-12-01')
    expect(await form.locator('[data-testid="held-season"]').textContent()).toContain('不在 2026 年汛期')
    expect(await form.locator('[data-testid="record-submit"]').isDisabled()).toBe(true)
    await form.locator('input[name="heldOn"]').fill('2026-10-30')
    expect(await form.locator('[data-testid="held-season"]').textContent()).toBe('计入 2026 年汛期（2026-05-01 至 2026-10-31）')
    await form.locator('select[name="scenario"]').selectOption('fire')
    await form.locator('input[name="participants"]').fill('12')
    await shot(page, 'workspace-record-held')
    const saved = page.waitForResponse((response) => response.url().endsWith('/api/drills') && response.request().method() === 'POST')
    await form.locator('[data-testid="record-submit"]').click()
    const drill = (await (await saved).json()) as Drill
    created.push(drill.id)
    expect(drill).toMatchObject({ status: 'held', heldOn: '2026-10-30', seasonYear: 2026 })
    await expect.poll(() => page.locator('.banner.ok').textContent(), { timeout: 15_000 }).toBe('已保存，计入 2026 年汛期')
    await expect
      .poll(() => history.evaluateAll((items) => items.map((item) => item.getAttribute('data-date'))), { timeout: 15_000 })
      .toContain('2026-10-30')
    await page.close()
  })

  it('marks a figure that breaks the rules on its field, in Chinese, before anything is sent', async () => {
    const page = await (await signedIn('editor')).newPage()
    const posts: string[] = []
    page.on('request', (request) => {
      if (request.method() !== 'GET' && request.url().includes('/api/drills')) posts.push(request.url())
    })
    await page.goto(`${app.url}/drills?year=2026&village=${village.id}`)
    const panel = page.locator(`[data-testid="planner-village"][data-village="${village.id}"]`)
    await panel.locator('[data-testid="record-direct"]').click()
    const form = panel.locator('[data-testid="record-form"]')
    await form.locator('input[name="heldOn"]').fill('2026-09-01')
    await form.locator('input[name="participants"]').fill('2')
    await form.locator('input[name="vulnerableMoved"]').fill('5')
    await form.locator('[data-testid="record-submit"]').click()
    const moved = form.locator('input[name="vulnerableMoved"]')
    expect(await moved.getAttribute('aria-invalid')).toBe('true')
    expect(await form.locator('[data-testid="field-error"]').first().textContent()).toBe('转移特殊人群 5 人超过参演人数 2')
    expect(posts).toEqual([])
    await shot(page, 'workspace-drill-validation')
    await page.close()
  })
})

describe('the phone (390×844, village cadre)', () => {
  let villageId: number

  beforeAll(async () => {
    const cadre = await signedIn('village_editor', phoneViewport)
    const coverage = await api<CoverageResponse>(cadre, '/api/coverage?year=2027')
    const { user } = await api<{ user: { villageScope: string[] } }>(cadre, '/api/auth/me')
    villageId = coverage.villages.find((entry) => entry.required && user.villageScope.includes(entry.adminCode))!.id
  })

  it('shows the 明白卡 whole on the screen, and prints it on one A4 page', async () => {
    const page = await (await signedIn('village_editor', phoneViewport)).newPage()
    await page.goto(`${app.url}/villages/${villageId}/card?year=2027`)
    const sheet = page.locator(`[data-testid="evacuation-card"][data-village="${villageId}"]`)
    await sheet.waitFor()
    const box = (await sheet.boundingBox())!
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width).toBeLessThanOrEqual(390)
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await shot(page, 'workspace-phone-card', true)
    await page.emulateMedia({ media: 'print' })
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true })
    fs.writeFileSync(path.join(artifactsDir, 'workspace-phone-card.pdf'), pdf)
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1)
    await page.emulateMedia({ media: 'screen' })
    await page.close()
  })

  it('gives the drill form finger-sized controls and 16 px input text, and brings the chosen village into view', async () => {
    const page = await (await signedIn('village_editor', phoneViewport)).newPage()
    await page.goto(`${app.url}/drills?year=2027`)
    const empty = page.locator('[data-testid="select-village"]')
    await empty.waitFor({ timeout: 30_000 })
    expect(await empty.textContent()).not.toContain('左侧')
    expect(await empty.textContent()).toContain('上方')
    await page.locator(`[data-testid="planner-list"] button[data-village="${villageId}"]`).click()
    const panel = page.locator(`[data-testid="planner-village"][data-village="${villageId}"]`)
    await panel.waitFor()
    await expect
      .poll(async () => {
        const box = await panel.boundingBox()
        return !!box && box.y >= -1 && box.y < 844
      })
      .toBe(true)
    await panel.locator('[data-testid="record-direct"]').click()
    const controls = await panel.evaluate((element) =>
      Array.from(element.querySelectorAll<HTMLElement>('input:not([type="checkbox"]), select, textarea, button'))
        .filter((control) => control.offsetParent !== null)
        .map((control) => ({
          name: control.getAttribute('name') ?? control.textContent?.trim() ?? '',
          height: control.getBoundingClientRect().height,
          fontSize: parseFloat(getComputedStyle(control).fontSize),
          isInput: control.tagName !== 'BUTTON',
        })),
    )
    expect(controls.length).toBeGreaterThan(5)
    expect(controls.filter((control) => control.height < 44)).toEqual([])
    expect(controls.filter((control) => control.isInput && control.fontSize < 16)).toEqual([])
    await shot(page, 'workspace-phone-drills')
    await page.close()
  })
})

describe('the evacuation card’s map', () => {
  it('prints every shelter’s name beside its symbol, and never over a danger zone', async () => {
    const page = await (await signedIn('editor')).newPage()
    // Every administrative village (a natural village's 15-digit code starts with its 12-digit one).
    const villages = await api<{ features: { properties: { code: string } }[] }>(await signedIn('editor'), '/api/layers/natural_villages')
    const adminCodes = [...new Set(villages.features.map((feature) => feature.properties.code.slice(0, 12)))]
    const problems: string[] = []
    let checked = 0
    for (const adminCode of adminCodes) {
      await page.goto(`${app.url}/admin-villages/${adminCode}/cards?year=2027`)
      await page.locator('[data-testid="evacuation-card"]').first().waitFor({ timeout: 60_000 })
      const found = await page.evaluate(() =>
        Array.from(document.querySelectorAll<SVGSVGElement>('[data-testid="card-inset"]')).flatMap((svg) => {
          const zones = Array.from(svg.querySelectorAll<SVGPathElement>('[data-testid="inset-zone"]'))
          return Array.from(svg.querySelectorAll<SVGGElement>('[data-testid="inset-shelter"]')).map((shelter) => {
            const label = shelter.querySelector<SVGTextElement>('[data-testid="inset-shelter-label"]')!.getBBox()
            const symbol = shelter.querySelector<SVGRectElement>('.shelter-symbol')!.getBBox()
            const gapX = Math.max(0, label.x - (symbol.x + symbol.width), symbol.x - (label.x + label.width))
            const gapY = Math.max(0, label.y - (symbol.y + symbol.height), symbol.y - (label.y + label.height))
            const points = [
              [label.x + 1, label.y + 1],
              [label.x + label.width - 1, label.y + 1],
              [label.x + 1, label.y + label.height - 1],
              [label.x + label.width - 1, label.y + label.height - 1],
              [label.x + label.width / 2, label.y + label.height / 2],
            ]
            const overZone = zones.some((zone) => points.some(([x, y]) => zone.isPointInFill(new DOMPoint(x, y))))
            return { name: shelter.textContent?.trim() ?? '', distance: Math.hypot(gapX, gapY), overZone }
          })
        }),
      )
      checked += found.length
      for (const label of found) {
        if (label.overZone) problems.push(`${adminCode}: ${label.name} is printed over a danger zone`)
        if (label.distance > 12) problems.push(`${adminCode}: ${label.name} is ${label.distance.toFixed(0)} units from its symbol`)
      }
    }
    expect(checked).toBeGreaterThan(0)
    expect(problems).toEqual([])
    await shot(page, 'workspace-cards-inset', false)
    await page.close()
  }, 400_000)
})

describe('screenshots at the users’ sizes', () => {
  const sizes: [string, BrowserContextOptions][] = [
    ['1440x900', desktopViewport],
    ['1920x1080', { ...desktopViewport, viewport: { width: 1920, height: 1080 } }],
    ['3840x2160', { ...desktopViewport, viewport: { width: 3840, height: 2160 } }],
    ['390x844', phoneViewport],
  ]

  it.each(sizes)(
    'saves the map, the coverage page and the planner at %s',
    async (size, viewport) => {
      const page = await (await signedIn('editor', viewport)).newPage()
      await page.goto(`${app.url}/`)
      await waitForMapIdle(page)
      await shot(page, `workspace-${size}-map`)
      await page.goto(`${app.url}/coverage?year=2026`)
      await page.locator('[data-testid="coverage-summary"]').waitFor({ timeout: 30_000 })
      await waitForMapIdle(page)
      await shot(page, `workspace-${size}-coverage`)
      await page.goto(`${app.url}/drills?year=2027`)
      await page.locator('[data-testid="planner-list"] button').first().click()
      await page.locator('[data-testid="planner-village"]').waitFor()
      await shot(page, `workspace-${size}-drills`)
      await page.close()
    },
    400_000,
  )
})
