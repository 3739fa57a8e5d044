import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import { useEventStream, type StreamChange } from './useEventStream.ts'

/** An EventSource that the test drives: opened sources, their listeners, and what they were asked for. */
class FakeSource extends EventTarget {
  static opened: FakeSource[] = []
  closed = false
  constructor(readonly url: string) {
    super()
    FakeSource.opened.push(this)
  }
  close(): void {
    this.closed = true
  }
  emit(type: string, data?: unknown): void {
    this.dispatchEvent(Object.assign(new Event(type), { data: JSON.stringify(data) }))
  }
}

const change = (id: number): StreamChange => ({
  id,
  type: 'data.changed',
  version: id,
  entity: 'warnings',
  action: 'create',
  ids: [id],
  at: '2026-07-18T10:00:00Z',
})

describe('useEventStream', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    FakeSource.opened = []
  })
  afterEach(() => vi.useRealTimers())

  function open() {
    const onChange = vi.fn()
    const onResync = vi.fn()
    const scope = effectScope()
    const stream = scope.run(() =>
      useEventStream({
        onChange,
        onResync,
        EventSourceImpl: FakeSource as unknown as typeof EventSource,
        minDelayMs: 1000,
        maxDelayMs: 4000,
      }),
    )!
    return { stream, scope, onChange, onResync }
  }

  it('is live after `ready` and hands every change on', () => {
    const { stream, scope, onChange } = open()
    expect(stream.state.value).toBe('connecting')
    FakeSource.opened[0]!.emit('ready', { type: 'ready', latestId: 5, replayed: 0, version: 5, heartbeatMs: 15000 })
    expect(stream.state.value).toBe('live')
    FakeSource.opened[0]!.emit('data.changed', change(6))
    expect(onChange).toHaveBeenCalledWith(change(6))
    expect(stream.lastEventId.value).toBe(6)
    scope.stop()
  })

  it('goes offline on an error, reconnects with backoff from the last event seen, and resyncs', () => {
    const { stream, scope, onResync } = open()
    const first = FakeSource.opened[0]!
    first.emit('ready', { type: 'ready', latestId: 7, replayed: 0, version: 7, heartbeatMs: 15000 })
    first.emit('error')
    expect(first.closed).toBe(true)
    expect(stream.state.value).toBe('offline')
    vi.advanceTimersByTime(999)
    expect(FakeSource.opened).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(FakeSource.opened[1]!.url).toBe('/api/events?lastEventId=7')
    FakeSource.opened[1]!.emit('error')
    vi.advanceTimersByTime(1999)
    expect(FakeSource.opened).toHaveLength(2)
    vi.advanceTimersByTime(1)
    expect(FakeSource.opened).toHaveLength(3)
    FakeSource.opened[2]!.emit('ready', { type: 'ready', latestId: 9, replayed: 2, version: 9, heartbeatMs: 15000 })
    expect(stream.state.value).toBe('live')
    expect(onResync).toHaveBeenCalledTimes(1)
    scope.stop()
  })

  it('refetches when the server cannot replay the gap', () => {
    const { scope, onResync } = open()
    FakeSource.opened[0]!.emit('reload', { type: 'reload', reason: 'gap_too_old', latestId: 90, oldestId: 40 })
    expect(onResync).toHaveBeenCalledTimes(1)
    scope.stop()
  })

  it('refetches after a change that names no table (a restore replaced everything)', () => {
    const { scope, onChange, onResync } = open()
    FakeSource.opened[0]!.emit('data.changed', change(3))
    expect(onResync).not.toHaveBeenCalled()
    const restored = { ...change(4), entity: 'data', action: 'update', ids: null }
    FakeSource.opened[0]!.emit('data.changed', restored)
    expect(onChange).toHaveBeenLastCalledWith(restored)
    expect(onResync).toHaveBeenCalledTimes(1)
    scope.stop()
  })

  it('closes its source and its retry timer with the scope', () => {
    const { scope } = open()
    FakeSource.opened[0]!.emit('error')
    expect(vi.getTimerCount()).toBe(1)
    scope.stop()
    expect(vi.getTimerCount()).toBe(0)
    vi.advanceTimersByTime(60_000)
    expect(FakeSource.opened).toHaveLength(1)
  })
})
