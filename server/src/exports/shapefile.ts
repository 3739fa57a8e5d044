import { zipSync } from 'fflate'
import iconv from 'iconv-lite'

/**
 * A small ESRI Shapefile writer: .shp, .shx, a GBK-encoded .dbf with a .cpg saying so, and a
 * .prj for WGS84 — zipped. Written here because the npm writers (`@mapbox/shp-write`) write the
 * .dbf in UTF-8 or Latin-1 only, and Chinese GIS software (ArcGIS, older QGIS setups) expects
 * GBK. Pure: bytes in memory, no files.
 *
 * One geometry type per file, as the format requires: points (1), polylines (3) or polygons (5);
 * multipart lines and polygons become parts of one record. Polygon rings are written the way the
 * format wants them — outer rings clockwise, holes counter-clockwise — whatever their order in
 * the GeoJSON.
 */

export type ShapeKind = 'point' | 'polyline' | 'polygon'

type Position = number[]
/** The GeoJSON geometries a layer holds. */
export type ShapeGeometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] }

/** A .dbf column: C text (GBK bytes), N number (`decimals` 0 for integers), L logical. */
export interface DbfField {
  /** At most 10 bytes of ASCII: the format's limit. */
  name: string
  type: 'C' | 'N' | 'L'
  /** For N: digits after the point (0 = integer). Ignored otherwise. */
  decimals?: number
}

export type DbfValue = string | number | boolean | null

export interface ShapeRecord {
  geometry: ShapeGeometry | null
  values: readonly DbfValue[]
}

/** The ESRI WKT of WGS 84 (EPSG:4326), as ArcGIS writes it; GDAL and QGIS read it as EPSG:4326. */
export const wgs84Prj =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]'

const shapeTypes: Record<ShapeKind, number> = { point: 1, polyline: 3, polygon: 5 }
/** The longest a C field may be, in bytes (dBASE III). */
export const maxTextBytes = 254

/** Twice the signed area (the shoelace sum): positive when the ring runs counter-clockwise. */
function signedArea(ring: readonly Position[]): number {
  let sum = 0
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) sum += ring[j]![0]! * ring[i]![1]! - ring[i]![0]! * ring[j]![1]!
  return sum
}

const oriented = (ring: Position[], clockwise: boolean) => (signedArea(ring) < 0 === clockwise ? ring : [...ring].reverse())

/** The parts of a geometry as the format orders them, or an error when it does not fit the file's kind. */
function partsOf(kind: ShapeKind, geometry: ShapeGeometry): Position[][] {
  if (kind === 'polyline') {
    if (geometry.type === 'LineString') return [geometry.coordinates]
    if (geometry.type === 'MultiLineString') return geometry.coordinates
  }
  if (kind === 'polygon') {
    const polygons =
      geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : undefined
    if (polygons) return polygons.flatMap((rings) => rings.map((ring, index) => oriented(ring, index === 0)))
  }
  throw new Error(`a ${geometry.type} cannot be written to a ${kind} shapefile`)
}

interface Box {
  xmin: number
  ymin: number
  xmax: number
  ymax: number
}

function boxOf(points: Iterable<Position>): Box {
  const box = { xmin: Infinity, ymin: Infinity, xmax: -Infinity, ymax: -Infinity }
  for (const [x, y] of points) {
    box.xmin = Math.min(box.xmin, x!)
    box.ymin = Math.min(box.ymin, y!)
    box.xmax = Math.max(box.xmax, x!)
    box.ymax = Math.max(box.ymax, y!)
  }
  return box
}

/** One record's content (after its 8-byte header). */
function recordContent(kind: ShapeKind, geometry: ShapeGeometry | null): { bytes: Uint8Array; points: Position[] } {
  if (!geometry) {
    const bytes = new Uint8Array(4)
    return { bytes, points: [] }
  }
  if (kind === 'point') {
    if (geometry.type !== 'Point') throw new Error(`a ${geometry.type} cannot be written to a point shapefile`)
    const view = new DataView(new ArrayBuffer(20))
    view.setInt32(0, 1, true)
    view.setFloat64(4, geometry.coordinates[0]!, true)
    view.setFloat64(12, geometry.coordinates[1]!, true)
    return { bytes: new Uint8Array(view.buffer), points: [geometry.coordinates] }
  }
  const parts = partsOf(kind, geometry)
  const points = parts.flat()
  const view = new DataView(new ArrayBuffer(44 + 4 * parts.length + 16 * points.length))
  const box = boxOf(points)
  view.setInt32(0, shapeTypes[kind], true)
  ;[box.xmin, box.ymin, box.xmax, box.ymax].forEach((value, i) => view.setFloat64(4 + 8 * i, value, true))
  view.setInt32(36, parts.length, true)
  view.setInt32(40, points.length, true)
  let start = 0
  parts.forEach((part, i) => {
    view.setInt32(44 + 4 * i, start, true)
    start += part.length
  })
  const offset = 44 + 4 * parts.length
  points.forEach(([x, y], i) => {
    view.setFloat64(offset + 16 * i, x!, true)
    view.setFloat64(offset + 16 * i + 8, y!, true)
  })
  return { bytes: new Uint8Array(view.buffer), points }
}

/** The 100-byte header the .shp and the .shx share; lengths in 16-bit words. */
function mainHeader(kind: ShapeKind, fileBytes: number, box: Box): Uint8Array {
  const view = new DataView(new ArrayBuffer(100))
  view.setInt32(0, 9994, false)
  view.setInt32(24, fileBytes / 2, false)
  view.setInt32(28, 1000, true)
  view.setInt32(32, shapeTypes[kind], true)
  const empty = !Number.isFinite(box.xmin)
  ;[box.xmin, box.ymin, box.xmax, box.ymax].forEach((value, i) => view.setFloat64(36 + 8 * i, empty ? 0 : value, true))
  return new Uint8Array(view.buffer)
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0))
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}

/** The .shp and its .shx index. */
export function writeShp(kind: ShapeKind, geometries: readonly (ShapeGeometry | null)[]): { shp: Uint8Array; shx: Uint8Array } {
  const contents = geometries.map((geometry) => recordContent(kind, geometry))
  const box = boxOf(contents.flatMap((content) => content.points))
  const shpBytes = 100 + contents.reduce((sum, content) => sum + 8 + content.bytes.length, 0)
  const shpChunks: Uint8Array[] = [mainHeader(kind, shpBytes, box)]
  const shx = new DataView(new ArrayBuffer(8 * contents.length))
  let offset = 100
  contents.forEach((content, i) => {
    const header = new DataView(new ArrayBuffer(8))
    header.setInt32(0, i + 1, false)
    header.setInt32(4, content.bytes.length / 2, false)
    shpChunks.push(new Uint8Array(header.buffer), content.bytes)
    shx.setInt32(8 * i, offset / 2, false)
    shx.setInt32(8 * i + 4, content.bytes.length / 2, false)
    offset += 8 + content.bytes.length
  })
  return {
    shp: concat(shpChunks),
    shx: concat([mainHeader(kind, 100 + 8 * contents.length, box), new Uint8Array(shx.buffer)]),
  }
}

/** GBK bytes of a text, cut on a character boundary to at most `max` bytes. */
function gbkBytes(text: string, max = maxTextBytes): Uint8Array {
  let bytes = iconv.encode(text, 'gbk')
  if (bytes.length <= max) return bytes
  let chars = [...text]
  while (bytes.length > max) {
    chars = chars.slice(0, -1)
    bytes = iconv.encode(chars.join(''), 'gbk')
  }
  return bytes
}

/** A number as the .dbf writes it: fixed decimals, no exponent. */
const numberText = (value: number, decimals: number) => value.toFixed(decimals)

const ascii = (text: string) => new TextEncoder().encode(text)

/**
 * A dBASE III .dbf in GBK (language driver 0x4D, code page 936). Each column's width is the
 * widest value it holds; a text longer than 254 bytes is cut (on a character boundary).
 */
export function writeDbf(fields: readonly DbfField[], rows: readonly (readonly DbfValue[])[], today = new Date()): Uint8Array {
  for (const field of fields)
    if (!/^[A-Za-z][A-Za-z0-9_]{0,9}$/.test(field.name)) throw new Error(`not a .dbf field name (≤ 10 ASCII bytes): ${field.name}`)
  if (new Set(fields.map((field) => field.name.toUpperCase())).size !== fields.length) throw new Error('duplicate .dbf field names')
  const cells: Uint8Array[][] = rows.map((row) =>
    fields.map((field, i) => {
      const value = row[i] ?? null
      if (value === null) return new Uint8Array(0)
      if (field.type === 'L') return ascii(value ? 'T' : 'F')
      if (field.type === 'N') return ascii(numberText(Number(value), field.decimals ?? 0))
      return gbkBytes(String(value))
    }),
  )
  const widths = fields.map((field, i) => {
    if (field.type === 'L') return 1
    const widest = Math.max(1, ...cells.map((row) => row[i]!.length))
    // N: room for the sign and the point even when every value is null or short.
    return field.type === 'N' ? Math.max(widest, (field.decimals ?? 0) + (field.decimals ? 3 : 2)) : widest
  })
  const headerLength = 32 + 32 * fields.length + 1
  const recordLength = 1 + widths.reduce((sum, width) => sum + width, 0)
  const out = new Uint8Array(headerLength + recordLength * rows.length + 1)
  const view = new DataView(out.buffer)
  out[0] = 0x03
  out[1] = today.getUTCFullYear() - 1900
  out[2] = today.getUTCMonth() + 1
  out[3] = today.getUTCDate()
  view.setUint32(4, rows.length, true)
  view.setUint16(8, headerLength, true)
  view.setUint16(10, recordLength, true)
  out[29] = 0x4d
  fields.forEach((field, i) => {
    const at = 32 + 32 * i
    out.set(ascii(field.name), at)
    out[at + 11] = field.type.charCodeAt(0)
    out[at + 16] = widths[i]!
    out[at + 17] = field.type === 'N' ? (field.decimals ?? 0) : 0
  })
  out[headerLength - 1] = 0x0d
  const space = 0x20
  cells.forEach((row, r) => {
    let at = headerLength + recordLength * r
    out[at++] = space // not deleted
    row.forEach((cell, i) => {
      const width = widths[i]!
      const field = fields[i]!
      out.fill(space, at, at + width)
      if (cell.length === 0 && field.type === 'L') out[at] = '?'.charCodeAt(0)
      // Numbers right-aligned, text and logicals left-aligned.
      out.set(cell, field.type === 'N' ? at + width - cell.length : at)
      at += width
    })
  })
  out[out.length - 1] = 0x1a
  return out
}

/** A whole layer as a zipped Shapefile: `<name>.shp/.shx/.dbf/.prj/.cpg`. */
export function zippedShapefile(
  name: string,
  kind: ShapeKind,
  fields: readonly DbfField[],
  records: readonly ShapeRecord[],
  today = new Date(),
): Uint8Array<ArrayBuffer> {
  const { shp, shx } = writeShp(
    kind,
    records.map((record) => record.geometry),
  )
  const dbf = writeDbf(
    fields,
    records.map((record) => record.values),
    today,
  )
  const mtime = today
  // fflate allocates its output on a fresh ArrayBuffer; its types say only ArrayBufferLike.
  return zipSync({
    [`${name}.shp`]: [shp, { mtime }],
    [`${name}.shx`]: [shx, { mtime }],
    [`${name}.dbf`]: [dbf, { mtime }],
    [`${name}.prj`]: [ascii(wgs84Prj), { mtime }],
    [`${name}.cpg`]: [ascii('GBK'), { mtime }],
  }) as Uint8Array<ArrayBuffer>
}
