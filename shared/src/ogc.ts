import { z } from 'zod'

/**
 * OGC API – Features (Parts 1 and 2) as RiskAtlas serves it at `/ogc`: the CRSs, the paging
 * limits and the query parameters, validated by zod like every other request.
 */
export const crs84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'
/** CGCS2000, the national datum: latitude first, as EPSG defines its axes. */
export const cgcs2000 = 'http://www.opengis.net/def/crs/EPSG/0/4490'
export const ogcCrsList = [crs84, cgcs2000] as const
export type OgcCrs = (typeof ogcCrsList)[number]

export const ogcDefaultLimit = 1000
export const ogcMaxLimit = 10_000

export const ogcConformance = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
] as const

const crsParam = z.enum(ogcCrsList, { error: `must be one of: ${ogcCrsList.join(', ')}` })

/** `f=json|html`; without it the Accept header decides. */
export const ogcFormatSchema = z.object({ f: z.enum(['json', 'html'], { error: 'f must be json or html' }).optional() })

/**
 * `/collections/{id}/items`. Other parameters are property filters, checked against the
 * collection's queryables (an undeclared one is a 400, as Part 1 asks).
 */
export const ogcItemsQuerySchema = ogcFormatSchema
  .extend({
    bbox: z.string().optional(),
    'bbox-crs': crsParam.optional(),
    crs: crsParam.optional(),
    limit: z.coerce
      .number({ error: 'limit must be a whole number' })
      .int('limit must be a whole number')
      .min(1, 'limit must be at least 1')
      .max(ogcMaxLimit, `limit must be at most ${ogcMaxLimit}`)
      .optional(),
    offset: z.coerce
      .number({ error: 'offset must be a whole number' })
      .int('offset must be a whole number')
      .min(0, 'offset must be at least 0')
      .optional(),
    datetime: z.string().optional(),
  })
  .catchall(z.string())
export type OgcItemsQuery = z.infer<typeof ogcItemsQuerySchema>

export const ogcFeatureQuerySchema = ogcFormatSchema.extend({ crs: crsParam.optional() }).strict()

export const ogcLinkSchema = z.object({ href: z.string(), rel: z.string(), type: z.string().optional(), title: z.string().optional() })
export type OgcLink = z.infer<typeof ogcLinkSchema>

export const ogcCollectionSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  itemType: z.literal('feature'),
  crs: z.array(z.string()),
  storageCrs: z.string(),
  extent: z.object({
    spatial: z.object({ bbox: z.array(z.array(z.number())), crs: z.string() }),
    temporal: z.object({ interval: z.array(z.array(z.string().nullable())), trs: z.string() }).optional(),
  }),
  links: z.array(ogcLinkSchema),
})
export type OgcCollection = z.infer<typeof ogcCollectionSchema>

export const ogcCollectionsSchema = z.object({ links: z.array(ogcLinkSchema), collections: z.array(ogcCollectionSchema) })

export const ogcItemsSchema = z.object({
  type: z.literal('FeatureCollection'),
  numberMatched: z.number().int(),
  numberReturned: z.number().int(),
  timeStamp: z.string(),
  links: z.array(ogcLinkSchema),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      id: z.union([z.string(), z.number()]),
      geometry: z.object({ type: z.string(), coordinates: z.unknown() }),
      properties: z.record(z.string(), z.unknown()),
    }),
  ),
})
export type OgcItems = z.infer<typeof ogcItemsSchema>
