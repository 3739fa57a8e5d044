import { z } from 'zod'

/** Machine-readable error codes; the HTTP status travels with each. */
export const errorCodes = [
  'bad_request',
  'validation_failed',
  'unauthorized',
  'forbidden',
  /** 403 for a missing or stale `X-CSRF-Token` (renew it and retry), as opposed to a role or scope refusal. */
  'csrf_failed',
  'not_found',
  /** 405: outside `/api` the server answers only GET and HEAD. */
  'method_not_allowed',
  'conflict',
  'payload_too_large',
  /** 422: an upload of a known type that cannot be read (damaged, no .prj chosen …). */
  'unreadable_file',
  'unsupported_media_type',
  /** 422: a backup that cannot be restored here (not a backup, damaged, newer, another schema); `details.reason` says which. */
  'backup_refused',
  'rate_limited',
  'database_unavailable',
  'internal_error',
] as const
export type ErrorCode = (typeof errorCodes)[number]

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
    details: z.unknown().optional(),
  }),
})
export type ErrorBody = z.infer<typeof errorBodySchema>

export const bilingualSchema = z.object({ zh: z.string(), en: z.string() })

/** `minLon,minLat,maxLon,maxLat` in WGS84 degrees, as OGC API – Features and pg_featureserv take it. */
export const bboxSchema = z.string().transform((text, ctx) => {
  const parts = text.split(',')
  const numbers = parts.map((part) => (part.trim() === '' ? Number.NaN : Number(part)))
  if (parts.length !== 4 || numbers.some((n) => !Number.isFinite(n))) {
    ctx.addIssue({ code: 'custom', message: 'bbox must be four numbers: minLon,minLat,maxLon,maxLat' })
    return z.NEVER
  }
  const [minLon, minLat, maxLon, maxLat] = numbers as [number, number, number, number]
  if ([minLon, maxLon].some((lon) => lon < -180 || lon > 180) || [minLat, maxLat].some((lat) => lat < -90 || lat > 90)) {
    ctx.addIssue({ code: 'custom', message: 'bbox is out of range: longitudes within ±180, latitudes within ±90' })
    return z.NEVER
  }
  if (minLon >= maxLon || minLat >= maxLat) {
    ctx.addIssue({ code: 'custom', message: 'bbox is inverted or empty: min must be below max' })
    return z.NEVER
  }
  return [minLon, minLat, maxLon, maxLat] as [number, number, number, number]
})
export type Bbox = [number, number, number, number]

export const maxFeatureLimit = 10_000

export const layerQuerySchema = z
  .object({
    bbox: bboxSchema.optional(),
    limit: z.coerce
      .number({ error: 'limit must be a whole number' })
      .int('limit must be a whole number')
      .min(1, 'limit must be at least 1')
      .max(maxFeatureLimit, `limit must be at most ${maxFeatureLimit}`)
      .optional(),
  })
  .strict()

/** A public property of a layer by name and type; its title and unit are the catalogue's, phrased by the client. */
export const layerPropertySchema = z.object({
  name: z.string(),
  type: z.enum(['string', 'integer', 'number', 'boolean', 'enum', 'string[]', 'datetime']),
})

/**
 * One layer of `GET /api/layers`: the catalogue id (the code the client finds the layer's title,
 * group titles and property titles by, in `layerCatalogue`) with the database's count and extent.
 */
export const layerSummarySchema = z.object({
  id: z.string(),
  group: z.enum(['hazards', 'exposure', 'water', 'response', 'base']),
  geometryType: z.enum(['Point', 'LineString', 'MultiPolygon']),
  visibleByDefault: z.boolean(),
  count: z.number().int(),
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
  properties: z.array(layerPropertySchema),
})
export type LayerSummary = z.infer<typeof layerSummarySchema>

export const layerListSchema = z.object({ layers: z.array(layerSummarySchema) })

export const featureSchema = z.object({
  type: z.literal('Feature'),
  id: z.union([z.string(), z.number()]),
  geometry: z.unknown(),
  properties: z.record(z.string(), z.unknown()),
})

export type FeatureBody = z.infer<typeof featureSchema>

export const featureCollectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(featureSchema),
  numberReturned: z.number().int(),
  limit: z.number().int(),
})
export type FeatureCollectionBody = z.infer<typeof featureCollectionSchema>

/** The basemap the client draws under the overlays (`GET /api/config`); never a server file path. */
export const publicBasemapSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('offline') }),
  z.object({ kind: z.literal('raster'), tiles: z.array(z.string()).min(1), attribution: z.string().optional() }),
  z.object({ kind: z.literal('tianditu'), token: z.string(), style: z.enum(['vector', 'imagery']) }),
  z.object({ kind: z.literal('pmtiles'), url: z.string(), attribution: z.string().optional() }),
])
export type PublicBasemap = z.infer<typeof publicBasemapSchema>

export const clientConfigSchema = z.object({ basemap: publicBasemapSchema })
export type ClientConfigBody = z.infer<typeof clientConfigSchema>

/** `/api/health`: up or not for anyone; the versions and row counts only for a signed-in admin (they help an attacker). */
export const healthSchema = z.object({
  status: z.enum(['ok']),
  database: z.object({
    home: z.enum(['embedded', 'external']),
    postgres: z.string().optional(),
    postgis: z.string().optional(),
  }),
  counts: z.record(z.string(), z.number().int()).optional(),
})
export type Health = z.infer<typeof healthSchema>
