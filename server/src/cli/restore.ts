import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { ApiError } from '../errors.ts'
import { restoreBackup } from '../backup/queries.ts'
import { loadConfig } from '../config.ts'
import { connectDatabase } from '../db/connect.ts'
import { migrateToLatest } from '../db/migrate.ts'

/**
 * `pnpm db:restore FILE`: replaces every table with the archive's rows, in one transaction (all
 * or nothing), on either home — into an empty database too (the schema is migrated first).
 * A foreign, damaged, newer or differently-shaped backup is refused and nothing is changed.
 */
const { positionals, values } = parseArgs({ allowPositionals: true, options: { help: { type: 'boolean' } } })
if (values.help || positionals.length !== 1) {
  console.log('pnpm db:restore FILE   (DATABASE_URL set: that database; unset: the embedded home in DATA_DIR; stop the server first)')
  process.exit(values.help ? 0 : 2)
}

const bytes = new Uint8Array(fs.readFileSync(positionals[0]!))
const config = loadConfig()
const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log: console.log })
try {
  await migrateToLatest(database.db)
  const { manifest, counts } = await database.db.transaction().execute((trx) => restoreBackup(trx, bytes))
  const rows = Object.values(counts).reduce((sum, n) => sum + n, 0)
  console.log(
    `Restored ${Object.keys(counts).length} tables, ${rows} rows, from the ${manifest.sourceHome} home's backup of ${manifest.createdAt} into the ${database.home} home.`,
  )
} catch (error) {
  const refused = error instanceof ApiError ? ` (${JSON.stringify(error.details)})` : ''
  console.error(`Restore refused, nothing was changed: ${(error as Error).message}${refused}`)
  process.exitCode = 1
} finally {
  await database.close()
}
