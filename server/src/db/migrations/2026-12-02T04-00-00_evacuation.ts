import { sql, type Kysely } from 'kysely'

/**
 * Evacuation planning (issue 12): a shelter can be closed (open by default); a computed route
 * records how many people it carries (a village split over shelters has one route per shelter)
 * and when it was computed. Drawn routes keep `persons` NULL: they carry the whole village.
 * Frozen once landed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE facilities ADD COLUMN shelter_open boolean NOT NULL DEFAULT true`.execute(db)
  await sql`ALTER TABLE evacuation_routes ADD COLUMN persons integer CHECK (persons >= 0)`.execute(db)
  await sql`ALTER TABLE evacuation_routes ADD COLUMN computed_at timestamptz`.execute(db)
  await sql`ALTER TABLE evacuation_routes ADD CONSTRAINT evacuation_routes_computed_at CHECK (source <> 'computed' OR computed_at IS NOT NULL)`.execute(
    db,
  )
  await sql`CREATE INDEX evacuation_routes_village_idx ON evacuation_routes (natural_village_id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS evacuation_routes_village_idx`.execute(db)
  await sql`ALTER TABLE evacuation_routes DROP CONSTRAINT IF EXISTS evacuation_routes_computed_at`.execute(db)
  await sql`ALTER TABLE evacuation_routes DROP COLUMN IF EXISTS computed_at`.execute(db)
  await sql`ALTER TABLE evacuation_routes DROP COLUMN IF EXISTS persons`.execute(db)
  await sql`ALTER TABLE facilities DROP COLUMN IF EXISTS shelter_open`.execute(db)
}
