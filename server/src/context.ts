import type { Kysely } from 'kysely'
import type { BasemapConfig } from './basemap.ts'
import { ResponseCache, type ResponseCacheSettings } from './cache/answers.ts'
import { dataVersionReader, type DataVersionReader } from './cache/version.ts'
import type { DatabaseHome } from './db/connect.ts'
import type { Database } from './db/schema.ts'
import { transactionalWrites, type Write } from './events/changes.ts'
import { inProcessEvents, type EventsPort } from './events/port.ts'
import { defaultEventHistory, recordedEvents } from './events/history.ts'
import { todayInBeijing } from './coverage/season.ts'
import { RoadGraphCache } from './evacuation/queries.ts'
import { TileCache } from './tiles/cache.ts'
import { defaultEvacuationSettings, type EvacuationSettings } from './evacuation/rules.ts'

export type Logger = (line: string) => void

/** What the app is built from (`createApp(deps)`). Nothing is imported as a global. */
export interface AppDeps {
  db: Kysely<Database>
  home: DatabaseHome
  /** Where events go; in-process unless the database handle brings LISTEN/NOTIFY (external home). */
  events?: EventsPort | undefined
  /** The built client to serve at `/`; absent or missing on disk → a minimal page. */
  clientDist?: string | undefined
  log?: Logger | undefined
  logRequests?: boolean | undefined
  /** Trust X-Forwarded-For / X-Forwarded-Proto from a reverse proxy in front. Off by default. */
  trustProxy?: boolean | undefined
  /** Login attempts allowed per 15 minutes (tests lower them). */
  loginLimits?: { perAccount?: number; perAddress?: number } | undefined
  /** Wrong screen setup codes allowed per client address per 5 minutes (10; tests lower it). */
  setupCodeLimit?: number | undefined
  /** The basemap under the overlays; offline (the town's own data) by default. */
  basemap?: BasemapConfig | undefined
  /** Today's date `YYYY-MM-DD` (Beijing time); injectable so tests can fix the calendar. */
  today?: (() => string) | undefined
  /** Evacuation settings (snap distance, m² per person, walking speed, route norms, exposure area limit). */
  evacuation?: Partial<EvacuationSettings> | undefined
  /** The event stream: heartbeat period (15 s) and how many events the shared history keeps (1000). */
  eventStream?: { heartbeatMs?: number; history?: number } | undefined
  /** Minutes before an unacknowledged instruction is overdue, unless the instruction says (15). */
  instructionAckMinutes?: number | undefined
  /** Aborted when the server shuts down: open event streams end so the server can close. */
  shutdown?: AbortSignal | undefined
  /** The clock (tests move it to make instructions overdue). */
  now?: (() => Date) | undefined
  /** The cache of read-only answers (layers, coverage, gaps, OGC collections); on, 128 MB, by default. */
  responseCache?: Partial<ResponseCacheSettings> | undefined
  /** The bound on cut vector tiles kept in memory (64 MB); 0 keeps none (the bench's "cold"). */
  tileCacheBytes?: number | undefined
  /** Where backup archives are kept on the server (`BACKUP_DIR`: an admin's 立即备份 and the schedule); none by default. */
  backupDir?: string | undefined
  /**
   * Large feature answers (layers, OGC items, the GeoJSON export) sent from a database cursor as
   * its rows arrive, instead of built whole first. Default: on for the external home, off for
   * the embedded one (docs/adr/0004-streamed-feature-answers.md).
   */
  streamFeatures?: boolean | undefined
}

/**
 * The deps with every default filled in: what route factories take, each only the fields it
 * uses (`Pick<AppContext, 'db' | 'today'>`), so a test or a new capability builds exactly that.
 */
export interface AppContext {
  db: Kysely<Database>
  home: DatabaseHome
  events: EventsPort
  /** Runs a write in one transaction and publishes its change events after commit. */
  write: Write
  log: Logger
  today: () => string
  trustProxy: boolean
  loginLimits: { perAccount: number; perAddress: number }
  setupCodeLimit: number
  basemap: BasemapConfig
  evacuation: EvacuationSettings
  /** The walking graph, built from `roads` in this process and rebuilt when the data version changes. */
  roadGraphs: RoadGraphCache
  eventStream: { heartbeatMs: number; history: number }
  instructionAckMinutes: number
  shutdown: AbortSignal
  now: () => Date
  /** The data version from the database's counter, concurrent reads coalesced. */
  dataVersions: DataVersionReader
  /** Answers of read-only surfaces kept per variant until the data version changes, with ETags. */
  responses: ResponseCache
  /** Vector tiles cut at a data version, kept until a newer one. */
  tiles: TileCache
  /** Where backup archives are kept on the server; null when none is configured (then none can be made there). */
  backupDir: string | null
  /** Feature answers streamed from a cursor (`layers/streamed.ts`) rather than built whole. */
  streamFeatures: boolean
}

export function appContext(deps: AppDeps): AppContext {
  const log = deps.log ?? ((line: string) => console.log(line))
  const eventStream = { heartbeatMs: deps.eventStream?.heartbeatMs ?? 15_000, history: deps.eventStream?.history ?? defaultEventHistory }
  // Every event is recorded in the shared history first: that gives it its id (the SSE id).
  const events = recordedEvents(deps.db, deps.events ?? inProcessEvents(log), eventStream.history)
  const dataVersions = dataVersionReader(deps.db)
  return {
    db: deps.db,
    home: deps.home,
    events,
    write: transactionalWrites(deps.db, events, log),
    log,
    today: deps.today ?? (() => todayInBeijing()),
    trustProxy: deps.trustProxy ?? false,
    loginLimits: { perAccount: deps.loginLimits?.perAccount ?? 5, perAddress: deps.loginLimits?.perAddress ?? 20 },
    setupCodeLimit: deps.setupCodeLimit ?? 10,
    basemap: deps.basemap ?? { kind: 'offline' },
    evacuation: { ...defaultEvacuationSettings, ...deps.evacuation },
    roadGraphs: new RoadGraphCache(),
    eventStream,
    instructionAckMinutes: deps.instructionAckMinutes ?? 15,
    shutdown: deps.shutdown ?? new AbortController().signal,
    now: deps.now ?? (() => new Date()),
    dataVersions,
    responses: new ResponseCache(dataVersions, deps.responseCache),
    tiles: new TileCache(deps.tileCacheBytes),
    backupDir: deps.backupDir ?? null,
    streamFeatures: deps.streamFeatures ?? deps.home === 'external',
  }
}
