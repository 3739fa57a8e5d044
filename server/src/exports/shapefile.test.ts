import { unzipSync } from 'fflate'
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import { readZippedShapefile } from '../imports/shapefile.ts'
import { writeDbf, writeShp, zippedShapefile, type ShapeGeometry } from './shapefile.ts'

const square = (x: number, y: number, size: number, clockwise: boolean) => {
  const ring = [
    [x, y],
    [x + size, y],
    [x + size, y + size],
    [x, y + size],
    [x, y],
  ]
  return clockwise ? ring.reverse() : ring
}

/** The rings of the first record of a polygon .shp, read straight from the bytes. */
function firstRecordParts(shp: Uint8Array): number[][][] {
  const view = new DataView(shp.buffer, shp.byteOffset, shp.byteLength)
  const at = 108
  const parts = view.getInt32(at + 36, true)
  const points = view.getInt32(at + 40, true)
  const starts = Array.from({ length: parts }, (_, i) => view.getInt32(at + 44 + 4 * i, true))
  const xy = (i: number) => [view.getFloat64(at + 44 + 4 * parts + 16 * i, true), view.getFloat64(at + 52 + 4 * parts + 16 * i, true)]
  return starts.map((start, i) => Array.from({ length: (starts[i + 1] ?? points) - start }, (_, k) => xy(start + k)))
}

const shoelace = (ring: number[][]) =>
  ring.reduce((sum, [x, y], i) => sum + x! * ring[(i + 1) % ring.length]![1]! - ring[(i + 1) % ring.length]![0]! * y!, 0)

describe('writeShp', () => {
  it('writes outer rings clockwise and holes counter-clockwise, whatever the GeoJSON order', () => {
    const geometry: ShapeGeometry = {
      type: 'MultiPolygon',
      coordinates: [[square(0, 0, 10, false), square(2, 2, 2, true)], [square(20, 20, 1, false)]],
    }
    const rings = firstRecordParts(writeShp('polygon', [geometry]).shp)
    expect(rings).toHaveLength(3)
    expect(rings.map((ring) => Math.sign(shoelace(ring)))).toEqual([-1, 1, -1])
  })

  it('indexes every record in the .shx at its offset in the .shp', () => {
    const lines: ShapeGeometry[] = [
      {
        type: 'LineString',
        coordinates: [
          [0, 0],
          [1, 1],
        ],
      },
      {
        type: 'MultiLineString',
        coordinates: [
          [
            [0, 0],
            [1, 0],
          ],
          [
            [2, 2],
            [3, 3],
            [4, 4],
          ],
        ],
      },
    ]
    const { shp, shx } = writeShp('polyline', lines)
    const shpView = new DataView(shp.buffer)
    const shxView = new DataView(shx.buffer)
    expect(shxView.getInt32(24, false) * 2).toBe(shx.length)
    expect(shpView.getInt32(24, false) * 2).toBe(shp.length)
    for (let i = 0; i < lines.length; i++) {
      const offset = shxView.getInt32(100 + 8 * i, false) * 2
      expect(shpView.getInt32(offset, false)).toBe(i + 1)
      expect(shpView.getInt32(offset + 8, true)).toBe(3)
    }
    expect(new DataView(shp.buffer).getInt32(shxView.getInt32(108, false) * 2 + 8 + 36, true)).toBe(2)
  })

  it('refuses a geometry that does not fit the file’s kind', () => {
    expect(() =>
      writeShp('point', [
        {
          type: 'LineString',
          coordinates: [
            [0, 0],
            [1, 1],
          ],
        },
      ]),
    ).toThrow(/LineString/)
  })
})

describe('writeDbf', () => {
  it('writes text in GBK and says code page 936 in the language driver byte', () => {
    const dbf = writeDbf([{ name: 'name', type: 'C' }], [['云岭镇']])
    expect(dbf[29]).toBe(0x4d)
    const headerLength = dbf[8]! | (dbf[9]! << 8)
    expect([...dbf.subarray(headerLength + 1, headerLength + 7)]).toEqual([...iconv.encode('云岭镇', 'gbk')])
  })

  it('cuts a text longer than 254 bytes on a character boundary', () => {
    const dbf = writeDbf([{ name: 'name', type: 'C' }], [['岭'.repeat(200)]])
    expect(dbf[32 + 16]).toBe(254)
    const headerLength = dbf[8]! | (dbf[9]! << 8)
    expect(iconv.decode(Buffer.from(dbf.subarray(headerLength + 1, headerLength + 255)), 'gbk').trimEnd()).toBe('岭'.repeat(127))
  })

  it('refuses a field name the format cannot hold', () => {
    expect(() => writeDbf([{ name: 'threatened_people', type: 'N' }], [])).toThrow(/10/)
    expect(() => writeDbf([{ name: '名称', type: 'C' }], [])).toThrow()
  })
})

describe('zippedShapefile', () => {
  it('reads back through the import’s reader: Chinese text, numbers, logicals, nulls and points', async () => {
    const zip = zippedShapefile(
      'villages',
      'point',
      [
        { name: 'name', type: 'C' },
        { name: 'population', type: 'N', decimals: 0 },
        { name: 'elev_m', type: 'N', decimals: 2 },
        { name: 'passable', type: 'L' },
      ],
      [
        { geometry: { type: 'Point', coordinates: [99.123456, 25.654321] }, values: ['上寨', 312, 1650.25, true] },
        { geometry: { type: 'Point', coordinates: [99.2, 25.7] }, values: ['下寨', null, -3.5, false] },
      ],
    )
    expect(Object.keys(unzipSync(zip)).sort()).toEqual(['villages.cpg', 'villages.dbf', 'villages.prj', 'villages.shp', 'villages.shx'])
    expect(new TextDecoder().decode(unzipSync(zip)['villages.cpg'])).toBe('GBK')
    const parsed = await readZippedShapefile(zip)
    expect(parsed.encoding).toBe('gb18030')
    const records = parsed.sheets[0]!.records
    expect(records.map((record) => record.values)).toEqual([
      { name: '上寨', population: 312, elev_m: 1650.25, passable: true },
      { name: '下寨', population: null, elev_m: -3.5, passable: false },
    ])
    expect(records.map((record) => record.geometry)).toEqual([
      { type: 'Point', coordinates: [99.123456, 25.654321] },
      { type: 'Point', coordinates: [99.2, 25.7] },
    ])
  })
})
