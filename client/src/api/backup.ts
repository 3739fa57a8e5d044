import { restoreResultSchema, type RestoreResult } from '@riskatlas/shared'
import { api } from './client.ts'
import { apiFetch, toApiError } from './http.ts'

export type { RestoreResult }

/** Where the browser downloads a backup of the whole database (admins; the server audits it). */
export const backupUrl = () => api.admin.backup.$path()

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
