import type { Geometry } from './types.ts'

/**
 * Structural checks of a GeoJSON geometry before it goes near the database: known type, finite
 * numbers, positions of two or three numbers, at least two positions on a line, closed rings
 * of four or more positions. Returns the reason it is refused, or undefined when well-formed.
 * (Self-intersections are left to PostGIS: ST_IsValid / ST_MakeValid.)
 */
export function geometryProblem(geometry: unknown): string | undefined {
  if (geometry === null || geometry === undefined) return '几何为空 — empty geometry'
  if (typeof geometry !== 'object') return '几何格式错误 — geometry is not an object'
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
  if (Array.isArray(c) && c.length === 0) return '几何为空 — empty geometry'
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
      return '不支持几何集合 — GeometryCollection is not supported'
    default:
      return `未知几何类型 — unknown geometry type ${JSON.stringify(String(g.type)).slice(0, 40)}`
  }
  if (!ok) return `几何坐标格式错误 — malformed ${g.type} coordinates (rings must be closed, numbers finite)`
  if (!positions(c).every(inRange)) return '坐标超出经纬度范围 — coordinates outside longitude/latitude range (is the file projected?)'
  return undefined
}

/** Applies a position transform to every position of a geometry (a new geometry; the input is untouched). */
export function mapPositions(geometry: Geometry, transform: (lon: number, lat: number) => [number, number]): Geometry {
  const walk = (c: unknown): unknown =>
    Array.isArray(c) && typeof c[0] === 'number' ? transform(c[0] as number, c[1] as number) : Array.isArray(c) ? c.map(walk) : c
  return { type: geometry.type, coordinates: walk(geometry.coordinates) }
}
