import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { importTargets } from '@riskatlas/shared'
import { parseCsv } from './csv.ts'
import { geometryProblem } from './geometry.ts'
import { matchHeaders } from './headers.ts'
import { parseFile } from './parse.ts'
import { mapRows } from './rows.ts'
import { UnreadableFile } from './types.ts'

const zones = importTargets.danger_zones
const hazards = importTargets.hazard_points

/** JSON that looks like GeoJSON but is broken in every way generated JSON can be. */
const number = fc.oneof(fc.double(), fc.integer({ min: -200, max: 200 }), fc.constant(Number.NaN), fc.constant(1e308))
const position = fc.oneof(fc.tuple(number, number), fc.array(number, { maxLength: 4 }), fc.anything())
const ring = fc.oneof(fc.array(position, { maxLength: 6 }), fc.anything())
const geometry = fc.oneof(
  fc.record({
    type: fc.constantFrom('Point', 'LineString', 'Polygon', 'MultiPolygon', 'Nonsense', 'GeometryCollection'),
    coordinates: fc.oneof(position, ring, fc.array(ring, { maxLength: 3 }), fc.array(fc.array(ring, { maxLength: 2 }), { maxLength: 2 })),
  }),
  fc.constant(null),
  fc.anything(),
)
const feature = fc.record({
  type: fc.constant('Feature'),
  properties: fc.oneof(fc.dictionary(fc.constantFrom('code', '编号', 'x'), fc.anything()), fc.anything()),
  geometry,
})
const collection = fc.record({
  type: fc.constantFrom('FeatureCollection', 'Feature', 'Polygon', 'Other'),
  features: fc.oneof(fc.array(feature, { maxLength: 5 }), fc.anything()),
})

describe('malformed input (property-based)', () => {
  it('a GeoJSON file is either refused as unreadable or every geometry it yields is well-formed', async () => {
    await fc.assert(
      fc.asyncProperty(collection, async (doc) => {
        const bytes = new TextEncoder().encode(JSON.stringify(doc))
        let parsed
        try {
          parsed = await parseFile('x.geojson', bytes, { fields: zones.fields })
        } catch (error) {
          expect(error).toBeInstanceOf(UnreadableFile)
          return
        }
        const sheet = parsed.sheets[0]!
        const result = mapRows(sheet, zones, { mapping: matchHeaders(sheet.columns, zones.fields) }, true)
        for (const row of result.rows) expect(geometryProblem(row.geometry)).toBeUndefined()
        expect(result.rows.length + new Set(result.issues.map((issue) => issue.row)).size).toBe(sheet.records.length)
      }),
      { numRuns: 300 },
    )
  })
  it('any text parses as CSV without throwing, and mapped rows only carry points in range', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({
          unit: fc.constantFrom('a', '1', '.', ',', '"', '\n', '\r', '°', '经度', '纬度', '名称', '编号', '类型', '滑坡', ' ', '-', '9'),
          maxLength: 200,
        }),
        async (text) => {
          parseCsv(text)
          const parsed = await parseFile('x.csv', new TextEncoder().encode(text), { fields: hazards.fields })
          const sheet = parsed.sheets[0]!
          const result = mapRows(sheet, hazards, { mapping: matchHeaders(sheet.columns, hazards.fields) }, false)
          for (const row of result.rows) expect(geometryProblem(row.geometry)).toBeUndefined()
        },
      ),
      { numRuns: 300 },
    )
  })
})
