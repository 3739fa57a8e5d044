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
