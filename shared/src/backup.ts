import { z } from 'zod'

/** The largest backup `POST /api/admin/restore` accepts: a town's archive is a few MB, a county's tens. */
export const maxRestoreBytes = 256 * 1024 * 1024

/** Why a restore was refused (`backup_refused` 422, `details.reason`); nothing was changed. */
export const backupRefusalReasons = ['not_a_backup', 'corrupt', 'newer_format', 'schema_mismatch', 'checksum_mismatch'] as const
export type BackupRefusalReason = (typeof backupRefusalReasons)[number]

/** One archive kept on the server (`BACKUP_DIR`): made by an admin's 立即备份 or by the schedule. */
export const storedBackupSchema = z.object({
  /** The file name, `riskatlas-<UTC time>Z.backup.gz`: also its id in `/api/admin/backups/{name}`. */
  name: z.string(),
  bytes: z.number().int().nonnegative(),
  /** When it was made (from its name), ISO 8601 UTC. */
  createdAt: z.string(),
})
export type StoredBackup = z.infer<typeof storedBackupSchema>

/** `GET /api/admin/backups`: the archives kept on the server, newest first. */
export const storedBackupListSchema = z.object({ backups: z.array(storedBackupSchema) })

/** An archive's file name as the server writes it: the only names `/api/admin/backups/{name}` accepts. */
export const backupNamePattern = /^riskatlas-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.backup\.gz$/

/** `POST /api/admin/restore`: what the archive held and what was written. */
export const restoreResultSchema = z.object({
  createdAt: z.string(),
  sourceHome: z.string(),
  formatVersion: z.number().int(),
  tables: z.array(z.object({ name: z.string(), rows: z.number().int().nonnegative() })),
})
export type RestoreResult = z.infer<typeof restoreResultSchema>
