import {
  enumLabels,
  type CoordinateSystem,
  type FieldMapping,
  type ImportField,
  type ImportIssue,
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

function enumOf(cell: Cell, values: readonly string[]): string | undefined {
  const typed = text(cell).toLowerCase()
  const norm = (s: string) => toHalfWidth(s).replace(/\s+/g, '').toLowerCase()
  return values.find(
    (value) => value === typed || norm(enumLabels[value]?.zh ?? '') === norm(typed) || norm(enumLabels[value]?.en ?? '') === norm(typed),
  )
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
export function convertCell(field: ImportField, cell: Cell): { value: Value } | { problem: string } {
  if (blank(cell)) return { value: null }
  switch (field.type) {
    case 'text':
      return { value: text(cell).slice(0, 500) }
    case 'phone': {
      const phone = text(cell).replace(/\s+/g, '')
      return /^[0-9+\-()]{5,20}$/.test(phone)
        ? { value: phone }
        : { problem: `电话号码格式错误 — not a phone number: ${phone.slice(0, 30)}` }
    }
    case 'integer':
    case 'number': {
      const value = numberOf(cell, field.type === 'integer')
      if (value === undefined)
        return {
          problem: `不是${field.type === 'integer' ? '整数' : '数字'} — not ${field.type === 'integer' ? 'a whole number' : 'a number'}: ${text(cell).slice(0, 30)}`,
        }
      if (value < 0) return { problem: `不能为负数 — must not be negative: ${value}` }
      return { value }
    }
    case 'enum': {
      const value = enumOf(cell, field.values ?? [])
      if (value) return { value }
      const allowed = (field.values ?? []).map((v) => enumLabels[v]?.zh ?? v).join('/')
      return { problem: `取值无效 “${text(cell).slice(0, 30)}”，应为 ${allowed} — not one of the allowed values` }
    }
    case 'date': {
      const value = dateOf(cell)
      return value ? { value } : { problem: `日期格式错误 — not a date: ${text(cell).slice(0, 30)}` }
    }
    case 'longitude':
    case 'latitude': {
      const parsed = parseCoordinate(cell instanceof Date ? null : cell)
      if (!parsed) return { problem: `无法识别的坐标 “${text(cell).slice(0, 30)}” — not a coordinate (decimal degrees or 度分秒)` }
      return { value: parsed.value }
    }
  }
}

/** Per-layer value rules beyond the field types. */
function layerProblems(target: ImportTarget, values: Record<string, Value>): { column: string; reason: string }[] {
  const problems: { column: string; reason: string }[] = []
  const riskLevel = values.risk_level
  if (target.layer === 'hazard_points' && typeof riskLevel === 'number' && (riskLevel < 1 || riskLevel > 4))
    problems.push({ column: 'risk_level', reason: `风险等级应为 1–4 — risk level must be 1 to 4: ${riskLevel}` })
  const adminCode = values.admin_code
  if (typeof adminCode === 'string' && !/^\d{12}$/.test(adminCode))
    problems.push({ column: 'admin_code', reason: `行政村代码应为 12 位数字 — the administrative code must be 12 digits: ${adminCode}` })
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
      issues.push({ row: sheet.headerRow, column, reason: `文件中没有列 “${column}” — the file has no such column`, severity: 'error' })
  }
  const lonField = target.fields.find((field) => field.type === 'longitude')
  const latField = target.fields.find((field) => field.type === 'latitude')
  const coordinateColumns =
    target.geometry === 'point' && lonField && latField && header('lon') !== undefined && header('lat') !== undefined
  if (target.geometry === 'point' && !coordinateColumns && !spatial)
    issues.push({
      row: sheet.headerRow,
      column: '经度/纬度',
      reason: '未指定经度、纬度列 — map the longitude and latitude columns',
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
        reason: '只有一个单元格的备注行，已跳过 — a note row with a single cell, skipped',
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
        rowIssues.push({ row: record.row, column: column ?? field.label.zh, reason: converted.problem, severity: 'error' })
      else {
        values[field.key] = converted.value
        if (converted.value === null && field.required && field.type !== 'longitude' && field.type !== 'latitude')
          rowIssues.push({
            row: record.row,
            column: column ?? field.label.zh,
            reason: `${field.label.zh}不能为空 — ${field.label.en} is required`,
            severity: 'error',
          })
      }
    }
    for (const problem of layerProblems(target, values))
      rowIssues.push({ row: record.row, column: header(problem.column) ?? problem.column, reason: problem.reason, severity: 'error' })

    let geometry: Geometry | undefined
    if (target.geometry === 'point' && coordinateColumns) {
      let lon = values.lon
      let lat = values.lat
      delete values.lon
      delete values.lat
      if (lon === null || lat === null) {
        if (!rowIssues.some((issue) => issue.column === header('lon') || issue.column === header('lat')))
          rowIssues.push({
            row: record.row,
            column: lon === null ? header('lon')! : header('lat')!,
            reason: '坐标为空 — the coordinate is empty',
            severity: 'error',
          })
      } else if (typeof lon === 'number' && typeof lat === 'number') {
        raw.push([lon, lat])
        if (options.swapCoordinates) [lon, lat] = [lat, lon]
        if (!validLongitude(lon) || !validLatitude(lat))
          rowIssues.push({
            row: record.row,
            column: header('lat')!,
            reason: `坐标超出范围 (${lon}, ${lat}) — outside the valid range; are longitude and latitude swapped?`,
            severity: 'error',
          })
        else geometry = { type: 'Point', coordinates: toWgs84(lon, lat, system) }
      }
    } else if (target.geometry !== 'none') {
      const problem = geometryProblem(record.geometry)
      if (problem) rowIssues.push({ row: record.row, column: '几何', reason: problem, severity: 'error' })
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
              column: '几何',
              reason: `应为点，实为 ${g.type} — a point layer needs Point geometries`,
              severity: 'error',
            })
        } else {
          const multi = asMultiPolygon(g)
          if (multi) geometry = multi
          else
            rowIssues.push({
              row: record.row,
              column: '几何',
              reason: `应为面，实为 ${g.type} — a polygon layer needs Polygon geometries`,
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
          column: header('lon') ?? '几何',
          reason: `位置距镇域约 ${Math.round(km)} 公里，请核对 — about ${Math.round(km)} km outside the town: check it`,
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
