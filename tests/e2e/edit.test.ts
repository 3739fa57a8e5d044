import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { desktopViewport, launchChromium, phoneViewport, recordPage } from '../support/browser.ts'
import { artifactsDir, signedInContext, startApp, waitForMapIdle, type RunningApp } from './harness.ts'

/**
 * Editing on the map in Chromium: an editor switches to 编辑, adds a hazard point by clicking
 * on the map and filling the form (a missing code is named beside its field first), drags it
 * to a new place, undoes the move and deletes the point — the API and the map follow each step.
 */
let app: RunningApp
let browser: Browser
const contexts: BrowserContext[] = []
const shots = process.env.SCREENSHOT_DIR ?? artifactsDir

beforeAll(async () => {
  fs.mkdirSync(shots, { recursive: true })
  app = await startApp()
  browser = await launchChromium()
})

afterAll(async () => {
  for (const context of contexts) await context.close()
  await browser?.close()
  await app?.close()
})

type Position = [number, number]

async function apiPoint(page: Page, code: string): Promise<Position | undefined> {
  const response = await page.request.get(`${app.url}/api/layers/hazard_points`)
  const collection = (await response.json()) as { features: { geometry: { coordinates: Position }; properties: { code: string } }[] }
  return collection.features.find((feature) => feature.properties.code === code)?.geometry.coordinates
}

/** Hazard points with this code MapLibre has drawn (the layer reloaded after a save). */
function renderedWithCode(page: Page, code: string): Promise<number> {
  return page.evaluate(
    (wanted) => window.__riskatlas!.map.queryRenderedFeatures().filter((feature) => feature.properties.code === wanted).length,
    code,
  )
}

const screenOf = (page: Page, at: Position) => page.evaluate((lngLat) => window.__riskatlas!.map.project(lngLat), at)

describe('editing on the map', () => {
  it('adds a hazard point by clicking, drags it, undoes the move and deletes it', async () => {
    const context = await signedInContext(browser, app.url, 'editor', desktopViewport)
    contexts.push(context)
    const page = await context.newPage()
    const record = recordPage(page)
    page.on('dialog', (dialog) => void dialog.accept())
    await page.goto(`${app.url}/`)
    await waitForMapIdle(page)

    await page.locator('[data-testid="edit-toggle"]').click()
    await page.locator('[data-testid="edit-panel"]').waitFor()
    await page.locator('[data-testid="edit-add"]').click()
    // terra-draw loads lazily: the layer choice locks once it is drawing (a click before is lost).
    await expect.poll(() => page.locator('[data-testid="edit-layer"]').isDisabled(), { timeout: 60_000 }).toBe(true)
    // The map's centre, after the town is fitted, lies in the town.
    const canvas = (await page.locator('[data-testid="map"] canvas').boundingBox())!
    const click = { x: canvas.x + canvas.width / 2 - 40, y: canvas.y + canvas.height / 2 + 30 }
    await page.mouse.click(click.x, click.y)
    const form = page.locator('[data-testid="edit-form"]')
    await form.waitFor()

    // Without a code the shared schema refuses, and says so in Chinese beside the field.
    await form.locator('input[name="name"]').fill('编辑测试滑坡点')
    await page.locator('[data-testid="edit-save"]').click()
    await expect.poll(() => page.locator('[data-testid="edit-error-code"]').textContent()).toBe('必填')
    await page.screenshot({ path: path.join(shots, 'h13edit-form-desktop.png') })

    const code = `E2E-EDIT-${Date.now().toString(36)}`
    await form.locator('input[name="code"]').fill(code)
    await form.locator('input[name="threatened_people"]').fill('23')
    await page.locator('[data-testid="edit-save"]').click()
    await expect.poll(() => page.locator('[data-testid="edit-notice"]').textContent(), { timeout: 20_000 }).toBe('已保存')
    const placed = (await apiPoint(page, code))!
    expect(placed).toBeDefined()
    const clicked = await page.evaluate(
      (at) => {
        const map = window.__riskatlas!.map as unknown as { unproject(p: [number, number]): { lng: number; lat: number } }
        const lngLat = map.unproject(at)
        return [lngLat.lng, lngLat.lat] as [number, number]
      },
      [click.x - canvas.x, click.y - canvas.y] as [number, number],
    )
    expect(placed[0]).toBeCloseTo(clicked[0], 4)
    expect(placed[1]).toBeCloseTo(clicked[1], 4)
    await waitForMapIdle(page)
    await expect.poll(() => renderedWithCode(page, code), { timeout: 20_000 }).toBeGreaterThan(0)
    await page.screenshot({ path: path.join(shots, 'h13edit-added-desktop.png') })

    // Drag the selected point 90 px right and 50 px down, then save the move.
    const from = await screenOf(page, placed)
    await page.mouse.move(canvas.x + from.x, canvas.y + from.y)
    await page.mouse.down()
    await page.mouse.move(canvas.x + from.x + 90, canvas.y + from.y + 50, { steps: 12 })
    await page.mouse.up()
    await page.locator('[data-testid="edit-save"]').click()
    await expect.poll(async () => (await apiPoint(page, code))?.[0], { timeout: 20_000 }).toBeGreaterThan(placed[0] + 1e-5)
    const dragged = (await apiPoint(page, code))!
    expect(dragged[1]).toBeLessThan(placed[1])
    await page.screenshot({ path: path.join(shots, 'h13edit-moved-desktop.png') })

    // 撤销: the point is back where it was added.
    await page.locator('[data-testid="edit-undo"]').click()
    await expect.poll(() => page.locator('[data-testid="edit-notice"]').textContent(), { timeout: 20_000 }).toBe('已撤销上一次修改')
    const back = (await apiPoint(page, code))!
    expect(back[0]).toBeCloseTo(placed[0], 6)
    expect(back[1]).toBeCloseTo(placed[1], 6)

    // The undo reopened the point: delete it (the confirmation is accepted).
    await page.locator('[data-testid="edit-delete"]').click()
    await expect.poll(() => page.locator('[data-testid="edit-notice"]').textContent(), { timeout: 20_000 }).toBe('已删除')
    expect(await apiPoint(page, code)).toBeUndefined()
    await waitForMapIdle(page)
    expect(await renderedWithCode(page, code)).toBe(0)
    expect(record.consoleErrors.filter((line) => line.startsWith('uncaught'))).toEqual([])
  })

  it('offers the edit mode on a phone as a bottom sheet, and not to viewers', async () => {
    const phone = await signedInContext(browser, app.url, 'editor', phoneViewport)
    contexts.push(phone)
    const page = await phone.newPage()
    await page.goto(`${app.url}/`)
    await waitForMapIdle(page)
    await page.locator('[data-testid="edit-toggle"]').click()
    const panel = page.locator('[data-testid="edit-panel"]')
    await panel.waitFor()
    const box = (await panel.boundingBox())!
    expect(box.width).toBeGreaterThan(380)
    expect(box.y + box.height).toBeCloseTo(844, -1)
    await page.screenshot({ path: path.join(shots, 'h13edit-phone.png') })

    const viewer = await signedInContext(browser, app.url, 'viewer', desktopViewport)
    contexts.push(viewer)
    const viewerPage = await viewer.newPage()
    await viewerPage.goto(`${app.url}/`)
    await waitForMapIdle(viewerPage)
    expect(await viewerPage.locator('[data-testid="edit-toggle"]').count()).toBe(0)
  })
})
