import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core'
import type { HiddenDanger } from '@riskatlas/shared'
import { startRiskAtlas, type RunningServer } from '@riskatlas/server'
import { desktopViewport, launchChromium, phoneViewport, recordPage } from '../support/browser.ts'
import { artifactsDir, clientDist, e2eDataDir, ensureClientBuilt, signedInContext, waitForMapIdle } from './harness.ts'

/**
 * The safety ledger (/ledger), the work summary (/summary) and the four lists (/lists) in
 * Chromium: the demo town's 2023 figures as the town's document states them, a figure opening
 * the rows it counts, a narrative saved for the year, a hidden danger recorded and walked
 * through its statuses with a photo, and a viewer seeing responsible persons masked.
 */
let app: RunningServer
let browser: Browser
const contexts = new Map<string, BrowserContext>()

async function signedIn(role: 'admin' | 'editor' | 'viewer', viewport: BrowserContextOptions = desktopViewport): Promise<BrowserContext> {
  const key = `${role}@${viewport.viewport?.width}`
  const existing = contexts.get(key)
  if (existing) return existing
  const context = await signedInContext(browser, app.url, role, viewport)
  contexts.set(key, context)
  return context
}

const shot = (page: Page, name: string, fullPage = false) =>
  page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage, timeout: 90_000 })

/** The 2023 figures of the town's own document. */
const figures2023: Record<string, number> = {
  enterprisesSelfChecked: 53,
  hiddenDangersFound: 207,
  rectified: 197,
  major: 4,
  supervised: 12,
  enterprisesSanctioned: 5,
  interviews: 1,
  technicalInspectors: 2,
  supervisoryHelp: 10,
  principalLedInspections: 3,
  hazardousOperations: 13,
  leaflets: 970,
  peopleAdvised: 80,
}

beforeAll(async () => {
  fs.mkdirSync(artifactsDir, { recursive: true })
  ensureClientBuilt()
  fs.mkdirSync(e2eDataDir, { recursive: true })
  app = await startRiskAtlas({ port: 0, dataDir: e2eDataDir, clientDist })
  browser = await launchChromium()
})

afterAll(async () => {
  for (const context of contexts.values()) await context.close()
  await browser?.close()
  await app?.close()
})

describe('the work summary page', () => {
  it('shows every 2023 figure of the town’s document in its four sections, each opening the rows it counts', async () => {
    const page = await (await signedIn('editor')).newPage()
    const record = recordPage(page)
    await page.goto(`${app.url}/summary?year=2023`)
    const doc = page.locator('[data-testid="summary-document"]')
    await doc.waitFor({ timeout: 30_000 })
    expect(await doc.locator('h2').allTextContents()).toEqual(
      expect.arrayContaining(['一、基本情况', '二、重点工作开展情况', '三、存在问题', '四、下一步工作打算']),
    )
    for (const [figure, value] of Object.entries(figures2023))
      expect(await doc.locator(`p a.figure[data-figure="${figure}"]`).first().textContent(), figure).toBe(String(value))
    const opening = (await doc.locator('section[data-section="basic"] p').first().textContent()) ?? ''
    expect(opening).toContain('督促企业开展自查自改53家，排查隐患207条，已整改197条，其中重大隐患4条，挂牌督办12条')
    expect(opening).toContain('约谈通报1次')
    expect((await doc.locator('section[data-section="work"]').textContent()) ?? '').toMatch(/发放宣传资料约970份，接受群众咨询约80人次/)
    await shot(page, 'summary-2023-desktop', true)

    await doc.locator('p a.figure[data-figure="hiddenDangersFound"]').first().click()
    await page.waitForURL((url) => url.searchParams.get('figure') === 'hiddenDangersFound')
    await page.locator('[data-testid="figure-rows-count"]').waitFor()
    expect(await page.locator('[data-testid="figure-rows"] tr.figure-row').count()).toBe(207)
    expect(await page.locator('[data-testid="figure-rows-count"]').textContent()).toContain('共 207 行')
    await shot(page, 'summary-2023-figure-207')
    await page.keyboard.press('Escape')
    await page.waitForURL((url) => !url.searchParams.has('figure'))

    await doc.locator('p a.figure[data-figure="leaflets"]').first().click()
    await page.locator('[data-testid="figure-rows-count"]').waitFor()
    expect(await page.locator('[data-testid="figure-rows-count"]').textContent()).toContain('Σ 970')
    await page.keyboard.press('Escape')
    expect(record.consoleErrors).toEqual([])
    await page.close()
  })

  it('computes the summary for any period: a June 2023 range counts only its rows', async () => {
    const page = await (await signedIn('editor')).newPage()
    await page.goto(`${app.url}/summary?year=2023&from=2023-06-01&to=2023-06-30`)
    const doc = page.locator('[data-testid="summary-document"]')
    await doc.waitFor({ timeout: 30_000 })
    expect(await doc.locator('h1').textContent()).toContain('2023-06-01至2023-06-30')
    const june = (await page.evaluate(`fetch('/api/summary?from=2023-06-01&to=2023-06-30').then((r) => r.json())`)) as {
      figures: Record<string, number>
    }
    expect(june.figures.hiddenDangersFound).toBeLessThan(figures2023.hiddenDangersFound!)
    for (const id of ['leaflets', 'hiddenDangersFound', 'warningsIssued'])
      expect(await doc.locator(`p a.figure[data-figure="${id}"]`).first().textContent(), id).toBe(String(june.figures[id]))
    expect(await page.locator('[data-testid="edit-problems"]').count()).toBe(0)
    expect(await page.locator('[data-testid="export-docx"]').getAttribute('href')).toContain('from=2023-06-01')
    await page.close()
  })

  it('saves a section’s narrative for the year and shows it after a reload', async () => {
    const page = await (await signedIn('editor')).newPage()
    await page.goto(`${app.url}/summary?year=2023`)
    await page.locator('[data-testid="summary-document"]').waitFor({ timeout: 30_000 })
    const text = `端到端测试补充段落 ${Date.now()}`
    await page.locator('[data-testid="edit-problems"]').click()
    await page.locator('[data-testid="narrative-problems"]').fill(text)
    await page.locator('[data-testid="save-problems"]').click()
    await page.locator('section[data-section="problems"] [data-testid="narrative"]', { hasText: text }).waitFor()
    await page.reload()
    await page.locator('section[data-section="problems"] [data-testid="narrative"]', { hasText: text }).waitFor({ timeout: 30_000 })
    // Leave the shared e2e database as it was.
    await page.locator('[data-testid="edit-problems"]').click()
    await page.locator('[data-testid="narrative-problems"]').fill('')
    await page.locator('[data-testid="save-problems"]').click()
    await expect.poll(() => page.locator('section[data-section="problems"] [data-testid="narrative"]').count()).toBe(0)
    await page.close()
  })

  it('exports the summary as a Word document and reads well on a phone', async () => {
    const context = await signedIn('viewer', phoneViewport)
    const page = await context.newPage()
    await page.goto(`${app.url}/summary?year=2023`)
    await page.locator('[data-testid="summary-document"]').waitFor({ timeout: 30_000 })
    expect(await page.locator('[data-testid="edit-basic"]').count()).toBe(0)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await shot(page, 'summary-2023-phone')
    const href = await page.locator('[data-testid="export-docx"]').getAttribute('href')
    expect(href).toBe('/api/summary/export.docx?year=2023')
    const response = await context.request.get(`${app.url}${href}`)
    expect(response.status()).toBe(200)
    const bytes = await response.body()
    expect(bytes.subarray(0, 2).toString()).toBe('PK')
    fs.writeFileSync(path.join(artifactsDir, 'summary-2023.docx'), bytes)
    await page.close()
  })
})

describe('the ledger page', () => {
  it('lists the 2023 hidden dangers, filters them, and shows the overdue view with rates', async () => {
    const page = await (await signedIn('editor')).newPage()
    const record = recordPage(page)
    await page.goto(`${app.url}/ledger?year=2023`)
    const count = page.locator('[data-testid="danger-count"]')
    await expect.poll(async () => (await count.textContent()) ?? '', { timeout: 30_000 }).toContain('共 207 条')
    expect(await page.locator('tr.danger').count()).toBe(200)
    await page.locator('[data-testid="filter-level"]').selectOption('major')
    await expect.poll(async () => (await count.textContent()) ?? '').toContain('共 4 条')
    await page.locator('[data-testid="filter-level"]').selectOption('')
    await page.locator('[data-testid="filter-status"]').selectOption('rectified')
    await expect.poll(async () => (await count.textContent()) ?? '').toContain('共 197 条')
    await page.locator('[data-testid="filter-status"]').selectOption('')
    await expect.poll(async () => (await count.textContent()) ?? '').toContain('共 207 条')
    await shot(page, 'ledger-desktop')

    await page.locator('[data-testid="tab-overdue"]').click()
    await page.locator('[data-testid="rates-byVillage"]').waitFor()
    const overdue = await (await signedIn('editor')).request.get(`${app.url}/api/ledger/overdue`)
    const { dangers } = (await overdue.json()) as { dangers: HiddenDanger[] }
    expect(await page.locator('tr.danger').count()).toBe(dangers.length)
    const deadlines = dangers.map((d) => d.deadline ?? '')
    expect(deadlines).toEqual([...deadlines].sort())
    expect(await page.locator('[data-testid="rates-byPlaceKind"] tbody tr').count()).toBeGreaterThan(0)
    await shot(page, 'ledger-overdue-desktop', true)

    await page.locator('[data-testid="tab-records"]').click()
    await page.locator('[data-testid="record-kind"]').selectOption('hazardous_operations')
    await page.locator('[data-testid="record-kind"]').waitFor()
    await page.goto(`${app.url}/ledger?tab=records&kind=hazardous_operations&year=2023`)
    await expect.poll(() => page.locator('tr.record').count(), { timeout: 30_000 }).toBe(13)
    expect(record.consoleErrors).toEqual([])
    await page.close()
  })

  it('records a hidden danger, walks it through its statuses with a photo, and deletes it', async () => {
    const context = await signedIn('admin')
    const page = await context.newPage()
    await page.goto(`${app.url}/ledger`)
    await page.locator('[data-testid="danger-count"]').waitFor({ timeout: 30_000 })
    await page.locator('[data-testid="add-danger"]').click()
    const form = page.locator('[data-testid="danger-form"]')
    const placeOption = await form.locator('[data-testid="danger-place"] option:not([disabled])').first().getAttribute('value')
    await form.locator('[data-testid="danger-place"]').selectOption(placeOption!)
    const description = `端到端测试隐患 ${Date.now()}`
    await form.locator('[data-testid="danger-description"]').fill(description)
    await form.locator('[data-testid="danger-save"]').click()
    await form.waitFor({ state: 'detached' })
    await page.locator('input[type="search"]').fill(description)
    const row = page.locator('tr.danger', { hasText: description })
    await row.waitFor({ timeout: 15_000 })
    expect(await row.locator('[data-testid="danger-status"]').textContent()).toBe('待整改')

    // Going back needs a reason: first forward, then back without one is refused in the form.
    await row.locator('[data-testid="to-rectifying"]').click()
    await page.locator('[data-testid="transition-form"] button[type="submit"]').click()
    await expect.poll(async () => row.locator('[data-testid="danger-status"]').textContent()).toBe('整改中')
    await row.locator('[data-testid="reopen"]').click()
    await page.locator('[data-testid="transition-form"] button[type="submit"]').click()
    expect(await page.locator('[data-testid="transition-error"]').textContent()).toContain('原因')
    await page.locator('[data-testid="transition-form"] .btn').click()

    // A photo: a 1×1 PNG.
    await row.locator('[data-testid="danger-photos"]').click()
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')
    await page.locator('[data-testid="upload-before"]').setInputFiles({ name: 'before.png', mimeType: 'image/png', buffer: png })
    await page.locator('[data-testid="danger-photo"]').first().waitFor()
    // The image arrives after its element: wait until it has loaded, then it must be the 1×1 picture.
    await expect
      .poll(() =>
        page
          .locator('[data-testid="danger-photo"]')
          .first()
          .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth),
      )
      .toBe(1)
    await page.keyboard.press('Escape')
    await row.locator('[data-testid="to-rectified"]').click()
    await page.locator('[data-testid="transition-form"] button[type="submit"]').click()
    await expect.poll(async () => row.locator('[data-testid="danger-status"]').textContent()).toBe('已整改')

    page.once('dialog', (dialog) => void dialog.accept())
    await row.locator('.btn-link.danger').click()
    await row.waitFor({ state: 'detached' })
    await page.close()
  })

  it('lets an editor add and correct a place (located on the map), and correct and delete a register row, the summary following', async () => {
    const page = await (await signedIn('editor')).newPage()
    const record = recordPage(page)
    const name = `端到端测试场所 ${Date.now()}`
    await page.goto(`${app.url}/ledger?tab=places`)
    await page.locator('[data-testid="place-table"]').waitFor({ timeout: 30_000 })
    await page.locator('[data-testid="add-place"]').click()
    const form = page.locator('[data-testid="place-form"]')
    await form.locator('[data-testid="place-name"]').fill(name)
    await form.locator('[data-testid="place-kind"]').selectOption('market')
    await form.locator('[data-testid="place-industry"]').fill('农贸')
    await form.locator('[data-testid="place-person"]').fill('赵测试')
    await form.locator('[data-testid="place-phone"]').fill('13800007777')
    await expect.poll(() => form.locator('[data-testid="place-village"] option').count(), { timeout: 15_000 }).toBeGreaterThan(2)
    const village = await form.locator('[data-testid="place-village"] option').nth(1).getAttribute('value')
    await form.locator('[data-testid="place-village"]').selectOption(village!)
    // A click on the map sets the location.
    // A function, not a string: a string predicate is re-evaluated with eval while polling, which the CSP refuses.
    await page.waitForFunction(() => window.__riskatlas !== undefined && window.__riskatlas.map.loaded(), undefined, { timeout: 60_000 })
    await form.locator('[data-testid="place-map"]').click({ position: { x: 200, y: 110 } })
    await expect.poll(() => form.locator('[data-testid="place-lon"]').inputValue()).toMatch(/^\d+\.\d+$/)
    const longitude = Number(await form.locator('[data-testid="place-lon"]').inputValue())
    const latitude = Number(await form.locator('[data-testid="place-lat"]').inputValue())
    expect(longitude).toBeGreaterThan(73)
    expect(latitude).toBeGreaterThan(18)
    await shot(page, 'ledger-place-form-desktop')
    await form.locator('[data-testid="place-save"]').click()
    await form.waitFor({ state: 'detached' })
    const row = page.locator('tr.place', { hasText: name })
    await row.waitFor({ timeout: 15_000 })
    expect(await row.locator('[data-testid="place-phone"]').textContent()).toBe('13800007777')
    expect(await row.textContent()).toContain('农贸')

    await row.locator('[data-testid="place-edit"]').click()
    await form.locator('[data-testid="place-industry"]').fill('农贸市场')
    await form.locator('[data-testid="place-save"]').click()
    await form.waitFor({ state: 'detached' })
    await expect.poll(async () => (await row.textContent()) ?? '').toContain('农贸市场')
    const stored = (await page.evaluate(
      `fetch('/api/ledger/places?q=' + encodeURIComponent(${JSON.stringify(name)})).then((r) => r.json())`,
    )) as { places: { longitude: number; latitude: number; industry: string; naturalVillageId: number }[] }
    expect(stored.places).toHaveLength(1)
    expect(stored.places[0]).toMatchObject({ longitude, latitude, industry: '农贸市场', naturalVillageId: Number(village) })
    // Entered by mistake: deleted (nothing cites it), after a confirmation.
    page.once('dialog', (dialog) => void dialog.accept())
    await row.locator('[data-testid="place-delete"]').click()
    await row.waitFor({ state: 'detached', timeout: 15_000 })
    const gone = (await page.evaluate(
      `fetch('/api/ledger/places?q=' + encodeURIComponent(${JSON.stringify(name)})).then((r) => r.json())`,
    )) as {
      places: unknown[]
    }
    expect(gone.places).toHaveLength(0)

    // A register row: added, corrected (the summary's leaflets follow), deleted.
    const leaflets = async () => {
      const summary = (await page.evaluate(`fetch('/api/summary?year=2023').then((r) => r.json())`)) as { figures: { leaflets: number } }
      return summary.figures.leaflets
    }
    const before = await leaflets()
    await page.goto(`${app.url}/ledger?tab=records&kind=publicity&year=2023`)
    await page.locator('[data-testid="record-table"]').waitFor({ timeout: 30_000 })
    await page.locator('[data-testid="add-record"]').click()
    const recordForm = page.locator('[data-testid="record-form"]')
    const title = `端到端测试宣传 ${Date.now()}`
    await recordForm.locator('[data-testid="record-date"]').fill('2023-06-16')
    await recordForm.locator('#r-title').fill(title)
    await recordForm.locator('#r-loc').fill('镇政府门口')
    await recordForm.locator('[data-testid="record-leaflets"]').fill('5')
    await recordForm.locator('[data-testid="record-save"]').click()
    await recordForm.waitFor({ state: 'detached' })
    const recordRow = page.locator('tr.record', { hasText: title })
    await recordRow.waitFor({ timeout: 15_000 })
    expect(await leaflets()).toBe(before + 5)

    await recordRow.locator('[data-testid="record-edit"]').click()
    expect(await recordForm.locator('#r-title').inputValue()).toBe(title)
    expect(await recordForm.locator('[data-testid="record-leaflets"]').inputValue()).toBe('5')
    await recordForm.locator('[data-testid="record-leaflets"]').fill('-3')
    await recordForm.locator('[data-testid="record-save"]').click()
    await expect.poll(async () => (await recordForm.locator('[data-testid="record-form-error"]').textContent()) ?? '').toContain('发放资料')
    await recordForm.locator('[data-testid="record-leaflets"]').fill('12')
    await shot(page, 'ledger-record-edit-desktop')
    await recordForm.locator('[data-testid="record-save"]').click()
    await recordForm.waitFor({ state: 'detached' })
    await expect.poll(async () => (await recordRow.textContent()) ?? '').toContain('12')
    expect(await leaflets()).toBe(before + 12)
    await shot(page, 'ledger-records-desktop')

    page.once('dialog', (dialog) => void dialog.accept())
    await recordRow.locator('[data-testid="record-delete"]').click()
    await recordRow.waitFor({ state: 'detached' })
    expect(await leaflets()).toBe(before)
    expect(record.consoleErrors).toEqual([])
    await page.close()
  })

  it('shows a viewer the places and registers with no edit controls and the contacts masked, on a phone', async () => {
    const page = await (await signedIn('viewer', phoneViewport)).newPage()
    await page.goto(`${app.url}/ledger?tab=places`)
    await page.locator('[data-testid="place-table"]').waitFor({ timeout: 30_000 })
    expect(await page.locator('[data-testid="add-place"]').count()).toBe(0)
    expect(await page.locator('[data-testid="place-edit"]').count()).toBe(0)
    const phones = (await page.locator('[data-testid="place-phone"]').allTextContents()).filter((text) => text !== '—')
    expect(phones.length).toBeGreaterThan(50)
    for (const phone of phones) expect(phone).toMatch(/^138\*{4}\d{4}$/)
    const names = (await page.locator('[data-testid="place-responsible"]').allTextContents()).filter((text) => text !== '—')
    for (const person of names) expect(person).toMatch(/\*/)
    await shot(page, 'ledger-places-phone')
    await page.goto(`${app.url}/ledger?tab=records&kind=publicity&year=2023`)
    await page.locator('[data-testid="record-table"]').waitFor({ timeout: 30_000 })
    expect(await page.locator('[data-testid="record-edit"]').count()).toBe(0)
    expect(await page.locator('[data-testid="record-delete"]').count()).toBe(0)
    expect(await page.locator('[data-testid="add-record"]').count()).toBe(0)
    await shot(page, 'ledger-records-phone')
    await page.close()
  })

  it('masks responsible persons for a viewer, who cannot change the ledger, and fits a phone', async () => {
    const page = await (await signedIn('viewer', phoneViewport)).newPage()
    await page.goto(`${app.url}/ledger?year=2023`)
    await expect
      .poll(async () => (await page.locator('[data-testid="danger-count"]').textContent()) ?? '', { timeout: 30_000 })
      .toContain('共 207 条')
    expect(await page.locator('[data-testid="add-danger"]').count()).toBe(0)
    expect(await page.locator('[data-testid="to-rectified"]').count()).toBe(0)
    const names = await page.locator('td.masked').allTextContents()
    expect(names.length).toBeGreaterThan(0)
    for (const name of names) expect(name).toMatch(/\*/)
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await shot(page, 'ledger-phone')
    await page.close()
  })
})

describe('the map', () => {
  it('shows staff the open and overdue dangers as a layer, and a place’s card with its dangers; never the public', async () => {
    const anonymous = await browser.newContext(desktopViewport)
    const publicPage = await anonymous.newPage()
    const asked: string[] = []
    publicPage.on('request', (request) => asked.push(new URL(request.url()).pathname))
    await publicPage.goto(`${app.url}/`)
    await waitForMapIdle(publicPage, 90_000)
    expect(await publicPage.locator('[data-testid="ledger-layer"]').count()).toBe(0)
    expect(asked.filter((p) => p.startsWith('/api/ledger'))).toEqual([])
    await anonymous.close()

    const page = await (await signedIn('editor')).newPage()
    await page.goto(`${app.url}/`)
    await waitForMapIdle(page, 90_000)
    await page.locator('[data-testid="ledger-layer-toggle"]').check()
    const count = page.locator('[data-testid="ledger-layer-count"]')
    await count.waitFor({ timeout: 30_000 })
    const open = (await (await signedIn('editor')).request.get(`${app.url}/api/ledger/map`).then((r) => r.json())) as {
      features: { geometry: { coordinates: [number, number] }; properties: { placeId: number; overdue: boolean } }[]
    }
    const overdue = open.features.filter((f) => f.properties.overdue).length
    expect(await count.textContent()).toBe(`未整改 ${open.features.length} 条，其中逾期 ${overdue} 条`)
    const target = open.features.find((f) => f.properties.overdue)!
    await page.evaluate((c) => window.__riskatlas!.map.jumpTo({ center: c, zoom: 15 }), target.geometry.coordinates)
    await waitForMapIdle(page, 60_000)
    await expect
      .poll(() => page.evaluate(() => window.__riskatlas!.map.queryRenderedFeatures({ layers: ['ledger-dangers-circle'] }).length))
      .toBeGreaterThan(0)
    const point = await page.evaluate((c) => window.__riskatlas!.map.project(c), target.geometry.coordinates)
    const box = (await page.locator('[data-testid="map"]').boundingBox())!
    await page.mouse.click(box.x + point.x, box.y + point.y)
    const card = page.locator('[data-testid="ledger-place-card"]')
    await card.waitFor({ timeout: 15_000 })
    expect(await card.locator('[data-testid="ledger-card-danger"]').count()).toBeGreaterThan(0)
    expect(await card.locator('a').getAttribute('href')).toBe(`/ledger?placeId=${target.properties.placeId}`)
    await shot(page, 'map-ledger-layer-desktop')
    await card.locator('a').click()
    await page.locator('[data-testid="place-card"]').waitFor({ timeout: 30_000 })
    await page.close()
  }, 300_000)
})

describe('the four lists page', () => {
  it('shows each list with its rule, and exports it as Excel', async () => {
    const context = await signedIn('viewer')
    const page = await context.newPage()
    await page.goto(`${app.url}/lists?year=2023&list=major_dangers`)
    const sheet = page.locator('[data-testid="four-list"]')
    await sheet.waitFor({ timeout: 30_000 })
    expect(await sheet.locator('h1').textContent()).toBe('2023年重大隐患清单')
    expect(await sheet.locator('tr.list-row').count()).toBe(4)
    await page.locator('[data-testid="list-basic_info"]').click()
    await expect.poll(async () => sheet.locator('h1').textContent()).toBe('2023年基础防范信息清单')
    expect(await sheet.locator('tr.list-row').count()).toBeGreaterThan(0)
    await shot(page, 'lists-desktop')
    const href = await page.locator('[data-testid="export-xlsx"]').getAttribute('href')
    const response = await context.request.get(`${app.url}${href}`)
    expect(response.status()).toBe(200)
    expect(response.headers()['content-type']).toContain('spreadsheetml')
    await page.close()
  })
})
