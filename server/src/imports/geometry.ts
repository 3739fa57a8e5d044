import type { ImportIssueCode, ImportParams } from '@riskatlas/shared'
import type { Geometry } from './types.ts'

export interface GeometryProblem {
  code: ImportIssueCode
  params?: ImportParams
}

/**
 * Structural checks of a GeoJSON geometry before it goes near the database: known type, finite
 * numbers, positions of two or three numbers, at least two positions on a line, closed rings
 * of four or more positions. Returns the problem (a code) it is refused for, or undefined when well-formed.
 * (Self-intersections are left to PostGIS: ST_IsValid / ST_MakeValid.)
 */
export function geometryProblem(geometry: unknown): GeometryProblem | undefined {
  if (geometry === null || geometry === undefined) return { code: 'geometry_empty' }
  if (typeof geometry !== 'object') return { code: 'geometry_not_object' }
  const g = geometry as Geometry
  const position = (p: unknown) =>
    Array.isArray(p) && (p.length === 2 || p.length === 3) && p.every((n) => typeof n === 'number' && Number.isFinite(n))
  const inRange = (p: number[]) => p[0]! >= -180 && p[0]! <= 180 && p[1]! >= -90 && p[1]! <= 90
  const line = (c: unknown, min: number) => Array.isArray(c) && c.length >= min && c.every(position)
  const ring = (c: unknown) => {
    if (!line(c, 4)) return false
    const r = c as number[][]
    const [a, b] = [r[0]!, r[r.length - 1]!]
    return a[0] === b[0] && a[1] === b[1]
  }
  const polygon = (c: unknown) => Array.isArray(c) && c.length >= 1 && c.every(ring)
  const positions = (c: unknown): number[][] =>
    Array.isArray(c) && typeof c[0] === 'number' ? [c as number[]] : Array.isArray(c) ? c.flatMap(positions) : []
  const c = g.coordinates
  if (Array.isArray(c) && c.length === 0) return { code: 'geometry_empty' }
  let ok: boolean
  switch (g.type) {
    case 'Point':
      ok = position(c)
      break
    case 'MultiPoint':
      ok = Array.isArray(c) && c.length > 0 && c.every(position)
      break
    case 'LineString':
      ok = line(c, 2)
      break
    case 'MultiLineString':
      ok = Array.isArray(c) && c.length > 0 && c.every((l) => line(l, 2))
      break
    case 'Polygon':
      ok = polygon(c)
      break
    case 'MultiPolygon':
      ok = Array.isArray(c) && c.length > 0 && c.every(polygon)
      break
    case 'GeometryCollection':
      return { code: 'geometry_collection' }
    default:
      return { code: 'geometry_unknown_type', params: { type: String(g.type).slice(0, 40) } }
  }
  if (!ok) return { code: 'geometry_malformed', params: { type: g.type } }
  if (!positions(c).every(inRange)) return { code: 'geometry_outside_degrees' }
  return undefined
}

/** Applies a position transform to every position of a geometry (a new geometry; the input is untouched). */
export function mapPositions(geometry: Geometry, transform: (lon: number, lat: number) => [number, number]): Geometry {
  const walk = (c: unknown): unknown =>
    Array.isArray(c) && typeof c[0] === 'number' ? transform(c[0] as number, c[1] as number) : Array.isArray(c) ? c.map(walk) : c
  return { type: geometry.type, coordinates: walk(geometry.coordinates) }
}
