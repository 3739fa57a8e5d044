import {
  importListSchema,
  importPreviewSchema,
  type ImportCounts,
  type ImportIssue,
  type ImportLayer,
  type ImportMode,
  type ImportOptions,
  type ImportPreview,
  type ImportSummary,
} from '@riskatlas/shared'
import { api, ok, withSignal } from './client.ts'
import { apiFetch, toApiError } from './http.ts'

/**
 * The import API (`/api/imports`): upload → preview (options) → commit → history → undo. Every
 * answer may hold personal data (the 特殊人群 list): the server sends them `no-store`, and the
 * view keeps them in memory only.
 */

/** Uploads a file as the request body; answers the first preview (the mapping proposed or remembered). */
export async function uploadImport(layer: ImportLayer, file: Blob & { name: string }): Promise<ImportPreview> {
  const response = await apiFetch(api.imports.$path({ query: { layer, fileName: file.name } }), {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/octet-stream' },
    body: file,
  })
  if (!response.ok) throw await toApiError(response)
  return importPreviewSchema.parse(await response.json())
}

/** Reads the upload again with other options (sheet, mapping, coordinate system, swap, .prj choice). */
export async function previewImport(id: number, options: ImportOptions): Promise<ImportPreview> {
  return importPreviewSchema.parse(await ok(api.imports[':id'].preview.$post({ param: { id: String(id) }, json: options })))
}

/** Commits all rows or none; the same key again answers the first commit and writes nothing more. */
export async function commitImport(
  id: number,
  mode: ImportMode,
  idempotencyKey: string,
): Promise<{ import: ImportSummary & { counts: ImportCounts | null }; issues: ImportIssue[] }> {
  return ok(api.imports[':id'].commit.$post({ param: { id: String(id) }, json: { mode, idempotencyKey } }))
}

export async function undoImport(id: number): Promise<ImportSummary> {
  return ok(api.imports[':id'].undo.$post({ param: { id: String(id) } }))
}

/** The import history, newest first, each row saying whether an undo would be accepted now. */
export async function fetchImports(signal?: AbortSignal): Promise<ImportSummary[]> {
  return importListSchema.parse(await ok(api.imports.$get({ query: {} }, withSignal(signal)))).imports
}

/** The validation report of the last preview or commit (CSV, opens in Excel); the browser downloads it. */
export function importReportUrl(id: number): string {
  return api.imports[':id']['report.csv'].$path({ param: { id: String(id) } })
}

/** The Excel template of a layer (danger zones have none: they come as polygons). */
export function importTemplateUrl(layer: Exclude<ImportLayer, 'danger_zones'>): string {
  return api.imports.templates[':file'].$path({ param: { file: `${layer}.xlsx` } })
}
