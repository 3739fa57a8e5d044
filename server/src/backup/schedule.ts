import fs from 'node:fs'
import path from 'node:path'
import type { Kysely } from 'kysely'
import { backupNamePattern, type StoredBackup } from '@riskatlas/shared'
import type { DatabaseHome } from '../db/connect.ts'
import type { Database } from '../db/schema.ts'
import { backupFileName } from './archive.ts'
import { createBackup } from './queries.ts'

export interface BackupSchedule {
  /** Where the archives go (made 0700). */
  dir: string
  /** Milliseconds between backups; the first is written one interval after the start. */
  everyMs: number
  /** How many of the newest archives in `dir` are kept; older ones are deleted after each backup. */
  keep: number
}

/**
 * Writes one archive into `dir` — to a temporary name first, renamed when complete, so a crash
 * never leaves a half archive that looks whole — and returns its path.
 */
export async function writeBackupFile(db: Kysely<Database>, home: DatabaseHome, dir: string, now = new Date()): Promise<string> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  const { archive } = await createBackup(db, home, now)
  const file = path.join(dir, backupFileName(now))
  const partial = `${file}.partial`
  fs.writeFileSync(partial, archive, { mode: 0o600 })
  fs.renameSync(partial, file)
  return file
}

/** The archives kept in `dir`, newest first (none when it does not exist yet); half-written ones are not listed. */
export function listBackups(dir: string): StoredBackup[] {
  if (!fs.existsSync(dir)) return []
  return fs
    .readdirSync(dir)
    .filter((name) => backupNamePattern.test(name))
    .sort()
    .reverse()
    .map((name) => {
      const [, date, hh, mm, ss] = /^riskatlas-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})Z/.exec(name)!
      return { name, bytes: fs.statSync(path.join(dir, name)).size, createdAt: `${date}T${hh}:${mm}:${ss}.000Z` }
    })
}

/** Deletes all but the newest `keep` archives in `dir` (by the time in their names); returns what it deleted. */
export function pruneBackups(dir: string, keep: number): string[] {
  const archives = fs
    .readdirSync(dir)
    .filter((name) => backupNamePattern.test(name))
    .sort()
    .reverse()
  const deleted = archives.slice(Math.max(keep, 0))
  for (const name of deleted) fs.rmSync(path.join(dir, name), { force: true })
  return deleted.map((name) => path.join(dir, name))
}

/**
 * Backs the database up every `everyMs` and keeps the newest `keep` archives. One backup runs at
 * a time (a slow one delays the next tick instead of overlapping it); a failure is logged and the
 * schedule goes on. Returns the stop function.
 */
export function scheduleBackups(
  db: Kysely<Database>,
  home: DatabaseHome,
  schedule: BackupSchedule,
  log: (line: string) => void,
  now: () => Date = () => new Date(),
): () => Promise<void> {
  let running: Promise<void> | undefined
  const tick = () => {
    if (running) return
    running = (async () => {
      try {
        const file = await writeBackupFile(db, home, schedule.dir, now())
        const deleted = pruneBackups(schedule.dir, schedule.keep)
        log(`scheduled backup written: ${file}${deleted.length ? `; ${deleted.length} older deleted` : ''}`)
      } catch (error) {
        log(`scheduled backup failed: ${(error as Error).message}`)
      } finally {
        running = undefined
      }
    })()
  }
  const timer = setInterval(tick, schedule.everyMs)
  timer.unref()
  return async () => {
    clearInterval(timer)
    await running
  }
}
