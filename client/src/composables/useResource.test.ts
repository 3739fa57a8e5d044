import { describe, expect, it } from 'vitest'
import { effectScope, nextTick, ref } from 'vue'
import { invalidate, useResource } from './useResource.ts'

/** A fetcher whose answers the test releases one by one, recording what was asked and aborted. */
function controlledFetcher() {
  const calls: { key: number; signal: AbortSignal; resolve: (value: string) => void; reject: (reason: unknown) => void }[] = []
  const fetcher = (key: number, signal: AbortSignal) =>
    new Promise<string>((resolve, reject) => calls.push({ key, signal, resolve, reject }))
  return { calls, fetcher }
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await nextTick()
}

describe('useResource', () => {
  it('loads for the key, keeps only the newest answer and aborts the one it replaces', async () => {
    const { calls, fetcher } = controlledFetcher()
    const key = ref(1)
    const scope = effectScope()
    const resource = scope.run(() => useResource(() => key.value, fetcher))!
    expect(resource.loading.value).toBe(true)
    key.value = 2
    await settle()
    expect(calls.map((call) => call.key)).toEqual([1, 2])
    expect(calls[0]!.signal.aborted).toBe(true)
    calls[1]!.resolve('two')
    calls[0]!.resolve('one (too late)')
    await settle()
    expect(resource.data.value).toBe('two')
    expect(resource.loading.value).toBe(false)
    scope.stop()
  })

  it('waits while the key is null, and does not ask twice for an equal key', async () => {
    const { calls, fetcher } = controlledFetcher()
    const key = ref<{ year: number } | null>(null)
    const scope = effectScope()
    const resource = scope.run(() =>
      useResource(
        () => key.value,
        (k, signal) => fetcher(k.year, signal),
      ),
    )!
    await settle()
    expect(calls).toHaveLength(0)
    expect(resource.loading.value).toBe(false)
    key.value = { year: 2026 }
    await settle()
    key.value = { year: 2026 }
    await settle()
    expect(calls.map((call) => call.key)).toEqual([2026])
    scope.stop()
  })

  it('holds the failure until the next success, and refetches on invalidate by tag', async () => {
    const { calls, fetcher } = controlledFetcher()
    const scope = effectScope()
    const resource = scope.run(() => useResource(() => 7, fetcher, { tags: ['drills'] }))!
    calls[0]!.reject(new Error('offline'))
    await settle()
    expect((resource.error.value as Error).message).toBe('offline')
    const again = invalidate('drills')
    await settle()
    calls[1]!.resolve('seven')
    await again
    expect(resource.data.value).toBe('seven')
    expect(resource.error.value).toBeUndefined()
    scope.stop()
    void invalidate('drills')
    expect(calls).toHaveLength(2)
  })

  it('aborts what is in flight when its component goes away', async () => {
    const { calls, fetcher } = controlledFetcher()
    const scope = effectScope()
    scope.run(() => useResource(() => 1, fetcher))
    scope.stop()
    expect(calls[0]!.signal.aborted).toBe(true)
  })
})

describe('useResource without keepPrevious', () => {
  it('forgets the previous key’s data as soon as the key changes', async () => {
    const { calls, fetcher } = controlledFetcher()
    const key = ref(1)
    const scope = effectScope()
    const resource = scope.run(() => useResource(() => key.value, fetcher, { keepPrevious: false }))!
    calls[0]!.resolve('village 1')
    await settle()
    expect(resource.data.value).toBe('village 1')
    key.value = 2
    await settle()
    expect(resource.data.value).toBeUndefined()
    scope.stop()
  })
})
