import fc from 'fast-check'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { importPreviewSchema } from '@riskatlas/shared'
import { openHome, signIn, testHomes, type HomeContext, type Session } from '../support/homes.ts'

/**
 * Issue 13 §7 through the API: generated malformed GeoJSON and CSV, uploaded, previewed and —
 * where the preview finds nothing wrong — committed, never get a 5xx, and never leave an
 * invalid, empty or out-of-range geometry in the database. A committed run is undone at once,
 * so the demo town is as it was for the next run (and the next file).
 */
let serial = 0
type Outcome = 'refused' | 'commit refused' | 'committed'
const key = () => `import-property-${Date.now().toString(36)}-${serial++}`

describe.each(testHomes())('generated malformed imports on the $name home', (home) => {
  let ctx: HomeContext
  let editor: Session
  let codes: string[]
  let centre: [number, number]
  const uploads: number[] = []

  beforeAll(async () => {
    ctx = openHome(home)
    editor = await signIn(ctx.app, 'editor')
    const { rows } = await sql<{ code: string; lon: number; lat: number }>`
      SELECT code, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM hazard_points ORDER BY id LIMIT 3`.execute(ctx.db)
    codes = rows.map((row) => row.code)
    centre = [rows[0]!.lon, rows[0]!.lat]
  })

  afterAll(async () => {
    if (uploads.length) await sql`DELETE FROM imports WHERE id = ANY(${uploads}::integer[])`.execute(ctx.db)
    await ctx.close()
  })

  async function upload(layer: string, name: string, text: string): Promise<Response> {
    return await ctx.app.request(`/api/imports?layer=${layer}&fileName=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { cookie: editor.cookie, 'x-csrf-token': editor.csrfToken, 'content-type': 'application/octet-stream' },
      body: new TextEncoder().encode(text),
    })
  }

  /** Uploads, and commits when the preview is clean; returns what was stored (undone afterwards). */
  async function tryImport(layer: string, name: string, text: string, mode: string): Promise<Outcome> {
    const uploaded = await upload(layer, name, text)
    expect(uploaded.status, await uploaded.clone().text()).toBeLessThan(500)
    if (uploaded.status !== 201) {
      expect(uploaded.status).toBeGreaterThanOrEqual(400)
      const body = (await uploaded.json()) as { error?: { code?: string } }
      expect(typeof body.error?.code).toBe('string')
      return 'refused'
    }
    const preview = importPreviewSchema.parse(await uploaded.json())
    uploads.push(preview.import.id)
    // Committed whatever the preview found: a file with bad rows must be refused whole (4xx).
    const committed = await editor.request(`/api/imports/${preview.import.id}/commit`, {
      method: 'POST',
      body: { mode, idempotencyKey: key() },
    })
    expect(committed.status, await committed.clone().text()).toBeLessThan(500)
    if (committed.status !== 200) return 'commit refused'
    const stored = await invalidGeometries()
    const undone = await editor.request(`/api/imports/${preview.import.id}/undo`, { method: 'POST' })
    expect(undone.status).toBe(200)
    expect(stored).toBe(0)
    return 'committed'
  }

  const invalidGeometries = async () =>
    Number(
      (
        await sql<{ n: string }>`
          SELECT count(*) AS n FROM hazard_points
          WHERE NOT ST_IsValid(geom) OR ST_IsEmpty(geom) OR abs(ST_X(geom)) > 180 OR abs(ST_Y(geom)) > 90
             OR (danger_zone IS NOT NULL AND (NOT ST_IsValid(danger_zone) OR ST_IsEmpty(danger_zone)
                 OR GeometryType(danger_zone) NOT IN ('POLYGON', 'MULTIPOLYGON')))`.execute(ctx.db)
      ).rows[0]!.n,
    )

  it('GeoJSON danger zones: bow ties, open, short, empty, nested and nonsense rings never give a 5xx or an invalid stored zone', async () => {
    // Positions on a small grid around a real hazard point, so rings cross themselves often.
    const offset = fc.integer({ min: -3, max: 3 }).map((n) => n * 0.001)
    const position = fc.oneof(
      { weight: 30, arbitrary: fc.tuple(offset, offset).map(([dx, dy]) => [centre[0] + dx, centre[1] + dy]) },
      { weight: 1, arbitrary: fc.tuple(fc.double(), fc.double()) },
      { weight: 1, arbitrary: fc.anything() },
    )
    const ring = fc
      .tuple(
        fc.array(position, { minLength: 0, maxLength: 7 }),
        fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      )
      .map(([points, close]) => (points.length > 2 && close ? [...points, points[0]] : points))
    const geometry = fc.oneof(
      fc.record({ type: fc.constant('Polygon'), coordinates: fc.array(ring, { minLength: 0, maxLength: 2 }) }),
      fc.record({ type: fc.constant('MultiPolygon'), coordinates: fc.array(fc.array(ring, { maxLength: 2 }), { maxLength: 2 }) }),
      fc.record({ type: fc.constantFrom('Point', 'LineString', 'GeometryCollection', 'Nonsense'), coordinates: fc.anything() }),
      fc.constant(null),
    )
    const feature = fc.record({
      type: fc.constant('Feature'),
      properties: fc.record({
        编号: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...codes) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }),
      }),
      geometry: fc.oneof(
        { weight: 6, arbitrary: fc.record({ type: fc.constant('Polygon'), coordinates: fc.array(ring, { minLength: 1, maxLength: 2 }) }) },
        { weight: 1, arbitrary: geometry },
      ),
    })
    const doc = fc.record({
      type: fc.constant('FeatureCollection'),
      features: fc.uniqueArray(feature, { minLength: 1, maxLength: 2, selector: (f) => f.properties.编号 }),
    })
    const outcomes = new Set<Outcome>()
    await fc.assert(
      fc.asyncProperty(doc, async (collection) => {
        outcomes.add(await tryImport('danger_zones', 'zones.geojson', JSON.stringify(collection), 'upsert'))
      }),
      { numRuns: 60 },
    )
    expect(await invalidGeometries()).toBe(0)
    // The generator reaches both ends: files refused whole, and files stored (then undone).
    expect([...outcomes]).toEqual(expect.arrayContaining(['committed', 'commit refused']))
  })

  it('CSV hazard points: broken quoting, coordinates in every form and none never give a 5xx or a stored point out of range', async () => {
    const near = (at: number) => fc.integer({ min: -20, max: 20 }).map((n) => (at + n * 0.001).toFixed(6))
    const coordinate = fc.oneof(
      fc.double({ min: -400, max: 400, noNaN: false }).map(String),
      fc.constantFrom('99°10′12.5″E', '25°3\'1"', '99度10分12秒', '99 10 12.5', '９９．１', '', '-', 'NaN', 'Infinity', '1e309'),
      fc.string({ maxLength: 6 }),
    )
    const cell = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('"', '""', '"a,b"', '滑坡', '崩塌', '3', '-1', '1e9'))
    const sometimes = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) =>
      fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: bad })
    const row = fc.tuple(
      fc.string({ maxLength: 6 }),
      sometimes(fc.constantFrom('后山', '"村口, 东侧"', '=1+1'), cell),
      sometimes(fc.constantFrom('滑坡', '崩塌', 'debris_flow'), fc.constantFrom('火山', '', '"')),
      sometimes(near(centre[0]), coordinate),
      sometimes(near(centre[1]), coordinate),
      sometimes(fc.integer({ min: 0, max: 500 }).map(String), cell),
    )
    const csv = fc
      .tuple(fc.uniqueArray(row, { minLength: 1, maxLength: 3, selector: (r) => r[0] }), fc.boolean())
      .map(([rows, crlf]) =>
        [
          '编号,名称,类型,经度,纬度,威胁人数',
          ...rows.map(([code, ...cells]) => [`HZ-PROP-${serial++}-${code.replace(/[",\r\n]/g, '')}`, ...cells].join(',')),
        ].join(crlf ? '\r\n' : '\n'),
      )
    const outcomes = new Set<Outcome>()
    await fc.assert(
      fc.asyncProperty(csv, async (text) => {
        outcomes.add(await tryImport('hazard_points', 'points.csv', text, 'append'))
      }),
      { numRuns: 60 },
    )
    expect(await invalidGeometries()).toBe(0)
    // The generator reaches both ends: files refused whole, and files stored (then undone).
    expect([...outcomes]).toEqual(expect.arrayContaining(['committed', 'commit refused']))
  })
})
