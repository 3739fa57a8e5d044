import { createHash } from 'node:crypto'
import { gunzipSync, gzipSync } from 'node:zlib'
import { z } from 'zod'
import type { BackupRefusalReason } from '@riskatlas/shared'
import { ApiError } from '../errors.ts'

/**
 * The RiskAtlas backup archive (ADR 0003): gzip'd NDJSON. Line 1 is the manifest; then, for
 * each table in the manifest's order, one `{"table": name}` line followed by exactly `rows`
 * lines, one JSON object per row (columns by name, geometries as hex EWKB, bytea as `\x…` hex,
 * timestamps in UTC). Each table's `sha256` is over its row lines joined by `\n`, so a backup
 * of the same rows is the same on either home.
 */
export const backupFormat = 'riskatlas-backup'
export const backupFormatVersion = 1

export const backupTableSchema = z.object({
  name: z.string().min(1),
  columns: z.array(z.string().min(1)),
  rows: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
})
export type BackupTable = z.infer<typeof backupTableSchema>

export const backupManifestSchema = z.object({
  format: z.literal(backupFormat),
  formatVersion: z.number().int().positive(),
  createdAt: z.string(),
  /** The home the backup was taken on (`embedded`, `external`): informative, restore takes either. */
  sourceHome: z.string(),
  postgres: z.string(),
  postgis: z.string(),
  /** Every schema migration applied where the backup was taken, sorted by name. */
  migrations: z.array(z.string()),
  /** In dependency order: a table comes after every table it references. */
  tables: z.array(backupTableSchema),
})
export type BackupManifest = z.infer<typeof backupManifestSchema>

/** One table's rows as the dump produced them: each row one JSON text, in primary-key order. */
export interface TableDump {
  name: string
  columns: string[]
  rowLines: string[]
}

export interface ParsedBackup {
  manifest: BackupManifest
  /** Row lines per table, in the manifest's order, each table's count and checksum already checked. */
  tables: TableDump[]
}

/** 422 `backup_refused`: the file is not a backup this server can restore; nothing was changed. */
export class BackupRefused extends ApiError {
  constructor(
    readonly reason: BackupRefusalReason,
    message: string,
    extra: Record<string, unknown> = {},
  ) {
    super(422, 'backup_refused', message, { reason, ...extra })
  }
}

export function sha256OfRows(rowLines: readonly string[]): string {
  const hash = createHash('sha256')
  rowLines.forEach((line, index) => hash.update(index === 0 ? line : `\n${line}`))
  return hash.digest('hex')
}

/** The manifest's table entries for a set of dumps. */
export function describeTables(dumps: readonly TableDump[]): BackupTable[] {
  return dumps.map((dump) => ({ name: dump.name, columns: dump.columns, rows: dump.rowLines.length, sha256: sha256OfRows(dump.rowLines) }))
}

/** Writes the archive: manifest, then each table's header and rows, gzip'd. */
export function encodeBackup(manifest: BackupManifest, dumps: readonly TableDump[]): Buffer {
  const parts: string[] = [JSON.stringify(manifest)]
  for (const dump of dumps) {
    parts.push(JSON.stringify({ table: dump.name }))
    for (const line of dump.rowLines) parts.push(line)
  }
  return gzipSync(Buffer.from(`${parts.join('\n')}\n`, 'utf8'), { level: 6 })
}

const gzipMagic = [0x1f, 0x8b]

/**
 * Reads and checks an archive without touching any database: a foreign file, a damaged one, a
 * newer format or a table whose rows do not match their count and checksum is refused here.
 */
export function parseBackup(bytes: Uint8Array): ParsedBackup {
  if (bytes.length < 2 || bytes[0] !== gzipMagic[0] || bytes[1] !== gzipMagic[1]) {
    throw new BackupRefused('not_a_backup', 'This file is not a RiskAtlas backup (not gzip).')
  }
  let text: string
  try {
    text = gunzipSync(bytes).toString('utf8')
  } catch {
    throw new BackupRefused('corrupt', 'The backup is damaged: it cannot be decompressed.')
  }
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  const manifest = readManifest(lines[0])
  if (manifest.formatVersion > backupFormatVersion) {
    throw new BackupRefused(
      'newer_format',
      `The backup is in format ${manifest.formatVersion}; this server reads format ${backupFormatVersion}. Upgrade RiskAtlas first.`,
      { formatVersion: manifest.formatVersion, supported: backupFormatVersion },
    )
  }
  const tables: TableDump[] = []
  let at = 1
  for (const table of manifest.tables) {
    const header = safeJson(lines[at])
    if (!header || (header as { table?: unknown }).table !== table.name) {
      throw new BackupRefused('corrupt', `The backup is damaged: the rows of ${table.name} are not where the manifest says.`, {
        table: table.name,
      })
    }
    const rowLines = lines.slice(at + 1, at + 1 + table.rows)
    at += 1 + table.rows
    if (rowLines.length !== table.rows || sha256OfRows(rowLines) !== table.sha256) {
      throw new BackupRefused('checksum_mismatch', `The backup is damaged: the rows of ${table.name} do not match their checksum.`, {
        table: table.name,
      })
    }
    tables.push({ name: table.name, columns: table.columns, rowLines })
  }
  if (at !== lines.length) throw new BackupRefused('corrupt', 'The backup is damaged: it has lines after its last table.')
  return { manifest, tables }
}

function readManifest(line: string | undefined): BackupManifest {
  const parsed = backupManifestSchema.safeParse(safeJson(line))
  if (parsed.success) return parsed.data
  const format = (safeJson(line) as { format?: unknown } | undefined)?.format
  if (format === backupFormat) throw new BackupRefused('corrupt', 'The backup is damaged: its manifest cannot be read.')
  throw new BackupRefused('not_a_backup', 'This file is not a RiskAtlas backup (no manifest).')
}

function safeJson(line: string | undefined): unknown {
  if (line === undefined) return undefined
  try {
    return JSON.parse(line) as unknown
  } catch {
    return undefined
  }
}

/** The file name a backup is offered under: `riskatlas-2026-12-03T08-55-00Z.backup.gz`. */
export function backupFileName(createdAt: Date): string {
  return `riskatlas-${createdAt.toISOString().slice(0, 19).replaceAll(':', '-')}Z.backup.gz`
}
