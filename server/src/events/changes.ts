import { sql, type Kysely, type Transaction } from 'kysely'
import type { ChangeAction, DataVersion } from '@riskatlas/shared'
import type { Database } from '../db/schema.ts'
import type { EventsPort } from './port.ts'

/** What a write changed, in the words of its event. */
export interface Change {
  /** The table written (`drills`, `users` …). */
  entity: string
  action: ChangeAction
  ids?: readonly number[]
}

/** Tells the write what it changed; called inside the transaction, published after commit. */
export type NoteChange = (change: Change) => void

/**
 * Runs a write in one transaction — all of it or nothing — and, once it has committed,
 * publishes one `data.changed` event per noted change carrying the data version the write
 * produced. The version itself is raised by a trigger on every data table, so it can never be
 * forgotten; a write that changed data but noted nothing is still published (entity `data`).
 */
export type Write = <T>(work: (trx: Transaction<Database>, changed: NoteChange) => Promise<T>) => Promise<T>

export function transactionalWrites(db: Kysely<Database>, events: EventsPort, log: (line: string) => void): Write {
  return async (work) => {
    const changes: Change[] = []
    let produced: number | undefined
    const result = await db.transaction().execute(async (trx) => {
      const value = await work(trx, (change) => changes.push(change))
      produced = await versionWrittenBy(trx)
      return value
    })
    if (produced === undefined) return result
    const at = new Date().toISOString()
    const published = changes.length > 0 ? mergeChanges(changes) : [{ entity: 'data', action: 'update' as const, ids: [] }]
    for (const change of published) {
      await events
        .publish({
          type: 'data.changed',
          version: produced,
          entity: change.entity,
          action: change.action,
          ids: change.ids ? [...change.ids] : null,
          at,
        })
        .catch((error: Error) => log(`could not publish a change event (${error.message}); the data version still says it`))
    }
    return result
  }
}

/** Several notes of the same entity and action (a batch) become one event listing every id. */
function mergeChanges(changes: readonly Change[]): Change[] {
  const merged = new Map<string, { entity: string; action: ChangeAction; ids: number[] | undefined }>()
  for (const change of changes) {
    const key = `${change.entity}:${change.action}`
    const entry = merged.get(key) ?? { entity: change.entity, action: change.action, ids: [] }
    if (!change.ids) entry.ids = undefined
    else entry.ids?.push(...change.ids)
    merged.set(key, entry)
  }
  return [...merged.values()]
}

/** The version this transaction raised the counter to, or undefined when it wrote no data. */
async function versionWrittenBy(trx: Transaction<Database>): Promise<number | undefined> {
  const { rows } = await sql<{ version: number; ours: boolean | null }>`
    SELECT version, changed_by_xact = pg_current_xact_id_if_assigned()::text AS ours FROM data_version`.execute(trx)
  return rows[0]?.ours ? rows[0].version : undefined
}

/** The data version now: raised once by every committed transaction that wrote data. */
export async function currentDataVersion(db: Kysely<Database>): Promise<DataVersion> {
  const row = await db.selectFrom('data_version').select(['version', 'changed_at']).executeTakeFirstOrThrow()
  return { version: Number(row.version), changedAt: row.changed_at.toISOString() }
}
