import { describe, expect, it } from 'vitest'
import { closeRing, pointInRing, rasterizeRing, round6, segmentsIntersect, signedArea2, simplify, smoothLine, type XY } from './geo.ts'
import { Rng } from './random.ts'

describe('round6', () => {
  it('rounds to six decimals and never writes -0', () => {
    expect(round6(99.12345649)).toBe(99.123456)
    expect(round6(25.0000005)).toBe(25.000001)
    expect(Object.is(round6(-0.0000001), 0)).toBe(true)
  })
})

describe('closeRing', () => {
  it('closes an open clockwise ring and turns it counter-clockwise', () => {
    const ring = closeRing([
      [0, 0],
      [0, 1],
      [1, 1],
      [1, 0],
    ])
    expect(ring).toHaveLength(5)
    expect(ring[0]).toEqual(ring[4])
    expect(signedArea2(ring)).toBeGreaterThan(0)
  })

  it('orients a hole clockwise', () => {
    expect(
      signedArea2(
        closeRing(
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 0],
          ],
          true,
        ),
      ),
    ).toBeLessThan(0)
  })
})

describe('segmentsIntersect', () => {
  it('finds crossings and touches, not near misses', () => {
    expect(segmentsIntersect([0, 0], [2, 2], [0, 2], [2, 0])).toBe(true)
    expect(segmentsIntersect([0, 0], [1, 1], [1, 1], [2, 0])).toBe(true)
    expect(segmentsIntersect([0, 0], [1, 0], [0, 0.001], [1, 0.001])).toBe(false)
  })
})

describe('rasterizeRing', () => {
  it('agrees with the point-in-ring test at every cell centre', () => {
    const rng = new Rng(3)
    const ring: XY[] = Array.from({ length: 30 }, (_, k) => {
      const angle = (2 * Math.PI * k) / 30
      const radius = 40 + rng.range(-12, 12)
      return [radius * Math.cos(angle), radius * Math.sin(angle)]
    })
    const mask = rasterizeRing(ring, -60, -60, 3, 41, 41)
    let disagreements = 0
    for (let j = 0; j < 41; j++)
      for (let i = 0; i < 41; i++) if (Boolean(mask[j * 41 + i]) !== pointInRing([-60 + 3 * i, -60 + 3 * j], ring)) disagreements++
    expect(disagreements).toBe(0)
    expect(mask.reduce((sum, value) => sum + value, 0)).toBeGreaterThan(300)
  })
})

describe('line shaping', () => {
  it('simplify keeps both ends and drops points within the tolerance', () => {
    expect(
      simplify(
        [
          [0, 0],
          [1, 0.1],
          [2, 0],
          [3, 5],
        ],
        0.5,
      ),
    ).toEqual([
      [0, 0],
      [2, 0],
      [3, 5],
    ])
  })

  it('smoothLine keeps the ends and the pinned vertices in place', () => {
    const line: XY[] = [
      [0, 0],
      [10, 0],
      [10, 10],
      [20, 10],
      [20, 20],
    ]
    const smooth = smoothLine(line, 2, new Set([2]))
    expect(smooth[0]).toEqual([0, 0])
    expect(smooth[smooth.length - 1]).toEqual([20, 20])
    expect(smooth).toContainEqual([10, 10])
    expect(smooth.length).toBeGreaterThan(line.length)
  })
})
