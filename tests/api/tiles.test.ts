import { VectorTile } from '@mapbox/vector-tile'
import { sql } from 'kysely'
import { PbfReader } from 'pbf'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorBodySchema, type Bbox } from '@riskatlas/shared'
import { inProcessTiles, postgisTiles } from '../../server/src/tiles/queries.ts'
import { tileAt, tilesCovering, type TileAddress } from '../../server/src/tiles/rules.ts'
import { findTileset, overviewBelowZoom, tilesets } from '../../server/src/tiles/tilesets.ts'
import { openHome, testHomes, type HomeContext } from '../support/homes.ts'

interface Decoded {
  id: number | undefined
  key: string
  properties: Record<string, unknown>
  type: number
  bounds: [number, number, number, number]
}

function decode(body: Uint8Array, layer: string): Decoded[] {
  if (body.byteLength === 0) return []
  const tile = new VectorTile(new PbfReader(body))
  const found = tile.layers[layer]
  expect(Object.keys(tile.layers)).toEqual([layer])
  const features: Decoded[] = []
  for (let i = 0; i < found!.length; i++) {
    const feature = found!.feature(i)
    const points = feature.loadGeometry().flat()
    const xs = points.map((p) => p.x)
    const ys = points.map((p) => p.y)
    features.push({
      id: feature.id,
      key: String(feature.id ?? feature.properties.code),
      properties: feature.properties,
      type: feature.type,
      bounds: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
    })
  }
  return features
}

/**
 * Vector tiles on both homes: the real PostGIS cuts them with ST_AsMVT, the embedded home in
 * process (geojson-vt + vt-pbf). Decoded with @mapbox/vector-tile, as MapLibre reads them.
 */
describe.each(testHomes())('vector tiles on the $name home', (home) => {
  let ctx: HomeContext
  beforeAll(() => {
    ctx = openHome(home)
  })
  afterAll(() => ctx.close())

  async function tile(tilesetId: string, { z, x, y }: TileAddress, headers: Record<string, string> = {}) {
    const response = await ctx.app.request(`/tiles/${tilesetId}/${z}/${x}/${y}.mvt`, { headers })
    return { response, body: new Uint8Array(await response.arrayBuffer()) }
  }

  async function layerExtent(layerId: string): Promise<Bbox> {
    const { layers } = (await (await ctx.app.request('/api/layers')).json()) as { layers: { id: string; bbox: Bbox }[] }
    return layers.find((layer) => layer.id === layerId)!.bbox
  }

  async function layerKeys(layerId: string): Promise<string[]> {
    const { features } = (await (await ctx.app.request(`/ogc/collections/${layerId}/items?limit=10000`)).json()) as {
      features: { id: number | string; properties: { code?: string } }[]
    }
    return features.map((feature) => String(layerId === 'village_boundaries' ? feature.properties.code : feature.id)).sort()
  }

  it('describes every tileset in TileJSON with its zooms, bounds, attribution and fields', async () => {
    const index = (await (await ctx.app.request('/tiles')).json()) as { tilesets: { name: string }[] }
    expect(index.tilesets.length).toBe(tilesets.length)
    for (const tileset of tilesets) {
      const response = await ctx.app.request(`/tiles/${tileset.id}/tilejson.json`)
      expect(response.status).toBe(200)
      const doc = (await response.json()) as any
      expect(doc.tilejson).toBe('3.0.0')
      expect(doc.tiles[0]).toMatch(new RegExp(`/tiles/${tileset.id}/\\{z\\}/\\{x\\}/\\{y\\}\\.mvt\\?v=\\d+$`))
      expect([doc.minzoom, doc.maxzoom]).toEqual([tileset.minzoom, tileset.maxzoom])
      expect(doc.bounds).toHaveLength(4)
      expect(doc.attribution).toContain('RiskAtlas')
      expect(Object.keys(doc.vector_layers[0].fields)).toEqual(tileset.attributes)
    }
  })

  it('decodes at every zoom of every tileset with only the declared attributes, and loses no feature at the largest zoom', async () => {
    const people = await ctx.db.selectFrom('vulnerable_people').select(['name', 'phone', 'address']).execute()
    const secrets = new Set(
      people.flatMap((person) => [person.name, person.phone, person.address]).filter((value): value is string => !!value),
    )
    expect(secrets.size).toBeGreaterThan(500)
    const values = new Set<string>()
    for (const tileset of tilesets) {
      const extent = await layerExtent(tileset.layer.id)
      const expectedKeys = await layerKeys(tileset.layer.id)
      for (let z = tileset.minzoom; z <= tileset.maxzoom; z++) {
        // Every tile at the small zooms; at the largest zoom every tile too (that is the completeness check).
        if (z > 12 && z < tileset.maxzoom) continue
        const seen = new Set<string>()
        let bytes = 0
        for (const address of tilesCovering(extent, z)) {
          const { response, body } = await tile(tileset.id, address)
          expect(response.status).toBe(200)
          expect(response.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile')
          expect(response.headers.get('x-tile-builder')).toBe(home.name === 'external' ? 'postgis' : 'in-process')
          bytes += body.byteLength
          for (const feature of decode(body, tileset.id)) {
            // Only the declared, public attributes: no name, phone or address of anyone.
            for (const key of Object.keys(feature.properties)) expect(tileset.attributes, `${tileset.id} z${z}`).toContain(key)
            for (const value of Object.values(feature.properties)) if (typeof value === 'string') values.add(value)
            seen.add(feature.key)
          }
        }
        expect(bytes, `${tileset.id} z${z}`).toBeGreaterThan(0)
        if (z === tileset.maxzoom) expect([...seen].sort(), `${tileset.id} z${z}`).toEqual(expectedKeys)
      }
    }
    expect(values.size).toBeGreaterThan(50)
    expect([...values].filter((value) => secrets.has(value))).toEqual([])
  })

  it('carries only county and township roads and index contours below the overview zoom, and every class from it on', async () => {
    const classes = async (tilesetId: string, z: number, property: string) => {
      const extent = await layerExtent(tilesetId)
      const seen = new Map<string, Set<string>>()
      for (const address of tilesCovering(extent, z))
        for (const feature of decode((await tile(tilesetId, address)).body, tilesetId)) {
          const value = String(feature.properties[property])
          seen.set(value, (seen.get(value) ?? new Set()).add(feature.key))
        }
      return seen
    }
    const roadsOverview = await classes('roads', overviewBelowZoom - 1, 'class')
    expect([...roadsOverview.keys()].sort()).toEqual(['county', 'township'])
    const roadsFull = await classes('roads', overviewBelowZoom, 'class')
    expect([...roadsFull.keys()].sort()).toEqual(['county', 'township', 'track', 'village'])
    // Every county and township road is still there below the overview zoom.
    for (const kind of ['county', 'township']) expect([...roadsOverview.get(kind)!].sort(), kind).toEqual([...roadsFull.get(kind)!].sort())
    const contoursOverview = await classes('contours', overviewBelowZoom - 1, 'elevation_m')
    expect(contoursOverview.size).toBeGreaterThan(0)
    expect([...contoursOverview.keys()].filter((elevation) => Number(elevation) % 100 !== 0)).toEqual([])
    const contoursFull = await classes('contours', overviewBelowZoom, 'elevation_m')
    expect([...contoursFull.keys()].filter((elevation) => Number(elevation) % 100 !== 0).length).toBeGreaterThan(0)
  })

  it('keeps a road that crosses a tile edge in the tiles on both sides', async () => {
    const { features } = (await (await ctx.app.request('/ogc/collections/roads/items?limit=10000')).json()) as {
      features: { id: number; geometry: { coordinates: [number, number][] } }[]
    }
    const crossing = features
      .map((feature) => {
        const coordinates = feature.geometry.coordinates
        return { id: feature.id, first: tileAt(...coordinates[0]!, 14), last: tileAt(...coordinates.at(-1)!, 14) }
      })
      .filter((road) => road.first.x !== road.last.x || road.first.y !== road.last.y)
      .slice(0, 15)
    expect(crossing.length).toBeGreaterThan(5)
    for (const road of crossing) {
      for (const address of [road.first, road.last]) {
        const ids = decode((await tile('roads', address)).body, 'roads').map((feature) => feature.id)
        expect(ids, `road ${road.id} in ${address.z}/${address.x}/${address.y}`).toContain(road.id)
      }
    }
  })

  it('answers ETag and Cache-Control, 304 for a matching If-None-Match, and a fresh tile after a data change', async () => {
    const extent = await layerExtent('roads')
    const address = tilesCovering(extent, 13).find(() => true)!
    const busy = await (async () => {
      for (const candidate of tilesCovering(extent, 13))
        if (decode((await tile('roads', candidate)).body, 'roads').length > 3) return candidate
      return address
    })()
    const first = await tile('roads', busy)
    const etag = first.response.headers.get('etag')!
    expect(etag).toMatch(/^"v\d+"$/)
    expect(first.response.headers.get('cache-control')).toContain('max-age')
    const again = await tile('roads', busy, { 'if-none-match': etag })
    expect(again.response.status).toBe(304)
    expect(again.body.byteLength).toBe(0)

    const feature = decode(first.body, 'roads')[0]!
    const original = feature.properties.name as string | undefined
    try {
      await sql`UPDATE roads SET name = ${'瓦片测试路'} WHERE id = ${feature.id}`.execute(ctx.db)
      const changed = await tile('roads', busy, { 'if-none-match': etag })
      expect(changed.response.status).toBe(200)
      expect(changed.response.headers.get('etag')).not.toBe(etag)
      expect(decode(changed.body, 'roads').find((candidate) => candidate.id === feature.id)!.properties.name).toBe('瓦片测试路')
    } finally {
      await sql`UPDATE roads SET name = ${original ?? null} WHERE id = ${feature.id}`.execute(ctx.db)
    }
  })

  it('refuses an unknown tileset (404) and a bad address (400) in the error envelope', async () => {
    for (const [path, status] of [
      ['/tiles/vulnerable_people/12/1/1.mvt', 404],
      ['/tiles/nope/tilejson.json', 404],
      ['/tiles/roads/3/1/1.mvt', 400],
      ['/tiles/roads/12/99999/1.mvt', 400],
      ['/tiles/roads/12/1/1.png', 400],
      ['/tiles/roads/x/1/1.mvt', 400],
    ] as const) {
      const response = await ctx.app.request(path)
      expect(response.status, path).toBe(status)
      errorBodySchema.parse(await response.json())
    }
  })

  it.runIf(home.name === 'external')('cuts the same features with ST_AsMVT as in process, within a tile unit or two', async () => {
    let compared = 0
    for (const tileset of tilesets) {
      const extent = await layerExtent(tileset.layer.id)
      for (const z of [tileset.minzoom, 11, tileset.maxzoom]) {
        const [cx, cy] = [(extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2]
        const centre = tileAt(cx, cy, z)
        for (const address of [centre, { ...centre, x: centre.x + 1 }]) {
          const a = decode(await postgisTiles.build(ctx.db, findTileset(tileset.id)!, address), tileset.id)
          const b = decode(await inProcessTiles.build(ctx.db, findTileset(tileset.id)!, address), tileset.id)
          const byKey = new Map(b.map((feature) => [feature.key, feature]))
          // Shapes that degenerate to nothing at a small zoom may be kept by one cutter and not the other.
          const tiny = (feature: Decoded) =>
            feature.bounds[2] - feature.bounds[0] < 3 && feature.bounds[3] - feature.bounds[1] < 3 && feature.type !== 1
          const keysA = new Set(a.map((feature) => feature.key))
          const where = `${tileset.id} ${z}/${address.x}/${address.y}`
          expect(
            a.filter((feature) => !byKey.has(feature.key) && !tiny(feature)).map((f) => f.key),
            `${where}: only ST_AsMVT`,
          ).toEqual([])
          expect(
            b.filter((feature) => !keysA.has(feature.key) && !tiny(feature)).map((f) => f.key),
            `${where}: only in process`,
          ).toEqual([])
          for (const feature of a) {
            const other = byKey.get(feature.key)
            if (!other) continue
            expect(other.properties, tileset.id).toEqual(feature.properties)
            expect(other.type).toBe(feature.type)
            for (let i = 0; i < 4; i++)
              expect(Math.abs(other.bounds[i]! - feature.bounds[i]!), `${tileset.id} ${feature.key}`).toBeLessThanOrEqual(2)
            compared += 1
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(100)
  })
})
