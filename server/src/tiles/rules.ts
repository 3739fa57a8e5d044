import type { Bbox } from '@riskatlas/shared'
import { Invalid } from '../errors.ts'
import { tileBuffer, tileExtent, type Tileset } from './tilesets.ts'

/** Pure tile arithmetic (Web Mercator, XYZ scheme) and the tile address a request names. */

export interface TileAddress {
  z: number
  x: number
  y: number
}

const lon = (x: number, z: number) => (x / 2 ** z) * 360 - 180
const lat = (y: number, z: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / 2 ** z))) * 180) / Math.PI

/** A tile's bounds in lon/lat, grown by `buffer` tile units on each side (clamped to the Mercator world). */
export function tileBounds({ z, x, y }: TileAddress, buffer = tileBuffer): Bbox {
  const margin = buffer / tileExtent
  const clampLat = (value: number) => Math.max(-85.0511287798, Math.min(85.0511287798, value))
  return [
    Math.max(-180, lon(x - margin, z)),
    clampLat(lat(y + 1 + margin, z)),
    Math.min(180, lon(x + 1 + margin, z)),
    clampLat(lat(y - margin, z)),
  ]
}

/** The tile holding a point at a zoom. */
export function tileAt(longitude: number, latitude: number, z: number): TileAddress {
  const n = 2 ** z
  const x = Math.floor(((longitude + 180) / 360) * n)
  const rad = (latitude * Math.PI) / 180
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n)
  return { z, x: Math.min(n - 1, Math.max(0, x)), y: Math.min(n - 1, Math.max(0, y)) }
}

/** Every tile covering a bbox at a zoom. */
export function tilesCovering([minLon, minLat, maxLon, maxLat]: Bbox, z: number): TileAddress[] {
  const a = tileAt(minLon, maxLat, z)
  const b = tileAt(maxLon, minLat, z)
  const tiles: TileAddress[] = []
  for (let x = a.x; x <= b.x; x++) for (let y = a.y; y <= b.y; y++) tiles.push({ z, x, y })
  return tiles
}

/** Metres of Web Mercator per tile unit at a zoom (the simplification tolerance's scale). */
export const metersPerTileUnit = (z: number) => 40075016.68557849 / 2 ** z / tileExtent

/** `z`, `x` and `y.mvt` from the path: whole numbers inside the tileset's zoom range and the grid. */
export function tileAddress(tileset: Tileset, z: string, x: string, file: string): TileAddress {
  const match = /^(\d+)\.mvt$/.exec(file)
  const issues: { path: string; message: string }[] = []
  if (!/^\d+$/.test(z)) issues.push({ path: 'z', message: 'must be a whole number' })
  if (!/^\d+$/.test(x)) issues.push({ path: 'x', message: 'must be a whole number' })
  if (!match) issues.push({ path: 'y', message: 'must be a whole number followed by .mvt' })
  if (issues.length === 0) {
    const address = { z: Number(z), x: Number(x), y: Number(match![1]) }
    if (address.z < tileset.minzoom || address.z > tileset.maxzoom)
      issues.push({ path: 'z', message: `${tileset.id} has zooms ${tileset.minzoom}–${tileset.maxzoom}` })
    else if (address.x >= 2 ** address.z || address.y >= 2 ** address.z)
      issues.push({ path: 'x', message: 'outside the tile grid of that zoom' })
    else return address
  }
  throw new Invalid(`Invalid tile address: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`, { issues })
}
