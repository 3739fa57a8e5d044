import type { Geometry, Position } from 'geojson'

export type Bounds = [minLon: number, minLat: number, maxLon: number, maxLat: number]

function positionsOf(geometry: Geometry): Position[] {
  switch (geometry.type) {
    case 'Point':
      return [geometry.coordinates]
    case 'MultiPoint':
    case 'LineString':
      return geometry.coordinates
    case 'MultiLineString':
    case 'Polygon':
      return geometry.coordinates.flat()
    case 'MultiPolygon':
      return geometry.coordinates.flat(2)
    case 'GeometryCollection':
      return geometry.geometries.flatMap(positionsOf)
  }
}

/** The bounding box of a geometry, or undefined for an empty one. */
export function boundsOf(geometry: Geometry | null | undefined): Bounds | undefined {
  if (!geometry) return undefined
  const positions = positionsOf(geometry)
  if (positions.length === 0) return undefined
  const bounds: Bounds = [Infinity, Infinity, -Infinity, -Infinity]
  for (const [lon = 0, lat = 0] of positions) {
    bounds[0] = Math.min(bounds[0], lon)
    bounds[1] = Math.min(bounds[1], lat)
    bounds[2] = Math.max(bounds[2], lon)
    bounds[3] = Math.max(bounds[3], lat)
  }
  return bounds
}

/** The union of several boxes (layer bboxes from GET /api/layers). */
export function unionBounds(boxes: readonly (Bounds | null | undefined)[]): Bounds | undefined {
  const present = boxes.filter((box): box is Bounds => Array.isArray(box) && box.length === 4)
  if (present.length === 0) return undefined
  return [
    Math.min(...present.map((b) => b[0])),
    Math.min(...present.map((b) => b[1])),
    Math.max(...present.map((b) => b[2])),
    Math.max(...present.map((b) => b[3])),
  ]
}
