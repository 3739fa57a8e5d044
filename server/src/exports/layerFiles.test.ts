import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { findLayer, layerCatalogue } from '@riskatlas/shared'
import { parseCsv } from '../imports/csv.ts'
import { dbfFieldName, dbfFieldNames, geometryWkt, layerCsv, type LayerFeature } from './layerFiles.ts'

const hazardPoints = findLayer('hazard_points')!

function hazard(id: number, properties: Record<string, unknown>): LayerFeature {
  return { id, geometry: { type: 'Point', coordinates: [99.1, 25.1] }, properties }
}

describe('dbfFieldNames', () => {
  it.each(layerCatalogue.map((layer) => [layer.id, layer] as const))(
    'gives every property of %s a distinct name of at most 10 bytes',
    (_, layer) => {
      const names = ['id', ...layer.properties.map((property) => dbfFieldName(property.name))]
      for (const name of names) expect(Buffer.byteLength(name), name).toBeLessThanOrEqual(10)
      expect(new Set(names.map((name) => name.toLowerCase())).size).toBe(names.length)
    },
  )

  it('is the table docs/EXPORTS.md lists, row for row', () => {
    const doc = fs.readFileSync(new URL('../../../docs/EXPORTS.md', import.meta.url), 'utf8')
    const rows = [...doc.matchAll(/^\| `(\w+)` +\| `(\w+)` +\|$/gm)].map((match) => [match[1], match[2]])
    expect(Object.fromEntries(rows)).toEqual(dbfFieldNames)
  })

  it('maps only names that need it', () => {
    for (const property of Object.keys(dbfFieldNames)) expect(property.length, property).toBeGreaterThan(10)
  })
})

describe('layerCsv', () => {
  it('starts with a BOM and the Chinese headers, lon/lat last for a point layer', () => {
    const text = layerCsv(hazardPoints, [])
    expect(text.startsWith('\uFEFF')).toBe(true)
    expect(parseCsv(text.slice(1))[0]).toEqual(['要素ID', ...hazardPoints.properties.map((property) => property.title.zh), '经度', '纬度'])
  })

  it.each(['=HYPERLINK("http://evil.example","点我")', '+1+1', '-2+3', '@SUM(A1)', '\tTAB', '\rCR'])(
    'neutralises a cell starting like a formula: %j',
    (name) => {
      const row = parseCsv(layerCsv(hazardPoints, [hazard(7, { name })]).slice(1))[1]!
      expect(row[2]).toBe(`'${name}`)
    },
  )

  it('leaves negative numbers numbers and joins lists with 、', () => {
    const row = parseCsv(
      layerCsv(hazardPoints, [hazard(7, { name: '小河沟', risk_level: -1, threatened_villages: ['上寨', '下寨'] })]).slice(1),
    )[1]!
    const column = (name: string) => row[1 + hazardPoints.properties.findIndex((property) => property.name === name)]
    expect(column('risk_level')).toBe('-1')
    expect(column('threatened_villages')).toBe('上寨、下寨')
    expect(row.slice(-2)).toEqual(['99.1', '25.1'])
  })
})

describe('geometryWkt', () => {
  it('writes lines and multipolygons as OGC WKT', () => {
    expect(
      geometryWkt({
        type: 'LineString',
        coordinates: [
          [99.1, 25.1],
          [99.2, 25.25],
        ],
      }),
    ).toBe('LINESTRING (99.1 25.1, 99.2 25.25)')
    expect(
      geometryWkt({
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 0],
            ],
          ],
          [
            [
              [2, 2],
              [3, 2],
              [3, 3],
              [2, 2],
            ],
          ],
        ],
      }),
    ).toBe('MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((2 2, 3 2, 3 3, 2 2)))')
  })
})
