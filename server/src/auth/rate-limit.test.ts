import { describe, expect, it } from 'vitest'
import { RateLimiter } from './rate-limit.ts'

describe('RateLimiter', () => {
  it('allows the limit, then answers with the seconds left in the window', () => {
    let now = 0
    const limiter = new RateLimiter(3, 60_000, () => now)
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter('ip')).toBe(0)
      limiter.hit('ip')
    }
    expect(limiter.retryAfter('ip')).toBe(60)
    now = 45_000
    expect(limiter.retryAfter('ip')).toBe(15)
    expect(limiter.retryAfter('other')).toBe(0)
    now = 60_000
    expect(limiter.retryAfter('ip')).toBe(0)
  })
})
