import { describe, expect, it } from 'vitest'
import { boxTouchesRings, insetProjection, labelWidth, placeLabel, scaleBar, splitLabel, svgPath } from './inset.ts'

describe('the card inset projection', () => {
  const projection = insetProjection([99.0, 25.0, 99.02, 25.01], 400, 300)

  it('puts north up and west left, inside the box', () => {
    const [westX, northY] = projection.project([99.0, 25.01])
    const [eastX, southY] = projection.project([99.02, 25.0])
    expect(westX).toBeLessThan(eastX)
    expect(northY).toBeLessThan(southY)
    for (const value of [westX, eastX]) expect(value).toBeGreaterThanOrEqual(0)
    expect(eastX).toBeLessThanOrEqual(400)
    expect(southY).toBeLessThanOrEqual(300)
  })

  it('keeps a metre a metre in both directions', () => {
    const [x0, y0] = projection.project([99.01, 25.005])
    const [x1] = projection.project([99.01 + 0.001 / Math.cos((25.005 * Math.PI) / 180), 25.005])
    const [, y1] = projection.project([99.01, 25.006])
    expect(x1 - x0).toBeCloseTo(y0 - y1, 3)
  })

  it('draws lines open and polygons closed, and ignores points', () => {
    expect(
      svgPath(
        {
          type: 'LineString',
          coordinates: [
            [99.0, 25.0],
            [99.02, 25.01],
          ],
        },
        projection,
      ),
    ).toMatch(/^M[\d. ]+L[\d. ]+$/)
    expect(
      svgPath(
        {
          type: 'MultiPolygon',
          coordinates: [
            [
              [
                [99, 25],
                [99.01, 25],
                [99.01, 25.01],
                [99, 25],
              ],
            ],
          ],
        },
        projection,
      ),
    ).toMatch(/Z$/)
    expect(svgPath({ type: 'Point', coordinates: [99.01, 25.005] }, projection)).toBe('')
  })

  it('picks a round scale bar about a quarter of the width', () => {
    const bar = scaleBar(projection)
    expect([200, 250, 500]).toContain(bar.metres)
    expect(bar.units).toBeGreaterThan(50)
    expect(bar.units).toBeLessThan(200)
  })
})

describe('placing a label beside its symbol', () => {
  const frame = { width: 400, height: 300 }
  /** A danger zone covering everything right of x = 210 around the symbol at (200, 150). */
  const zoneToTheRight: [number, number][][] = [
    [
      [210, 100],
      [320, 100],
      [320, 200],
      [210, 200],
      [210, 100],
    ],
  ]

  it('puts it to the right when nothing is in the way', () => {
    const label = placeLabel([200, 150], '青松小学', { fontSize: 12, gap: 10, frame, avoid: [], taken: [] })
    expect(label.box.x).toBe(210)
    expect(label.clear).toBe(true)
  })

  it('moves it off a danger zone to the other side, still beside its symbol', () => {
    const label = placeLabel([200, 150], '青松小学', { fontSize: 12, gap: 10, frame, avoid: zoneToTheRight, taken: [] })
    expect(boxTouchesRings(label.box, zoneToTheRight)).toBe(false)
    expect(label.box.x + label.box.width).toBeLessThanOrEqual(200)
    expect(200 - (label.box.x + label.box.width)).toBeLessThan(12)
    expect(label.clear).toBe(true)
  })

  it('keeps it inside the frame and off labels already placed', () => {
    const nearEdge = placeLabel([395, 150], '安置点', { fontSize: 12, gap: 10, frame, avoid: [], taken: [] })
    expect(nearEdge.box.x + nearEdge.box.width).toBeLessThanOrEqual(400)
    const taken = [{ x: 150, y: 130, width: 40, height: 40 }]
    const beside = placeLabel([200, 150], '安置点', { fontSize: 12, gap: 10, frame, avoid: [], taken })
    expect(beside.box.x).toBe(210)
    const crowded = placeLabel([200, 150], '安置点', { fontSize: 12, gap: 10, frame, avoid: zoneToTheRight, taken })
    expect(boxTouchesRings(crowded.box, zoneToTheRight)).toBe(false)
  })

  it('measures Chinese a full em per character', () => {
    expect(labelWidth('避险点', 12)).toBe(36)
    expect(labelWidth('A1', 10)).toBe(12)
  })

  it('puts a long name on two lines when one line fits nowhere beside the symbol off the zones', () => {
    // Zones far to the left and just right of the symbol: room for a short block on its left only.
    const sides: [number, number][][] = [
      [
        [0, 0],
        [90, 0],
        [90, 300],
        [0, 300],
        [0, 0],
      ],
      [
        [215, 0],
        [400, 0],
        [400, 300],
        [215, 300],
        [215, 0],
      ],
    ]
    const name = '河边寨村委会广场避险安置点'
    expect(splitLabel(name)).toEqual(['河边寨村委会广场', '避险安置点'])
    const label = placeLabel([200, 150], name, { fontSize: 12, gap: 10, frame, avoid: sides, taken: [] })
    expect(label.lines).toHaveLength(2)
    expect(label.clear).toBe(true)
    expect(boxTouchesRings(label.box, sides)).toBe(false)
    const wide = placeLabel([200, 150], name, { fontSize: 12, gap: 10, frame, avoid: [], taken: [] })
    expect(wide.lines).toEqual([name])
  })
})
