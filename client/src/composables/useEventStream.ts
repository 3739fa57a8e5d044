import { onScopeDispose, ref, shallowRef, type Ref, type ShallowRef } from 'vue'
import type { StreamChange, StreamReady, StreamReload } from '@riskatlas/shared'

export type { StreamChange }

export type StreamState = 'connecting' | 'live' | 'offline'

export interface EventStream {
  state: Ref<StreamState>
  /** When the screen last knew it was current: the last event or the last (re)connection. */
  currentAt: ShallowRef<Date | undefined>
  /** The newest event id seen; sent as `lastEventId` when reconnecting, so the server replays what was missed. */
  lastEventId: Ref<number | undefined>
  close(): void
}

export interface EventStreamOptions {
  url?: string
  /** Every `data.changed`, replayed ones included, in order. */
  onChange: (change: StreamChange) => void
  /**
   * The server could not replay the gap (`event: reload`), a reconnection happened, or a change
   * named no table (entity `data`: a restore): refetch what is shown.
   */
  onResync: () => void
  /** Backoff: first delay and ceiling, in ms. */
  minDelayMs?: number
  maxDelayMs?: number
  /** Where EventSource comes from (tests pass a fake). */
  EventSourceImpl?: typeof EventSource
}

/**
 * The live connection of a screen: one `EventSource` on `/api/events`. The browser's own retry
 * is not used — on any error the source is closed and reopened by us with exponential backoff
 * (1 s, 2 s, 4 s … 30 s) and `?lastEventId=` of the newest event seen, so the server replays the
 * gap; after a reconnection the caller is asked to resync anyway (cheap: counts), which also
 * covers a server that restarted with an empty history. Everything is released with the scope.
 */
export function useEventStream(options: EventStreamOptions): EventStream {
  const { url = '/api/events', onChange, onResync, minDelayMs = 1000, maxDelayMs = 30_000 } = options
  const Impl = options.EventSourceImpl ?? globalThis.EventSource
  const state = ref<StreamState>('connecting')
  const currentAt = shallowRef<Date>()
  const lastEventId = ref<number>()
  let source: EventSource | undefined
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let delay = minDelayMs
  let closed = false
  let wasOffline = false

  const onReady = (message: MessageEvent<string>) => {
    const ready = parse<StreamReady>(message.data)
    if (lastEventId.value === undefined && typeof ready?.latestId === 'number') lastEventId.value = ready.latestId
    state.value = 'live'
    currentAt.value = new Date()
    delay = minDelayMs
    if (wasOffline) onResync()
    wasOffline = false
  }
  const onData = (message: MessageEvent<string>) => {
    const change = parse<StreamChange>(message.data)
    if (!change) return
    if (typeof change.id === 'number') lastEventId.value = change.id
    currentAt.value = new Date()
    onChange(change)
    // `data`: a change that names no table (a restore replaced everything) — refetch what is shown.
    if (change.entity === 'data') onResync()
  }
  const onReload = (message: MessageEvent<string>) => {
    const reload = parse<StreamReload>(message.data)
    if (typeof reload?.latestId === 'number') lastEventId.value = reload.latestId
    onResync()
  }
  const onError = () => {
    if (closed) return
    detach()
    state.value = 'offline'
    wasOffline = true
    retryTimer = setTimeout(connect, delay)
    delay = Math.min(delay * 2, maxDelayMs)
  }

  function detach(): void {
    if (!source) return
    source.removeEventListener('ready', onReady as EventListener)
    source.removeEventListener('data.changed', onData as EventListener)
    source.removeEventListener('reload', onReload as EventListener)
    source.removeEventListener('error', onError)
    source.close()
    source = undefined
  }

  function connect(): void {
    retryTimer = undefined
    if (closed || !Impl) return
    const target = lastEventId.value === undefined ? url : `${url}${url.includes('?') ? '&' : '?'}lastEventId=${lastEventId.value}`
    source = new Impl(target, { withCredentials: true })
    source.addEventListener('ready', onReady as EventListener)
    source.addEventListener('data.changed', onData as EventListener)
    source.addEventListener('reload', onReload as EventListener)
    source.addEventListener('error', onError)
  }

  function close(): void {
    closed = true
    clearTimeout(retryTimer)
    detach()
  }

  connect()
  onScopeDispose(close)
  return { state, currentAt, lastEventId, close }
}

function parse<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T
  } catch {
    return undefined
  }
}
