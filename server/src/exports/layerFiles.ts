import ExcelJS from 'exceljs'
import { layerExportColumns, layerExportListSeparator, type LayerDefinition, type LayerProperty } from '@riskatlas/shared'
import { safeCell } from '../exposure/list.ts'
import { sheetName } from './template.ts'
import { zippedShapefile, type DbfField, type DbfValue, type ShapeGeometry, type ShapeKind } from './shapefile.ts'

/**
 * A public layer as files: CSV, Excel and a zipped Shapefile, from the very features the layer
 * API answers (GeoJSON is that answer itself). Pure: features in, bytes out.
 *
 * Values are the layer API's: enum codes as codes (what the import accepts, and unambiguous
 * across layers), lists joined with 、, times as ISO 8601 text.
 */

/** One feature as the layer API writes it. */
export interface LayerFeature {
  id: string | number
  geometry: ShapeGeometry
  properties: Record<string, unknown>
}

/**
 * The .dbf names of the catalogue properties longer than the format's 10 bytes (docs/EXPORTS.md
 * lists them; a unit test holds the two together). Every other property keeps its own name.
 */
export const dbfFieldNames: Record<string, string> = {
  threatened_households: 'thr_househ',
  threatened_people: 'thr_people',
  threatened_property_10k_yuan: 'thr_prop',
  monitor_name: 'monitor',
  responsible_name: 'responsibl',
  threatened_villages: 'thr_vill',
  threatened_village_codes: 'thr_vcodes',
  hazard_code: 'hz_code',
  hazard_name: 'hz_name',
  vulnerable_count: 'vulnerable',
  hazard_count: 'hz_count',
  elevation_m: 'elev_m',
  hospital_level: 'hosp_level',
  reservoir_scale: 'res_scale',
  storage_10k_m3: 'stor_10km3',
  dam_height_m: 'dam_h_m',
  admin_responsible: 'admin_resp',
  tech_responsible: 'tech_resp',
  patrol_responsible: 'patrol_rsp',
  capacity_persons: 'capacity',
  assigned_villages: 'asgn_vill',
  assigned_village_codes: 'asgn_vcode',
  assigned_people: 'asgn_ppl',
  village_name: 'vill_name',
  village_code: 'vill_code',
  shelter_name: 'shel_name',
  shelter_code: 'shel_code',
  walking_minutes: 'walk_min',
  coverage_radius_m: 'cov_rad_m',
  passable_in_flood: 'flood_pass',
}

export const dbfFieldName = (property: string) => dbfFieldNames[property] ?? property

const isPointLayer = (layer: LayerDefinition) => layer.geometryType === 'Point'

/** A value in a spreadsheet cell: numbers stay numbers, lists are joined (an empty one is an empty cell), the rest is text. */
function cellValue(property: LayerProperty, value: unknown): string | number | null {
  if (value === null || value === undefined) return null
  if (Array.isArray(value)) return value.length ? value.join(layerExportListSeparator) : null
  if ((property.type === 'integer' || property.type === 'number') && typeof value === 'number') return value
  return String(value)
}

const wktNumber = (value: number) => String(value)
const wktPoints = (points: readonly number[][]) => `(${points.map(([x, y]) => `${wktNumber(x!)} ${wktNumber(y!)}`).join(', ')})`
const wktRings = (rings: readonly number[][][]) => `(${rings.map(wktPoints).join(', ')})`

/** OGC WKT of a GeoJSON geometry, at the API's precision (6 decimals, as `ST_AsGeoJSON` wrote them). */
export function geometryWkt(geometry: ShapeGeometry): string {
  switch (geometry.type) {
    case 'Point':
      return `POINT (${wktNumber(geometry.coordinates[0]!)} ${wktNumber(geometry.coordinates[1]!)})`
    case 'LineString':
      return `LINESTRING ${wktPoints(geometry.coordinates)}`
    case 'MultiLineString':
      return `MULTILINESTRING ${wktRings(geometry.coordinates)}`
    case 'Polygon':
      return `POLYGON ${wktRings(geometry.coordinates)}`
    case 'MultiPolygon':
      return `MULTIPOLYGON (${geometry.coordinates.map(wktRings).join(', ')})`
  }
}

/** The header row: the feature id, the catalogue's Chinese titles, then lon/lat (points) or WKT (lines, polygons). */
export function layerTableHeaders(layer: LayerDefinition): string[] {
  const where = isPointLayer(layer) ? [layerExportColumns.longitude.zh, layerExportColumns.latitude.zh] : [layerExportColumns.wkt.zh]
  return [layerExportColumns.id.zh, ...layer.properties.map((property) => property.title.zh), ...where]
}

/** One row per feature, in the header's order; spreadsheet-unsafe text not yet neutralised. */
export function layerTableRows(layer: LayerDefinition, features: readonly LayerFeature[]): (string | number | null)[][] {
  return features.map((feature) => {
    const values = layer.properties.map((property) => cellValue(property, feature.properties[property.name]))
    const geometry = feature.geometry
    const where =
      geometry.type === 'Point' && isPointLayer(layer) ? [geometry.coordinates[0]!, geometry.coordinates[1]!] : [geometryWkt(geometry)]
    return [feature.id, ...values, ...where]
  })
}

/** Quoted, formula-safe (= + - @ tab CR get a leading '), numbers as they are. */
const csvCell = (value: string | number | null) => (typeof value === 'number' ? String(value) : `"${safeCell(value).replace(/"/g, '""')}"`)

/** CSV for Excel: UTF-8 with a BOM (so Excel reads the Chinese right), CRLF, Chinese headers. */
export function layerCsv(layer: LayerDefinition, features: readonly LayerFeature[]): string {
  const lines = [layerTableHeaders(layer), ...layerTableRows(layer, features)].map((row) => row.map(csvCell).join(','))
  return `\uFEFF${lines.join('\r\n')}\r\n`
}

/** An .xlsx of one sheet named after the layer: bold, frozen Chinese header row; numbers as numbers, text never a formula. */
export async function layerXlsx(layer: LayerDefinition, features: readonly LayerFeature[]): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'RiskAtlas'
  const sheet = workbook.addWorksheet(sheetName(layer.title.zh), { views: [{ state: 'frozen', ySplit: 1 }] })
  const headers = layerTableHeaders(layer)
  sheet.addRow(headers)
  sheet.getRow(1).font = { bold: true }
  for (const row of layerTableRows(layer, features)) sheet.addRow(row.map((cell) => (typeof cell === 'string' ? safeCell(cell) : cell)))
  sheet.columns.forEach((column, i) => (column.width = Math.min(40, Math.max(10, 2 * [...headers[i]!].length + 2))))
  return new Uint8Array(await workbook.xlsx.writeBuffer())
}

const shapeKinds: Record<LayerDefinition['geometryType'], ShapeKind> = { Point: 'point', LineString: 'polyline', MultiPolygon: 'polygon' }

/** Digits after the point a number column needs (at most 6, the API's precision; at least 1 so GIS reads it as real). */
function decimalsOf(values: readonly unknown[]): number {
  let decimals = 1
  for (const value of values)
    if (typeof value === 'number') decimals = Math.max(decimals, (String(Number(value.toFixed(6))).split('.')[1] ?? '').length)
  return Math.min(decimals, 6)
}

function dbfField(property: LayerProperty, values: readonly unknown[]): DbfField {
  const name = dbfFieldName(property.name)
  if (property.type === 'integer') return { name, type: 'N', decimals: 0 }
  if (property.type === 'number') return { name, type: 'N', decimals: decimalsOf(values) }
  if (property.type === 'boolean') return { name, type: 'L' }
  return { name, type: 'C' }
}

function dbfValue(value: unknown): DbfValue {
  if (value === null || value === undefined) return null
  if (Array.isArray(value)) return value.join(layerExportListSeparator)
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return value
  return String(value)
}

/**
 * The layer as a zipped Shapefile (`<layer>.shp/.shx/.dbf/.prj/.cpg`): GBK .dbf, WGS84 .prj,
 * the feature id as `id`, long property names mapped by `dbfFieldNames`. Text longer than
 * 254 GBK bytes is cut (the format's limit, `maxTextBytes`).
 */
export function layerShapefile(layer: LayerDefinition, features: readonly LayerFeature[], today = new Date()): Uint8Array<ArrayBuffer> {
  const idField: DbfField = features.every((feature) => typeof feature.id === 'number')
    ? { name: 'id', type: 'N', decimals: 0 }
    : { name: 'id', type: 'C' }
  const fields = [
    idField,
    ...layer.properties.map((property) =>
      dbfField(
        property,
        features.map((feature) => feature.properties[property.name]),
      ),
    ),
  ]
  const records = features.map((feature) => ({
    geometry: feature.geometry,
    values: [feature.id, ...layer.properties.map((property) => dbfValue(feature.properties[property.name]))],
  }))
  return zippedShapefile(layer.id, shapeKinds[layer.geometryType], fields, records, today)
}
