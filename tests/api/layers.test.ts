import { check } from '@placemarkio/check-geojson'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorBodySchema, layerCatalogue, layerListSchema, maxFeatureLimit, type Bbox, type LayerSummary } from '@riskatlas/shared'
import { featureSql, layerSources } from '@riskatlas/server'
import { openHome, signIn, testHomes, type HomeContext } from '../support/homes.ts'

interface FeatureCollection {
  type: string
  features: { id: string | number; geometry: { type: string; coordinates: unknown }; properties: Record<string, unknown> }[]
  numberReturned: number
}

describe.each(testHomes())('layer API on the $name home', (home) => {
  let ctx: HomeContext
  beforeAll(() => {
    ctx = openHome(home)
  })
  afterAll(() => ctx.close())

  async function getJson(path: string) {
    const response = await ctx.app.request(path)
    return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as unknown }
  }

  async function expectError(path: string, status: number, code: string) {
    const { status: actual, body } = await getJson(path)
    expect(actual, path).toBe(status)
    const parsed = errorBodySchema.parse(body)
    expect(parsed.error.code).toBe(code)
    expect(parsed.error.message.length).toBeGreaterThan(0)
    expect(JSON.stringify(body)).not.toMatch(/SELECT|FROM |at .*\.ts:\d+|stack/i)
    return parsed
  }

  it('lists every catalogue layer with a count and an extent inside the demo town', async () => {
    const { status, body } = await getJson('/api/layers')
    expect(status).toBe(200)
    const { layers } = layerListSchema.parse(body)
    expect(layers.map((layer) => layer.id)).toEqual(layerCatalogue.map((layer) => layer.id))
    // Codes and figures only: titles (of layers and properties) and units are the client's to phrase.
    expect(JSON.stringify(body)).not.toMatch(/[\u4e00-\u9fff]|"(title|unit)":/)
    for (const layer of layers) {
      expect(layer.count, layer.id).toBeGreaterThan(0)
      const [minLon, minLat, maxLon, maxLat] = layer.bbox!
      expect(minLon).toBeGreaterThan(98.8)
      expect(maxLon).toBeLessThan(99.4)
      expect(minLat).toBeGreaterThan(24.8)
      expect(maxLat).toBeLessThan(25.4)
    }
  })

  it('serves every layer as valid RFC 7946 with exactly the public properties', async () => {
    const { body } = await getJson('/api/layers')
    for (const summary of (body as { layers: LayerSummary[] }).layers) {
      const response = await ctx.app.request(`/api/layers/${summary.id}`)
      expect(response.status, summary.id).toBe(200)
      expect(response.headers.get('content-type')).toContain('application/geo+json')
      const text = await response.text()
      expect(() => check(text), summary.id).not.toThrow()
      const collection = JSON.parse(text) as FeatureCollection
      expect(collection.features.length, summary.id).toBe(summary.count)
      expect(collection.numberReturned).toBe(summary.count)
      const declared = summary.properties.map((property) => property.name).sort()
      for (const feature of collection.features) {
        expect(Object.keys(feature.properties).sort()).toEqual(declared)
        expect(feature.geometry.type.replace('Multi', '')).toBe(summary.geometryType.replace('Multi', ''))
      }
    }
  })

  it('filters by bbox through the index and agrees with a direct spatial query', async () => {
    const bbox = [99.05, 25.05, 99.15, 25.15] as const
    const { body } = await getJson(`/api/layers/natural_villages?bbox=${bbox.join(',')}`)
    const collection = body as FeatureCollection
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM natural_villages
      WHERE ST_Intersects(geom, ST_MakeEnvelope(${bbox[0]}, ${bbox[1]}, ${bbox[2]}, ${bbox[3]}, 4326))`.execute(ctx.db)
    expect(collection.features.length).toBe(rows[0]!.n)
    expect(collection.features.length).toBeGreaterThan(0)
    for (const feature of collection.features) {
      const [lon, lat] = feature.geometry.coordinates as [number, number]
      expect(lon).toBeGreaterThanOrEqual(bbox[0])
      expect(lon).toBeLessThanOrEqual(bbox[2])
      expect(lat).toBeGreaterThanOrEqual(bbox[1])
      expect(lat).toBeLessThanOrEqual(bbox[3])
    }
  })

  it('joins the features in the database into the very text the rows joined in Node made, byte for byte', async () => {
    for (const [id, query] of [
      ['roads', {}],
      ['roads', { bbox: [99.05, 25.05, 99.15, 25.15] as Bbox }],
      ['natural_villages', { limit: 7 }],
      ['shelters', { bbox: [0, 0, 0.001, 0.001] as Bbox }],
    ] as const) {
      const search = 'bbox' in query ? `?bbox=${query.bbox.join(',')}` : 'limit' in query ? `?limit=${query.limit}` : ''
      const response = await ctx.app.request(`/api/layers/${id}${search}`)
      expect(response.status).toBe(200)
      const bytes = new Uint8Array(await response.arrayBuffer())
      // Streamed from a cursor (the external home, more than one batch of features): no length up
      // front, the same bytes; otherwise sent whole with its length.
      const length = response.headers.get('content-length')
      if (length === null) expect(home.name).toBe('external')
      else expect(length).toBe(String(bytes.byteLength))
      // The collection as it was assembled before: one row per feature, joined in order in JavaScript.
      const { rows } = await featureSql(layerSources[id]!, query).execute(ctx.db)
      const limit = 'limit' in query ? query.limit : maxFeatureLimit
      const before = `{"type":"FeatureCollection","numberReturned":${rows.length},"limit":${limit},"features":[\n${rows.map((row) => row.feature).join(',\n')}\n]}`
      expect(Buffer.from(bytes).equals(Buffer.from(before, 'utf8')), `${id}${search}`).toBe(true)
      expect((JSON.parse(before) as FeatureCollection).features.length).toBe(rows.length)
    }
  })

  it('caps the number of features with limit', async () => {
    const { body } = await getJson('/api/layers/roads?limit=7')
    expect((body as FeatureCollection).features).toHaveLength(7)
  })

  it('answers one feature by id with every public property, the same as in the layer (a click on a tile asks this)', async () => {
    for (const layerId of ['roads', 'village_boundaries', 'natural_villages']) {
      const { body: layer } = await getJson(`/api/layers/${layerId}?limit=50`)
      const { features } = layer as FeatureCollection
      const sample = features[Math.floor(features.length / 2)]!
      const { status, type, body } = await getJson(`/api/layers/${layerId}/features/${sample.id}`)
      expect(status, layerId).toBe(200)
      expect(type).toMatch(/^application\/geo\+json/)
      expect(body).toEqual(sample)
    }
    await expectError('/api/layers/roads/features/2147483000', 404, 'not_found')
    await expectError('/api/layers/no_such_layer/features/1', 404, 'not_found')
    await expectError('/api/layers/roads/features/1%3B--', 400, 'validation_failed')
  })

  it('shows vulnerable people only as a count per natural village', async () => {
    const { body } = await getJson('/api/layers/natural_villages')
    const villages = (body as FeatureCollection).features
    const total = villages.reduce((sum, feature) => sum + (feature.properties.vulnerable_count as number), 0)
    const people = await ctx.db.selectFrom('vulnerable_people').select(['name', 'phone']).execute()
    expect(total).toBe(people.length)
    expect(total).toBeGreaterThan(0)
  })

  it('never puts a vulnerable person, a phone number or a responsible person’s phone in any layer', async () => {
    const people = await ctx.db.selectFrom('vulnerable_people').select(['name', 'phone', 'responsible_phone', 'address']).execute()
    const facilities = await ctx.db
      .selectFrom('facilities')
      .select([
        'admin_responsible',
        'tech_responsible',
        'patrol_responsible',
        'admin_responsible_phone',
        'tech_responsible_phone',
        'patrol_responsible_phone',
        'contact_phone',
      ])
      .execute()
    const hazards = await ctx.db
      .selectFrom('hazard_points')
      .select(['monitor_name', 'responsible_name', 'monitor_phone', 'responsible_phone'])
      .execute()
    // Cadres' names are public on purpose (they are posted on the hazard's sign board); a
    // vulnerable person who shares a name with one cannot be told apart by text, so such names are left out.
    const publicNames = new Set([
      ...facilities.flatMap((f) => [f.admin_responsible, f.tech_responsible, f.patrol_responsible]),
      ...hazards.flatMap((h) => [h.monitor_name, h.responsible_name]),
    ])
    const phones = [
      ...people.flatMap((p) => [p.phone, p.responsible_phone]),
      ...facilities.flatMap((f) => [f.admin_responsible_phone, f.tech_responsible_phone, f.patrol_responsible_phone, f.contact_phone]),
      ...hazards.flatMap((h) => [h.monitor_phone, h.responsible_phone]),
    ]
    const personal = people.flatMap((p) => [p.name, p.address]).filter((text): text is string => !!text && !publicNames.has(text))
    const phoneNumbers = [...new Set(phones)].filter((value): value is string => typeof value === 'string' && value.length >= 7)
    expect(personal.length).toBeGreaterThan(500)
    expect(phoneNumbers.length).toBeGreaterThan(500)

    // Every string a public layer carries, exactly as served (names are short: a substring match
    // would flag 杨家 inside 杨家村, so names are compared as whole values; phones as substrings).
    let surface = await (await ctx.app.request('/api/layers')).text()
    const values = new Set<string>()
    for (const layer of layerCatalogue) {
      const text = await (await ctx.app.request(`/api/layers/${layer.id}`)).text()
      surface += text
      for (const feature of (JSON.parse(text) as FeatureCollection).features) {
        for (const value of Object.values(feature.properties))
          for (const item of [value].flat()) if (typeof item === 'string') values.add(item)
      }
    }
    expect(values.size).toBeGreaterThan(100)
    expect(personal.filter((secret) => values.has(secret))).toEqual([])
    expect(phoneNumbers.filter((phone) => surface.includes(phone) || surface.includes(phone.replace(/\D/g, '')))).toEqual([])
  })

  it.each([
    ['/api/layers/roads?bbox=1,2,3', 'four numbers'],
    ['/api/layers/roads?bbox=a,b,c,d', 'four numbers'],
    ['/api/layers/roads?bbox=99.2,25.0,99.1,25.2', 'inverted'],
    ['/api/layers/roads?bbox=99.1,25.2,99.2,25.0', 'inverted'],
    ['/api/layers/roads?bbox=-200,25,99,26', 'out of range'],
    ['/api/layers/roads?bbox=99,25,100,95', 'out of range'],
    ['/api/layers/roads?limit=abc', 'whole number'],
    ['/api/layers/roads?limit=2.5', 'whole number'],
    ['/api/layers/roads?limit=0', 'at least 1'],
    ['/api/layers/roads?limit=10001', 'at most'],
    ['/api/layers/roads?colour=red', 'colour'],
  ])('rejects %s with a 400 that says why', async (path, why) => {
    const error = await expectError(path, 400, 'validation_failed')
    expect(error.error.message).toContain(why)
  })

  it('answers an unknown layer with 404 JSON naming the known ones', async () => {
    const error = await expectError('/api/layers/vulnerable_people', 404, 'not_found')
    expect(error.error.details).toMatchObject({ layers: expect.arrayContaining(['hazard_points']) })
  })

  it('answers an unknown API path with 404 JSON', async () => {
    await expectError('/api/nothing-here', 404, 'not_found')
  })

  it('reports its database home, PostGIS version and row counts to a signed-in admin only', async () => {
    const { status, body } = await getJson('/api/health')
    expect(status).toBe(200)
    expect(body).toEqual({ status: 'ok', database: { home: home.name } })
    for (const who of ['viewer', 'editor'] as const)
      expect(await (await (await signIn(ctx.app, who)).request('/api/health')).json()).toEqual(body)
    const admin = await (await signIn(ctx.app, 'admin')).request('/api/health')
    const full = (await admin.json()) as { database: object; counts: Record<string, number> }
    expect(full).toMatchObject({
      status: 'ok',
      database: { home: home.name, postgis: expect.stringMatching(/^3\.\d/), postgres: expect.any(String) },
    })
    expect(full.counts.natural_villages).toBeGreaterThanOrEqual(80)
  })

  it('publishes an OpenAPI document generated from the validating schemas, and a reference page', async () => {
    const { status, body } = await getJson('/api/openapi.json')
    expect(status).toBe(200)
    const doc = body as { openapi: string; paths: Record<string, { get: { parameters?: { name: string }[] } }> }
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/layers', '/api/layers/{id}', '/api/health']))
    expect(doc.paths['/api/layers/{id}']!.get.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(['id', 'bbox', 'limit']))
    const page = await ctx.app.request('/api/docs')
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('/api/layers/{id}')
  })
})
