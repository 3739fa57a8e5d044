import { sql, type Kysely } from 'kysely'

/**
 * Warnings become a capability (issue 11 §1): where the area came from (a drawn polygon or
 * picked administrative villages), the county bulletin number, lifting, and a revision for
 * every change (history kept). Frozen once landed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE warnings
      ADD COLUMN source      text,
      ADD COLUMN area_kind   text NOT NULL DEFAULT 'polygon' CHECK (area_kind IN ('polygon', 'villages')),
      ADD COLUMN lifted_at   timestamptz,
      ADD COLUMN revision    integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
      ADD COLUMN created_at  timestamptz NOT NULL DEFAULT now(),
      ADD COLUMN updated_at  timestamptz NOT NULL DEFAULT now()`.execute(db)
  await sql`CREATE INDEX warnings_valid_idx ON warnings (valid_to) WHERE lifted_at IS NULL`.execute(db)

  await sql`
    CREATE TABLE warning_revisions (
      warning_id integer NOT NULL REFERENCES warnings (id) ON DELETE CASCADE,
      revision   integer NOT NULL,
      at         timestamptz NOT NULL DEFAULT now(),
      actor      text NOT NULL,
      change     text NOT NULL CHECK (change IN ('issue', 'update', 'lift')),
      reason     text,
      snapshot   jsonb NOT NULL,
      PRIMARY KEY (warning_id, revision)
    )`.execute(db)
  await sql`
    CREATE TRIGGER data_version_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON warning_revisions
    FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS warning_revisions`.execute(db)
  await sql`DROP INDEX IF EXISTS warnings_valid_idx`.execute(db)
  await sql`ALTER TABLE warnings DROP COLUMN IF EXISTS source, DROP COLUMN IF EXISTS area_kind, DROP COLUMN IF EXISTS lifted_at,
    DROP COLUMN IF EXISTS revision, DROP COLUMN IF EXISTS created_at, DROP COLUMN IF EXISTS updated_at`.execute(db)
}
