import { loadConfig } from '../config.ts'
import { connectDatabase } from '../db/connect.ts'
import { migrateToLatest } from '../db/migrate.ts'
import { readSeedDirectory, seedDatabase } from '../seed/seed.ts'

/**
 * `pnpm db:seed`: replaces every table's contents with the seed directory's (the demo town, or
 * SEED_DIR: `pnpm db:seed:county` points it at the generated county), on purpose.
 */
const config = loadConfig()
const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log: console.log })
try {
  await migrateToLatest(database.db)
  const counts = await seedDatabase(database.db, readSeedDirectory(config.seedDir), { replace: true, activateWarnings: true })
  console.log(`Re-seeded from ${config.seedDir}:`)
  for (const [table, count] of Object.entries(counts)) console.log(`  ${table.padEnd(28)} ${count}`)
} catch (error) {
  console.error(`Seeding failed, nothing was changed: ${(error as Error).message}`)
  process.exitCode = 1
} finally {
  await database.close()
}
