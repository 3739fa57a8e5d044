import { restoreResultSchema, storedBackupListSchema, storedBackupSchema, type RestoreResult, type StoredBackup } from '@riskatlas/shared'
import { api } from './client.ts'
import { apiFetch, getJson, sendJson, toApiError } from './http.ts'

export type { RestoreResult, StoredBackup }

/** Where the browser downloads a backup of the whole database (admins; the server audits it). */
export const backupUrl = () => api.admin.backup.$path()

/** The archives kept on the server (made here with 立即备份, or by the schedule), newest first. */
export async function listStoredBackups(): Promise<StoredBackup[]> {
  return (await getJson(api.admin.backups.$path(), storedBackupListSchema)).backups
}

/** Makes a backup now and keeps it on the server; the server audits it. */
export function makeStoredBackup(): Promise<StoredBackup> {
  return sendJson('POST', api.admin.backups.$path(), undefined, storedBackupSchema)
}

/** Where the browser downloads one kept archive. */
export const storedBackupUrl = (name: string) => api.admin.backups[':name'].$path({ param: { name } })

/** Replaces the whole database with a backup file, all or nothing; a refused file (422 `backup_refused`) changes nothing. */
export async function restoreBackup(file: Blob): Promise<RestoreResult> {
  const response = await apiFetch(api.admin.restore.$path(), {
    method: 'POST',
    body: file,
    headers: { 'Content-Type': 'application/gzip' },
  })
  if (!response.ok) throw await toApiError(response)
  return restoreResultSchema.parse(await response.json())
}
