import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { backupFileName } from '../backup/archive.ts'
import { createBackup } from '../backup/queries.ts'
import { loadConfig } from '../config.ts'
import { connectDatabase } from '../db/connect.ts'

/**
 * `pnpm db:backup [--out FILE]`: the whole database (DATABASE_URL, or the embedded home in
 * DATA_DIR) as one archive; `pnpm db:restore FILE` reads it back on either home (ADR 0003).
 */
const { values } = parseArgs({ options: { out: { type: 'string' }, help: { type: 'boolean' } } })
if (values.help) {
  console.log('pnpm db:backup [--out riskatlas.backup.gz]   (DATABASE_URL set: that database; unset: the embedded home in DATA_DIR)')
  process.exit(0)
}

const config = loadConfig()
const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log: console.log })
try {
  const now = new Date()
  const { manifest, archive } = await createBackup(database.db, database.home, now)
  const file = path.resolve(values.out ?? backupFileName(now))
  fs.writeFileSync(`${file}.partial`, archive, { mode: 0o600 })
  fs.renameSync(`${file}.partial`, file)
  const rows = manifest.tables.reduce((sum, table) => sum + table.rows, 0)
  console.log(
    `Backed up ${manifest.tables.length} tables, ${rows} rows (${database.home} home) to ${file} (${(archive.length / 1024 / 1024).toFixed(1)} MB).`,
  )
} catch (error) {
  console.error(`Backup failed: ${(error as Error).message}`)
  process.exitCode = 1
} finally {
  await database.close()
}
