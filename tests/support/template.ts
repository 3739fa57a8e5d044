import fs from 'node:fs'
import path from 'node:path'
import { connectDatabase, migrateToLatest, readSeedDirectory, seedDatabase, type DatabaseHandle } from '@riskatlas/server'
import { townDir } from '@riskatlas/data'
import { seedDemoAccounts } from '../../server/src/seed/demo-accounts.ts'
import { acquireDataDirLock, startEmbeddedDatabase } from '../../server/src/db/embedded.ts'
import { projectRoot } from '../../server/src/config.ts'

/**
 * The one embedded template of a test run: an embedded PostGIS migrated and seeded with the demo
 * town and the demo accounts once per `pnpm test`, then closed and copied — a data directory per
 * API worker, one for the browser tests — so nobody seeds the town a second time. The template's
 * directory is kept between runs, so only the first run pays the ~10 s extension install.
 *
 * Both global setups (api, e2e) ask for it; they run in one process, so the work is shared
 * through `globalThis` (each project loads its setup module on its own).
 */
/** TEST_EMBEDDED_DIR lets two test runs on one machine each have their own embedded databases. */
export const embeddedRoot = process.env.TEST_EMBEDDED_DIR ?? path.join(projectRoot, '.data', 'test-embedded')
const templateDir = path.join(embeddedRoot, 'template')

const shared = globalThis as { __riskatlasTemplate?: Promise<string> }

/** The template's data directory, migrated and freshly seeded (once per run). */
export function embeddedTemplate(): Promise<string> {
  return (shared.__riskatlasTemplate ??= buildTemplate())
}

/** Migrates and seeds one home (`replace`: a re-run starts from the demo town again). */
export async function migrateAndSeed(connectionString: string): Promise<void> {
  let handle: DatabaseHandle | undefined
  try {
    handle = await connectDatabase({ databaseUrl: connectionString, dataDir: '' })
    await migrateToLatest(handle.db)
    await seedDatabase(handle.db, readSeedDirectory(townDir), { replace: true, activateWarnings: true })
    await seedDemoAccounts(handle.db)
  } finally {
    // Release the embedded engine's single session.
    await handle?.db.destroy()
  }
}

async function buildTemplate(): Promise<string> {
  // Before the template layout, the API home lived at the root itself: its files are not needed
  // (unless a run of that layout is still using them: the lock says so, and this run stops).
  fs.mkdirSync(embeddedRoot, { recursive: true, mode: 0o700 })
  const releaseRoot = acquireDataDirLock(embeddedRoot)
  try {
    for (const legacy of ['pgdata', 'riskatlas-setup-complete', 'run'])
      fs.rmSync(path.join(embeddedRoot, legacy), { recursive: true, force: true })
  } finally {
    releaseRoot()
  }
  const embedded = await startEmbeddedDatabase(templateDir)
  try {
    await migrateAndSeed(embedded.connectionString)
  } finally {
    await embedded.close()
  }
  return templateDir
}

/** A fresh copy of the template at `target` (what was there is replaced): a ready embedded home. */
export async function copyTemplate(target: string): Promise<void> {
  const template = await embeddedTemplate()
  fs.mkdirSync(target, { recursive: true, mode: 0o700 })
  // A copy never replaces a database in use: with another process on the target this throws
  // (give that run its own TEST_EMBEDDED_DIR / E2E_DATA_DIR).
  const release = acquireDataDirLock(target)
  try {
    for (const entry of fs.readdirSync(target)) {
      if (entry !== 'riskatlas.lock') fs.rmSync(path.join(target, entry), { recursive: true, force: true })
    }
    // The engine's files, not its lock or socket (those belong to whoever starts the copy).
    fs.cpSync(template, target, {
      recursive: true,
      filter: (source) => !['riskatlas.lock', 'run'].includes(path.relative(template, source)),
    })
  } finally {
    release()
  }
  fs.chmodSync(target, 0o700)
}
