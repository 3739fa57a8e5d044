import gcoord from 'gcoord'
import type { CoordinateSystem } from '@riskatlas/shared'
import { toHalfWidth } from './text.ts'

export type Axis = 'lon' | 'lat'
export interface ParsedCoordinate {
  value: number
  /** The axis the text itself names (E/W/东经 → lon, N/S/北纬 → lat), if any. */
  axis?: Axis
}

const plainDecimal = /^-?\d+(\.\d+)?$/

/**
 * Reads a coordinate as people type it: decimal degrees (99.1701, -25.5, 99.1701°), degrees
 * minutes seconds (99°10′12.5″E, 99°10'12", 99度10分12秒, 99 10 12.5, 99:10:12.5, E99°10.2′),
 * full-width digits and punctuation, hemisphere letters or 东经/西经/北纬/南纬 before or after.
 * Returns undefined for anything else (minutes or seconds ≥ 60, extra numbers, stray letters).
 */
export function parseCoordinate(input: unknown): ParsedCoordinate | undefined {
  if (typeof input === 'number') return Number.isFinite(input) ? { value: input } : undefined
  if (typeof input !== 'string') return undefined
  let text = toHalfWidth(input).trim()
  if (!text) return undefined
  // Plain decimal degrees, what nearly every file has: no hemisphere or unit marks to look for.
  if (plainDecimal.test(text)) return { value: Number(text) }
  let sign = 1
  let axis: Axis | undefined
  const hemisphere = /^(东经|西经|北纬|南纬|[东西南北]|[EWNS])|(东经|西经|北纬|南纬|[东西南北]|[EWNS])$/i
  for (let pass = 0; pass < 2; pass++) {
    const match = text.match(hemisphere)
    if (!match) break
    const word = (match[1] ?? match[2])!.toUpperCase()
    if (/^(E|东)/.test(word)) axis = 'lon'
    else if (/^(W|西)/.test(word)) {
      axis = 'lon'
      sign = -1
    } else if (/^(N|北)/.test(word)) axis = 'lat'
    else {
      axis = 'lat'
      sign = -1
    }
    text = text.replace(match[0], '').trim()
  }
  if (text.startsWith('-')) {
    sign = -sign
    text = text.slice(1).trim()
  } else if (text.startsWith('+')) text = text.slice(1).trim()
  // Unit marks to separators; what remains must be numbers and separators only.
  const cleaned = text
    .replace(/[°度º˚]/g, ' ')
    .replace(/[′'’‘分]/g, ' ')
    .replace(/(″|"|”|“|秒|'')/g, ' ')
    .replace(/:/g, ' ')
    .trim()
  if (!/^\d+(\.\d+)?(\s+\d+(\.\d+)?){0,2}$/.test(cleaned)) return undefined
  const parts = cleaned.split(/\s+/).map(Number)
  const [degrees, minutes = 0, seconds = 0] = parts as [number, number?, number?]
  if (parts.length > 1 && !Number.isInteger(degrees)) return undefined
  if (parts.length > 2 && !Number.isInteger(minutes)) return undefined
  if (minutes >= 60 || seconds >= 60) return undefined
  const value = sign * (degrees + minutes / 60 + seconds / 3600)
  return axis ? { value, axis } : { value }
}

export interface Bbox {
  west: number
  south: number
  east: number
  north: number
}

export const validLongitude = (value: number) => value >= -180 && value <= 180
export const validLatitude = (value: number) => value >= -90 && value <= 90

/** Distance in kilometres from a point to a box (0 inside), on a sphere: good enough for "far away". */
export function kilometresOutside(lon: number, lat: number, box: Bbox): number {
  const clampedLon = Math.min(Math.max(lon, box.west), box.east)
  const clampedLat = Math.min(Math.max(lat, box.south), box.north)
  const rad = Math.PI / 180
  const dLat = (lat - clampedLat) * rad
  const dLon = (lon - clampedLon) * rad
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat * rad) * Math.cos(clampedLat * rad) * Math.sin(dLon / 2) ** 2
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)))
}

/**
 * Whether a file's longitude and latitude columns look swapped: most points fall outside the
 * town (or outside the valid latitude range) as given, and most fall inside it when swapped.
 */
export function looksSwapped(points: readonly (readonly [number, number])[], town: Bbox, nearKm = 50): boolean {
  if (points.length === 0) return false
  const near = (lon: number, lat: number) => validLatitude(lat) && validLongitude(lon) && kilometresOutside(lon, lat, town) <= nearKm
  const asGiven = points.filter(([lon, lat]) => near(lon, lat)).length
  const swapped = points.filter(([lon, lat]) => near(lat, lon)).length
  return swapped > points.length / 2 && swapped > asGiven
}

/** WGS84 longitude/latitude from a position in the chosen system (CGCS2000 is taken as WGS84: they differ by centimetres). */
export function toWgs84(lon: number, lat: number, system: CoordinateSystem): [number, number] {
  if (system === 'wgs84' || system === 'cgcs2000') return [lon, lat]
  const [x, y] = gcoord.transform([lon, lat], system === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09, gcoord.WGS84) as [number, number]
  return [x, y]
}
