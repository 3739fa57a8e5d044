/**
 * Issue 13 §8: backup and restore of the county-scale dataset (ADR 0003). On each home the
 * seeded county is backed up (`createBackup`, what `pnpm db:backup` and the admin button run)
 * and the archive restored into an empty database of the same home — a new PostgreSQL database,
 * or a new embedded data directory — migrated first, as `pnpm db:restore` does; only the
 * restore's transaction is timed. The restored database's row counts must equal the source's
 * table by table (the bench fails otherwise), and its checksums too on the first run. Runs
 * interleave the homes; medians are reported. Once: the embedded home's archive restored into
 * an empty real PostGIS (a town moving to a server), checked the same way.
 */
import fs from 'node:fs'
import path from 'node:path'
import { sql, type Kysely } from 'kysely'
import pg from 'pg'
import { migrateToLatest, type Database } from '@riskatlas/server'
import { createBackup, restoreBackup } from '../../server/src/backup/queries.ts'
import { projectRoot } from '../../server/src/config.ts'
import { createPool, kyselyOn } from '../../server/src/db/connect.ts'
import { startEmbeddedDatabase } from '../../server/src/db/embedded.ts'
import type { Report } from './server-process.ts'
import { percentile } from './stats.ts'

const runs = Number(process.env.BENCH_BACKUP_RUNS ?? 3)

type HomeName = 'embedded' | 'external'

/** A database of one home, and how to close it (run.ts opens the seeded county this way). */
export interface BackupBenchHome {
  name: HomeName
  db: Kysely<Database>
  close(): Promise<void>
}

export interface BackupBenchTools {
  /** The seeded county on `home`, open for the whole bench. */
  openCounty(home: HomeName): Promise<BackupBenchHome>
  /** The real PostGIS server's URL (any database: the bench makes its own), when it answers. */
  externalBase?: string
  databasePrefix: string
}

/** An empty database of `home`, migrated to the latest schema, as a restore onto new hardware starts. */
async function openEmpty(home: HomeName, tools: BackupBenchTools): Promise<BackupBenchHome> {
  if (home === 'embedded') {
    const dataDir = path.join(projectRoot, '.data', 'bench-restore')
    fs.rmSync(dataDir, { recursive: true, force: true })
    const embedded = await startEmbeddedDatabase(dataDir)
    const db = kyselyOn(createPool(embedded.connectionString, 1, () => {}))
    await migrateToLatest(db)
    return {
      name: home,
      db,
      close: async () => (await db.destroy(), await embedded.close(), fs.rmSync(dataDir, { recursive: true, force: true })),
    }
  }
  const name = `${tools.databasePrefix}_restore`
  const admin = new pg.Client({ connectionString: tools.externalBase })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(tools.externalBase!)
  url.pathname = `/${name}`
  const db = kyselyOn(createPool(url.toString(), 4, () => {}))
  await migrateToLatest(db)
  return { name: home, db, close: () => db.destroy() }
}

/** Rows per backed-up table, counted live (the tables the archive names). */
async function liveCounts(db: Kysely<Database>, tables: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  for (const table of tables) {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(db)
    counts.set(table, rows[0]!.n)
  }
  return counts
}

/** Throws, naming the tables, unless every table holds as many rows as in the source. */
function assertSameCounts(label: string, source: Map<string, number>, restored: Map<string, number>) {
  const differing = [...source]
    .filter(([table, n]) => restored.get(table) !== n)
    .map(([table, n]) => `${table} ${n}→${restored.get(table)}`)
  if (differing.length) throw new Error(`${label}: the restored row counts differ from the source: ${differing.join(', ')}`)
}

interface RunFigures {
  backupMs: number
  restoreMs: number
  archiveBytes: number
}

/**
 * One backup of `source` and its restore into a new empty database of `target`, checked: row
 * counts always, checksums (a backup of the restored rows, compared table by table) when asked.
 */
async function backupAndRestore(
  source: BackupBenchHome,
  target: HomeName,
  tools: BackupBenchTools,
  compareChecksums: boolean,
): Promise<RunFigures & { tables: number; rows: number }> {
  let started = performance.now()
  const { manifest, archive } = await createBackup(source.db, source.name)
  const backupMs = performance.now() - started
  const tables = manifest.tables.map((table) => table.name)
  const sourceCounts = await liveCounts(source.db, tables)
  const label = `${source.name} → ${target}`
  assertSameCounts(`${label} (archive against its source)`, sourceCounts, new Map(manifest.tables.map((t) => [t.name, t.rows])))
  const empty = await openEmpty(target, tools)
  try {
    started = performance.now()
    await empty.db.transaction().execute((trx) => restoreBackup(trx, archive))
    const restoreMs = performance.now() - started
    assertSameCounts(label, sourceCounts, await liveCounts(empty.db, tables))
    if (compareChecksums) {
      const again = (await createBackup(empty.db, empty.name)).manifest.tables
      const differing = manifest.tables.filter((table) => again.find((t) => t.name === table.name)?.sha256 !== table.sha256)
      if (differing.length) throw new Error(`${label}: restored rows differ from the backup in ${differing.map((t) => t.name).join(', ')}`)
    }
    return {
      backupMs,
      restoreMs,
      archiveBytes: archive.length,
      tables: manifest.tables.length,
      rows: manifest.tables.reduce((sum, table) => sum + table.rows, 0),
    }
  } finally {
    await empty.close()
  }
}

const s = (n: number) => `${(n / 1000).toFixed(1)} s`
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

export async function benchBackup(report: Report, tools: BackupBenchTools): Promise<void> {
  const homes: HomeName[] = tools.externalBase ? ['external', 'embedded'] : ['embedded']
  const sources = new Map<HomeName, BackupBenchHome>()
  try {
    for (const home of homes) sources.set(home, await tools.openCounty(home))
    const figures = new Map<HomeName, (RunFigures & { tables: number; rows: number })[]>(homes.map((home) => [home, []]))
    for (let run = 1; run <= runs; run++) {
      for (const home of homes) figures.get(home)!.push(await backupAndRestore(sources.get(home)!, home, tools, run === 1))
    }
    for (const home of homes) {
      const own = figures.get(home)!
      const p50 = (pick: (f: RunFigures) => number) => percentile(own.map(pick), 50)
      const each = (pick: (f: RunFigures) => number) => own.map((f) => (pick(f) / 1000).toFixed(1)).join(' / ')
      const area = `county backup and restore, ${home}`
      const { tables, rows } = own[0]!
      report(area, `backup (${tables} tables, ${rows} rows), p50 of ${runs}`, `${s(p50((f) => f.backupMs))} (${each((f) => f.backupMs)})`)
      report(area, 'archive size (gzip’d NDJSON)', `${mb(p50((f) => f.archiveBytes))} (${p50((f) => f.archiveBytes)} B)`)
      report(area, `restore into an empty database, p50 of ${runs}`, `${s(p50((f) => f.restoreMs))} (${each((f) => f.restoreMs)})`)
      report(area, 'restored row counts = source (every table, every run)', 'yes', 'equal', true)
    }
    if (tools.externalBase) {
      const cross = await backupAndRestore(sources.get('embedded')!, 'external', tools, true)
      const area = 'county backup and restore, embedded → external'
      report(area, 'backup on the embedded home (one run)', s(cross.backupMs))
      report(area, 'restore into an empty real PostGIS (one run)', s(cross.restoreMs))
      report(area, 'restored row counts and checksums = source', 'yes', 'equal', true)
    }
  } finally {
    for (const home of sources.values()) await home.close()
  }
}
