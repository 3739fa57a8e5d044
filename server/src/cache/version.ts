import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'

/**
 * The data version, read from the database's counter (`data_version`) — so a write by another
 * process on the same database, or by a person in psql, is seen at once — with concurrent reads
 * coalesced: a caller never gets an answer from a read that began before it asked (so a write
 * that committed before the request is always seen), but everyone who asks while one read is
 * running shares the next one. Fifty requests at once cost two tiny queries, not fifty — what
 * matters on the embedded home, where every query queues for its one session.
 */
export class DataVersionReader {
  private running: Promise<number> | undefined
  private queued: Promise<number> | undefined

  constructor(private readonly read: () => Promise<number>) {}

  /** A version read that started no earlier than this call. */
  current(): Promise<number> {
    if (!this.running) return this.start()
    this.queued ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined
        return this.start()
      })
    return this.queued
  }

  private start(): Promise<number> {
    const reading = this.read().finally(() => {
      if (this.running === reading) this.running = undefined
    })
    this.running = reading
    return reading
  }
}

/** The reader over a database's `data_version` row. */
export function dataVersionReader(db: Kysely<Database>): DataVersionReader {
  return new DataVersionReader(async () => {
    const { rows } = await sql<{ version: string | number }>`SELECT version FROM data_version`.execute(db)
    return Number(rows[0]?.version ?? 0)
  })
}
