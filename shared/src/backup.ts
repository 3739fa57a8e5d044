import { z } from 'zod'

/** The largest backup `POST /api/admin/restore` accepts: a town's archive is a few MB, a county's tens. */
export const maxRestoreBytes = 256 * 1024 * 1024

/** Why a restore was refused (`backup_refused` 422, `details.reason`); nothing was changed. */
export const backupRefusalReasons = ['not_a_backup', 'corrupt', 'newer_format', 'schema_mismatch', 'checksum_mismatch'] as const
export type BackupRefusalReason = (typeof backupRefusalReasons)[number]

/** `POST /api/admin/restore`: what the archive held and what was written. */
export const restoreResultSchema = z.object({
  createdAt: z.string(),
  sourceHome: z.string(),
  formatVersion: z.number().int(),
  tables: z.array(z.object({ name: z.string(), rows: z.number().int().nonnegative() })),
})
export type RestoreResult = z.infer<typeof restoreResultSchema>
