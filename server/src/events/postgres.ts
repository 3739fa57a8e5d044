import pg from 'pg'
import { serverEventSchema, type ServerEvent } from '@riskatlas/shared'
import { deliver, type EventListener, type EventsPort } from './port.ts'

/** The channel every RiskAtlas instance on one database listens to. */
export const eventsChannel = 'riskatlas_events'

/** NOTIFY payloads must stay under 8000 bytes; longer id lists are sent as null ("many"). */
const maxIdsInPayload = 500

/** The NOTIFY payload of an event: long id lists are sent as null ("many"), to stay under 8000 bytes. */
export function notifyPayload(event: ServerEvent): ServerEvent {
  return event.type === 'data.changed' && event.ids && event.ids.length > maxIdsInPayload ? { ...event, ids: null } : event
}

export interface PostgresEventsOptions {
  /** Where to publish from (the app's pool). */
  pool: pg.Pool
  /** The database to LISTEN on, over a connection of its own that no query ever borrows. */
  connectionString: string
  log?: (line: string) => void
  /** Wait before re-listening after the listening connection drops (doubles up to 30 s). */
  retryMs?: number
}

/**
 * The external home's events: `pg_notify` to publish (any pooled connection), and one
 * dedicated connection holding `LISTEN` that hands each notification to the subscribers.
 * Every instance on the database hears every instance's events, its own included.
 * If the listening connection drops it reconnects with backoff; events sent while it was
 * away are missed (subscribers reconcile through the data version).
 */
export function postgresEvents(options: PostgresEventsOptions): EventsPort & { listening(): Promise<void> } {
  const log = options.log ?? (() => {})
  const listeners = new Set<EventListener>()
  let client: pg.Client | undefined
  let connecting: Promise<void> | undefined
  let closed = false
  let retryMs = options.retryMs ?? 500
  let retryTimer: NodeJS.Timeout | undefined

  const onNotification = (message: pg.Notification) => {
    if (message.channel !== eventsChannel || !message.payload) return
    let event: ServerEvent
    try {
      event = serverEventSchema.parse(JSON.parse(message.payload))
    } catch {
      log(`ignored a malformed event on ${eventsChannel}`)
      return
    }
    deliver([...listeners], event, log)
  }

  const listen = (): Promise<void> => {
    connecting ??= (async () => {
      const next = new pg.Client({ connectionString: options.connectionString, application_name: 'riskatlas-events' })
      next.on('notification', onNotification)
      next.on('error', (error) => dropped(next, error))
      next.on('end', () => dropped(next, new Error('connection ended')))
      try {
        await next.connect()
        await next.query(`LISTEN ${eventsChannel}`)
      } catch (error) {
        next.removeAllListeners()
        await next.end().catch(() => {})
        throw error
      }
      if (closed) {
        await next.end().catch(() => {})
        return
      }
      client = next
      retryMs = options.retryMs ?? 500
    })().finally(() => {
      connecting = undefined
    })
    return connecting
  }

  const dropped = (which: pg.Client, error: Error) => {
    if (client !== which || closed) return
    client = undefined
    log(`the events connection dropped (${error.message}); listening again shortly`)
    scheduleRetry()
  }

  const scheduleRetry = () => {
    if (closed || retryTimer) return
    retryTimer = setTimeout(() => {
      retryTimer = undefined
      listen().catch((error: Error) => {
        log(`could not listen for events (${error.message}); retrying`)
        retryMs = Math.min(retryMs * 2, 30_000)
        scheduleRetry()
      })
    }, retryMs)
    retryTimer.unref()
  }

  return {
    kind: 'postgres',
    async publish(event) {
      await options.pool.query('SELECT pg_notify($1, $2)', [eventsChannel, JSON.stringify(notifyPayload(event))])
    },
    subscribe(listener) {
      listeners.add(listener)
      if (!client) listen().catch(() => scheduleRetry())
      return () => listeners.delete(listener)
    },
    /** Resolves once the LISTEN is in place (tests wait for it before publishing). */
    async listening() {
      while (!client && !closed) await listen().catch(() => new Promise((resolve) => setTimeout(resolve, retryMs)))
    },
    async close() {
      closed = true
      if (retryTimer) clearTimeout(retryTimer)
      listeners.clear()
      await connecting?.catch(() => {})
      const last = client
      client = undefined
      await last?.end().catch(() => {})
    },
  }
}
