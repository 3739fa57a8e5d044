import {
  enumLabels,
  type CoordinateSystem,
  type FieldMapping,
  type ImportField,
  type ImportIssue,
  type ImportIssueCode,
  type ImportParams,
  type ImportTarget,
} from '@riskatlas/shared'
import { kilometresOutside, looksSwapped, parseCoordinate, toWgs84, validLatitude, validLongitude, type Bbox } from './coords.ts'
import { geometryProblem, mapPositions } from './geometry.ts'
import { toHalfWidth } from './text.ts'
import type { Cell, Geometry, ParsedSheet } from './types.ts'
import { excelSerialToDate } from './xlsx.ts'

export type Value = string | number | null

/** A row ready for the database: field values by key, and its WGS84 geometry when the layer has one. */
export interface ImportRow {
  row: number
  values: Record<string, Value>
  geometry?: Geometry
}

export interface RowOptions {
  mapping: FieldMapping
  /** The system of coordinate columns and of GeoJSON positions (Shapefiles carry their own). */
  coordinateSystem?: CoordinateSystem | undefined
  /** Exchange the longitude and latitude columns (after the swap was detected and accepted). */
  swapCoordinates?: boolean | undefined
  /** The town's extent: points farther than `farKm` from it are warned about. */
  town?: Bbox | undefined
  farKm?: number | undefined
}

export interface RowResult {
  rows: ImportRow[]
  issues: ImportIssue[]
  /** Longitude and latitude look swapped (offered to the user; applied with `swapCoordinates`). */
  swapSuggested: boolean
}

const blank = (cell: Cell | undefined) =>
  cell === null || cell === undefined || (typeof cell === 'string' && toHalfWidth(cell).trim() === '')

const text = (cell: Cell): string => {
  if (cell instanceof Date) return cell.toISOString().slice(0, 10)
  if (typeof cell === 'number') return Number.isInteger(cell) ? cell.toFixed(0) : String(cell)
  return toHalfWidth(String(cell)).trim()
}

/** A count or amount as typed: full-width digits, thousands separators, a trailing unit (户, 人, 万元 …). */
function numberOf(cell: Cell, integer: boolean): number | undefined {
  if (typeof cell === 'number') return Number.isFinite(cell) && (!integer || Number.isInteger(cell)) ? cell : undefined
  if (typeof cell !== 'string') return undefined
  const cleaned = toHalfWidth(cell)
    .trim()
    .replace(/,/g, '')
    .replace(/\s*(户|人|个|座|名|万元|元|米|m|㎡)$/i, '')
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return undefined
  const value = Number(cleaned)
  return integer && !Number.isInteger(value) ? undefined : value
}

const normalised = (s: string) => toHalfWidth(s).replace(/\s+/g, '').toLowerCase()
/** Each enum's values with their labels normalised once, not once per cell. */
const enumLabelsOf = new WeakMap<readonly string[], { value: string; zh: string; en: string }[]>()

function enumOf(cell: Cell, values: readonly string[]): string | undefined {
  const typed = text(cell).toLowerCase()
  let labels = enumLabelsOf.get(values)
  if (!labels) {
    labels = values.map((value) => ({ value, zh: normalised(enumLabels[value]?.zh ?? ''), en: normalised(enumLabels[value]?.en ?? '') }))
    enumLabelsOf.set(values, labels)
  }
  const norm = normalised(typed)
  return labels.find((label) => label.value === typed || label.zh === norm || label.en === norm)?.value
}

function dateOf(cell: Cell): string | undefined {
  if (cell instanceof Date) return cell.toISOString().slice(0, 10)
  if (typeof cell === 'number') return excelSerialToDate(cell)
  const match = text(cell).match(/^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/)
  if (!match) return undefined
  const iso = `${match[1]}-${match[2]!.padStart(2, '0')}-${match[3]!.padStart(2, '0')}`
  return new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) === iso ? iso : undefined
}

/** One cell converted to a field's type, or the reason it cannot be. */
export function convertCell(field: ImportField, cell: Cell): { value: Value } | { problem: ImportIssueCode; params?: ImportParams } {
  if (blank(cell)) return { value: null }
  switch (field.type) {
    case 'text':
      return { value: text(cell).slice(0, 500) }
    case 'phone': {
      const phone = text(cell).replace(/\s+/g, '')
      return /^[0-9+\-()]{5,20}$/.test(phone) ? { value: phone } : { problem: 'not_phone', params: { value: phone.slice(0, 30) } }
    }
    case 'integer':
    case 'number': {
      const value = numberOf(cell, field.type === 'integer')
      if (value === undefined)
        return { problem: field.type === 'integer' ? 'not_integer' : 'not_number', params: { value: text(cell).slice(0, 30) } }
      if (value < 0) return { problem: 'negative', params: { value } }
      return { value }
    }
    case 'enum': {
      const value = enumOf(cell, field.values ?? [])
      if (value) return { value }
      return { problem: 'not_allowed', params: { value: text(cell).slice(0, 30), allowed: (field.values ?? []).join(',') } }
    }
    case 'date': {
      const value = dateOf(cell)
      return value ? { value } : { problem: 'not_date', params: { value: text(cell).slice(0, 30) } }
    }
    case 'longitude':
    case 'latitude': {
      const parsed = parseCoordinate(cell instanceof Date ? null : cell)
      if (!parsed) return { problem: 'not_coordinate', params: { value: text(cell).slice(0, 30) } }
      return { value: parsed.value }
    }
  }
}

/** Per-layer value rules beyond the field types. */
function layerProblems(
  target: ImportTarget,
  values: Record<string, Value>,
): { field: string; code: ImportIssueCode; params: ImportParams }[] {
  const problems: { field: string; code: ImportIssueCode; params: ImportParams }[] = []
  const riskLevel = values.risk_level
  if (target.layer === 'hazard_points' && typeof riskLevel === 'number' && (riskLevel < 1 || riskLevel > 4))
    problems.push({ field: 'risk_level', code: 'risk_level_range', params: { value: riskLevel } })
  const adminCode = values.admin_code
  if (typeof adminCode === 'string' && !/^\d{12}$/.test(adminCode))
    problems.push({ field: 'admin_code', code: 'admin_code_format', params: { value: adminCode.slice(0, 30) } })
  return problems
}

const asMultiPolygon = (geometry: Geometry): Geometry | undefined =>
  geometry.type === 'MultiPolygon'
    ? geometry
    : geometry.type === 'Polygon'
      ? { type: 'MultiPolygon', coordinates: [geometry.coordinates] }
      : undefined

/**
 * Applies a field mapping to a parsed sheet: converts every mapped cell, builds the WGS84
 * geometry (from coordinate columns for tables, from the file for spatial formats), and lists
 * every problem with its row, column and reason. Rows with an error are left out of `rows`.
 * Pure: database checks (does the village exist, is the code taken) come after.
 */
export function mapRows(sheet: ParsedSheet, target: ImportTarget, options: RowOptions, spatial: boolean): RowResult {
  const issues: ImportIssue[] = []
  const rows: ImportRow[] = []
  const system = options.coordinateSystem ?? 'wgs84'
  const header = (key: string) => options.mapping[key]
  for (const field of target.fields) {
    const column = header(field.key)
    if (column !== undefined && !sheet.columns.includes(column))
      issues.push({
        row: sheet.headerRow,
        column,
        field: field.key,
        code: 'column_missing',
        params: { column: column.slice(0, 100) },
        severity: 'error',
      })
  }
  const lonField = target.fields.find((field) => field.type === 'longitude')
  const latField = target.fields.find((field) => field.type === 'latitude')
  const coordinateColumns =
    target.geometry === 'point' && lonField && latField && header('lon') !== undefined && header('lat') !== undefined
  if (target.geometry === 'point' && !coordinateColumns && !spatial)
    issues.push({
      row: sheet.headerRow,
      field: 'lon',
      code: 'coordinates_unmapped',
      severity: 'error',
    })
  if (issues.some((issue) => issue.severity === 'error')) return { rows, issues, swapSuggested: false }

  const raw: [number, number][] = []
  const mappedColumns = Object.values(options.mapping)
  for (const record of sheet.records) {
    // A note under the table ("制表：应急办", "合计"): one filled cell where several fields are mapped.
    const filled = Object.values(record.values).filter((cell) => !blank(cell)).length
    if (!spatial && mappedColumns.length >= 3 && filled === 1) {
      issues.push({
        row: record.row,
        code: 'note_row_skipped',
        severity: 'warning',
      })
      continue
    }
    const values: Record<string, Value> = {}
    const rowIssues: ImportIssue[] = []
    for (const field of target.fields) {
      const column = header(field.key)
      const cell = column === undefined ? null : (record.values[column] ?? null)
      const converted = convertCell(field, cell)
      if ('problem' in converted)
        rowIssues.push({ row: record.row, column, field: field.key, code: converted.problem, params: converted.params, severity: 'error' })
      else {
        values[field.key] = converted.value
        if (converted.value === null && field.required && field.type !== 'longitude' && field.type !== 'latitude')
          rowIssues.push({
            row: record.row,
            column,
            field: field.key,
            code: 'required',
            params: { field: field.key },
            severity: 'error',
          })
      }
    }
    for (const problem of layerProblems(target, values))
      rowIssues.push({
        row: record.row,
        column: header(problem.field),
        field: problem.field,
        code: problem.code,
        params: problem.params,
        severity: 'error',
      })

    let geometry: Geometry | undefined
    if (target.geometry === 'point' && coordinateColumns) {
      let lon = values.lon
      let lat = values.lat
      delete values.lon
      delete values.lat
      if (lon === null || lat === null) {
        if (!rowIssues.some((issue) => issue.field === 'lon' || issue.field === 'lat'))
          rowIssues.push({
            row: record.row,
            column: lon === null ? header('lon')! : header('lat')!,
            field: lon === null ? 'lon' : 'lat',
            code: 'coordinate_empty',
            severity: 'error',
          })
      } else if (typeof lon === 'number' && typeof lat === 'number') {
        raw.push([lon, lat])
        if (options.swapCoordinates) [lon, lat] = [lat, lon]
        if (!validLongitude(lon) || !validLatitude(lat))
          rowIssues.push({
            row: record.row,
            column: header('lat')!,
            field: 'lat',
            code: 'coordinate_out_of_range',
            params: { lon, lat },
            severity: 'error',
          })
        else geometry = { type: 'Point', coordinates: toWgs84(lon, lat, system) }
      }
    } else if (target.geometry !== 'none') {
      const problem = geometryProblem(record.geometry)
      if (problem) rowIssues.push({ row: record.row, field: 'geometry', ...problem, severity: 'error' })
      else {
        let g = record.geometry!
        if (system === 'gcj02' || system === 'bd09') g = mapPositions(g, (x, y) => toWgs84(x, y, system))
        if (target.geometry === 'point') {
          const single =
            g.type === 'Point'
              ? g
              : g.type === 'MultiPoint' && (g.coordinates as unknown[]).length === 1
                ? { type: 'Point', coordinates: (g.coordinates as unknown[])[0] }
                : undefined
          if (single) geometry = single
          else
            rowIssues.push({
              row: record.row,
              field: 'geometry',
              code: 'geometry_not_point',
              params: { type: g.type },
              severity: 'error',
            })
        } else {
          const multi = asMultiPolygon(g)
          if (multi) geometry = multi
          else
            rowIssues.push({
              row: record.row,
              field: 'geometry',
              code: 'geometry_not_polygon',
              params: { type: g.type },
              severity: 'error',
            })
        }
      }
    }
    if (geometry && options.town && target.geometry === 'point') {
      const [x, y] = geometry.coordinates as [number, number]
      const km = kilometresOutside(x, y, options.town)
      if (km > (options.farKm ?? 20))
        rowIssues.push({
          row: record.row,
          column: header('lon'),
          field: header('lon') ? 'lon' : 'geometry',
          code: 'far_from_town',
          params: { km: Math.round(km) },
          severity: 'warning',
        })
    }
    issues.push(...rowIssues)
    if (!rowIssues.some((issue) => issue.severity === 'error'))
      rows.push(geometry ? { row: record.row, values, geometry } : { row: record.row, values })
  }
  const swapSuggested = !options.swapCoordinates && options.town !== undefined && looksSwapped(raw, options.town)
  return { rows, issues, swapSuggested }
}
