import type { ServerEvent } from '@riskatlas/shared'

export type EventListener = (event: ServerEvent) => void

/**
 * The events port: one way to say "this happened" and to hear it, whichever home the server
 * runs on. `publish` is called after the write has committed; every subscriber — on every
 * server instance sharing the database, on the external home — receives the event once.
 * Delivery is best effort (a crash between commit and publish loses the event, never the
 * data): a subscriber that must not miss anything compares data versions (`GET /api/data-version`).
 */
export interface EventsPort {
  /** `in-process` on the embedded home (one process), `postgres` (LISTEN/NOTIFY) on the external one. */
  readonly kind: 'in-process' | 'postgres'
  publish(event: ServerEvent): Promise<void>
  /** Returns the function that unsubscribes. A listener that throws does not stop the others. */
  subscribe(listener: EventListener): () => void
  close(): Promise<void>
}

/** Calls every listener; one that throws is logged and the rest still hear the event. */
export function deliver(listeners: Iterable<EventListener>, event: ServerEvent, log: (line: string) => void): void {
  for (const listener of listeners) {
    try {
      listener(event)
    } catch (error) {
      log(`an event listener failed on ${event.type}: ${(error as Error).message}`)
    }
  }
}

/** The embedded home's bus: one process serves the town, so the events stay in it. */
export function inProcessEvents(log: (line: string) => void = () => {}): EventsPort {
  const listeners = new Set<EventListener>()
  return {
    kind: 'in-process',
    async publish(event) {
      // Delivered on a later tick, as a NOTIFY would be: the publisher's request is not held up.
      queueMicrotask(() => deliver([...listeners], event, log))
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async close() {
      listeners.clear()
    },
  }
}
