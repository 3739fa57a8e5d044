import { onScopeDispose, ref, watch, type Ref } from 'vue'

export interface TourOptions {
  /** How long each stop is shown. */
  dwellMs?: number
  /** How long the tour waits after the last interaction before it goes on by itself. */
  pauseMs?: number
}

export interface Tour {
  /** The index of the stop shown (−1 when there is none). */
  index: Ref<number>
  paused: Ref<boolean>
  /** Someone touched the screen: stop moving until `pauseMs` passes without another touch. */
  interact(): void
  resume(): void
}

/**
 * The unattended big screen's tour through a list (the warned villages): one stop every
 * `dwellMs`, round and round; any interaction pauses it, and it resumes by itself after
 * `pauseMs` of quiet. One timer at a time, released with the scope; the list may change under
 * it (the index stays in range).
 */
export function useTour(count: () => number, options: TourOptions = {}): Tour {
  const { dwellMs = 12_000, pauseMs = 60_000 } = options
  const index = ref(-1)
  const paused = ref(false)
  let timer: ReturnType<typeof setTimeout> | undefined

  const schedule = (ms: number, then: () => void) => {
    clearTimeout(timer)
    timer = setTimeout(then, ms)
  }
  const step = () => {
    const n = count()
    index.value = n === 0 ? -1 : (index.value + 1) % n
    if (n > 0) schedule(dwellMs, step)
  }

  watch(
    count,
    (n) => {
      if (n === 0) {
        clearTimeout(timer)
        index.value = -1
        return
      }
      if (index.value >= n) index.value = n - 1
      if (index.value < 0 && !paused.value) step()
    },
    { immediate: true },
  )

  function interact(): void {
    paused.value = true
    schedule(pauseMs, resume)
  }

  function resume(): void {
    paused.value = false
    clearTimeout(timer)
    if (count() > 0) step()
  }

  onScopeDispose(() => clearTimeout(timer))
  return { index, paused, interact, resume }
}
