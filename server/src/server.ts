import path from 'node:path'
import { serve, type ServerType } from '@hono/node-server'
import { createApp } from './app.ts'
import { demoTownDir, type Config } from './config.ts'
import { connectDatabase, postgisVersion, type DatabaseHandle } from './db/connect.ts'
import { migrateToLatest } from './db/migrate.ts'
import { scheduleBackups } from './backup/schedule.ts'
import { seedDemoAccounts } from './seed/demo-accounts.ts'
import { isDatabaseEmpty, readSeedDirectory, seedDatabase } from './seed/seed.ts'

export interface StartOptions extends Partial<Omit<Config, 'databaseUrl'>> {
  dataDir: string
  databaseUrl?: string | undefined
  /** Quiet by default for tests; main.ts passes console.log. */
  log?: (line: string) => void
  /** Today's date `YYYY-MM-DD`; end-to-end tests fix the calendar (default: Beijing time now). */
  today?: () => string
  /** An already opened database (main.ts opens it early); otherwise opened here from the options. */
  database?: DatabaseHandle | undefined
  /** How long a client may take to send a request's headers, and the whole request (tests shorten them). */
  requestTimeouts?: { headersMs: number; requestMs: number } | undefined
}

/**
 * A client must send its headers within 10 s and its whole request (body included) within 30 s,
 * or the connection is closed (408): a slow-loris client cannot hold sockets open. Node checks
 * every second (its default of 30 s would let each slow request live that long). Responses —
 * an event stream, a large export — are not limited by these.
 */
export const requestTimeouts = { headersMs: 10_000, requestMs: 30_000 }

export interface RunningServer {
  url: string
  port: number
  database: DatabaseHandle
  close(): Promise<void>
}

/**
 * Starts RiskAtlas: database (either home), migrations, demo seed when empty, HTTP.
 * The one function with start-up I/O; `main.ts` and the end-to-end tests both call it.
 */
export async function startRiskAtlas(options: StartOptions): Promise<RunningServer> {
  const log = options.log ?? (() => {})
  const database = options.database ?? (await connectDatabase({ databaseUrl: options.databaseUrl, dataDir: options.dataDir, log }))
  let server: ServerType | undefined
  try {
    const applied = await migrateToLatest(database.db)
    if (applied.length > 0) log(`migrations applied: ${applied.join(', ')}`)
    if ((options.seed ?? 'if-empty') === 'if-empty' && (await isDatabaseEmpty(database.db))) {
      const counts = await seedDatabase(database.db, readSeedDirectory(options.seedDir ?? demoTownDir), { activateWarnings: true })
      log(
        `seeded the demo town: ${counts.natural_villages} natural villages, ${counts.hazard_points} hazard points, ${counts.roads} road segments`,
      )
      if (database.home === 'embedded') {
        await seedDemoAccounts(database.db)
        log('seeded the demo accounts (admin, editor, village_editor, viewer — see README; for the demo only)')
      }
    }
    const versions = await postgisVersion(database.db)
    const backups = options.backups
    const stopBackups =
      backups && backups.everyHours > 0
        ? scheduleBackups(
            database.db,
            database.home,
            { dir: backups.dir, everyMs: backups.everyHours * 3_600_000, keep: backups.keep },
            log,
          )
        : async () => {}
    if (backups && backups.everyHours > 0) log(`backups every ${backups.everyHours} h into ${backups.dir}, the newest ${backups.keep} kept`)
    const shutdown = new AbortController()
    const app = createApp({
      shutdown: shutdown.signal,
      db: database.db,
      home: database.home,
      events: database.events,
      clientDist: options.clientDist,
      log,
      logRequests: options.logRequests,
      trustProxy: options.trustProxy,
      basemap: options.basemap,
      today: options.today,
      responseCache: options.responseCache,
      // The schedule's directory (default `<DATA_DIR>/backups`) also keeps the admins' own backups.
      backupDir: options.backups?.dir ?? path.join(options.dataDir, 'backups'),
    })
    const port = await new Promise<number>((resolve, reject) => {
      const timeouts = options.requestTimeouts ?? requestTimeouts
      server = serve(
        {
          fetch: app.fetch,
          port: options.port ?? 8080,
          hostname: options.host ?? '127.0.0.1',
          serverOptions: { headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: 1_000 },
        },
        (info) => resolve(info.port),
      )
      server.once('error', reject)
    })
    log(
      `RiskAtlas listening on http://localhost:${port} — database: ${database.home === 'embedded' ? `embedded PostgreSQL ${versions.postgres} + PostGIS ${versions.postgis} in ${options.dataDir}` : `external PostgreSQL ${versions.postgres} + PostGIS ${versions.postgis}`}`,
    )
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      database,
      async close() {
        shutdown.abort() // open event streams end, so the server can close
        await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
        await stopBackups()
        await database.close()
      },
    }
  } catch (error) {
    server?.close()
    await database.close()
    throw error
  }
}
