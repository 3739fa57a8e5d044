import type { FeatureCollection, Geometry } from 'geojson'
import {
  importIssueSchema,
  importOptionsSchema,
  importTargets,
  phraseImportIssue,
  phraseImportProblem,
  type FieldMapping,
  type ImportIssue,
  type ImportLayer,
  type ImportPreview,
} from '@riskatlas/shared'
import { ApiError } from '../../api/http.ts'
import type { Locale } from '../../i18n/core.ts'
import { describeError } from '../../i18n/errors.ts'

/**
 * The pure steps of the 数据导入 view: what the map, the report and the commit button are made
 * of, kept out of the component so they are tested without a browser.
 */

/**
 * A fresh idempotency key for one upload's commit: every retry of that commit (a double click,
 * a lost answer) sends the same key, so the server writes it once. `getRandomValues`, not
 * `randomUUID`: the office LAN serves plain http, where only the former exists.
 */
export function newIdempotencyKey(random: (bytes: Uint8Array) => Uint8Array = (bytes) => crypto.getRandomValues(bytes)): string {
  const bytes = random(new Uint8Array(16))
  return `import-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`
}

/** The rows a preview will import, for the map: each flagged `far` when the server found it outside the town. */
export function previewFeatures(
  preview: Pick<ImportPreview, 'features' | 'issues'>,
): FeatureCollection<Geometry, { row: number; far: boolean }> {
  const far = new Set(preview.issues.filter((issue) => issue.code === 'far_from_town').map((issue) => issue.row))
  return {
    type: 'FeatureCollection',
    features: (preview.features.features as { id?: number; geometry: Geometry; properties: { row: number } }[]).map((feature) => ({
      type: 'Feature',
      id: feature.properties.row,
      geometry: feature.geometry,
      properties: { row: feature.properties.row, far: far.has(feature.properties.row) },
    })),
  }
}

export interface IssueLine {
  row: number
  column: string
  severity: ImportIssue['severity']
  reason: string
}

/** The validation report's lines as the user reads them: row, the file's column, the worded reason. */
export function issueLines(issues: readonly ImportIssue[], layer: ImportLayer, lang: Locale): IssueLine[] {
  const target = importTargets[layer]
  return issues.map((issue) => ({
    row: issue.row,
    column: issue.column ?? '',
    severity: issue.severity,
    reason: phraseImportIssue(issue, target, lang),
  }))
}

/** The rows that have an error (they stop the commit) and those with only warnings. */
export function rowsBySeverity(issues: readonly ImportIssue[]): { errors: Set<number>; warnings: Set<number> } {
  const errors = new Set(issues.filter((issue) => issue.severity === 'error').map((issue) => issue.row))
  const warnings = new Set(issues.filter((issue) => issue.severity === 'warning' && !errors.has(issue.row)).map((issue) => issue.row))
  return { errors, warnings }
}

const reasonOf = (failure: unknown): { reason: string; params?: Record<string, string | number> } | undefined => {
  if (!(failure instanceof ApiError)) return undefined
  const details = failure.details as { reason?: unknown; params?: unknown } | undefined
  if (typeof details?.reason !== 'string') return undefined
  const params = typeof details.params === 'object' && details.params !== null ? (details.params as Record<string, string | number>) : {}
  return { reason: details.reason, params }
}

/**
 * Why an import step was refused, in `lang`: the import's own reason (`rows_changed`,
 * `rows_with_errors`, `prj_missing` …, worded by the shared table) when the answer names one,
 * else the phrase for the error code.
 */
export function importRefusal(failure: unknown, layer: ImportLayer, lang: Locale): string {
  const why = reasonOf(failure)
  if (why) {
    const phrased = phraseImportProblem(why, lang, importTargets[layer])
    if (phrased !== why.reason) return phrased
  }
  return describeError(failure, lang)
}

/** The rows a refused commit lists (400 `rows_with_errors`: e.g. codes that exist already in append mode). */
export function refusedIssues(failure: unknown): ImportIssue[] | undefined {
  if (!(failure instanceof ApiError) || failure.status !== 400) return undefined
  const issues = (failure.details as { issues?: unknown } | undefined)?.issues
  if (!Array.isArray(issues)) return undefined
  const parsed = issues.map((issue) => importIssueSchema.safeParse(issue))
  return parsed.every((result) => result.success) ? parsed.map((result) => result.data!) : undefined
}

/** The mapping with one field set to a column, or left out of the import (`''`). */
export function withFieldMapped(mapping: FieldMapping, field: string, column: string): FieldMapping {
  const next = { ...mapping }
  if (column) next[field] = column
  else delete next[field]
  return next
}

export const crsKinds = ['geographic', 'gk3', 'gk6', 'gk3cm', 'gk6cm'] as const
export type CrsKind = (typeof crsKinds)[number]

/** The `.prj` choice the preview takes (`gk3:33`, `gk6cm:99`, `geographic`), or undefined while incomplete. */
export function crsChoice(kind: CrsKind, number: number | string | undefined): string | undefined {
  const text = kind === 'geographic' ? kind : `${kind}:${String(number ?? '').trim()}`
  return importOptionsSchema.shape.crs.safeParse(text).success ? text : undefined
}
