import { sql, type Kysely } from 'kysely'
import type { ServerEvent, StreamChange } from '@riskatlas/shared'
import type { Database } from '../db/schema.ts'
import { vulnerablePeopleTable } from '../people/rules.ts'
import type { EventsPort } from './port.ts'
import { eventsChannel, notifyPayload } from './postgres.ts'

/** How many events the history keeps by default: a screen offline for longer is told to reload. */
export const defaultEventHistory = 1000

/** Serializes recording and NOTIFY across instances, so ids are committed — and heard — in order. */
const eventLockKey = 0x5249_4b41 // 'RIKA'

/**
 * The events port with a memory: every published event is first written to `event_log`
 * (one bounded table every instance shares), which gives it its id — monotonically increasing
 * across instances — and then handed to the port carrying that id. On the external home the
 * insert and the `pg_notify` happen in one short transaction holding an advisory lock, so ids
 * commit and notifications arrive in id order on every instance; the in-process port publishes
 * after the insert committed. Rows beyond `limit` are pruned as new ones arrive.
 */
export function recordedEvents(db: Kysely<Database>, port: EventsPort, limit = defaultEventHistory): EventsPort {
  return {
    kind: port.kind,
    async publish(event) {
      if (event.type !== 'data.changed') return port.publish(event)
      const body: Omit<ServerEvent, 'id'> = { ...event }
      delete (body as Partial<ServerEvent>).id
      if (port.kind === 'postgres') {
        await db.transaction().execute(async (trx) => {
          await sql`SELECT pg_advisory_xact_lock(${eventLockKey})`.execute(trx)
          const id = await insertEvent(trx, body, limit)
          await sql`SELECT pg_notify(${eventsChannel}, ${JSON.stringify(notifyPayload({ ...body, id }))})`.execute(trx)
        })
        return
      }
      const id = await db.transaction().execute((trx) => insertEvent(trx, body, limit))
      await port.publish({ ...body, id })
    },
    subscribe: (listener) => port.subscribe(listener),
    close: () => port.close(),
  }
}

async function insertEvent(trx: Kysely<Database>, body: Omit<ServerEvent, 'id'>, limit: number): Promise<number> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO event_log (type, payload) VALUES (${body.type}, ${JSON.stringify(body)}::jsonb) RETURNING id`.execute(trx)
  const id = Number(rows[0]!.id)
  await sql`DELETE FROM event_log WHERE id <= ${id - limit}`.execute(trx)
  return id
}

export interface HistoryBounds {
  /** The oldest id kept, null when the history is empty. */
  oldest: number | null
  /** The newest id, 0 when the history is empty. */
  latest: number
}

export async function historyBounds(db: Kysely<Database>): Promise<HistoryBounds> {
  const { rows } = await sql<{ oldest: string | null; latest: string | null }>`
    SELECT min(id) AS oldest, max(id) AS latest FROM event_log`.execute(db)
  const row = rows[0]
  return { oldest: row?.oldest == null ? null : Number(row.oldest), latest: row?.latest == null ? 0 : Number(row.latest) }
}

/** The recorded changes after `afterId`, oldest first (at most `limit`). */
export async function eventsAfter(db: Kysely<Database>, afterId: number, limit = defaultEventHistory): Promise<StreamChange[]> {
  const { rows } = await sql<{ id: string; payload: Omit<StreamChange, 'id'> }>`
    SELECT id, payload FROM event_log WHERE id > ${afterId} AND type = 'data.changed' ORDER BY id LIMIT ${limit}`.execute(db)
  return rows.map((row) => ({ ...row.payload, id: Number(row.id) }))
}

/** The newest recorded changes, newest first (the big screen's feed). */
export async function latestEvents(db: Kysely<Database>, limit: number): Promise<StreamChange[]> {
  const { rows } = await sql<{ id: string; payload: Omit<StreamChange, 'id'> }>`
    SELECT id, payload FROM event_log WHERE type = 'data.changed' ORDER BY id DESC LIMIT ${limit}`.execute(db)
  return rows.map((row) => ({ ...row.payload, id: Number(row.id) }))
}

/** Tables of personal data: their events never name rows on the stream, for any principal. */
const personalEntities = new Set([vulnerablePeopleTable, 'users', 'display_tokens', 'sessions', 'display_sessions'])

/** What a stream sends for a change: counts and ids only, and no ids of personal-data rows. */
export function forStream(event: StreamChange): StreamChange {
  return {
    id: event.id,
    type: 'data.changed',
    version: event.version,
    entity: event.entity,
    action: event.action,
    ids: personalEntities.has(event.entity) ? null : event.ids,
    at: event.at,
  }
}
