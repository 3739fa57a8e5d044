/** Small geodesy for the walking graph: lengths on the sphere, and a local plane for "nearest point on a segment". */
export type LonLat = readonly [number, number]

const R = 6_371_008.8
const rad = Math.PI / 180

/** Great-circle distance in metres. */
export function haversine(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * rad
  const dLon = (lon2 - lon1) * rad
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(a)))
}

/** Metres per degree of longitude and latitude at a latitude (equirectangular plane, fine within a few km). */
export function metresPerDegree(lat: number): { x: number; y: number } {
  return { x: R * rad * Math.cos(lat * rad), y: R * rad }
}

/**
 * The point of segment a–b nearest to p in the local plane at p: the fraction along the
 * segment (0 at a, 1 at b) and the distance in metres.
 */
export function nearestOnSegment(p: LonLat, a: LonLat, b: LonLat): { t: number; distanceM: number } {
  const m = metresPerDegree(p[1])
  const ax = (a[0] - p[0]) * m.x
  const ay = (a[1] - p[1]) * m.y
  const bx = (b[0] - p[0]) * m.x
  const by = (b[1] - p[1]) * m.y
  const dx = bx - ax
  const dy = by - ay
  const len2 = dx * dx + dy * dy
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2))
  const x = ax + t * dx
  const y = ay + t * dy
  return { t, distanceM: Math.hypot(x, y) }
}
