import { crsFromChoice, type CrsChoice } from './crs.ts'
import { mapPositions } from './geometry.ts'
import { decodeText } from './text.ts'
import { UnreadableFile, type Cell, type Geometry, type ParsedFile, type SourceRecord } from './types.ts'

const cellOf = (value: unknown): Cell => {
  if (value === null || value === undefined) return null
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value
  return JSON.stringify(value)
}

/**
 * Reads a GeoJSON FeatureCollection, a single Feature or a bare geometry. A legacy `crs` member
 * naming EPSG:4326 / 4490 / CRS84 is accepted; one naming a Gauss-Krüger zone (EPSG:4513–4533 3°,
 * 4491–4501 6°) is reprojected; any other is refused. Geometries are checked later, row by row.
 */
export function readGeoJson(bytes: Uint8Array, crsChoice?: CrsChoice): ParsedFile {
  const { text } = decodeText(bytes)
  let document: unknown
  try {
    document = JSON.parse(text)
  } catch {
    throw new UnreadableFile('geojson_syntax')
  }
  if (!document || typeof document !== 'object') throw new UnreadableFile('geojson_not_object')
  const doc = document as { type?: unknown; features?: unknown; crs?: unknown }
  let features: unknown[]
  if (doc.type === 'FeatureCollection') {
    if (!Array.isArray(doc.features)) throw new UnreadableFile('geojson_no_features')
    features = doc.features
  } else if (doc.type === 'Feature') features = [doc]
  else if (typeof doc.type === 'string' && /^(Multi)?(Point|LineString|Polygon)$/.test(doc.type))
    features = [{ type: 'Feature', properties: {}, geometry: doc }]
  else throw new UnreadableFile('geojson_not_collection')

  const named = (doc.crs as { properties?: { name?: unknown } } | undefined)?.properties?.name
  let transform: ((x: number, y: number) => [number, number]) | undefined
  let crs: string | undefined
  if (typeof named === 'string') {
    const epsg = Number(named.match(/EPSG:{1,2}(\d+)$/i)?.[1])
    if (/CRS84$/i.test(named) || epsg === 4326 || epsg === 4490) crs = named
    else if (epsg >= 4513 && epsg <= 4533) transform = crsFromChoice(`gk3:${epsg - 4513 + 25}`).toWgs84
    else if (epsg >= 4491 && epsg <= 4501) transform = crsFromChoice(`gk6:${epsg - 4491 + 13}`).toWgs84
    else throw new UnreadableFile('geojson_crs', { crs: String(named).slice(0, 80) }, 'unsupported_crs')
    crs ??= named
  } else if (crsChoice && crsChoice !== 'geographic') transform = crsFromChoice(crsChoice).toWgs84

  const columns = new Set<string>()
  const records: SourceRecord[] = features.map((feature, index) => {
    const f = (feature && typeof feature === 'object' ? feature : {}) as { properties?: unknown; geometry?: unknown }
    const properties =
      f.properties && typeof f.properties === 'object' && !Array.isArray(f.properties) ? (f.properties as Record<string, unknown>) : {}
    const values: Record<string, Cell> = {}
    for (const [key, value] of Object.entries(properties)) {
      columns.add(key)
      values[key] = cellOf(value)
    }
    let geometry = (f.geometry ?? null) as Geometry | null
    if (geometry && transform && typeof geometry === 'object' && Array.isArray(geometry.coordinates)) {
      try {
        geometry = mapPositions(geometry, transform)
      } catch {
        geometry = { type: 'Invalid' }
      }
    }
    return { row: index + 1, values, geometry }
  })
  return {
    format: 'geojson',
    sheets: [{ name: 'features', headerRow: 0, columns: [...columns], records }],
    spatial: true,
    ...(crs ? { crs } : {}),
    warnings: [],
  }
}
