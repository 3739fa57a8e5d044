import { describe, expect, it } from 'vitest'
import { insetProjection, scaleBar, svgPath } from './inset.ts'

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
