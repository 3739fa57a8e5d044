import type { ImportField } from '@riskatlas/shared'
import type { CrsChoice } from './crs.ts'
import { parseCsv } from './csv.ts'
import { sheetFromGrid } from './table.ts'
import { decodeText } from './text.ts'
import { UnreadableFile, type FileFormat, type ParsedFile } from './types.ts'

/** The format of an upload from its name, checked against its first bytes. */
export function detectFormat(fileName: string, bytes: Uint8Array): FileFormat {
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b
  const name = fileName.toLowerCase()
  if (name.endsWith('.xlsx')) {
    if (!zip) throw new UnreadableFile('xlsx_not_workbook')
    return 'xlsx'
  }
  if (name.endsWith('.xls')) throw new UnreadableFile('xls_old')
  if (name.endsWith('.zip')) {
    if (!zip) throw new UnreadableFile('zip_invalid')
    return 'shapefile'
  }
  if (name.endsWith('.geojson') || name.endsWith('.json')) return 'geojson'
  if (name.endsWith('.csv') || name.endsWith('.txt')) return 'csv'
  if (name.endsWith('.shp')) throw new UnreadableFile('zip_not_shapefile')
  throw new UnreadableFile('unsupported_type')
}

export interface ParseOptions {
  fields: readonly ImportField[]
  /** For Shapefiles without a .prj (and projected GeoJSON): the user's choice of system. */
  crs?: CrsChoice | undefined
  /** Refuse files with more data rows than this. */
  maxRows?: number | undefined
}

/** Reads any supported upload into sheets of records; pure apart from CPU (run it in a worker for big files). */
export async function parseFile(fileName: string, bytes: Uint8Array, options: ParseOptions): Promise<ParsedFile> {
  const format = detectFormat(fileName, bytes)
  let parsed: ParsedFile
  if (format === 'csv') {
    const { text, encoding } = decodeText(bytes)
    parsed = { format, encoding, sheets: [sheetFromGrid(fileName, parseCsv(text), options.fields)], spatial: false, warnings: [] }
  }
  // The other readers load on first use: the parse worker starts fresh for every big file, and
  // loading exceljs, shapefile and proj4 there for a CSV cost seconds and over 100 MB.
  else if (format === 'xlsx') parsed = await (await import('./xlsx.ts')).readXlsx(bytes, options.fields)
  else if (format === 'geojson') parsed = (await import('./geojson.ts')).readGeoJson(bytes, options.crs)
  else parsed = await (await import('./shapefile.ts')).readZippedShapefile(bytes, options.crs)
  const maxRows = options.maxRows ?? 100_000
  for (const sheet of parsed.sheets) {
    if (sheet.records.length > maxRows)
      throw new UnreadableFile('too_many_rows', { rows: sheet.records.length, max: maxRows }, 'too_many_rows')
  }
  return parsed
}
