import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely'
import * as initialSchema from './migrations/2026-11-30T00-00-00_initial_schema.ts'
import * as accounts from './migrations/2026-11-30T01-00-00_accounts.ts'
import * as dataVersion from './migrations/2026-12-01T00-00-00_data_version.ts'
import * as warningsLifecycle from './migrations/2026-12-02T03-00-00_warnings_lifecycle.ts'
import * as imports from './migrations/2026-12-02T05-00-00_imports.ts'
import * as safetyLedger from './migrations/2026-12-02T07-00-00_safety_ledger.ts'
import * as evacuation from './migrations/2026-12-02T04-00-00_evacuation.ts'
import * as command from './migrations/2026-12-02T09-00-00_command.ts'

/**
 * Migrations listed statically (not read from a folder) so they run the same under tsx,
 * Vitest and a bundler. Names are dated; Kysely applies them in name order, once each.
 * Capabilities are built on parallel branches, so a migration may land with a name that sorts
 * before one a database already ran: it is applied then instead of refusing to start.
 */
const migrations: Record<string, Migration> = {
  '2026-11-30T00-00-00_initial_schema': initialSchema,
  '2026-11-30T01-00-00_accounts': accounts,
  '2026-12-01T00-00-00_data_version': dataVersion,
  '2026-12-02T03-00-00_warnings_lifecycle': warningsLifecycle,
  '2026-12-02T05-00-00_imports': imports,
  '2026-12-02T07-00-00_safety_ledger': safetyLedger,
  '2026-12-02T04-00-00_evacuation': evacuation,
  '2026-12-02T09-00-00_command': command,
}

const provider: MigrationProvider = { getMigrations: async () => migrations }

/** Brings the schema up to date. Idempotent: a second run applies nothing. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true })
  const { error, results } = await migrator.migrateToLatest()
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')
    throw new Error(`Migration ${failed?.migrationName ?? '(unknown)'} failed: ${(error as Error).message}`, { cause: error })
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName)
}
