import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { connectDatabase, migrateToLatest, readSeedDirectory, seedDatabase, type DatabaseHandle } from '@riskatlas/server'
import { seedDemoAccounts } from '../../server/src/seed/demo-accounts.ts'
import { startEmbeddedDatabase } from '../../server/src/db/embedded.ts'
import { townDir } from '@riskatlas/data'
import { projectRoot } from '../../server/src/config.ts'
import type { TestHome } from './homes.ts'

/**
 * Prepares the database homes every API test runs against, once per `pnpm test`:
 * the embedded PostGIS always (its data directory is kept between runs, so only the first
 * run pays the ~10 s extension install), and the real PostGIS named by TEST_DATABASE_URL.
 * Both are migrated and re-seeded with the demo town; tests reach them over `pg` like the server.
 */
export default async function setup(project: TestProject) {
  const closers: (() => Promise<void>)[] = []
  const homes: TestHome[] = []

  // TEST_EMBEDDED_DIR lets two test runs on one machine each have their own embedded database.
  const embedded = await startEmbeddedDatabase(process.env.TEST_EMBEDDED_DIR ?? path.join(projectRoot, '.data', 'test-embedded'))
  closers.push(() => embedded.close())
  homes.push({ name: 'embedded', connectionString: embedded.connectionString })

  const external = process.env.TEST_DATABASE_URL
  // On CI every API test runs on both homes: a missing external home must fail the run, not
  // quietly skip the comparisons between the homes.
  if (!external && process.env.CI) throw new Error('CI runs the API tests on both homes: set TEST_DATABASE_URL')
  if (external) homes.push({ name: 'external', connectionString: external })

  const dataset = readSeedDirectory(townDir)
  for (const home of homes) {
    let handle: DatabaseHandle | undefined
    try {
      handle = await connectDatabase({ databaseUrl: home.connectionString, dataDir: '' })
      await migrateToLatest(handle.db)
      await seedDatabase(handle.db, dataset, { replace: true, activateWarnings: true })
      await seedDemoAccounts(handle.db)
    } finally {
      // Release the embedded engine's single session before the tests take it.
      await handle?.db.destroy()
    }
  }

  project.provide('homes', homes)
  return async () => {
    for (const close of closers.reverse()) await close()
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    homes: TestHome[]
  }
}
