import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { enumLabels } from '@riskatlas/shared'
import { readZippedShapefile } from '../../server/src/imports/shapefile.ts'
import { desktopViewport, externalRequests, launchChromium, phoneViewport, recordPage, type PageRecord } from '../support/browser.ts'
import { artifactsDir, renderedCount, startApp, waitForMapIdle, type RunningApp } from './harness.ts'

interface ApiFeature {
  id: string | number
  geometry: { type: string; coordinates: [number, number] }
  properties: Record<string, unknown>
}

let app: RunningApp
let browser: Browser

async function apiFeatures(layerId: string): Promise<ApiFeature[]> {
  const response = await fetch(`${app.url}/api/layers/${layerId}?limit=10000`)
  expect(response.status).toBe(200)
  return ((await response.json()) as { features: ApiFeature[] }).features
}

async function openPage(context: BrowserContext, pathAndQuery = '/'): Promise<{ page: Page; record: PageRecord }> {
  const page = await context.newPage()
  const record = recordPage(page)
  await page.goto(`${app.url}${pathAndQuery}`)
  await waitForMapIdle(page)
  return { page, record }
}

/** Centres the map on a point at street zoom and waits for the frame to settle. */
async function centreOn(page: Page, coordinates: [number, number], zoom = 15): Promise<{ x: number; y: number }> {
  await page.evaluate(([center, z]) => window.__riskatlas!.map.jumpTo({ center, zoom: z }), [coordinates, zoom] as const)
  await waitForMapIdle(page)
  return page.evaluate((center) => window.__riskatlas!.map.project(center), coordinates)
}

/**
 * Console errors that are not the page's fault: a server without GET /api/config answers 404 and
 * Chromium logs the failed load; the client falls back to the offline basemap by design.
 */
const tolerated = (line: string) => /Failed to load resource.*\/api\/config/.test(line)

beforeAll(async () => {
  fs.mkdirSync(artifactsDir, { recursive: true })
  app = await startApp()
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await app?.close()
})

describe('map workspace (desktop)', () => {
  let context: BrowserContext
  beforeAll(async () => {
    context = await browser.newContext(desktopViewport)
  })
  afterAll(() => context.close())

  it('loads the town offline: no console error, no request beyond our server, map idle', async () => {
    const { page, record } = await openPage(context)
    expect(record.consoleErrors.filter((line) => !tolerated(line))).toEqual([])
    expect(externalRequests(record.requests)).toEqual([])
    expect(await renderedCount(page, 'natural_villages')).toBeGreaterThan(0)
    expect(await renderedCount(page, 'natural_villages:label')).toBeGreaterThan(0)
    await page.screenshot({ path: path.join(artifactsDir, 'map-desktop.png') })
    await page.close()
  })

  it('draws the large layers from vector tiles, never from their whole GeoJSON, and they show', async () => {
    const { page, record } = await openPage(context)
    const paths = record.requests.map((url) => new URL(url)).map((url) => url.pathname + url.search)
    for (const tileset of ['roads', 'rivers', 'contours', 'natural_villages', 'admin_areas', 'danger_zones'])
      expect(
        paths.filter((request) => new RegExp(`^/tiles/${tileset}/\\d+/\\d+/\\d+\\.mvt`).test(request)).length,
        tileset,
      ).toBeGreaterThan(0)
    // Search and the cards' relations still read villages and danger zones; the rest never comes whole.
    for (const layerId of ['roads', 'rivers', 'contours', 'village_boundaries'])
      expect(paths.filter((request) => request.startsWith(`/api/layers/${layerId}?`))).toEqual([])
    for (const styleLayer of ['roads', 'rivers', 'contours', 'village_boundaries', 'danger_zones'])
      expect(await page.evaluate((id) => window.__riskatlas!.map.getLayer(id) !== undefined, styleLayer), styleLayer).toBe(true)
    expect(await renderedCount(page, 'natural_villages')).toBeGreaterThan(0)
    await page.close()
  })

  it('opens the card of a road and of a village drawn from tiles with the API’s attributes', async () => {
    const roads = await apiFeatures('roads')
    const road = roads.find((candidate) => candidate.properties.class === 'county' && candidate.properties.name)!
    const coordinates = road.geometry.coordinates as unknown as [number, number][]
    // A context of its own: the layers chosen here are remembered by the browser (localStorage).
    const own = await browser.newContext(desktopViewport)
    const { page, record } = await openPage(own, '/?layers=roads')
    const pixel = await centreOn(page, coordinates[Math.floor(coordinates.length / 2)]!, 16)
    await page.mouse.click(pixel.x, pixel.y)
    const card = page.locator('[data-testid="feature-card"]')
    await card.waitFor()
    const clicked = new URL(page.url()).searchParams.get('select')
    expect(clicked).toMatch(/^roads\/\d+$/)
    const roadId = clicked!.split('/')[1]!
    // The tile said which road; the card's attributes came from the API by its id.
    expect(record.requests.some((url) => new URL(url).pathname === `/api/layers/roads/features/${roadId}`)).toBe(true)
    const shown = roads.find((candidate) => String(candidate.id) === roadId)!
    expect(await card.locator('h2').textContent()).toBe(String(shown.properties.name))
    expect(await card.locator('[data-property="class"]').textContent()).toBe(enumLabels[String(shown.properties.class)]!.zh)
    expect(await card.locator('[data-property="passable_in_flood"]').count()).toBe(1)
    await page.screenshot({ path: path.join(artifactsDir, 'map-desktop-road-card.png') })

    const villages = await apiFeatures('natural_villages')
    const village = [...villages].sort((a, b) => Number(b.properties.population) - Number(a.properties.population))[0]!
    const at = await centreOn(page, village.geometry.coordinates, 15)
    await page.locator('[data-testid="layer-panel"] [data-layer="natural_villages"] input').check()
    await waitForMapIdle(page)
    await page.mouse.click(at.x, at.y)
    await page.waitForFunction(
      (name) => document.querySelector('[data-testid="feature-card"] h2')?.textContent === name,
      village.properties.name,
    )
    expect(new URL(page.url()).searchParams.get('select')).toBe(`natural_villages/${village.id}`)
    const households = Number(village.properties.households).toLocaleString('zh-CN')
    expect(await card.locator('[data-property="households"]').textContent()).toBe(`${households} 户`)
    const lit = await page.evaluate(
      (id) => window.__riskatlas!.map.getFeatureState({ source: 'natural_villages', sourceLayer: 'natural_villages', id }).selected,
      Number(village.id),
    )
    expect(lit).toBe(true)
    await page.screenshot({ path: path.join(artifactsDir, 'map-desktop-village-card.png') })
    await own.close()
  })

  it('downloads a whole layer from the layer panel’s 导出 menu: a Shapefile the import reads back as the layer', async () => {
    const { page } = await openPage(context)
    const menu = page.locator('[data-testid="layer-panel"] [data-export="hazard_points"]')
    await menu.locator('summary').click()
    const [download] = await Promise.all([page.waitForEvent('download'), menu.locator('a[data-format="shp.zip"]').click()])
    // The Chinese title, from the answer's Content-Disposition (filename*).
    expect(download.suggestedFilename()).toBe('地质灾害_山洪隐患点.shp.zip')
    const parsed = await readZippedShapefile(new Uint8Array(fs.readFileSync(await download.path())))
    const hazards = await apiFeatures('hazard_points')
    expect(parsed.sheets[0]!.records.map((record) => record.values.name)).toEqual(hazards.map((hazard) => hazard.properties.name))
    expect(await menu.getAttribute('open')).toBeNull()
    await page.close()
  })

  it('draws every hazard point of the API, and hides and shows them with the toggle', async () => {
    const hazards = await apiFeatures('hazard_points')
    const { page } = await openPage(context, '/')
    expect(await renderedCount(page, 'hazard_points:risk')).toBe(hazards.length)

    const toggle = page.locator('[data-testid="layer-panel"] [data-layer="hazard_points"] input')
    await toggle.uncheck()
    await waitForMapIdle(page)
    expect(await renderedCount(page, 'hazard_points:risk')).toBe(0)
    expect(await renderedCount(page, 'hazard_points')).toBe(0)
    expect(await page.locator('[data-legend-layer="hazard_points"]').count()).toBe(0)
    expect(page.url()).not.toMatch(/layers=[^&]*hazard_points/)

    await toggle.check()
    await waitForMapIdle(page)
    expect(await renderedCount(page, 'hazard_points:risk')).toBe(hazards.length)
    expect(await page.locator('[data-legend-layer="hazard_points"]').count()).toBe(1)
    await page.close()
  })

  it('opens a hazard point’s card with the API’s figures and highlights its danger zone', async () => {
    const hazards = await apiFeatures('hazard_points')
    const hazard = [...hazards].sort((a, b) => Number(b.properties.threatened_people) - Number(a.properties.threatened_people))[0]!
    const { page } = await openPage(context)
    const pixel = await centreOn(page, hazard.geometry.coordinates)
    await page.mouse.click(pixel.x, pixel.y)

    const card = page.locator('[data-testid="feature-card"]')
    await card.waitFor()
    expect(await card.locator('h2').textContent()).toBe(String(hazard.properties.name))
    expect(await card.locator('[data-property="code"]').textContent()).toBe(String(hazard.properties.code))
    const people = Number(hazard.properties.threatened_people).toLocaleString('zh-CN')
    expect(await card.locator('[data-property="threatened_people"]').textContent()).toBe(`${people} 人`)
    const households = Number(hazard.properties.threatened_households).toLocaleString('zh-CN')
    expect(await card.locator('[data-property="threatened_households"]').textContent()).toBe(`${households} 户`)
    expect(await card.locator('[data-property="risk_level"]').textContent()).toContain(String(hazard.properties.risk_level))
    if (hazard.properties.monitor_name)
      expect(await card.locator('[data-property="monitor_name"]').textContent()).toBe(hazard.properties.monitor_name)

    const zoneSelected = await page.evaluate((code) => {
      const { map } = window.__riskatlas!
      const zones = map
        .querySourceFeatures('danger_zones', { sourceLayer: 'danger_zones' })
        .filter((zone) => zone.properties.hazard_code === code)
      return zones.length === 0
        ? null
        : zones.every(
            (zone) => map.getFeatureState({ source: 'danger_zones', sourceLayer: 'danger_zones', id: zone.id! }).selected === true,
          )
    }, hazard.properties.code)
    if (zoneSelected !== null) expect(zoneSelected).toBe(true)

    expect(new URL(page.url()).searchParams.get('select')).toBe(`hazard_points/${hazard.id}`)
    await page.screenshot({ path: path.join(artifactsDir, 'map-desktop-hazard-card.png') })
    await page.close()
  })

  it('searches a natural village, flies to it and opens its card; the URL brings it back', async () => {
    const villages = await apiFeatures('natural_villages')
    const village = villages[Math.floor(villages.length / 2)]!
    const name = String(village.properties.name)
    const { page } = await openPage(context)
    await page.locator('.search input').fill(name)
    await page.locator('.search [role="option"]', { hasText: name }).first().waitFor()
    await page.locator('.search input').press('Enter')
    await page.waitForFunction(() => window.__riskatlas!.map.getZoom() >= 14.9 && !window.__riskatlas!.map.isMoving(), undefined, {
      timeout: 15_000,
    })
    await waitForMapIdle(page)

    const center = await page.evaluate(() => window.__riskatlas!.map.getCenter())
    const card = page.locator('[data-testid="feature-card"]')
    expect(await card.locator('h2').textContent()).toBe(name)
    const pixel = await page.evaluate((c) => window.__riskatlas!.map.project(c), village.geometry.coordinates)
    // Flown into view: the village is on screen, clear of the side panels.
    expect(pixel.x).toBeGreaterThan(400)
    expect(pixel.x).toBeLessThan(1440 - 360)
    expect(pixel.y).toBeGreaterThan(0)
    expect(pixel.y).toBeLessThan(900)
    expect(Math.abs(center.lat - village.geometry.coordinates[1])).toBeLessThan(0.02)

    const shared = page.url()
    expect(shared).toMatch(/map=/)
    const again = await context.newPage()
    await again.goto(shared)
    await waitForMapIdle(again)
    expect(await again.locator('[data-testid="feature-card"] h2').textContent()).toBe(name)
    await again.close()
    await page.close()
  })

  it('switches every visible string to English', async () => {
    const { page } = await openPage(context)
    await page.locator('[data-testid="language"]').click()
    expect(await page.locator('.group-title').first().textContent()).toBe('Hazards')
    expect(await page.locator('.search input').getAttribute('placeholder')).toBe('Search a natural village, facility or hazard point')
    await page.locator('[data-testid="language"]').click()
    expect(await page.locator('.group-title').first().textContent()).toBe('危险源')
    await page.close()
  })
})

describe('map workspace (phone)', () => {
  it('keeps the map usable with collapsed panels that open on demand', async () => {
    const context = await browser.newContext(phoneViewport)
    const { page, record } = await openPage(context)
    expect(record.consoleErrors.filter((line) => !tolerated(line))).toEqual([])
    expect(await page.locator('[data-testid="layer-panel"]').isVisible()).toBe(false)
    expect(await renderedCount(page, 'natural_villages')).toBeGreaterThan(0)
    await page.screenshot({ path: path.join(artifactsDir, 'map-phone.png') })

    await page.locator('[data-testid="layers-toggle"]').click()
    expect(await page.locator('[data-testid="layer-panel"]').isVisible()).toBe(true)
    await page.screenshot({ path: path.join(artifactsDir, 'map-phone-layers.png') })
    await page.locator('[data-testid="layers-toggle"]').click()

    const [hazard] = await apiFeatures('hazard_points')
    await page.locator('.search input').fill(String(hazard!.properties.code))
    await page.locator('.search [role="option"]').first().waitFor()
    await page.locator('.search input').press('Enter')
    await page.locator('[data-testid="feature-card"]').waitFor()
    await page.waitForFunction(() => !window.__riskatlas!.map.isMoving(), undefined, { timeout: 15_000 })
    await waitForMapIdle(page)
    await page.screenshot({ path: path.join(artifactsDir, 'map-phone-card.png') })
    await context.close()
  })
})
