import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { ImportCounts, ImportFieldType, ImportIssue, ImportLayer, ImportOptions, ImportSummary } from '@riskatlas/shared'
import { personalDataScope, type Principal } from '../auth/scope.ts'
import type { Database } from '../db/schema.ts'
import { Conflict, NotFound } from '../errors.ts'
import type { Bbox } from './coords.ts'
import type { Value } from './rows.ts'

/**
 * The import repository: the `imports` record, the generic bulk writer every layer's commit
 * goes through, and the undo. Table names come from `TableSpec`s (this module's for map
 * layers, `people/queries.ts`'s for vulnerable people), never from a request. Before images
 * are kept exact: geometries as hex EWKB text, restored by the geometry type's own input.
 */
type Db = Kysely<Database>

export interface ColumnSpec {
  name: string
  type: ImportFieldType
  /** Written when the file leaves the cell empty on a NOT NULL column. */
  fallback?: string | number
}

/** How one table takes imported rows. */
export interface TableSpec {
  table: string
  /** Upsert key column (`code`); `null` when rows have no natural key (people). */
  key: string | null
  columns: readonly ColumnSpec[]
  geometry?: { column: string; kind: 'point' | 'polygon' }
  /** Every geometry column of the table, for exact before images. */
  geometryColumns: readonly string[]
  /** The table's administrative-village column, or SQL for it, for scope checks and replace. */
  adminCode: (alias: string) => RawBuilder<string | null>
}

/** A row ready to write: column values, geometry (GeoJSON text), its administrative village, the existing row's id if any. */
export interface PreparedRow {
  row: number
  values: Record<string, Value>
  geometry?: string
  adminCode: string | null
  existingId?: number
}

const casts: Record<ImportFieldType, string> = {
  text: 'text',
  phone: 'text',
  enum: 'text',
  integer: 'integer',
  number: 'double precision',
  date: 'date',
  longitude: 'double precision',
  latitude: 'double precision',
}

function geometryExpression(spec: TableSpec, ref: RawBuilder<unknown>) {
  const geom = sql`ST_SetSRID(ST_GeomFromGeoJSON(${ref}), 4326)`
  return spec.geometry?.kind === 'polygon' ? sql`ST_Multi(ST_CollectionExtract(ST_MakeValid(${geom}), 3))` : geom
}

/**
 * `unnest($1::integer[], $2::text[], …) AS v(id, c1, …, g)`: one array parameter per column, so
 * a batch of thousands of rows is one short statement — PostgreSQL parses and plans it once,
 * instead of a VALUES list with a parameter per cell (issue 13's 50,000-row import bench).
 */
function valuesTable(columns: readonly ColumnSpec[], rows: readonly PreparedRow[]) {
  const arrays = [
    sql`${rows.map((row) => row.existingId ?? null)}::integer[]`,
    ...columns.map((column) => sql`${rows.map((row) => row.values[column.name] ?? null)}::${sql.raw(casts[column.type])}[]`),
    sql`${rows.map((row) => row.geometry ?? null)}::text[]`,
  ]
  const names = ['id', ...columns.map((column) => column.name), 'g'].map((name) => sql.id(name))
  return sql`unnest(${sql.join(arrays)}) AS v(${sql.join(names)})`
}

const cell = (column: ColumnSpec) =>
  column.fallback === undefined ? sql.ref(`v.${column.name}`) : sql`COALESCE(${sql.ref(`v.${column.name}`)}, ${column.fallback})`

function beforeImage(spec: TableSpec, alias: string) {
  const geometry = spec.geometryColumns.map((column) => sql`${sql.lit(column)}::text, ${sql.ref(`${alias}.${column}`)}::text`)
  return geometry.length
    ? sql`to_jsonb(${sql.table(alias)}) || jsonb_build_object(${sql.join(geometry)})`
    : sql`to_jsonb(${sql.table(alias)})`
}

/** Rows per INSERT or UPDATE statement. */
const batchRows = 5_000

const chunk = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size))

// ------------------------------------------------------------------ reads used while preparing a commit

/** The town's extent, for "far outside the town" warnings and swap detection. */
export async function townExtent(db: Db): Promise<Bbox | undefined> {
  const { rows } = await sql<{ west: number | null; south: number | null; east: number | null; north: number | null }>`
    SELECT ST_XMin(e) AS west, ST_YMin(e) AS south, ST_XMax(e) AS east, ST_YMax(e) AS north
    FROM (SELECT ST_Extent(geom)::geometry AS e FROM admin_areas) x`.execute(db)
  const row = rows[0]
  return row && row.west !== null ? { west: row.west, south: row.south!, east: row.east!, north: row.north! } : undefined
}

/** The administrative village codes that exist. */
export async function villageAdminCodes(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('admin_areas').select('code').where('level', '=', 'village').execute()
  return new Set(rows.map((row) => row.code))
}

/** The data version, its row locked until the transaction ends: no other write can commit meanwhile (each raises it). */
export async function lockDataVersion(trx: Db): Promise<number> {
  const { rows } = await sql<{ version: string }>`SELECT version FROM data_version FOR UPDATE`.execute(trx)
  return Number(rows[0]!.version)
}

/** Existing rows by key: id and administrative village. */
export async function existingByKey(
  db: Db,
  spec: TableSpec,
  keys: readonly string[],
): Promise<Map<string, { id: number; adminCode: string | null }>> {
  const found = new Map<string, { id: number; adminCode: string | null }>()
  if (!spec.key || keys.length === 0) return found
  for (const part of chunk(keys, 5000)) {
    const { rows } = await sql<{ id: number; key: string; admin_code: string | null }>`
      SELECT t.id, t.${sql.ref(spec.key)} AS key, ${spec.adminCode('t')} AS admin_code
      FROM ${sql.table(spec.table)} t WHERE t.${sql.ref(spec.key)} = ANY(${[...part]}::text[])`.execute(db)
    for (const row of rows) found.set(row.key, { id: row.id, adminCode: row.admin_code })
  }
  return found
}

/** Polygon checks before writing: invalid ones are repaired (flagged), ones that repair to nothing are refused. */
export async function checkPolygons(
  db: Db,
  rows: readonly { row: number; geometry: string }[],
): Promise<{ repaired: Set<number>; refused: ImportIssue[] }> {
  const repaired = new Set<number>()
  const refused: ImportIssue[] = []
  for (const part of chunk(rows, 500)) {
    const tuples = part.map((row) => sql`(${row.row}::integer, ${row.geometry}::text)`)
    const { rows: checked } = await sql<{ row: number; valid: boolean; reason: string | null; empty: boolean | null }>`
      SELECT v.row, ST_IsValid(g) AS valid, CASE WHEN ST_IsValid(g) THEN NULL ELSE ST_IsValidReason(g) END AS reason,
             ST_IsEmpty(ST_CollectionExtract(ST_MakeValid(g), 3)) AS empty
      FROM (SELECT v.row, ST_SetSRID(ST_GeomFromGeoJSON(v.geometry), 4326) AS g FROM (VALUES ${sql.join(tuples)}) AS v(row, geometry)) v`.execute(
      db,
    )
    for (const check of checked) {
      if (check.valid) continue
      if (check.empty !== false)
        refused.push({
          row: check.row,
          field: 'geometry',
          code: 'polygon_unrepairable',
          params: { detail: check.reason ?? 'invalid' },
          severity: 'error',
        })
      else repaired.add(check.row)
    }
    const answered = new Set(checked.map((check) => check.row))
    // A GEOS failure can answer nothing for a row: refuse it rather than trust it.
    for (const row of part)
      if (!answered.has(row.row)) refused.push({ row: row.row, field: 'geometry', code: 'geometry_unchecked', severity: 'error' })
  }
  return { repaired, refused }
}

// ------------------------------------------------------------------ the bulk writer

export interface WritePlan {
  spec: TableSpec
  importId: number
  inserts: PreparedRow[]
  updates: PreparedRow[]
  /** Ids to delete (replace mode). */
  deletes: number[]
  /** Columns updates write (those the mapping names); inserts also write the columns with a fallback. */
  columns: readonly ColumnSpec[]
}

/** Writes a plan inside the caller's transaction, recording every change for undo. */
export async function applyPlan(trx: Db, plan: WritePlan): Promise<{ inserted: number[]; updated: number[]; deleted: number[] }> {
  const { spec, importId, columns } = plan
  const insertColumns = spec.columns.filter((column) => columns.includes(column) || column.fallback !== undefined)
  const table = sql.table(spec.table)
  const deleted: number[] = []
  try {
    if (plan.deletes.length) {
      for (const ids of chunk(plan.deletes, 5000)) {
        await sql`INSERT INTO import_changes (import_id, entity, entity_id, action, before)
          SELECT ${importId}, ${spec.table}, t.id, 'delete', ${beforeImage(spec, 't')} FROM ${table} t WHERE t.id = ANY(${ids}::integer[])`.execute(
          trx,
        )
        await sql`DELETE FROM ${table} WHERE id = ANY(${ids}::integer[])`.execute(trx)
        deleted.push(...ids)
      }
    }
    const updated: number[] = []
    for (const rows of chunk(plan.updates, batchRows)) {
      const ids = rows.map((row) => row.existingId!)
      await sql`INSERT INTO import_changes (import_id, entity, entity_id, action, before)
        SELECT ${importId}, ${spec.table}, t.id, 'update', ${beforeImage(spec, 't')} FROM ${table} t WHERE t.id = ANY(${ids}::integer[])`.execute(
        trx,
      )
      const sets = [
        ...columns.map((column) => sql`${sql.ref(column.name)} = ${cell(column)}`),
        ...(spec.geometry ? [sql`${sql.ref(spec.geometry.column)} = ${geometryExpression(spec, sql.ref('v.g'))}`] : []),
        sql`import_id = ${importId}`,
      ]
      await sql`UPDATE ${table} AS t SET ${sql.join(sets)} FROM ${valuesTable(columns, rows)} WHERE t.id = v.id`.execute(trx)
      updated.push(...ids)
    }
    const inserted: number[] = []
    for (const rows of chunk(plan.inserts, batchRows)) {
      const names = [
        ...insertColumns.map((column) => sql.ref(column.name)),
        ...(spec.geometry ? [sql.ref(spec.geometry.column)] : []),
        sql.ref('import_id'),
      ]
      const cells = [
        ...insertColumns.map(cell),
        ...(spec.geometry ? [geometryExpression(spec, sql.ref('v.g'))] : []),
        sql`${importId}::integer`,
      ]
      // The change log's rows in the same statement, each with its row's hash as inserted.
      const { rows: ids } = await sql<{ id: number }>`WITH written AS (
          INSERT INTO ${table} (${sql.join(names)}) SELECT ${sql.join(cells)} FROM ${valuesTable(insertColumns, rows)}
          RETURNING id, md5(${table}::text) AS after_hash)
        INSERT INTO import_changes (import_id, entity, entity_id, action, after_hash)
        SELECT ${importId}, ${spec.table}, id, 'insert', after_hash FROM written RETURNING entity_id AS id`.execute(trx)
      inserted.push(...ids.map((row) => row.id))
    }
    if (updated.length)
      await sql`UPDATE import_changes c SET after_hash = md5(t::text) FROM ${table} t
        WHERE c.import_id = ${importId} AND c.entity = ${spec.table} AND c.action = 'update' AND t.id = c.entity_id`.execute(trx)
    return { inserted, updated, deleted }
  } catch (error) {
    if ((error as { code?: string }).code === '23503')
      throw new Conflict('Other records still refer to rows this import would delete (routes, drills …); use upsert instead.', {
        reason: 'still_referenced',
      })
    throw error
  }
}

// ------------------------------------------------------------------ undo

/** The tables an import may have written (the undo refuses anything else in `import_changes`). */
export const importableTables = new Set<string>()

async function changedTables(db: Db, importId: number): Promise<string[]> {
  const { rows } = await sql<{ entity: string }>`SELECT DISTINCT entity FROM import_changes WHERE import_id = ${importId}`.execute(db)
  for (const { entity } of rows) if (!importableTables.has(entity)) throw new Conflict(`Import ${importId} changed an unknown table.`)
  return rows.map((row) => row.entity)
}

/**
 * How many of an import's rows were touched since (edited, deleted, re-imported): undo is refused
 * unless none. A row it inserted or updated is touched when its hash differs from the one taken
 * at commit (or it is gone); a row it deleted, when one with its id exists again. One counting
 * query per table: the database compares, nothing is sent back per row.
 */
export async function touchedSince(db: Db, importId: number): Promise<number> {
  let touched = 0
  for (const entity of await changedTables(db, importId)) {
    const { rows } = await sql<{ n: string }>`
      SELECT count(*) AS n FROM import_changes c LEFT JOIN ${sql.table(entity)} t ON t.id = c.entity_id
      WHERE c.import_id = ${importId} AND c.entity = ${entity}
        AND CASE WHEN c.action = 'delete' THEN t.id IS NOT NULL ELSE md5(t::text) IS DISTINCT FROM c.after_hash END`.execute(db)
    touched += Number(rows[0]!.n)
  }
  return touched
}

async function tableColumns(db: Db, table: string): Promise<string[]> {
  const { rows } = await sql<{ column_name: string }>`
    SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${table} AND column_name <> 'id'
    ORDER BY ordinal_position`.execute(db)
  return rows.map((row) => row.column_name)
}

const affected = (result: { numAffectedRows?: bigint }) => Number(result.numAffectedRows ?? 0n)

/**
 * Reverses an import's changes inside the caller's transaction, three set-based statements per
 * table: delete what it inserted, restore what it updated from the before images, insert again
 * what it deleted.
 */
export async function undoChanges(trx: Db, importId: number): Promise<{ deleted: number; restored: number; reinserted: number }> {
  const touched = await touchedSince(trx, importId)
  if (touched > 0)
    throw new Conflict(`${touched} of this import's rows were changed since; it can no longer be undone.`, {
      reason: 'rows_changed',
      params: { touched },
      touched,
    })
  let deleted = 0
  let restored = 0
  let reinserted = 0
  for (const entity of await changedTables(trx, importId)) {
    const table = sql.table(entity)
    const its = (action: string) => sql`c.import_id = ${importId} AND c.entity = ${entity} AND c.action = ${action}`
    deleted += affected(await sql`DELETE FROM ${table} t USING import_changes c WHERE ${its('insert')} AND t.id = c.entity_id`.execute(trx))
    const columns = (await tableColumns(trx, entity)).map((name) => sql.ref(name))
    const before = columns.map((column) => sql`r.${column}`)
    restored += affected(
      await sql`UPDATE ${table} t SET (${sql.join(columns)}) = (SELECT ${sql.join(before)} FROM jsonb_populate_record(NULL::${table}, c.before) r)
        FROM import_changes c WHERE ${its('update')} AND t.id = c.entity_id`.execute(trx),
    )
    reinserted += affected(
      await sql`INSERT INTO ${table} SELECT r.* FROM import_changes c, LATERAL jsonb_populate_record(NULL::${table}, c.before) r
        WHERE ${its('delete')} ORDER BY c.id`.execute(trx),
    )
  }
  return { deleted, restored, reinserted }
}

// ------------------------------------------------------------------ the imports record

interface ImportRecordRow {
  id: number
  layer: ImportLayer
  file_name: string
  file_format: ImportSummary['fileFormat']
  file_bytes: number
  status: ImportSummary['status']
  mode: ImportSummary['mode']
  options: ImportOptions
  counts: ImportCounts | null
  idempotency_key: string | null
  created_by: string
  created_at: Date
  committed_by: string | null
  committed_at: Date | null
  undone_by: string | null
  undone_at: Date | null
}

const summaryColumns = sql`id, layer, file_name, file_format, file_bytes, status, mode, options, counts, idempotency_key, created_by, created_at,
  committed_by, committed_at, undone_by, undone_at`

export function toSummary(row: ImportRecordRow): ImportSummary {
  const iso = (date: Date | null) => (date ? new Date(date).toISOString() : null)
  return {
    id: row.id,
    layer: row.layer,
    fileName: row.file_name,
    fileFormat: row.file_format,
    fileBytes: row.file_bytes,
    status: row.status,
    mode: row.mode,
    counts: row.counts,
    createdBy: row.created_by,
    createdAt: iso(row.created_at)!,
    committedBy: row.committed_by,
    committedAt: iso(row.committed_at),
    undoneBy: row.undone_by,
    undoneAt: iso(row.undone_at),
  }
}

export async function insertImport(
  db: Db,
  record: { layer: ImportLayer; fileName: string; fileFormat: string; content: Uint8Array; createdBy: string },
): Promise<ImportRecordRow> {
  const { rows } = await sql<ImportRecordRow>`
    INSERT INTO imports (layer, file_name, file_format, file_bytes, content, created_by)
    VALUES (${record.layer}, ${record.fileName}, ${record.fileFormat}, ${record.content.byteLength}, ${Buffer.from(record.content)}, ${record.createdBy})
    RETURNING ${summaryColumns}`.execute(db)
  return rows[0]!
}

/** An import the caller may see: its own, or any for admins and town-wide editors. */
export async function findImport(
  db: Db,
  id: number,
  principal: Principal,
  forUpdate = false,
): Promise<ImportRecordRow & { content: Buffer }> {
  const { rows } = await sql<ImportRecordRow & { content: Buffer }>`
    SELECT ${summaryColumns}, content FROM imports WHERE id = ${id} ${forUpdate ? sql`FOR UPDATE` : sql``}`.execute(db)
  const row = rows[0]
  if (!row || !maySee(principal, row)) throw new NotFound(`No import ${id}.`)
  return row
}

const maySee = (principal: Principal, row: { created_by: string; committed_by: string | null }) =>
  personalDataScope(principal) === null || row.created_by === principal.username || row.committed_by === principal.username

export async function findImportByKey(db: Db, key: string): Promise<ImportRecordRow | undefined> {
  const { rows } = await sql<ImportRecordRow>`SELECT ${summaryColumns} FROM imports WHERE idempotency_key = ${key}`.execute(db)
  return rows[0]
}

export async function saveImportOptions(db: Db, id: number, options: ImportOptions, issues: ImportIssue[]): Promise<void> {
  await sql`UPDATE imports SET options = ${JSON.stringify(options)}::jsonb, issues = ${JSON.stringify(issues.slice(0, 5000))}::jsonb WHERE id = ${id}`.execute(
    db,
  )
}

export async function markCommitted(
  db: Db,
  id: number,
  fields: { mode: string; counts: ImportCounts; key: string; by: string; issues: ImportIssue[] },
): Promise<ImportRecordRow> {
  const { rows } = await sql<ImportRecordRow>`
    UPDATE imports SET status = 'committed', mode = ${fields.mode}, counts = ${JSON.stringify(fields.counts)}::jsonb, idempotency_key = ${fields.key},
      committed_by = ${fields.by}, committed_at = now(), issues = ${JSON.stringify(fields.issues.slice(0, 5000))}::jsonb
    WHERE id = ${id} RETURNING ${summaryColumns}`.execute(db)
  return rows[0]!
}

export async function markUndone(db: Db, id: number, by: string): Promise<ImportRecordRow> {
  const { rows } = await sql<ImportRecordRow>`
    UPDATE imports SET status = 'undone', undone_by = ${by}, undone_at = now() WHERE id = ${id} RETURNING ${summaryColumns}`.execute(db)
  return rows[0]!
}

export async function importIssues(db: Db, id: number): Promise<ImportIssue[]> {
  const { rows } = await sql<{ issues: ImportIssue[] | null }>`SELECT issues FROM imports WHERE id = ${id}`.execute(db)
  return rows[0]?.issues ?? []
}

export async function listImports(db: Db, principal: Principal, layer?: ImportLayer): Promise<ImportSummary[]> {
  const { rows } = await sql<ImportRecordRow>`
    SELECT ${summaryColumns} FROM imports ${layer ? sql`WHERE layer = ${layer}` : sql``} ORDER BY id DESC LIMIT 200`.execute(db)
  return rows.filter((row) => maySee(principal, row)).map(toSummary)
}
export async function rememberedMapping(db: Db, layer: ImportLayer): Promise<Record<string, string> | undefined> {
  const { rows } = await sql<{ mapping: Record<string, string> }>`SELECT mapping FROM import_mappings WHERE layer = ${layer}`.execute(db)
  return rows[0]?.mapping
}

export async function rememberMapping(db: Db, layer: ImportLayer, mapping: Record<string, string>, by: string): Promise<void> {
  await sql`INSERT INTO import_mappings (layer, mapping, updated_by) VALUES (${layer}, ${JSON.stringify(mapping)}::jsonb, ${by})
    ON CONFLICT (layer) DO UPDATE SET mapping = excluded.mapping, updated_by = excluded.updated_by, updated_at = now()`.execute(db)
}

// ------------------------------------------------------------------ map layers' table specs

const adminColumn = (alias: string) => sql<string | null>`${sql.ref(`${alias}.admin_code`)}`
const columnsOf = (
  fields: readonly { key: string; type: ImportFieldType }[],
  fallbacks: Record<string, string | number> = {},
): ColumnSpec[] =>
  fields
    .filter((field) => field.type !== 'longitude' && field.type !== 'latitude')
    .map((field) =>
      field.key in fallbacks
        ? { name: field.key, type: field.type, fallback: fallbacks[field.key]! }
        : { name: field.key, type: field.type },
    )

export { columnsOf, adminColumn }

/** Registers a table spec's table as one an undo may touch. */
export function registerTable(spec: TableSpec): TableSpec {
  importableTables.add(spec.table)
  return spec
}
