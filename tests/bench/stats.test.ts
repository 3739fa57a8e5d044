import { describe, expect, it } from 'vitest'
import { percentile } from './stats.ts'

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6]
    expect(percentile(samples, 50)).toBe(5)
    expect(percentile(samples, 95)).toBe(10)
    expect(percentile([7], 50)).toBe(7)
  })
})
