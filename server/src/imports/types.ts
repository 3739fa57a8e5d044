import type { ImportFileProblemCode, ImportParams, importFileWarningCodes } from '@riskatlas/shared'

type ImportFileWarningCode = (typeof importFileWarningCodes)[number]

/** A GeoJSON geometry as read from a file: checked by `geometry.ts` before anything trusts it. */
export interface Geometry {
  type: string
  coordinates?: unknown
  geometries?: unknown
}

export type Cell = string | number | boolean | Date | null

/** One row of a file: its number as the user sees it, its cells by header, and a geometry for spatial formats. */
export interface SourceRecord {
  row: number
  values: Record<string, Cell>
  geometry?: Geometry | null
}

export interface ParsedSheet {
  name: string
  /** 1-based row of the header (0 for formats without one: GeoJSON, Shapefile). */
  headerRow: number
  columns: string[]
  records: SourceRecord[]
}

export type FileFormat = 'csv' | 'xlsx' | 'geojson' | 'shapefile'

export interface ParsedFile {
  format: FileFormat
  /** How the text was decoded (CSV, the .dbf of a Shapefile). */
  encoding?: string
  sheets: ParsedSheet[]
  /** Geometries are in the records (GeoJSON, Shapefile) rather than in coordinate columns. */
  spatial: boolean
  /** What the file says about its coordinate system, in words, when it says anything. */
  crs?: string
  warnings: { reason: ImportFileWarningCode; params?: ImportParams }[]
}

/**
 * A file that cannot be read at all (a row-level problem is an issue, not this): a code the client
 * words (`phraseImportProblem`). The message is the code itself: this module runs in the parse
 * worker, which must not load the shared package (zod and every schema: ~50 MB and a second per
 * fresh worker) to word an error nobody reads there.
 */
export class UnreadableFile extends Error {
  constructor(
    readonly reason: ImportFileProblemCode,
    readonly params: ImportParams = {},
    readonly code: 'unreadable' | 'crs_required' | 'unsupported_crs' | 'too_many_rows' = 'unreadable',
  ) {
    super(Object.keys(params).length ? `${reason} ${JSON.stringify(params)}` : reason)
    this.name = 'UnreadableFile'
  }
}
