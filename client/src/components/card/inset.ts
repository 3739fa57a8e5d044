import type { Geometry, Position } from 'geojson'

export type Bbox = [minLon: number, minLat: number, maxLon: number, maxLat: number]

export interface InsetProjection {
  width: number
  height: number
  /** lon/lat → SVG user units, north up, metres the same on both axes. */
  project: (position: Position) => [number, number]
  /** Ground metres per SVG unit, for the scale bar. */
  metresPerUnit: number
}

const metresPerDegreeLat = 110_574

/**
 * A local equirectangular projection of a small area into a `width`×`height` box: longitude is
 * shrunk by cos(latitude) so shapes keep their proportions, the bbox is centred and fitted.
 * Good to a few metres over a village's few kilometres — all a printed card needs.
 */
export function insetProjection(bbox: Bbox, width: number, height: number): InsetProjection {
  const [minLon, minLat, maxLon, maxLat] = bbox
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180)
  const spanX = Math.max((maxLon - minLon) * kx, 1e-9)
  const spanY = Math.max(maxLat - minLat, 1e-9)
  const scale = Math.min(width / spanX, height / spanY)
  const offsetX = (width - spanX * scale) / 2
  const offsetY = (height - spanY * scale) / 2
  return {
    width,
    height,
    project: ([lon = 0, lat = 0]) => [offsetX + (lon - minLon) * kx * scale, offsetY + (maxLat - lat) * scale],
    metresPerUnit: metresPerDegreeLat / scale,
  }
}

const round = (n: number) => Math.round(n * 10) / 10

function ring(positions: Position[], project: InsetProjection['project'], close: boolean): string {
  if (positions.length === 0) return ''
  const points = positions.map((position) => project(position).map(round).join(' '))
  return `M${points.join('L')}${close ? 'Z' : ''}`
}

/** An SVG path `d` for a line or polygon geometry (points give nothing: they are drawn as symbols). */
export function svgPath(geometry: Geometry | null | undefined, projection: InsetProjection): string {
  if (!geometry) return ''
  const { project } = projection
  switch (geometry.type) {
    case 'LineString':
      return ring(geometry.coordinates, project, false)
    case 'MultiLineString':
      return geometry.coordinates.map((line) => ring(line, project, false)).join('')
    case 'Polygon':
      return geometry.coordinates.map((line) => ring(line, project, true)).join('')
    case 'MultiPolygon':
      return geometry.coordinates.flatMap((polygon) => polygon.map((line) => ring(line, project, true))).join('')
    case 'GeometryCollection':
      return geometry.geometries.map((part) => svgPath(part, projection)).join('')
    default:
      return ''
  }
}

/** A round scale-bar length (50, 100, 200, 500 m, 1 km …) about a quarter of the inset's width. */
export function scaleBar(projection: InsetProjection): { metres: number; units: number } {
  const target = (projection.width / 4) * projection.metresPerUnit
  const steps = [50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000]
  const metres = steps.reduce((best, step) => (Math.abs(step - target) < Math.abs(best - target) ? step : best), steps[0]!)
  return { metres, units: metres / projection.metresPerUnit }
}
