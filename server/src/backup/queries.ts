import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { DatabaseHome } from '../db/connect.ts'
import { isConnectionError } from '../errors.ts'
import {
  BackupRefused,
  backupFormat,
  backupFormatVersion,
  describeTables,
  encodeBackup,
  parseBackup,
  type BackupManifest,
  type TableDump,
} from './archive.ts'

/**
 * Tables a backup leaves out: the migrator's own bookkeeping (the schema is rebuilt by the
 * migrations, not restored), PostGIS's catalogue, counters a restore must raise rather than
 * rewind (`data_version`, `event_log`: screens key on them), and sign-in secrets that only live
 * for hours. A restore carries the sessions over by account (`keepSignIns`); setup codes go.
 */
const notBackedUp = new Set([
  'kysely_migration',
  'kysely_migration_lock',
  'spatial_ref_sys',
  'data_version',
  'event_log',
  'sessions',
  'display_sessions',
  'display_setup_codes',
])
const clearedOnRestore = ['sessions', 'display_sessions', 'display_setup_codes']

/** Rows per INSERT … SELECT FROM json_populate_recordset(…) statement. */
const insertBatchRows = 2_000
/** Rows per page when reading a table. */
const readPageRows = 5_000

interface TableInfo {
  name: string
  /** Data columns (generated ones left out), sorted by name so the row text is the same on every home. */
  columns: string[]
  /** Columns whose text is geometry or geography: dumped as hex EWKB. */
  spatial: Set<string>
  primaryKey: string[]
  /** Columns with an identity GENERATED ALWAYS: the insert says OVERRIDING SYSTEM VALUE. */
  identityAlways: boolean
  /** Tables this one references (itself excluded). */
  references: Set<string>
  /** Columns referencing this same table: inserted null, then set once every row is in. */
  selfReferences: string[]
  /** Columns owning a sequence (serial or identity): set to max after the restore. */
  sequenced: string[]
}

/** The public schema's tables a backup holds, in dependency order. Every name comes from the catalogue, never from a file. */
export async function backedUpTables(db: Kysely<Database>): Promise<TableInfo[]> {
  const { rows: columns } = await sql<{
    table: string
    column: string
    type: string
    generated: string
    identity: string
    sequence: string | null
  }>`
    SELECT c.relname AS table, a.attname AS column, t.typname AS type, a.attgenerated AS generated,
           a.attidentity AS identity, pg_get_serial_sequence(quote_ident(c.relname), a.attname) AS sequence
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    JOIN pg_type t ON t.oid = a.atttypid
    WHERE c.relkind IN ('r', 'p')
    ORDER BY c.relname, a.attname`.execute(db)
  const { rows: keys } = await sql<{ table: string; column: string }>`
    SELECT c.relname AS table, a.attname AS column
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
    JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position) ON true
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
    WHERE i.indisprimary
    ORDER BY c.relname, k.position`.execute(db)
  const { rows: foreignKeys } = await sql<{ table: string; referenced: string; column: string }>`
    SELECT c.relname AS table, r.relname AS referenced, a.attname AS column
    FROM pg_constraint f
    JOIN pg_class c ON c.oid = f.conrelid
    JOIN pg_class r ON r.oid = f.confrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
    JOIN LATERAL unnest(f.conkey) AS k(attnum) ON true
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
    WHERE f.contype = 'f'`.execute(db)

  const tables = new Map<string, TableInfo>()
  for (const row of columns) {
    if (notBackedUp.has(row.table)) continue
    const table =
      tables.get(row.table) ??
      tables
        .set(row.table, {
          name: row.table,
          columns: [],
          spatial: new Set(),
          primaryKey: [],
          identityAlways: false,
          references: new Set(),
          selfReferences: [],
          sequenced: [],
        })
        .get(row.table)!
    if (row.generated !== '') continue
    table.columns.push(row.column)
    if (row.type === 'geometry' || row.type === 'geography') table.spatial.add(row.column)
    if (row.identity === 'a') table.identityAlways = true
    if (row.sequence) table.sequenced.push(row.column)
  }
  for (const key of keys) tables.get(key.table)?.primaryKey.push(key.column)
  for (const fk of foreignKeys) {
    const table = tables.get(fk.table)
    if (!table) continue
    if (fk.referenced === fk.table) table.selfReferences.push(fk.column)
    else table.references.add(fk.referenced)
  }
  return dependencyOrder([...tables.values()])
}

/** Tables sorted so each comes after the tables it references (ties by name, so the order is stable). */
function dependencyOrder(tables: TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((table) => [table.name, table]))
  const placed = new Set<string>()
  const ordered: TableInfo[] = []
  const visit = (table: TableInfo, path: Set<string>) => {
    if (placed.has(table.name)) return
    if (path.has(table.name)) throw new Error(`foreign keys form a cycle through ${table.name}`)
    path.add(table.name)
    for (const name of [...table.references].sort()) {
      const referenced = byName.get(name)
      if (referenced) visit(referenced, path)
    }
    path.delete(table.name)
    placed.add(table.name)
    ordered.push(table)
  }
  for (const table of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(table, new Set())
  return ordered
}

async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db)
  return rows.map((row) => row.name)
}

/** Row text is made the same on every home: UTC timestamps, hex bytea, shortest exact floats. */
async function canonicalSession(trx: Transaction<Database>) {
  await sql`SET LOCAL TimeZone = 'UTC'`.execute(trx)
  await sql`SET LOCAL bytea_output = 'hex'`.execute(trx)
  await sql`SET LOCAL extra_float_digits = 1`.execute(trx)
  await sql`SET LOCAL statement_timeout = 0`.execute(trx)
}

async function dumpTable(trx: Transaction<Database>, table: TableInfo): Promise<TableDump> {
  // Geometry is cast to text (hex EWKB, exact, SRID kept): to_json would otherwise make it GeoJSON.
  const selectList = sql.join(
    table.columns.map((column) =>
      table.spatial.has(column) ? sql`${sql.ref(`t.${column}`)}::text AS ${sql.id(column)}` : sql.ref(`t.${column}`),
    ),
  )
  const orderBy = table.primaryKey.length ? sql.join(table.primaryKey.map((column) => sql.ref(`t.${column}`))) : sql`1`
  const rowLines: string[] = []
  for (let offset = 0; ; offset += readPageRows) {
    const { rows } = await sql<{ row: string }>`
      SELECT row_to_json(x)::text AS row
      FROM (SELECT ${selectList} FROM ${sql.table(table.name)} t ORDER BY ${orderBy} LIMIT ${readPageRows} OFFSET ${offset}) x`.execute(trx)
    for (const row of rows) rowLines.push(row.row)
    if (rows.length < readPageRows) break
  }
  return { name: table.name, columns: table.columns, rowLines }
}

export interface CreatedBackup {
  manifest: BackupManifest
  archive: Buffer
}

/** Dumps every backed-up table from one consistent snapshot into an archive. */
export async function createBackup(db: Kysely<Database>, home: DatabaseHome, now = new Date()): Promise<CreatedBackup> {
  const { migrations, versions, dumps } = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await canonicalSession(trx)
      const tables = await backedUpTables(trx)
      const dumps: TableDump[] = []
      for (const table of tables) dumps.push(await dumpTable(trx, table))
      const { rows } = await sql<{ postgres: string; postgis: string }>`
        SELECT current_setting('server_version') AS postgres, postgis_lib_version() AS postgis`.execute(trx)
      return { migrations: await appliedMigrations(trx), versions: rows[0]!, dumps }
    })
  const manifest: BackupManifest = {
    format: backupFormat,
    formatVersion: backupFormatVersion,
    createdAt: now.toISOString(),
    sourceHome: home,
    postgres: versions.postgres,
    postgis: versions.postgis,
    migrations,
    tables: describeTables(dumps),
  }
  return { manifest, archive: encodeBackup(manifest, dumps) }
}

export interface RestoreResult {
  manifest: BackupManifest
  /** Rows written per table. */
  counts: Record<string, number>
}

/**
 * Replaces every backed-up table's rows with the archive's, inside `trx` (the caller's one
 * transaction: all or nothing). The archive is read and checked in full first; a foreign,
 * damaged, newer or differently-shaped backup is refused before anything is touched.
 */
export async function restoreBackup(trx: Transaction<Database>, bytes: Uint8Array): Promise<RestoreResult> {
  const { manifest, tables: dumps } = parseBackup(bytes)
  const here = await appliedMigrations(trx)
  const missingHere = manifest.migrations.filter((name) => !here.includes(name))
  const missingInBackup = here.filter((name) => !manifest.migrations.includes(name))
  if (missingHere.length || missingInBackup.length) {
    throw new BackupRefused(
      'schema_mismatch',
      missingHere.length
        ? 'The backup comes from a newer RiskAtlas schema; upgrade this server first.'
        : 'The backup comes from an older RiskAtlas schema; restore it with the release that wrote it, then upgrade.',
      { missingHere, missingInBackup },
    )
  }
  const tables = await backedUpTables(trx)
  const byName = new Map(dumps.map((dump) => [dump.name, dump]))
  const shapeProblems = [
    ...tables.filter((table) => byName.get(table.name)?.columns.join(',') !== table.columns.join(',')).map((table) => table.name),
    ...dumps.filter((dump) => !tables.some((table) => table.name === dump.name)).map((dump) => dump.name),
  ]
  if (shapeProblems.length) {
    throw new BackupRefused('schema_mismatch', `The backup's tables do not match this database: ${shapeProblems.join(', ')}.`, {
      tables: shapeProblems,
    })
  }

  await canonicalSession(trx)
  const signIns = await readSignIns(trx)
  const emptied = [...tables.map((table) => table.name), ...clearedOnRestore]
  await sql`TRUNCATE ${sql.join(emptied.map((name) => sql.table(name)))}`.execute(trx)
  const counts: Record<string, number> = {}
  for (const table of tables) {
    const dump = byName.get(table.name)!
    for (let start = 0; start < dump.rowLines.length; start += insertBatchRows) {
      // A row the database refuses (a constraint, a bad value) ends the restore; the caller's
      // transaction rolls the emptied tables back. The database's own words stay in the log.
      await insertRows(trx, table, dump.rowLines.slice(start, start + insertBatchRows)).catch((error: unknown) => {
        if (isConnectionError(error)) throw error
        throw new BackupRefused('corrupt', `The rows of ${table.name} could not be written; nothing was changed.`, { table: table.name })
      })
    }
    counts[table.name] = dump.rowLines.length
  }
  for (const table of tables) await resetSequences(trx, table)
  await keepSignIns(trx, signIns)
  return { manifest, counts }
}

interface SignIns {
  /** Sessions with the username they belong to. */
  sessions: string
  /** Big-screen sessions with their display token's hash. */
  displays: string
}

async function readSignIns(trx: Transaction<Database>): Promise<SignIns> {
  const { rows: sessions } = await sql<{ rows: string }>`
    SELECT coalesce(json_agg(json_build_object('id_hash', s.id_hash, 'username', u.username, 'csrf_token', s.csrf_token,
                                               'created_at', s.created_at, 'expires_at', s.expires_at)), '[]')::text AS rows
    FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.expires_at > now()`.execute(trx)
  const { rows: displays } = await sql<{ rows: string }>`
    SELECT coalesce(json_agg(json_build_object('id_hash', d.id_hash, 'token_hash', t.token_hash,
                                               'created_at', d.created_at, 'expires_at', d.expires_at)), '[]')::text AS rows
    FROM display_sessions d JOIN display_tokens t ON t.id = d.display_token_id WHERE d.expires_at > now()`.execute(trx)
  return { sessions: sessions[0]!.rows, displays: displays[0]!.rows }
}

/**
 * Who was signed in stays signed in where the restored data still has them: a session follows
 * its username to the restored account (whose role and scope now apply) unless that account is
 * missing or disabled; a big screen's session follows its display token unless it is missing
 * or revoked. Everyone else signs in again.
 */
async function keepSignIns(trx: Transaction<Database>, signIns: SignIns) {
  await sql`
    INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at)
    SELECT j.id_hash, u.id, j.csrf_token, j.created_at, j.expires_at
    FROM json_to_recordset(${signIns.sessions}::json)
         AS j(id_hash text, username text, csrf_token text, created_at timestamptz, expires_at timestamptz)
    JOIN users u ON u.username = j.username AND NOT u.disabled`.execute(trx)
  await sql`
    INSERT INTO display_sessions (id_hash, display_token_id, created_at, expires_at)
    SELECT j.id_hash, t.id, j.created_at, j.expires_at
    FROM json_to_recordset(${signIns.displays}::json)
         AS j(id_hash text, token_hash text, created_at timestamptz, expires_at timestamptz)
    JOIN display_tokens t ON t.token_hash = j.token_hash AND t.revoked_at IS NULL`.execute(trx)
}

async function insertRows(trx: Transaction<Database>, table: TableInfo, rowLines: string[]) {
  const rowsJson = `[${rowLines.join(',')}]`
  const selfReferences = new Set(table.selfReferences)
  const targets = sql.join(table.columns.map((column) => sql.id(column)))
  // A column pointing into its own table is set after the whole table is in, so row order never matters.
  const values = sql.join(table.columns.map((column) => (selfReferences.has(column) ? sql`NULL` : sql.ref(`j.${column}`))))
  const overriding = table.identityAlways ? sql`OVERRIDING SYSTEM VALUE` : sql``
  await sql`
    INSERT INTO ${sql.table(table.name)} (${targets}) ${overriding}
    SELECT ${values} FROM json_populate_recordset(NULL::${sql.table(table.name)}, ${rowsJson}::json) j`.execute(trx)
  if (!selfReferences.size || !table.primaryKey.length) return
  const assignments = sql.join(table.selfReferences.map((column) => sql`${sql.id(column)} = ${sql.ref(`j.${column}`)}`))
  const match = sql.join(
    table.primaryKey.map((column) => sql`${sql.ref(`t.${column}`)} = ${sql.ref(`j.${column}`)}`),
    sql` AND `,
  )
  await sql`
    UPDATE ${sql.table(table.name)} t SET ${assignments}
    FROM json_populate_recordset(NULL::${sql.table(table.name)}, ${rowsJson}::json) j
    WHERE ${match}`.execute(trx)
}

/**
 * Every serial or identity column's sequence continues after the restored rows — and never goes
 * back in the database it is restored into: an id this database already gave out (a row deleted
 * since) is not given out again, so the audit log's rows about that old row never read as being
 * about a new one. (The TRUNCATE keeps the sequences' values.)
 */
async function resetSequences(trx: Transaction<Database>, table: TableInfo) {
  for (const column of table.sequenced) {
    await sql`
      SELECT setval(s.seq, greatest(coalesce((SELECT max(${sql.ref(column)}) FROM ${sql.table(table.name)}), 0),
                                    coalesce(pg_sequence_last_value(s.seq::regclass), 0)) + 1, false)
      FROM (SELECT pg_get_serial_sequence(${table.name}, ${column}) AS seq) s`.execute(trx)
  }
}

/** Row counts and checksums of the live tables, computed like a backup's manifest (for tests and the CLI's report). */
export async function tableDigests(db: Kysely<Database>, home: DatabaseHome): Promise<BackupManifest['tables']> {
  return (await createBackup(db, home)).manifest.tables
}
