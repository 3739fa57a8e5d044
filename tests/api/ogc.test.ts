import { execFile } from 'node:child_process'
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { serve } from '@hono/node-server'
import fc from 'fast-check'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cgcs2000,
  crs84,
  errorBodySchema,
  layerCatalogue,
  ogcCollectionsSchema,
  ogcConformance,
  ogcItemsSchema,
  findLayer,
  ogcMaxLimit,
  type Bbox,
  type OgcItems,
} from '@riskatlas/shared'
import { itemsSql } from '../../server/src/ogc/queries.ts'
import { openHome, testHomes, type HomeContext } from '../support/homes.ts'

const run = promisify(execFile)

/**
 * OGC API – Features at /ogc on both homes: the documents, paging, bbox, filters, CRS, HTML,
 * errors — and GDAL (ogrinfo, ogr2ogr) reading it over HTTP as QGIS would.
 */
describe.each(testHomes())('OGC API – Features on the $name home', (home) => {
  let ctx: HomeContext
  let base: string
  let server: ReturnType<typeof serve>
  let counts: Map<string, number>

  beforeAll(async () => {
    ctx = openHome(home)
    server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: ctx.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
    })
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ogc`
    const { layers } = (await (await ctx.app.request('/api/layers')).json()) as { layers: { id: string; count: number }[] }
    counts = new Map(layers.map((layer) => [layer.id, layer.count]))
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
    await ctx.close()
  })

  async function json<T = any>(
    url: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; type: string | null; crs: string | null; body: T }> {
    const response = await ctx.app.request(url, { headers })
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      crs: response.headers.get('content-crs'),
      body: (await response.json()) as T,
    }
  }

  async function expectError(url: string, status: number, code: string) {
    const { status: actual, body } = await json(url)
    expect(actual, url).toBe(status)
    expect(errorBodySchema.parse(body).error.code).toBe(code)
    expect(JSON.stringify(body)).not.toMatch(/SELECT|FROM |at .*\.ts:\d+/)
  }

  /** All the features of a collection, page by page, following `next` links. */
  async function allPages(collection: string, limit: number, extra = ''): Promise<OgcItems['features']> {
    const features: OgcItems['features'] = []
    let url: string | undefined = `/ogc/collections/${collection}/items?limit=${limit}${extra}`
    while (url) {
      const page: { body: OgcItems } = await json<OgcItems>(url)
      features.push(...page.body.features)
      const next: string | undefined = page.body.links.find((link) => link.rel === 'next')?.href
      url = next ? next.replace(/^https?:\/\/[^/]+/, '') : undefined
    }
    return features
  }

  it('answers the landing page, conformance, the OpenAPI 3.0 description and every public layer as a collection', async () => {
    const landing = await json('/ogc')
    expect(landing.status).toBe(200)
    const rels = landing.body.links.map((link: { rel: string }) => link.rel)
    for (const rel of ['self', 'service-desc', 'conformance', 'data']) expect(rels).toContain(rel)

    const conformance = await json('/ogc/conformance')
    expect(conformance.body.conformsTo).toEqual([...ogcConformance])

    const api = await ctx.app.request('/ogc/api')
    expect(api.headers.get('content-type')).toContain('application/vnd.oai.openapi+json')
    const openapi = (await api.json()) as any
    expect(openapi.openapi).toMatch(/^3\.0\./)
    expect(openapi.components.parameters.limit.schema).toMatchObject({ default: 1000, maximum: ogcMaxLimit })
    for (const layer of layerCatalogue) expect(Object.keys(openapi.paths)).toContain(`/collections/${layer.id}/items`)

    const { body } = await json('/ogc/collections')
    const { collections } = ogcCollectionsSchema.parse(body)
    expect(collections.map((collection) => collection.id)).toEqual(layerCatalogue.map((layer) => layer.id))
    for (const collection of collections) {
      expect(collection.crs).toEqual([crs84, cgcs2000])
      expect(collection.extent.spatial.bbox[0]!.length).toBe(4)
      const one = await json(`/ogc/collections/${collection.id}`)
      expect(one.body.id).toBe(collection.id)
    }
    const warnings = collections.find((collection) => collection.id === 'active_warnings')!
    expect(warnings.extent.temporal!.interval[0]![0]).toMatch(/^\d{4}-/)
  })

  it('declares numberMatched equal to the layer count and pages through every feature exactly once', async () => {
    for (const layer of layerCatalogue) {
      const { status, type, crs, body } = await json<OgcItems>(`/ogc/collections/${layer.id}/items?limit=7`)
      expect(status, layer.id).toBe(200)
      expect(type).toContain('application/geo+json')
      expect(crs).toBe(`<${crs84}>`)
      ogcItemsSchema.parse(body)
      expect(body.numberMatched, layer.id).toBe(counts.get(layer.id))
      expect(body.numberReturned).toBe(Math.min(7, counts.get(layer.id)!))
    }
    const roads = await allPages('roads', 500)
    expect(roads.length).toBe(counts.get('roads'))
    expect(new Set(roads.map((feature) => feature.id)).size).toBe(roads.length)
  })

  it('answers items with the features the per-row statement gives, in its order, and a 304 for their ETag', async () => {
    const roads = findLayer('roads')!
    for (const page of [
      { limit: 1000, offset: 0 },
      { limit: 50, offset: 25, bbox: [99.05, 25.05, 99.15, 25.15] as Bbox },
      { limit: 10, offset: 0, latitudeFirst: true },
    ]) {
      const search = `limit=${page.limit}&offset=${page.offset}${page.bbox ? `&bbox=${page.bbox.join(',')}` : ''}${page.latitudeFirst ? `&crs=${encodeURIComponent(cgcs2000)}` : ''}`
      const response = await ctx.app.request(`/ogc/collections/roads/items?${search}`)
      expect(response.status).toBe(200)
      const text = await response.text()
      // Streamed from a cursor (the external home, more than one batch): no length up front.
      const length = response.headers.get('content-length')
      if (length === null) expect(home.name).toBe('external')
      else expect(length).toBe(String(Buffer.byteLength(text)))
      const body = JSON.parse(text) as OgcItems
      const { rows } = await itemsSql(roads, page).execute(ctx.db)
      expect(rows.length).toBeGreaterThan(0)
      expect(body.numberReturned).toBe(rows.length)
      expect(body.features).toEqual(rows.map((row) => JSON.parse(row.feature)))
      const etag = response.headers.get('etag')!
      expect(etag).toMatch(/^W\/"/)
      const again = await ctx.app.request(`/ogc/collections/roads/items?${search}`, { headers: { 'if-none-match': etag } })
      expect(again.status).toBe(304)
      expect(await again.text()).toBe('')
    }
  })

  it('never loses or repeats a feature whatever the limit and offsets (property-based)', async () => {
    const total = counts.get('natural_villages')!
    const { body } = await json<OgcItems>(`/ogc/collections/natural_villages/items?limit=${ogcMaxLimit}`)
    const everyId = body.features.map((feature) => feature.id)
    expect(everyId.length).toBe(total)
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: total + 5 }), fc.integer({ min: 0, max: total + 5 }), async (limit, offset) => {
        const page = await json<OgcItems>(`/ogc/collections/natural_villages/items?limit=${limit}&offset=${offset}`)
        expect(page.body.features.map((feature) => feature.id)).toEqual(everyId.slice(offset, offset + limit))
        expect(page.body.numberMatched).toBe(total)
        const rels = page.body.links.map((link) => link.rel)
        expect(rels.includes('next')).toBe(offset + limit < total)
        expect(rels.includes('prev')).toBe(offset > 0)
      }),
      { numRuns: 25 },
    )
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 60 }), async (limit) => {
        const ids = (await allPages('natural_villages', limit)).map((feature) => feature.id)
        expect(ids).toEqual(everyId)
      }),
      { numRuns: 6 },
    )
  })

  it('selects by bbox with the exact intersection, not the envelope', async () => {
    // A road whose envelope's corner lies off the line itself: a tiny box there touches the envelope only.
    const { rows } = await sql<{ id: number; x: number; y: number }>`
      SELECT id, ST_XMin(geom) AS x, ST_YMin(geom) AS y FROM roads
      WHERE NOT ST_Intersects(geom, ST_Expand(ST_SetSRID(ST_MakePoint(ST_XMin(geom), ST_YMin(geom)), 4326), 0.00001))
      ORDER BY id LIMIT 1`.execute(ctx.db)
    const road = rows[0]!
    const box = [road.x - 0.00001, road.y - 0.00001, road.x + 0.00001, road.y + 0.00001].join(',')
    const legacy = await json<{ features: { id: number }[] }>(`/api/layers/roads?bbox=${box}`)
    expect(legacy.body.features.map((feature) => feature.id)).toContain(road.id)
    const ogc = await json<OgcItems>(`/ogc/collections/roads/items?bbox=${box}`)
    expect(ogc.body.features.map((feature) => feature.id)).not.toContain(road.id)

    const wide = [99.0, 25.0, 99.12, 25.12]
    const { rows: expected } = await sql<{
      n: number
    }>`SELECT count(*)::int AS n FROM roads WHERE ST_Intersects(geom, ST_MakeEnvelope(${wide[0]}, ${wide[1]}, ${wide[2]}, ${wide[3]}, 4326))`.execute(
      ctx.db,
    )
    const inside = await json<OgcItems>(`/ogc/collections/roads/items?bbox=${wide.join(',')}&limit=1`)
    expect(inside.body.numberMatched).toBe(expected[0]!.n)
    expect(inside.body.numberMatched).toBeGreaterThan(0)
  })

  it('filters by declared queryables and by datetime where a layer has dates', async () => {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM hazard_points WHERE kind = 'landslide'`.execute(ctx.db)
    const landslides = await json<OgcItems>('/ogc/collections/hazard_points/items?kind=landslide')
    expect(landslides.body.numberMatched).toBe(rows[0]!.n)
    expect(landslides.body.numberMatched).toBeGreaterThan(0)
    expect(landslides.body.features.every((feature) => feature.properties.kind === 'landslide')).toBe(true)
    const highRisk = await json<OgcItems>('/ogc/collections/hazard_points/items?risk_level=4&kind=landslide')
    expect(highRisk.body.features.every((feature) => feature.properties.risk_level === 4 && feature.properties.kind === 'landslide')).toBe(
      true,
    )

    const all = await json<OgcItems>('/ogc/collections/active_warnings/items')
    expect(all.body.numberMatched).toBeGreaterThan(0)
    const now = new Date().toISOString()
    const current = await json<OgcItems>(`/ogc/collections/active_warnings/items?datetime=${now}`)
    expect(current.body.numberMatched).toBe(all.body.numberMatched)
    const past = await json<OgcItems>('/ogc/collections/active_warnings/items?datetime=../2000-01-01T00:00:00Z')
    expect(past.body.numberMatched).toBe(0)

    await expectError('/ogc/collections/hazard_points/items?colour=red', 400, 'validation_failed')
    await expectError('/ogc/collections/hazard_points/items?risk_level=high', 400, 'validation_failed')
    await expectError('/ogc/collections/roads/items?datetime=2026-01-01', 400, 'validation_failed')
    await expectError('/ogc/collections/active_warnings/items?datetime=yesterday', 400, 'validation_failed')
  })

  it('answers CGCS2000 (EPSG:4490) latitude first, with bbox-crs and Content-Crs', async () => {
    const lonFirst = await json<OgcItems>('/ogc/collections/hazard_points/items?limit=3')
    const latFirst = await json<OgcItems>(`/ogc/collections/hazard_points/items?limit=3&crs=${encodeURIComponent(cgcs2000)}`)
    expect(latFirst.crs).toBe(`<${cgcs2000}>`)
    const [lon, lat] = lonFirst.body.features[0]!.geometry.coordinates as [number, number]
    expect(latFirst.body.features[0]!.geometry.coordinates).toEqual([lat, lon])

    const box = [99.0, 25.0, 99.12, 25.12]
    const inCrs84 = await json<OgcItems>(`/ogc/collections/natural_villages/items?bbox=${box.join(',')}`)
    const in4490 = await json<OgcItems>(
      `/ogc/collections/natural_villages/items?bbox=${[box[1], box[0], box[3], box[2]].join(',')}&bbox-crs=${encodeURIComponent(cgcs2000)}`,
    )
    expect(in4490.body.numberMatched).toBe(inCrs84.body.numberMatched)
    expect(in4490.body.numberMatched).toBeGreaterThan(0)

    const feature = lonFirst.body.features[0]!
    const one = await json(`/ogc/collections/hazard_points/items/${feature.id}?crs=${encodeURIComponent(cgcs2000)}`)
    expect(one.crs).toBe(`<${cgcs2000}>`)
    expect(one.body.geometry.coordinates).toEqual([lat, lon])
    await expectError('/ogc/collections/hazard_points/items?crs=EPSG:3857', 400, 'validation_failed')
  })

  it('serves one feature by its id and HTML pages by f=html or the Accept header', async () => {
    const { body } = await json<OgcItems>('/ogc/collections/village_boundaries/items?limit=1')
    const feature = body.features[0]!
    const one = await json(`/ogc/collections/village_boundaries/items/${feature.id}`)
    expect(one.status).toBe(200)
    expect(one.body.properties).toEqual(feature.properties)
    expect(one.body.links.map((link: { rel: string }) => link.rel)).toContain('collection')

    for (const url of [
      '/ogc?f=html',
      '/ogc/collections?f=html',
      '/ogc/collections/hazard_points?f=html',
      '/ogc/collections/hazard_points/items?f=html&limit=5',
      `/ogc/collections/village_boundaries/items/${feature.id}?f=html`,
    ]) {
      const response = await ctx.app.request(url)
      expect(response.status, url).toBe(200)
      expect(response.headers.get('content-type')).toContain('text/html')
      expect(await response.text()).toMatch(/<h1>/)
    }
    const browser = await ctx.app.request('/ogc/collections', { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } })
    expect(browser.headers.get('content-type')).toContain('text/html')
    expect(await browser.text()).toContain('隐患点')
    const items = await (await ctx.app.request('/ogc/collections/hazard_points/items?f=html&limit=5')).text()
    expect(items).toContain(
      String((await json<OgcItems>('/ogc/collections/hazard_points/items?limit=1')).body.features[0]!.properties.name),
    )
  })

  it('answers 400 for a bad bbox or limit and 404 for an unknown collection or feature, in the error envelope', async () => {
    await expectError('/ogc/collections/roads/items?bbox=1,2,3', 400, 'validation_failed')
    await expectError('/ogc/collections/roads/items?bbox=99.2,25,99.1,25.1', 400, 'validation_failed')
    await expectError('/ogc/collections/roads/items?bbox=99,95,99.1,96', 400, 'validation_failed')
    await expectError('/ogc/collections/roads/items?limit=0', 400, 'validation_failed')
    await expectError(`/ogc/collections/roads/items?limit=${ogcMaxLimit + 1}`, 400, 'validation_failed')
    await expectError('/ogc/collections/roads/items?offset=-1', 400, 'validation_failed')
    await expectError('/ogc/collections/vulnerable_people/items', 404, 'not_found')
    await expectError('/ogc/collections/nope', 404, 'not_found')
    await expectError('/ogc/collections/roads/items/999999999', 404, 'not_found')
    // The one id schema: a record id in decimal digits within the column's range, an area code of 12 digits.
    for (const bad of ['0x1c', '29e0', '+30', '028', '2147483648', '1%20OR%201=1'])
      await expectError(`/ogc/collections/roads/items/${bad}`, 400, 'validation_failed')
    await expectError('/ogc/collections/village_boundaries/items/5305021990', 400, 'validation_failed')
    await expectError('/ogc/collections/village_boundaries/items/999999999999', 404, 'not_found')
    await expectError('/ogc/nothing-here', 404, 'not_found')
  })

  it('is read by GDAL: ogrinfo lists every collection with its count; ogr2ogr copies each in full through paging', async () => {
    const { stdout } = await run('ogrinfo', ['-ro', '-so', '-al', `OAPIF:${base}`], { maxBuffer: 64 * 1024 * 1024, timeout: 240_000 })
    const listed = new Map(
      [...stdout.matchAll(/Layer name: (\S+)[\s\S]*?Feature Count: (\d+)/g)].map((match) => [match[1]!, Number(match[2])]),
    )
    expect([...listed.keys()].sort()).toEqual(layerCatalogue.map((layer) => layer.id).sort())
    for (const layer of layerCatalogue) expect(listed.get(layer.id), layer.id).toBe(counts.get(layer.id))

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ogc-gdal-'))
    try {
      for (const layer of layerCatalogue) {
        const out = path.join(dir, `${layer.id}.geojson`)
        // A page size below the count makes GDAL follow `next` links for every larger layer.
        await run('ogr2ogr', ['-f', 'GeoJSON', out, `OAPIF:${base}/collections/${layer.id}`, '-oo', 'PAGE_SIZE=250'], { timeout: 240_000 })
        const copied = JSON.parse(fs.readFileSync(out, 'utf8')) as {
          features: { properties: Record<string, unknown>; geometry: { coordinates: unknown } }[]
        }
        expect(copied.features.length, layer.id).toBe(counts.get(layer.id))
        // A sample of geometries equals the database's (6 decimals, as served).
        const { body } = await json<OgcItems>(`/ogc/collections/${layer.id}/items?limit=${ogcMaxLimit}`)
        for (const index of [0, Math.floor(copied.features.length / 2), copied.features.length - 1]) {
          expect(copied.features[index]!.geometry.coordinates, `${layer.id} #${index}`).toEqual(body.features[index]!.geometry.coordinates)
        }
      }
      const sampleIds = (await json<OgcItems>('/ogc/collections/roads/items?limit=3')).body.features.map((feature) => feature.id)
      const { rows } = await sql<{
        id: number
        geojson: string
      }>`SELECT id, ST_AsGeoJSON(geom, 6) AS geojson FROM roads WHERE id = ANY(${sampleIds}::int[]) ORDER BY id`.execute(ctx.db)
      const copiedRoads = JSON.parse(fs.readFileSync(path.join(dir, 'roads.geojson'), 'utf8')) as {
        features: { geometry: { coordinates: unknown } }[]
      }
      rows.forEach((row, index) => expect(copiedRoads.features[index]!.geometry.coordinates).toEqual(JSON.parse(row.geojson).coordinates))
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
