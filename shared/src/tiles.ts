import { z } from 'zod'

/**
 * The catalogue layers served as vector tiles (`/tiles/{tileset}/…`), by layer id → tileset id.
 * The tileset id is also the MVT layer name (`source-layer`). Each feature's MVT id is its API
 * id as a number (a record id, or an area's 12-digit code), so the map and the API share ids.
 */
export const tiledLayers: Readonly<Record<string, string>> = {
  roads: 'roads',
  rivers: 'rivers',
  contours: 'contours',
  natural_villages: 'natural_villages',
  village_boundaries: 'admin_areas',
  danger_zones: 'danger_zones',
}

/** The TileJSON 3.0 fields a client reads (`/tiles/{tileset}/tilejson.json`). */
export const tileJsonSchema = z.object({
  tilejson: z.string(),
  tiles: z.array(z.string()).min(1),
  minzoom: z.number().int(),
  maxzoom: z.number().int(),
  bounds: z.array(z.number()).length(4).optional(),
  attribution: z.string().optional(),
})
export type TileJson = z.infer<typeof tileJsonSchema>

/** A feature id in a URL: a record id or an area code (digits), never longer than a code. */
export const featureIdSchema = z.string().regex(/^[0-9]{1,12}$/, 'a feature id is 1 to 12 decimal digits')
