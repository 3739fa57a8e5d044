import { computed, getCurrentScope, onScopeDispose, ref, shallowRef, watch, type Ref, type ShallowRef } from 'vue'

/**
 * Server data a view shows: what it holds, whether it is loading, what failed, and how to ask
 * again. Views use this instead of hand-rolling loading flags, abort controllers and refetches.
 */
export interface Resource<T> {
  /** The last answer (kept while a new key loads, so a list does not blink empty). */
  data: ShallowRef<T | undefined>
  /** The last failure, cleared by the next success; undefined when none. */
  error: ShallowRef<unknown>
  loading: Readonly<Ref<boolean>>
  /** Asks again with the current key; resolves when the answer (or failure) is in. */
  refetch(): Promise<void>
  /** Replaces the data locally, e.g. with what a write returned, without asking the server. */
  mutate(update: (current: T | undefined) => T | undefined): void
}

export interface ResourceOptions {
  /** Names this resource answers to in `invalidate(tag)`: every live resource with it refetches. */
  tags?: readonly string[]
  /**
   * Keep showing the previous key's data while the new key loads (default). Off for data that
   * belongs to one thing (a village's drills must not show under the next village).
   */
  keepPrevious?: boolean
}

const byTag = new Map<string, Set<() => Promise<void>>>()

/** Refetches every live resource tagged `tag` (after a write that changed what they show). */
export async function invalidate(...tags: string[]): Promise<void> {
  const refetches = new Set(tags.flatMap((tag) => [...(byTag.get(tag) ?? [])]))
  await Promise.all([...refetches].map((refetch) => refetch()))
}

/**
 * Loads `fetcher(key)` whenever the key changes (compared by value; `null` or `undefined`
 * means "nothing to load yet"), aborting the request it replaces; only the newest answer is
 * kept. Everything stops when the calling component (or effect scope) ends.
 */
export function useResource<K, T>(
  key: () => K | null | undefined,
  fetcher: (key: K, signal: AbortSignal) => Promise<T>,
  options: ResourceOptions = {},
): Resource<T> {
  const data = shallowRef<T>()
  const error = shallowRef<unknown>()
  const loading = ref(false)
  let inflight: AbortController | undefined
  const keyText = computed(() => {
    const value = key()
    return value === null || value === undefined ? undefined : JSON.stringify(value)
  })

  async function run(): Promise<void> {
    inflight?.abort()
    const value = key()
    if (value === null || value === undefined) {
      loading.value = false
      return
    }
    const controller = new AbortController()
    inflight = controller
    loading.value = true
    try {
      const answer = await fetcher(value, controller.signal)
      if (inflight !== controller) return
      data.value = answer
      error.value = undefined
    } catch (reason) {
      if (inflight !== controller || controller.signal.aborted) return
      error.value = reason
    } finally {
      if (inflight === controller) {
        loading.value = false
        inflight = undefined
      }
    }
  }

  watch(
    keyText,
    () => {
      if (options.keepPrevious === false) data.value = undefined
      void run()
    },
    { immediate: true },
  )
  for (const tag of options.tags ?? []) {
    if (!byTag.has(tag)) byTag.set(tag, new Set())
    byTag.get(tag)!.add(run)
  }
  if (getCurrentScope()) {
    onScopeDispose(() => {
      inflight?.abort()
      inflight = undefined
      for (const tag of options.tags ?? []) byTag.get(tag)?.delete(run)
    })
  }

  return {
    data,
    error,
    loading,
    refetch: run,
    mutate: (update) => {
      data.value = update(data.value)
    },
  }
}
