import { Kysely, PostgresDialect } from 'kysely'
import { inject } from 'vitest'
import { createApp, type Database } from '@riskatlas/server'
import { createPool } from '../../server/src/db/connect.ts'

export interface TestHome {
  name: 'embedded' | 'external'
  connectionString: string
}

/** The database homes prepared by the global setup: embedded always, external with TEST_DATABASE_URL. */
export function testHomes(): TestHome[] {
  return inject('homes')
}

export interface HomeContext {
  db: Kysely<Database>
  app: ReturnType<typeof createApp>
  close(): Promise<void>
}

/** A Kysely on one home plus the app built on it; one connection, as the embedded engine allows. */
export function openHome(home: TestHome): HomeContext {
  const pool = createPool(home.connectionString, 1, () => {})
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  const app = createApp({ db, home: home.name, log: () => {} })
  return { db, app, close: () => db.destroy() }
}
