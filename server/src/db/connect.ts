import { Kysely, PostgresDialect, sql, type PostgresPool, type PostgresPoolClient } from 'kysely'
import pg from 'pg'
import Cursor from 'pg-cursor'
import { inProcessEvents, type EventsPort } from '../events/port.ts'
import { postgresEvents } from '../events/postgres.ts'
import type { Database } from './schema.ts'
import { isConnectionError } from '../errors.ts'
import { startEmbeddedDatabase } from './embedded.ts'

// int8 (counts, sums) as numbers: every count here fits in 2^53; dates stay 'YYYY-MM-DD' text
// so no time zone ever shifts a drill to the day before.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10))
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number.parseFloat(value))
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value)

export type DatabaseHome = 'embedded' | 'external'

/** How long a query may queue for the embedded home's one session. */
export const embeddedWaitMs = 30_000

export interface DatabaseHandle {
  db: Kysely<Database>
  pool: pg.Pool
  home: DatabaseHome
  /** How `pool` reaches the database (the embedded home: its private Unix socket). */
  connectionString: string
  /** The events port that fits the home: in-process (embedded), LISTEN/NOTIFY on its own connection (external). */
  events: EventsPort
  close(): Promise<void>
}

export interface ConnectOptions {
  /** Set: connect to this PostgreSQL + PostGIS. Unset: start the embedded home in `dataDir`. */
  databaseUrl?: string | undefined
  dataDir: string
  log?: (line: string) => void
  /** Pool size for an external database; the embedded home always uses one connection. */
  maxConnections?: number
}

/** Opens the database in either home and returns the one `pg` + Kysely path to it. */
export async function connectDatabase(options: ConnectOptions): Promise<DatabaseHandle> {
  const log = options.log ?? (() => {})
  const embedded = options.databaseUrl ? undefined : await startEmbeddedDatabase(options.dataDir, log)
  const connectionString = options.databaseUrl ?? embedded!.connectionString
  // The embedded home's one connection is held for good: given back to an idle timeout, the
  // socket's only slot would be free for another client to take.
  const pool = embedded
    ? createPool(connectionString, 1, log, embeddedWaitMs, { holdConnection: true })
    : createPool(connectionString, options.maxConnections ?? 10, log, 5_000, externalTimeouts)
  const db = kyselyOn(pool)
  // The embedded engine has one session, so nothing could hold a LISTEN beside the pool: its events stay in-process.
  const events = embedded ? inProcessEvents(log) : postgresEvents({ pool, connectionString, log })
  return {
    db,
    pool,
    home: embedded ? 'embedded' : 'external',
    connectionString,
    events,
    async close() {
      await events.close()
      await db.destroy()
      await embedded?.close()
    },
  }
}

/**
 * Kysely over a pg pool, every statement on the extended protocol (Parse/Bind/Execute).
 *
 * Why: pg sends a statement without parameters as a simple Query message. On the embedded home,
 * pglite-socket drops the connection when a simple Query follows a failed extended-protocol
 * statement (seen with pglite-socket 0.2.11), so one constraint violation would turn the next
 * request into a 503. Extended for everything is what real PostgreSQL handles identically, and
 * keeps both homes on one path.
 */
export function kyselyOn(pool: pg.Pool): Kysely<Database> {
  const extendedPool: PostgresPool = {
    async connect() {
      const client = await pool.connect()
      // A client whose query timed out or lost its connection is not given back to the pool:
      // it is closed, and the next checkout opens a fresh one.
      let broken: Error | undefined
      const watch = <T>(running: Promise<T>) =>
        running.catch((error: unknown) => {
          if (isConnectionError(error)) broken = error as Error
          throw error
        })
      const wrapped = {
        query: (text: unknown, parameters?: readonly unknown[]) => {
          if (typeof text === 'string')
            return watch(client.query({ text, values: [...(parameters ?? [])], queryMode: 'extended' } as pg.QueryConfig))
          // A cursor (Kysely's `stream`): pg returns the cursor itself, read batch by batch.
          const submitted: unknown = client.query(text as pg.QueryConfig)
          return submitted instanceof Promise ? watch(submitted) : submitted
        },
        release: () => client.release(broken),
      }
      return wrapped as unknown as PostgresPoolClient
    },
    end: () => pool.end(),
  }
  // pg-cursor for Kysely's `stream()`: a large answer is read in batches (`layers/streamed.ts`).
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: extendedPool, cursor: Cursor }) })
}

/**
 * `waitMs` bounds how long a query waits for a connection (pg counts the wait in the pool's
 * queue as well as the connect). On the embedded home every query queues for the one session,
 * and its first spatial queries after a start read cold pages for seconds, so it waits longer.
 */
export interface PoolTimeouts {
  /** Keep the one connection for good (the embedded home): never closed for being idle. */
  holdConnection?: boolean
  /** Server side: PostgreSQL cancels a statement running longer. */
  statementTimeoutMs?: number
  /**
   * Client side: a query with no answer after this long fails (→ 503) and its connection is
   * closed — what ends a request during a network partition, which no server-side timeout can.
   * 0: none (the embedded home is in-process: no partition, and its one session must not be
   * left mid-query).
   */
  queryTimeoutMs?: number
}

/** External home: a statement may run 15 s; an answer that has not come 20 s after the query went out means the database is away. */
export const externalTimeouts = { statementTimeoutMs: 15_000, queryTimeoutMs: 20_000 } as const

export function createPool(
  connectionString: string,
  max: number,
  log: (line: string) => void,
  waitMs = 5_000,
  options: PoolTimeouts = {},
): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    connectionTimeoutMillis: waitMs,
    // 0: an idle client is never closed (the embedded home keeps its one session).
    idleTimeoutMillis: options.holdConnection ? 0 : 30_000,
    // A statement that runs away must not hold the database (or the single embedded session) for long.
    statement_timeout: options.statementTimeoutMs ?? 60_000,
    ...(options.queryTimeoutMs ? { query_timeout: options.queryTimeoutMs } : {}),
    // Dead peers are noticed by TCP even when no query is running.
    keepAlive: true,
    application_name: 'riskatlas',
  })
  // An idle client whose connection drops emits 'error' on the pool; unhandled, it would kill the process.
  pool.on('error', (error) => log(`database connection lost (${error.message}); the pool will reconnect on the next query`))
  pool.on('connect', (client) => client.on('error', () => {}))
  return pool
}

export async function postgisVersion(db: Kysely<Database>): Promise<{ postgres: string; postgis: string }> {
  const { rows } = await sql<{ postgres: string; postgis: string }>`
    SELECT current_setting('server_version') AS postgres, postgis_lib_version() AS postgis`.execute(db)
  return rows[0]!
}
