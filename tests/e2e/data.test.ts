import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { startRiskAtlas, type RunningServer } from '@riskatlas/server'
import { desktopViewport, launchChromium, phoneViewport, recordPage } from '../support/browser.ts'
import { artifactsDir, clientDist, e2eDataDir, ensureClientBuilt, projectRoot, signedInContext } from './harness.ts'

/**
 * 数据导入 (/data) in Chromium: an editor brings in a GBK-encoded CSV of hazard points with
 * degree-minute-second coordinates, sees the bad row with its reason and the point far from the
 * town, imports the corrected file all at once, finds it in the history and takes it back; a
 * viewer is offered no import at all.
 */
let app: RunningServer
let browser: Browser
const contexts: BrowserContext[] = []

const fixtures = path.join(projectRoot, 'tests', 'fixtures', 'imports')
const fixture = fs.readFileSync(path.join(fixtures, 'hazards-gbk-dms.csv'))
/** The same GBK bytes without the bad row (latin1 keeps every byte as it is). */
const corrected = Buffer.from(
  fixture
    .toString('latin1')
    .split('\n')
    .filter((line) => !line.includes('HZ-DATA-006'))
    .join('\n'),
  'latin1',
)

const shot = (page: Page, name: string, fullPage = true) =>
  page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage, timeout: 90_000 })

async function hazardCount(context: BrowserContext): Promise<number> {
  const response = await context.request.get(`${app.url}/api/layers/hazard_points?limit=10000`)
  expect(response.status()).toBe(200)
  return ((await response.json()) as { features: unknown[] }).features.length
}

beforeAll(async () => {
  fs.mkdirSync(artifactsDir, { recursive: true })
  ensureClientBuilt()
  fs.mkdirSync(e2eDataDir, { recursive: true })
  app = await startRiskAtlas({ port: 0, dataDir: e2eDataDir, clientDist })
  browser = await launchChromium()
})

afterAll(async () => {
  for (const context of contexts) await context.close()
  await browser?.close()
  await app?.close()
})

describe('the 数据导入 page', () => {
  it('imports a GBK CSV with DMS coordinates: the bad row refused with its reason, the corrected file in whole, then undone', async () => {
    const context = await signedInContext(browser, app.url, 'editor', desktopViewport)
    contexts.push(context)
    const page = await context.newPage()
    const record = recordPage(page)
    const before = await hazardCount(context)
    await page.goto(`${app.url}/data`)
    await page.locator('[data-testid="app-nav"] a[data-nav="data"]').waitFor({ timeout: 30_000 })
    expect(await page.locator('[data-testid="import-template"]').getAttribute('href')).toBe('/api/imports/templates/hazard_points.xlsx')

    await page.locator('[data-testid="import-file"]').setInputFiles({ name: '隐患点-度分秒.csv', mimeType: 'text/csv', buffer: fixture })
    const totals = page.locator('[data-testid="import-totals"]')
    await expect.poll(() => totals.textContent(), { timeout: 30_000 }).toBe('共 6 行：有效 5 行，错误 1 行，警告 1 条')
    expect(await page.locator('[data-testid="import-facts"]').textContent()).toContain('编码 GB18030')
    expect(await page.locator('[data-testid="import-sample"] tbody tr').count()).toBe(6)
    expect(await page.locator('[data-testid="import-sample"] tr.bad').getAttribute('data-row')).toBe('7')
    // The mapping the server proposed: 东经/北纬 onto longitude/latitude.
    expect(await page.locator('[data-testid="import-mapping"] [data-field="lon"] select').inputValue()).toBe('东经')
    expect(await page.locator('[data-testid="import-mapping"] [data-field="lat"] select').inputValue()).toBe('北纬')
    const issues = page.locator('[data-testid="import-issues"] tbody tr')
    expect(await issues.evaluateAll((rows) => rows.map((row) => Array.from(row.children, (cell) => cell.textContent)))).toEqual([
      ['6', '东经', '警告', expect.stringMatching(/^位置距镇域约 \d+(\.\d+)? 公里，请核对$/)],
      ['7', '类型', '错误', '取值无效 “火山”，应为 滑坡/崩塌/泥石流/山洪/内涝'],
    ])
    // The map draws the five rows to import, the far one flagged.
    await expect
      .poll(() =>
        page.evaluate(() => {
          const map = window.__riskatlas?.map
          if (!map?.getLayer('import-preview:points')) return undefined
          // A source's features come once per tile they touch: one entry per row.
          const byRow = Object.fromEntries(
            map.querySourceFeatures('import-preview').map((feature) => [String(feature.properties.row), feature.properties.far]),
          )
          return byRow
        }),
      )
      .toEqual({ '2': false, '3': false, '4': false, '5': false, '6': true })
    expect(await page.locator('[data-testid="import-commit"]').isDisabled()).toBe(true)
    expect(await page.locator('[data-testid="import-blocked"]').isVisible()).toBe(true)
    await shot(page, 'data-preview-desktop')

    // The corrected file (the bad row taken out) goes in whole.
    await page.locator('[data-testid="import-file"]').setInputFiles({ name: '隐患点-已修正.csv', mimeType: 'text/csv', buffer: corrected })
    await expect.poll(() => totals.textContent(), { timeout: 30_000 }).toBe('共 5 行：有效 5 行，错误 0 行，警告 1 条')
    await page.locator('[data-testid="import-mode-append"]').check()
    const commit = page.locator('[data-testid="import-commit"]')
    expect(await commit.textContent()).toContain('导入 5 行')
    // A double click is one commit: the button is busy at once, and a retry would send the same key.
    await commit.dblclick()
    await expect
      .poll(() => page.locator('[data-testid="import-result"]').textContent(), { timeout: 30_000 })
      .toBe('已导入：新增 5，更新 0，删除 0')
    expect(await hazardCount(context)).toBe(before + 5)

    const latest = page.locator('[data-testid="import-history"] tbody tr').first()
    await expect.poll(() => latest.getAttribute('data-status'), { timeout: 15_000 }).toBe('committed')
    const cells = await latest.locator('td').allTextContents()
    expect(cells.slice(1, 6)).toEqual(['地质灾害/山洪隐患点', '隐患点-已修正.csv', 'editor', '追加（编号已存在则报错）', '5 / 0 / 0'])
    await shot(page, 'data-committed-desktop')

    const id = await latest.getAttribute('data-import')
    await latest.locator(`[data-testid="undo-${id}"]`).click()
    await expect
      .poll(() => page.locator('[data-testid="import-history-message"]').textContent(), { timeout: 30_000 })
      .toBe('已撤销导入 “隐患点-已修正.csv”。')
    await expect.poll(() => latest.getAttribute('data-status')).toBe('undone')
    expect(await latest.locator('button').count()).toBe(0)
    expect(await hazardCount(context)).toBe(before)
    expect(record.consoleErrors).toEqual([])
  })

  it('offers to swap longitude and latitude, and asks a Shapefile without .prj for its zone', async () => {
    const context = await signedInContext(browser, app.url, 'editor', desktopViewport)
    contexts.push(context)
    const page = await context.newPage()
    await page.goto(`${app.url}/data`)
    const file = page.locator('[data-testid="import-file"]')
    const totals = page.locator('[data-testid="import-totals"]')
    await file.setInputFiles(path.join(fixtures, 'hazards-swapped.csv'))
    await page.locator('[data-testid="import-swap"] button').click()
    await expect.poll(() => totals.textContent(), { timeout: 30_000 }).toBe('共 5 行：有效 5 行，错误 0 行，警告 0 条')
    expect(await page.locator('[data-testid="import-swap"]').count()).toBe(0)

    await file.setInputFiles(path.join(fixtures, 'hazards-gk6-noprj.zip'))
    const problem = page.locator('[data-testid="import-file-problem"]')
    await expect.poll(() => problem.locator('p').textContent(), { timeout: 30_000 }).toBe('缺少 .prj 文件，请选择坐标系')
    expect(await page.locator('[data-testid="import-commit"]').count()).toBe(0)
    await page.locator('[data-testid="import-crs-kind"]').selectOption('gk6')
    await page.locator('[data-testid="import-crs-number"]').fill('17')
    await problem.locator('button[type="submit"]').click()
    await expect.poll(() => totals.textContent(), { timeout: 30_000 }).toBe('共 5 行：有效 5 行，错误 0 行，警告 0 条')
    expect(await problem.count()).toBe(0)
  })

  it('fits a phone: the map above the rows, the tables scrolling inside their cards', async () => {
    const context = await signedInContext(browser, app.url, 'editor', phoneViewport)
    contexts.push(context)
    const page = await context.newPage()
    await page.goto(`${app.url}/data`)
    await page.locator('[data-testid="import-file"]').setInputFiles({ name: '隐患点-度分秒.csv', mimeType: 'text/csv', buffer: fixture })
    await expect.poll(() => page.locator('[data-testid="import-totals"]').textContent(), { timeout: 30_000 }).toContain('共 6 行')
    const box = async (selector: string) => (await page.locator(selector).boundingBox())!
    const [map, sample] = [await box('[data-testid="map"]'), await box('[data-testid="import-sample"]')]
    expect(map.y + map.height).toBeLessThanOrEqual(sample.y)
    // Nothing wider than the screen but the tables, which scroll in their own box.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await shot(page, 'data-phone-top', false)
    await page.locator('[data-testid="import-totals"]').evaluate((element) => element.scrollIntoView({ block: 'start' }))
    await shot(page, 'data-phone-preview', false)
    await page.locator('[data-testid="import-issues"]').evaluate((element) => element.scrollIntoView({ block: 'start' }))
    await shot(page, 'data-phone-report', false)
  })

  it('offers a viewer no 数据导入, and tells one who opens /data that it needs editor rights', async () => {
    const context = await signedInContext(browser, app.url, 'viewer', desktopViewport)
    contexts.push(context)
    const page = await context.newPage()
    await page.goto(`${app.url}/drills`)
    const nav = page.locator('[data-testid="app-nav"] a')
    await expect.poll(() => nav.count(), { timeout: 15_000 }).toBeGreaterThan(0)
    expect(await nav.evaluateAll((links) => links.map((link) => link.getAttribute('data-nav')))).not.toContain('data')
    await page.goto(`${app.url}/data`)
    const notice = page.locator('[data-testid="no-access"]')
    await notice.waitFor({ timeout: 15_000 })
    expect(await notice.locator('[data-testid="no-access-needs"]').textContent()).toBe('此页面需要编辑或管理员权限。')
    expect(await page.locator('[data-testid="import-file"]').count()).toBe(0)
  })
})
