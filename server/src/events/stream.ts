import { createRoute, z } from '@hono/zod-openapi'
import { eventStreamQuerySchema, type ServerEvent, type StreamChange, type StreamReady, type StreamReload } from '@riskatlas/shared'
import type { AppContext } from '../context.ts'
import { errorResponse } from '../http.ts'
import { router } from '../router.ts'
import { currentDataVersion } from './changes.ts'
import { eventsAfter, forStream, historyBounds } from './history.ts'

/** A client this far behind (bytes queued and not read) is dropped; its browser reconnects and catches up. */
const maxQueuedBytes = 1024 * 1024

const streamRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['Events'],
  summary: 'Server-Sent Events: every data change, live, with ids; Last-Event-ID replays what was missed',
  description:
    'Frames: `ready` (first, after any replay), `data.changed` (one committed write: table, action, ids, data version), ' +
    '`reload` (the Last-Event-ID is older than the bounded history: refetch everything). A `: ping` comment every ' +
    'heartbeat. Ids increase monotonically and are shared by every server instance on the database. Never personal data.',
  request: { query: eventStreamQuerySchema },
  responses: {
    200: { description: 'The event stream', content: { 'text/event-stream': { schema: z.string() } } },
    400: errorResponse('Bad lastEventId'),
  },
})

const frame = (event: string, id: number, data: unknown) => `event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`

/** `Last-Event-ID` as an id, or undefined when absent or not a non-negative integer. */
function lastEventIdHeader(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,15}$/.test(value.trim())) return undefined
  return Number(value.trim())
}

/**
 * `/api/events`. Each connection subscribes to the events port (in-process, or the one LISTEN
 * connection of this instance on the external home) and holds no database connection: the
 * history is read once, at connect, to replay what a reconnecting client missed. Events that
 * arrive during the replay wait and are sent after it, each id once, in order.
 */
export function eventStreamRoutes({
  db,
  events,
  eventStream,
  shutdown,
  log,
}: Pick<AppContext, 'db' | 'events' | 'eventStream' | 'shutdown' | 'log'>) {
  return router().openapi(streamRoute, async (c) => {
    const lastId = lastEventIdHeader(c.req.header('last-event-id')) ?? c.req.valid('query').lastEventId
    const encoder = new TextEncoder()
    let controller!: ReadableStreamDefaultController<Uint8Array>
    let closed = false
    let live = false
    let sentUpTo = 0
    const pending: StreamChange[] = []

    const cleanup = () => {
      if (closed) return
      closed = true
      clearInterval(heartbeat)
      unsubscribe()
      shutdown.removeEventListener('abort', end)
      c.req.raw.signal.removeEventListener('abort', cleanup)
    }
    const end = () => {
      if (closed) return
      cleanup()
      try {
        controller.close()
      } catch {
        // already closed by the client
      }
    }
    const send = (text: string) => {
      if (closed) return
      if ((controller.desiredSize ?? 0) < -maxQueuedBytes) return end()
      controller.enqueue(encoder.encode(text))
    }
    const sendChange = (event: StreamChange) => {
      if (event.id <= sentUpTo) return
      sentUpTo = event.id
      send(frame('data.changed', event.id, forStream(event)))
    }
    const onEvent = (event: ServerEvent) => {
      if (event.type !== 'data.changed' || event.id === undefined) return
      const change = event as StreamChange
      if (live) sendChange(change)
      else pending.push(change)
    }

    const unsubscribe = events.subscribe(onEvent)
    const heartbeat = setInterval(() => send(': ping\n\n'), eventStream.heartbeatMs)
    heartbeat.unref()
    shutdown.addEventListener('abort', end)
    c.req.raw.signal.addEventListener('abort', cleanup)

    const body = new ReadableStream<Uint8Array>(
      {
        start(ctrl) {
          controller = ctrl
        },
        cancel: cleanup,
      },
      { highWaterMark: 0, size: (chunk) => chunk.byteLength },
    )

    const start = async () => {
      send('retry: 3000\n\n')
      const [bounds, version] = await Promise.all([historyBounds(db), currentDataVersion(db)])
      let replayed = 0
      const reload = (reason: StreamReload['reason']) => {
        sentUpTo = bounds.latest
        const data: StreamReload = { type: 'reload', reason, latestId: bounds.latest, oldestId: bounds.oldest }
        send(frame('reload', bounds.latest, data))
      }
      if (lastId === undefined) sentUpTo = bounds.latest
      else if (lastId > bounds.latest) reload('unknown_id')
      else if (bounds.oldest !== null && lastId < bounds.oldest - 1) reload('gap_too_old')
      else {
        sentUpTo = lastId
        for (const event of await eventsAfter(db, lastId, eventStream.history)) {
          sendChange(event)
          replayed++
        }
      }
      live = true
      for (const event of pending.sort((a, b) => a.id - b.id)) sendChange(event)
      pending.length = 0
      const ready: StreamReady = {
        type: 'ready',
        latestId: sentUpTo,
        replayed,
        version: version.version,
        heartbeatMs: eventStream.heartbeatMs,
      }
      send(frame('ready', sentUpTo, ready))
    }
    start().catch((error: Error) => {
      log(`an event stream could not start (${error.message}); the client will reconnect`)
      end()
    })

    return c.body(body, 200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    })
  })
}
