import { sql, type Kysely } from 'kysely'

/**
 * The data version: one counter, raised once by every transaction that writes a data table,
 * by a trigger, so no write path can forget it (a seed, an import, an edit in psql included).
 * Caches and ETags key on it; clients compare it to know something changed. The audit log and
 * sessions are left out: reading personal data and signing in change nothing a cache holds.
 * Frozen: a later table adds its own trigger in its own migration (see ARCHITECTURE.md).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE data_version (
      singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      version    bigint NOT NULL DEFAULT 0,
      changed_at timestamptz NOT NULL DEFAULT now(),
      -- The transaction that raised it last, so several statements of one write count once.
      changed_by_xact text
    )`.execute(db)
  await sql`INSERT INTO data_version DEFAULT VALUES`.execute(db)
  await sql`
    CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE data_version
         SET version = version + 1, changed_at = now(), changed_by_xact = pg_current_xact_id()::text
       WHERE changed_by_xact IS DISTINCT FROM pg_current_xact_id()::text;
      RETURN NULL;
    END $$`.execute(db)
  for (const table of versionedTables) {
    await sql`
      CREATE TRIGGER data_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${sql.table(table)}
      FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of versionedTables) await sql`DROP TRIGGER IF EXISTS data_version_bump ON ${sql.table(table)}`.execute(db)
  await sql`DROP FUNCTION IF EXISTS bump_data_version()`.execute(db)
  await sql`DROP TABLE IF EXISTS data_version`.execute(db)
}

/** Every table as of this migration except audit_log and sessions. */
const versionedTables = [
  'admin_areas', 'natural_villages', 'facilities', 'hazard_points', 'hazard_threatened_villages', 'rivers', 'roads',
  'contours', 'evacuation_routes', 'flood_seasons', 'drills', 'vulnerable_people', 'warnings', 'enterprise_self_checks',
  'hidden_dangers', 'users', 'display_tokens',
]
