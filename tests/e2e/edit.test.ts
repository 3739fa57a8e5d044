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
 * Lines and polygons: an evacuation route drawn click by click, and a danger zone drawn, saved,
 * reshaped by dragging a vertex and the reshape undone — the stored geometry follows each step,
 * and the audit log holds the reshape's before and after.
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

/** The map position under a point of the page (in page pixels). */
function lngLatAt(page: Page, canvas: { x: number; y: number }, at: { x: number; y: number }): Promise<Position> {
  return page.evaluate(
    (pixel) => {
      const map = window.__riskatlas!.map as unknown as { unproject(p: [number, number]): { lng: number; lat: number } }
      const lngLat = map.unproject(pixel)
      return [lngLat.lng, lngLat.lat] as Position
    },
    [at.x - canvas.x, at.y - canvas.y] as [number, number],
  )
}

interface StoredFeature {
  id: number
  version: string
  geometry: { type: string; coordinates: unknown }
  properties: Record<string, unknown>
}

async function editFeature(page: Page, layer: string, id: number): Promise<StoredFeature | undefined> {
  const response = await page.request.get(`${app.url}/api/edit/${layer}/${id}`)
  return response.status() === 200 ? ((await response.json()) as StoredFeature) : undefined
}

/** A danger zone's outer ring (stored as a one-part MultiPolygon). */
const outerRing = (feature: StoredFeature | undefined) => (feature?.geometry.coordinates as Position[][][] | undefined)?.[0]?.[0]

/** Area of a lon/lat ring in m², on a local equirectangular projection (ample for a few hundred metres). */
function ringAreaM2(ring: readonly Position[]): number {
  const lat0 = (ring[0]![1] * Math.PI) / 180
  const mx = 111_320 * Math.cos(lat0)
  const my = 110_540
  let twice = 0
  for (let i = 0; i + 1 < ring.length; i++) twice += ring[i]![0] * mx * (ring[i + 1]![1] * my) - ring[i + 1]![0] * mx * (ring[i]![1] * my)
  return Math.abs(twice) / 2
}

function expectNear(actual: Position, expected: Position, digits = 5) {
  expect(actual[0]).toBeCloseTo(expected[0], digits)
  expect(actual[1]).toBeCloseTo(expected[1], digits)
}

async function csrfOf(page: Page): Promise<string> {
  return ((await (await page.request.get(`${app.url}/api/auth/me`)).json()) as { csrfToken: string }).csrfToken
}

/** The code of the first feature of a public layer (a natural village, a shelter). */
async function firstCode(page: Page, layerId: string): Promise<string> {
  const collection = (await (await page.request.get(`${app.url}/api/layers/${layerId}`)).json()) as {
    features: { properties: { code: string } }[]
  }
  return collection.features[0]!.properties.code
}

/** Opens 编辑 on the map, chooses the layer and starts adding; resolves once terra-draw draws. */
async function startAdding(page: Page, layer: string): Promise<void> {
  if (!(await page.locator('[data-testid="edit-panel"]').isVisible())) await page.locator('[data-testid="edit-toggle"]').click()
  await page.locator('[data-testid="edit-panel"]').waitFor()
  await page.locator('[data-testid="edit-layer"]').selectOption(layer)
  await page.locator('[data-testid="edit-add"]').click()
  // terra-draw loads lazily: the layer choice locks once it is drawing (a click before is lost).
  await expect.poll(() => page.locator('[data-testid="edit-layer"]').isDisabled(), { timeout: 60_000 }).toBe(true)
}

/** Saves the open form and resolves with the edit API's answer (the POST or PATCH it sent). */
async function saveAndRead(page: Page, layer: string): Promise<StoredFeature> {
  const answer = page.waitForResponse(
    (response) => response.url().includes(`/api/edit/${layer}`) && ['POST', 'PATCH'].includes(response.request().method()),
    { timeout: 20_000 },
  )
  await page.locator('[data-testid="edit-save"]').click()
  const response = await answer
  expect(response.status(), `${await response.text()} for ${response.request().postData()?.slice(0, 600)}`).toBeLessThan(300)
  await expect.poll(() => page.locator('[data-testid="edit-notice"]').textContent(), { timeout: 20_000 }).toBe('已保存')
  return (await response.json()) as StoredFeature
}

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

  it('draws an evacuation route and a danger zone, reshapes the zone by a vertex and undoes the reshape', async () => {
    const context = await signedInContext(browser, app.url, 'editor', { ...desktopViewport, viewport: { width: 1920, height: 1080 } })
    contexts.push(context)
    const page = await context.newPage()
    const record = recordPage(page)
    page.on('dialog', (dialog) => void dialog.accept())
    await page.goto(`${app.url}/`)
    await waitForMapIdle(page)
    const canvas = (await page.locator('[data-testid="map"] canvas').boundingBox())!
    // Left of the map's centre (the town is fitted to it); the edit panel covers the right edge.
    const cx = canvas.x + canvas.width / 2 - 200
    const cy = canvas.y + canvas.height / 2

    // 转移路线: three clicks, the last one clicked again to finish, then the codes it joins.
    await startAdding(page, 'evacuation_routes')
    const routeClicks = [
      { x: cx - 180, y: cy - 140 },
      { x: cx - 60, y: cy - 100 },
      { x: cx + 40, y: cy - 170 },
    ]
    for (const at of routeClicks) await page.mouse.click(at.x, at.y)
    await page.mouse.click(routeClicks[2]!.x, routeClicks[2]!.y)
    const form = page.locator('[data-testid="edit-form"]')
    await form.waitFor()
    await form.locator('input[name="village_code"]').fill(await firstCode(page, 'natural_villages'))
    await form.locator('input[name="shelter_code"]').fill(await firstCode(page, 'shelters'))
    const route = await saveAndRead(page, 'evacuation_routes')
    const storedRoute = (await editFeature(page, 'evacuation_routes', route.id))!
    expect(storedRoute.geometry.type).toBe('LineString')
    const routeLine = storedRoute.geometry.coordinates as Position[]
    expect(routeLine).toHaveLength(3)
    for (const [i, at] of routeClicks.entries()) expectNear(routeLine[i]!, await lngLatAt(page, canvas, at))
    const publicRoutes = (await (await page.request.get(`${app.url}/api/layers/evacuation_routes`)).json()) as {
      features: { id: number }[]
    }
    expect(publicRoutes.features.map((feature) => feature.id)).toContain(route.id)
    await waitForMapIdle(page)
    await page.screenshot({ path: path.join(shots, 'h2gaps-route-desktop.png') })

    // 危险区: for a hazard point of this test's own (added through the API), a square drawn
    // by four clicks and closed on the first.
    const code = `E2E-ZONE-${Date.now().toString(36)}`
    const centre = await lngLatAt(page, canvas, { x: cx, y: cy + 120 })
    const hazard = await page.request.post(`${app.url}/api/edit/hazard_points`, {
      headers: { 'x-csrf-token': await csrfOf(page) },
      data: {
        geometry: { type: 'Point', coordinates: centre },
        properties: {
          code,
          name: '编辑测试危险区隐患点',
          kind: 'landslide',
          scale: 'small',
          risk_level: 2,
          threatened_households: 0,
          threatened_people: 0,
          threatened_property_10k_yuan: 0,
          monitor_name: null,
          responsible_name: null,
          status: 'active',
        },
      },
    })
    expect(hazard.status(), await hazard.text()).toBe(201)
    const hazardId = ((await hazard.json()) as StoredFeature).id
    await startAdding(page, 'danger_zones')
    const corners = [
      { x: cx - 90, y: cy + 40 },
      { x: cx + 90, y: cy + 40 },
      { x: cx + 90, y: cy + 200 },
      { x: cx - 90, y: cy + 200 },
    ]
    for (const at of corners) await page.mouse.click(at.x, at.y)
    await page.mouse.click(corners[0]!.x, corners[0]!.y)
    await form.waitFor()
    await form.locator('input[name="hazard_code"]').fill(code)
    const zone = await saveAndRead(page, 'danger_zones')
    expect(zone.id).toBe(hazardId)
    const drawn = outerRing(await editFeature(page, 'danger_zones', hazardId))!
    expect(drawn).toHaveLength(5)
    const clickedRing = await Promise.all([...corners, corners[0]!].map((at) => lngLatAt(page, canvas, at)))
    // The same four corners, whichever way round terra-draw wrote the ring.
    for (const corner of clickedRing.slice(0, 4))
      expect(drawn.some((vertex) => Math.hypot(vertex[0] - corner[0], vertex[1] - corner[1]) < 2e-5)).toBe(true)
    expect(ringAreaM2(drawn) / ringAreaM2(clickedRing)).toBeCloseTo(1, 2)
    await waitForMapIdle(page)
    await page.screenshot({ path: path.join(shots, 'h2gaps-zone-desktop.png') })

    // Reshape: the saved zone stays selected; drag its first corner 60 px left and 50 px up, save.
    const moved = drawn[0]!
    const from = await screenOf(page, moved)
    const to = { x: canvas.x + from.x - 60, y: canvas.y + from.y - 50 }
    await page.mouse.move(canvas.x + from.x, canvas.y + from.y)
    await page.mouse.down()
    await page.mouse.move(to.x, to.y, { steps: 12 })
    await page.mouse.up()
    await saveAndRead(page, 'danger_zones')
    await waitForMapIdle(page)
    const reshaped = outerRing(await editFeature(page, 'danger_zones', hazardId))!
    const target = await lngLatAt(page, canvas, to)
    expect(reshaped.some((vertex) => Math.hypot(vertex[0] - target[0], vertex[1] - target[1]) < 2e-5)).toBe(true)
    expect(reshaped.some((vertex) => Math.hypot(vertex[0] - moved[0], vertex[1] - moved[1]) < 1e-7)).toBe(false)
    expect(ringAreaM2(reshaped)).toBeGreaterThan(ringAreaM2(drawn))
    await page.screenshot({ path: path.join(shots, 'h2gaps-zone-reshaped-desktop.png') })

    // 撤销: the corner is back; the zone is as drawn.
    await page.locator('[data-testid="edit-undo"]').click()
    await expect.poll(() => page.locator('[data-testid="edit-notice"]').textContent(), { timeout: 20_000 }).toBe('已撤销上一次修改')
    expect(outerRing(await editFeature(page, 'danger_zones', hazardId))).toEqual(drawn)

    // The audit log: the reshape with the zone before and after, then its undo the other way round.
    const admin = await signedInContext(browser, app.url, 'admin')
    contexts.push(admin)
    const audit = (await (await admin.request.get(`${app.url}/api/audit-log?entity=danger_zone&limit=50`)).json()) as {
      entries: {
        action: string
        entityId: string | null
        reason: { code: string } | null
        details: { before: StoredFeature | null; after: StoredFeature | null }
      }[]
    }
    const ours = audit.entries.filter((entry) => entry.entityId === String(hazardId)).reverse()
    expect(ours.map((entry) => [entry.action, entry.reason?.code])).toEqual([
      ['create', 'map_edit'],
      ['update', 'map_edit'],
      ['update', 'map_edit_undone'],
    ])
    expect(ours[0]!.details.before).toBeNull()
    expect(outerRing(ours[1]!.details.before!)).toEqual(drawn)
    expect(outerRing(ours[1]!.details.after!)).toEqual(reshaped)
    expect(outerRing(ours[2]!.details.after!)).toEqual(drawn)

    // Leave the town as it was for the other tests: the route, the zone and its hazard point go.
    const csrf = await csrfOf(page)
    for (const [layer, id] of [
      ['evacuation_routes', route.id],
      ['danger_zones', hazardId],
      ['hazard_points', hazardId],
    ] as const) {
      const deleted = await page.request.delete(`${app.url}/api/edit/${layer}/${id}`, { headers: { 'x-csrf-token': csrf } })
      expect(deleted.status(), `${layer} ${id}`).toBe(204)
    }
    expect(record.consoleErrors.filter((line) => line.startsWith('uncaught'))).toEqual([])
  })

  it('offers the edit mode on a phone as a bottom sheet where a route is drawn by taps, and not to viewers', async () => {
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

    // A route drawn by taps on the town above the sheet: three taps, the last tapped again to finish.
    await startAdding(page, 'evacuation_routes')
    const canvas = (await page.locator('[data-testid="map"] canvas').boundingBox())!
    const taps = [
      { x: 120, y: 385 },
      { x: 200, y: 425 },
      { x: 270, y: 390 },
    ]
    for (const at of taps) await page.touchscreen.tap(at.x, at.y)
    await page.touchscreen.tap(taps[2]!.x, taps[2]!.y)
    const form = page.locator('[data-testid="edit-form"]')
    await form.waitFor()
    await form.locator('input[name="village_code"]').fill(await firstCode(page, 'natural_villages'))
    await form.locator('input[name="shelter_code"]').fill(await firstCode(page, 'shelters'))
    await page.screenshot({ path: path.join(shots, 'h2gaps-route-phone.png') })
    const route = await saveAndRead(page, 'evacuation_routes')
    const line = (await editFeature(page, 'evacuation_routes', route.id))!.geometry.coordinates as Position[]
    expect(line).toHaveLength(3)
    for (const [i, at] of taps.entries()) expectNear(line[i]!, await lngLatAt(page, canvas, at), 4)
    const deleted = await page.request.delete(`${app.url}/api/edit/evacuation_routes/${route.id}`, {
      headers: { 'x-csrf-token': await csrfOf(page) },
    })
    expect(deleted.status()).toBe(204)

    const viewer = await signedInContext(browser, app.url, 'viewer', desktopViewport)
    contexts.push(viewer)
    const viewerPage = await viewer.newPage()
    await viewerPage.goto(`${app.url}/`)
    await waitForMapIdle(viewerPage)
    expect(await viewerPage.locator('[data-testid="edit-toggle"]').count()).toBe(0)
  })
})
