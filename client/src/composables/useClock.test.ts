import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { clockText, dateTimeText, useClock } from './useClock.ts'

describe('useClock', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('ticks on whole seconds and does not fall behind over a day', () => {
    vi.setSystemTime(new Date('2026-07-18T10:00:00.400+08:00'))
    const scope = effectScope()
    const clock = scope.run(() => useClock())!
    vi.advanceTimersByTime(24 * 3600 * 1000)
    // After a day of ticks the clock shows the system time to the second.
    expect(clockText(clock.now.value)).toBe(clockText(new Date()))
    expect(Date.now() - clock.now.value.getTime()).toBeLessThan(1000)
    scope.stop()
  })

  it('rolls the day over at midnight in Beijing', () => {
    vi.setSystemTime(new Date('2026-07-18T23:59:58+08:00'))
    const scope = effectScope()
    const clock = scope.run(() => useClock())!
    expect(clock.today.value).toBe('2026-07-18')
    vi.advanceTimersByTime(3000)
    expect(clock.today.value).toBe('2026-07-19')
    scope.stop()
  })

  it('leaves no timer behind when its scope ends', () => {
    const scope = effectScope()
    scope.run(() => useClock())
    expect(vi.getTimerCount()).toBe(1)
    scope.stop()
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('dateTimeText', () => {
  it('writes a moment as month/day hh:mm in Beijing time, across the day boundary', () => {
    expect(dateTimeText('2026-12-03T13:41:00Z')).toBe('12/3 21:41')
    expect(dateTimeText('2026-12-31T16:05:00Z')).toBe('1/1 00:05')
  })
})
