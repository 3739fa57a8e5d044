import { loadConfig } from '../config.ts'
import { connectDatabase } from '../db/connect.ts'
import { migrateToLatest } from '../db/migrate.ts'

const config = loadConfig()
const database = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log: console.log })
try {
  const applied = await migrateToLatest(database.db)
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The schema is up to date.')
} finally {
  await database.close()
}
