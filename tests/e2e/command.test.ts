import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startRiskAtlas } from '@riskatlas/server'
import { demoAccounts, demoDisplayToken } from '../../server/src/seed/demo-accounts.ts'
import { desktopViewport, launchChromium, phoneViewport } from '../support/browser.ts'
import { artifactsDir, clientDist, e2eDataDir, ensureClientBuilt, signedInContext, waitForMapIdle, type RunningApp } from './harness.ts'

/**
 * The flood-season command's wall screen (issue 11 §3): laid out for 1920×1080 and 3840×2160
 * with no scrollbars, every panel on screen and the map at device resolution; `?kiosk=1`
 * without controls; a warning issued through the API on the screen within 2 s; nothing
 * personal in its page. The screen signs in as the demo big screen (display token).
 */
let app: RunningApp
let browser: Browser
let admin: BrowserContext
const markerSource = `e2e-command-${Date.now()}`

/** The admin session's CSRF token, for writes through the API. */
async function csrf(): Promise<string> {
  return ((await (await admin.request.get(`${app.url}/api/auth/me`)).json()) as { csrfToken?: string }).csrfToken ?? ''
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(artifactsDir, `${name}.png`), timeout: 120_000 })

/** A context signed in as the demo big screen, at a wall's size. */
async function screenContext(width: number, height: number, deviceScaleFactor = 1): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width, height },
    deviceScaleFactor,
    locale: 'zh-CN',
    extraHTTPHeaders: { Authorization: `Bearer ${demoDisplayToken}` },
  })
}

/** Waits for the map, the figures and the charts of the screen. */
async function screenReady(page: Page): Promise<void> {
  await waitForMapIdle(page, 120_000)
  await page.locator('[data-testid="town-name"]').filter({ hasNotText: '…' }).waitFor()
  await page.locator('[data-panel="hazards"] canvas').first().waitFor({ timeout: 60_000 })
  await page.locator('[data-panel="coverage"] canvas').first().waitFor({ timeout: 60_000 })
}

interface Layout {
  scrollWidth: number
  clientWidth: number
  scrollHeight: number
  clientHeight: number
  outside: string[]
  panels: string[]
  canvas: { width: number; height: number; cssWidth: number; cssHeight: number; dpr: number }
  smallestText: number
}

function measure(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const root = document.documentElement
    const panels = Array.from(document.querySelectorAll<HTMLElement>('[data-panel]'))
    const outside = panels
      .filter((panel) => {
        const box = panel.getBoundingClientRect()
        return box.left < 0 || box.top < 0 || box.right > innerWidth + 0.5 || box.bottom > innerHeight + 0.5 || box.width < 1
      })
      .map((panel) => panel.dataset.panel!)
    // A panel's content must not be cut off: its body fits its box.
    const canvas = document.querySelector<HTMLCanvasElement>('.maplibregl-canvas')!
    const box = canvas.getBoundingClientRect()
    const texts = Array.from(document.querySelectorAll<HTMLElement>('.command *')).filter(
      (el) => el.childNodes.length > 0 && Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent!.trim()),
    )
    const smallestText = Math.min(...texts.map((el) => parseFloat(getComputedStyle(el).fontSize)))
    return {
      scrollWidth: root.scrollWidth,
      clientWidth: root.clientWidth,
      scrollHeight: root.scrollHeight,
      clientHeight: root.clientHeight,
      outside,
      panels: panels.map((panel) => panel.dataset.panel!),
      canvas: { width: canvas.width, height: canvas.height, cssWidth: box.width, cssHeight: box.height, dpr: devicePixelRatio },
      smallestText,
    }
  })
}

beforeAll(async () => {
  fs.mkdirSync(artifactsDir, { recursive: true })
  ensureClientBuilt()
  fs.mkdirSync(e2eDataDir, { recursive: true })
  app = await startRiskAtlas({ port: 0, dataDir: e2eDataDir, clientDist })
  browser = await launchChromium()
  admin = await browser.newContext()
  const password = demoAccounts.find((account) => account.username === 'admin')!.password
  expect((await admin.request.post(`${app.url}/api/auth/login`, { data: { username: 'admin', password } })).status()).toBe(200)
}, 180_000)

afterAll(async () => {
  // Lift what this run issued, so the shared e2e database is left without its warnings.
  if (admin) {
    const list = (await (await admin.request.get(`${app.url}/api/warnings`)).json()) as {
      warnings: { id: number; source: string | null }[]
    }
    const token = await csrf()
    for (const warning of list.warnings.filter((w) => w.source === markerSource))
      await admin.request.patch(`${app.url}/api/warnings/${warning.id}`, {
        data: { lift: true, reason: 'e2e cleanup' },
        headers: { 'X-CSRF-Token': token, Origin: app.url },
      })
    await admin.close()
  }
  await browser?.close()
  await app?.close()
})

describe.each([
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
])('the wall screen at $width×$height', ({ width, height }) => {
  let context: BrowserContext
  let page: Page

  beforeAll(async () => {
    context = await screenContext(width, height)
    page = await context.newPage()
    await page.goto(`${app.url}/command?kiosk=1`)
    await screenReady(page)
  }, 240_000)
  afterAll(() => context.close())

  it('fits the screen: no scrollbars, every panel inside the viewport, the map at device resolution', async () => {
    await shot(page, `command-${width}x${height}`)
    const layout = await measure(page)
    expect(layout.scrollWidth).toBeLessThanOrEqual(layout.clientWidth)
    expect(layout.scrollHeight).toBeLessThanOrEqual(layout.clientHeight)
    expect(layout.panels).toEqual(
      expect.arrayContaining([
        'header',
        'hazards',
        'threatened',
        'warned',
        'coverage',
        'vulnerable',
        'dangers',
        'map',
        'progress',
        'shelters',
        'instructions',
        'events',
      ]),
    )
    expect(layout.outside).toEqual([])
    expect(layout.canvas.width).toBe(Math.round(layout.canvas.cssWidth * layout.canvas.dpr))
    expect(layout.canvas.height).toBe(Math.round(layout.canvas.cssHeight * layout.canvas.dpr))
    // Readable from 5 m: nothing smaller than 18 design pixels (the wall scales them with the screen).
    expect(layout.smallestText).toBeGreaterThanOrEqual(18 * (width / 1920) - 0.5)
  })

  it('shows no control in kiosk mode', async () => {
    expect(await page.locator('[data-testid="command-controls"]').count()).toBe(0)
    expect(await page.locator('.command button, .command a, .command input, .command select').count()).toBe(0)
  })

  it('shows the town, the date and the clock, and the hazard figures', async () => {
    expect((await page.locator('[data-testid="town-name"]').textContent())?.trim().length).toBeGreaterThan(1)
    expect(await page.locator('[data-testid="clock-time"]').textContent()).toMatch(/^\d{2}:\d{2}:\d{2}$/)
    const total = Number((await page.locator('[data-panel="hazards"] .big').textContent())?.replace(/,/g, ''))
    expect(total).toBeGreaterThan(10)
  })
})

describe('the screen with controls (not kiosk)', () => {
  it('offers the language switch and a way back, and switches to English', async () => {
    const context = await screenContext(1920, 1080)
    const page = await context.newPage()
    await page.goto(`${app.url}/command`)
    await page.locator('[data-testid="command-controls"]').waitFor()
    await page.locator('[data-testid="language"]').click()
    await expect.poll(() => page.locator('[data-panel="progress"] h2').textContent()).toBe('Evacuation progress')
    await page.locator('[data-testid="language"]').click()
    await expect.poll(() => page.locator('[data-panel="progress"] h2').textContent()).toBe('转移进度')
    await context.close()
  })
})

describe('personal data', () => {
  it('puts no seeded vulnerable person’s name, address or phone in the screen’s page', async () => {
    const people = (
      (await (await admin.request.get(`${app.url}/api/vulnerable-people`)).json()) as {
        people: { name: string; phone: string | null; address: string | null; responsiblePhone: string | null }[]
      }
    ).people
    expect(people.length).toBeGreaterThan(100)
    const context = await screenContext(1920, 1080)
    const page = await context.newPage()
    await page.goto(`${app.url}/command?kiosk=1`)
    await screenReady(page)
    const dom = await page.evaluate(() => document.documentElement.outerHTML + document.body.innerText)
    const names = people.map((p) => p.name).filter((name) => name.length >= 2 && dom.includes(name))
    const phones = people.flatMap((p) => [p.phone, p.responsiblePhone]).filter((phone): phone is string => !!phone && dom.includes(phone))
    const addresses = people
      .map((p) => p.address)
      .filter((address): address is string => !!address && address.length > 4 && dom.includes(address))
    expect({ names, phones, addresses }).toEqual({ names: [], phones: [], addresses: [] })
    await context.close()
  }, 180_000)
})

describe('live', () => {
  let context: BrowserContext
  let page: Page

  beforeAll(async () => {
    context = await screenContext(1920, 1080)
    page = await context.newPage()
    await page.goto(`${app.url}/command?kiosk=1`)
    await screenReady(page)
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: 30_000 })
  }, 240_000)
  afterAll(() => context.close())

  it('shows a warning issued through the API within 2 s, in its level’s colour', async () => {
    const villages = (await (await admin.request.get(`${app.url}/api/layers/village_boundaries`)).json()) as {
      features: { properties: { code: string } }[]
    }
    const title = `e2e 红色预警 ${Date.now()}`
    const issuedAt = Date.now()
    const response = await admin.request.post(`${app.url}/api/warnings`, {
      headers: { 'X-CSRF-Token': await csrf(), Origin: app.url },
      data: {
        kind: 'flash_flood',
        level: 'red',
        stage: 'prepare',
        title,
        issuedBy: '镇防汛指挥部',
        source: markerSource,
        validFrom: new Date(Date.now() - 60_000).toISOString(),
        validTo: new Date(Date.now() + 3 * 3600_000).toISOString(),
        area: { kind: 'villages', adminCodes: [villages.features[0]!.properties.code] },
      },
    })
    expect(response.status()).toBe(201)
    const banner = page.locator('[data-testid="warning-banner"]')
    await expect.poll(() => banner.getAttribute('data-level'), { timeout: 2000, interval: 50 }).toBe('red')
    expect(await banner.textContent()).toContain(title)
    const took = Date.now() - issuedAt
    expect(took).toBeLessThanOrEqual(2000)
    await shot(page, 'command-1920x1080-red-warning')
  })
})

describe('the warnings desk on a phone', () => {
  it('puts the form below the map, every field within the width and the submit button within reach', async () => {
    const context = await signedInContext(browser, app.url, 'editor', phoneViewport)
    const page = await context.newPage()
    await page.goto(`${app.url}/warnings`)
    const form = page.locator('[data-testid="warning-form"]')
    await form.waitFor()
    const submit = page.locator('[data-testid="warning-submit"]')
    await submit.scrollIntoViewIfNeeded()
    // Nothing (the map) lies over the button: the element at its centre is the button.
    expect(
      await submit.evaluate((button) => {
        const box = button.getBoundingClientRect()
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)
        return hit !== null && button.contains(hit)
      }),
    ).toBe(true)
    const sticking = await form.evaluate((panel) => {
      const right = panel.getBoundingClientRect().right
      return Array.from(panel.querySelectorAll('input, select')).filter((field) => field.getBoundingClientRect().right > right + 0.5).length
    })
    expect(sticking).toBe(0)
    await shot(page, 'warnings-390x844')
    await page.close()
  })
})

describe('progress reported from the phone', () => {
  let screen: BrowserContext
  let phone: BrowserContext
  let screenPage: Page
  let ownCode: string
  let otherCode: string
  let warningId: number

  /** The big screen's town figure "moved", as the page shows it (null while there is no move-now warning). */
  const screenMoved = () =>
    screenPage.evaluate(() => (window as unknown as { __command?: { moved: number | null } }).__command?.moved ?? null)

  beforeAll(async () => {
    phone = await signedInContext(browser, app.url, 'village_editor', phoneViewport)
    const me = (await (await phone.request.get(`${app.url}/api/auth/me`)).json()) as { user: { villageScope: string[] } }
    ownCode = me.user.villageScope[0]!
    const villages = (await (await admin.request.get(`${app.url}/api/layers/village_boundaries`)).json()) as {
      features: { properties: { code: string } }[]
    }
    otherCode = villages.features.map((f) => f.properties.code).find((code) => code !== ownCode)!
    const response = await admin.request.post(`${app.url}/api/warnings`, {
      headers: { 'X-CSRF-Token': await csrf(), Origin: app.url },
      data: {
        kind: 'flash_flood',
        level: 'red',
        stage: 'move_now',
        title: `e2e 立即转移 ${Date.now()}`,
        issuedBy: '镇防汛指挥部',
        source: markerSource,
        validFrom: new Date(Date.now() - 60_000).toISOString(),
        validTo: new Date(Date.now() + 3 * 3600_000).toISOString(),
        area: { kind: 'villages', adminCodes: [ownCode, otherCode] },
      },
    })
    expect(response.status()).toBe(201)
    warningId = ((await response.json()) as { id: number }).id
    screen = await screenContext(1920, 1080)
    screenPage = await screen.newPage()
    await screenPage.goto(`${app.url}/command?kiosk=1`)
    await screenPage.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: 60_000 })
    await screenPage.waitForFunction(
      () => typeof (window as unknown as { __command?: { moved: unknown } }).__command?.moved === 'number',
      undefined,
      {
        timeout: 30_000,
      },
    )
  }, 240_000)
  afterAll(async () => {
    await screen?.close()
    await phone?.close()
  })

  it('lists only the cadre’s own natural villages; a report of one changes the big screen’s “moved” within 2 s', async () => {
    const progress = (await (await admin.request.get(`${app.url}/api/evacuation/progress?warningId=${warningId}`)).json()) as {
      villages: { naturalVillageId: number; adminCode: string }[]
    }
    const own = progress.villages.filter((v) => v.adminCode === ownCode).map((v) => v.naturalVillageId)
    const others = progress.villages.filter((v) => v.adminCode !== ownCode)
    expect(own.length).toBeGreaterThan(0)
    expect(others.length).toBeGreaterThan(0)

    const page = await phone.newPage()
    await page.goto(`${app.url}/report`)
    const rows = page.locator('[data-testid="report-villages"] > li')
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(own.length)
    const listed = await rows.evaluateAll((items) => items.map((item) => Number(item.getAttribute('data-village'))))
    expect(listed.sort()).toEqual([...own].sort())
    await shot(page, 'report-390x844')

    const before = (await screenMoved())!
    const row = rows.first()
    await row.locator('.village-head').click()
    const plus = row.locator('[data-field="moved"] button').last()
    for (let tap = 0; tap < 3; tap++) await plus.click()
    await shot(page, 'report-390x844-form')
    const sentAt = Date.now()
    await row.locator('[data-testid="report-submit"]').click()
    await expect.poll(screenMoved, { timeout: 2000, interval: 50 }).toBe(before + 3)
    expect(Date.now() - sentAt).toBeLessThanOrEqual(2000)
    expect(Number((await screenPage.locator('[data-testid="progress-moved"]').textContent())?.replace(/,/g, ''))).toBe(before + 3)
    // The phone shows the record it reported.
    await expect.poll(() => row.locator('[data-testid="village-moved"]').textContent()).toBe('3')
    await page.close()
  })

  it('reports the people checked in at a shelter of the cadre’s villages; the big screen’s “checked in” follows within 2 s', async () => {
    const progress = (await (await admin.request.get(`${app.url}/api/evacuation/progress?warningId=${warningId}`)).json()) as {
      shelters: { id: number; adminCode: string | null; checkedIn: number }[]
    }
    const own = progress.shelters.filter((s) => s.adminCode === ownCode)
    expect(own.length).toBeGreaterThan(0)
    const page = await phone.newPage()
    await page.goto(`${app.url}/report`)
    const forms = page.locator('[data-testid="report-shelters"] form')
    await expect.poll(() => forms.count(), { timeout: 30_000 }).toBe(own.length)
    // Only the shelters in the cadre's own villages are offered.
    expect((await forms.evaluateAll((items) => items.map((f) => Number(f.getAttribute('data-shelter'))))).sort()).toEqual(
      own.map((s) => s.id).sort(),
    )
    const screenCheckedIn = () =>
      screenPage.evaluate(() => (window as unknown as { __command?: { checkedIn: number | null } }).__command?.checkedIn ?? null)
    const before = (await screenCheckedIn())!
    const form = forms.first()
    const shelterId = Number(await form.getAttribute('data-shelter'))
    const previous = own.find((s) => s.id === shelterId)!.checkedIn
    await form.locator('[data-testid="check-in"]').fill(String(previous + 25))
    await shot(page, 'report-390x844-shelter')
    const sentAt = Date.now()
    await form.locator('[data-testid="check-in-save"]').click()
    await expect.poll(screenCheckedIn, { timeout: 2000, interval: 50 }).toBe(before + 25)
    expect(Date.now() - sentAt).toBeLessThanOrEqual(2000)
    const after = (await (await admin.request.get(`${app.url}/api/evacuation/progress?warningId=${warningId}`)).json()) as {
      shelters: { id: number; checkedIn: number }[]
    }
    expect(after.shelters.find((s) => s.id === shelterId)!.checkedIn).toBe(previous + 25)
    await page.close()
  })

  it('shows the command’s instruction for the cadre’s village only, and acknowledges it with one tap', async () => {
    const sent = await admin.request.post(`${app.url}/api/instructions`, {
      headers: { 'X-CSRF-Token': await csrf(), Origin: app.url },
      data: { warningId, text: `立即组织转移 e2e ${Date.now()}`, adminCodes: [ownCode, otherCode] },
    })
    expect(sent.status()).toBe(201)
    const instruction = (await sent.json()) as { id: number }
    const page = await phone.newPage()
    await page.goto(`${app.url}/report`)
    const card = page.locator(`[data-instruction="${instruction.id}"]`)
    await card.waitFor({ timeout: 30_000 })
    expect(await card.locator('.target').evaluateAll((targets) => targets.map((t) => t.getAttribute('data-admin')))).toEqual([ownCode])
    await card.locator('[data-testid="ack"]').click()
    await card.locator('.acked').waitFor()
    const list = (await (await admin.request.get(`${app.url}/api/instructions?warningId=${warningId}`)).json()) as {
      instructions: { id: number; targets: { adminCode: string; acknowledgedAt: string | null }[] }[]
    }
    const targets = list.instructions.find((i) => i.id === instruction.id)!.targets
    expect(targets.find((t) => t.adminCode === ownCode)!.acknowledgedAt).not.toBeNull()
    expect(targets.find((t) => t.adminCode === otherCode)!.acknowledgedAt).toBeNull()
    await shot(page, 'report-390x844-instruction')
    await page.close()
  })
})

describe('a screen signs in with a one-time setup link', () => {
  it('the admin makes the link; a fresh browser opens it, lands signed in on /command with the code gone from the URL; the link works once', async () => {
    const adminContext = await signedInContext(browser, app.url, 'admin', desktopViewport)
    const adminPage = await adminContext.newPage()
    await adminPage.goto(`${app.url}/admin?tab=tokens`)
    const row = adminPage.locator('[data-testid="tokens-table"] tr', { hasText: '指挥大屏（演示）' })
    await row.locator('button[data-testid^="setup-code-"]').click()
    const link = (await adminPage.locator('[data-testid="setup-link"]').textContent())!.trim()
    const code = (await adminPage.locator('[data-testid="setup-code-text"]').textContent())!.trim()
    expect(link).toBe(`${app.url}/command/setup#code=${code}`)
    await shot(adminPage, 'admin-setup-code')
    await adminContext.close()

    const screenBrowser = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN' })
    const screenPage = await screenBrowser.newPage()
    const requested: string[] = []
    screenPage.on('request', (request) => requested.push(request.url()))
    await screenPage.goto(link)
    await screenPage.waitForURL((url) => url.pathname === '/command', { timeout: 30_000 })
    expect(new URL(screenPage.url()).search).toBe('?kiosk=1')
    expect(screenPage.url()).not.toContain(code)
    expect(await screenPage.evaluate(() => window.location.hash)).toBe('')
    await screenPage.locator('[data-testid="command-screen"]').waitFor()
    await screenPage.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: 30_000 })
    const me = (await (await screenBrowser.request.get(`${app.url}/api/auth/me`)).json()) as { user: { role: string } | null }
    expect(me.user?.role).toBe('display')
    // The code went to the server in a POST body only, never in a requested URL.
    expect(requested.filter((url) => url.includes(code))).toEqual([])
    await screenBrowser.close()

    const again = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })
    const againPage = await again.newPage()
    await againPage.goto(link)
    const refused = againPage.locator('[data-testid="setup-error"]')
    await refused.waitFor({ timeout: 30_000 })
    expect(await refused.textContent()).toContain('设置码错误、已使用或已过期')
    expect(new URL(againPage.url()).pathname).toBe('/command/setup')
    expect(againPage.url()).not.toContain(code)
    const meAgain = (await (await again.request.get(`${app.url}/api/auth/me`)).json()) as { user: unknown }
    expect(meAgain.user).toBeNull()
    await shot(againPage, 'command-setup-used-code')
    await again.close()
  })

  it('signs a screen in with the code typed into /command/setup', async () => {
    const tokens = (await (await admin.request.get(`${app.url}/api/display-tokens`)).json()) as {
      tokens: { id: number; name: string; revokedAt: string | null }[]
    }
    const demo = tokens.tokens.find((t) => t.name === '指挥大屏（演示）' && !t.revokedAt)!
    const issued = await admin.request.post(`${app.url}/api/display-tokens/${demo.id}/setup-code`, {
      headers: { 'X-CSRF-Token': await csrf(), Origin: app.url },
    })
    expect(issued.status()).toBe(201)
    const { code } = (await issued.json()) as { code: string }
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })
    const page = await context.newPage()
    await page.goto(`${app.url}/command/setup`)
    await page.locator('[data-testid="setup-code"]').waitFor()
    await shot(page, 'command-setup')
    await page.locator('[data-testid="setup-code"]').fill(code)
    await page.locator('[data-testid="setup-go"]').click()
    await page.waitForURL((url) => url.pathname === '/command' && url.search === '?kiosk=1', { timeout: 30_000 })
    await page.locator('[data-testid="connection"][data-state="live"]').waitFor({ timeout: 30_000 })
    await context.close()
  })
})
