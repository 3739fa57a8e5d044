import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'
import { useTour } from './useTour.ts'

describe('useTour', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('goes round the stops, one every dwell', () => {
    const scope = effectScope()
    const tour = scope.run(() => useTour(() => 3, { dwellMs: 1000, pauseMs: 5000 }))!
    const seen = [tour.index.value]
    for (let i = 0; i < 4; i++) {
      vi.advanceTimersByTime(1000)
      seen.push(tour.index.value)
    }
    expect(seen).toEqual([0, 1, 2, 0, 1])
    scope.stop()
  })

  it('stops on interaction and goes on by itself after a quiet pause', () => {
    const scope = effectScope()
    const tour = scope.run(() => useTour(() => 3, { dwellMs: 1000, pauseMs: 5000 }))!
    tour.interact()
    vi.advanceTimersByTime(4000)
    expect(tour.index.value).toBe(0)
    expect(tour.paused.value).toBe(true)
    tour.interact() // another touch: the pause starts again
    vi.advanceTimersByTime(4999)
    expect(tour.paused.value).toBe(true)
    vi.advanceTimersByTime(1)
    expect(tour.paused.value).toBe(false)
    expect(tour.index.value).toBe(1)
    scope.stop()
  })

  it('follows a list that shrinks or empties, with one timer at most', async () => {
    const count = ref(3)
    const scope = effectScope()
    const tour = scope.run(() => useTour(() => count.value, { dwellMs: 1000 }))!
    vi.advanceTimersByTime(2000)
    expect(tour.index.value).toBe(2)
    count.value = 2
    await nextTick()
    expect(tour.index.value).toBe(1)
    count.value = 0
    await nextTick()
    expect(tour.index.value).toBe(-1)
    expect(vi.getTimerCount()).toBe(0)
    count.value = 2
    await nextTick()
    expect(tour.index.value).toBe(0)
    expect(vi.getTimerCount()).toBe(1)
    scope.stop()
    expect(vi.getTimerCount()).toBe(0)
  })
})
