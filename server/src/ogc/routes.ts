import type { Context } from 'hono'
import type { z } from 'zod'
import {
  adminCodeSchema,
  cgcs2000,
  crs84,
  findLayer,
  idTextSchema,
  layerCatalogue,
  layerIds,
  ogcConformance,
  ogcCrsList,
  ogcFeatureQuerySchema,
  ogcFormatSchema,
  ogcItemsQuerySchema,
  type LayerDefinition,
  type LayerSummary,
  type OgcCollection,
  type OgcLink,
} from '@riskatlas/shared'
import type { AppContext } from '../context.ts'
import { Invalid, NotFound } from '../errors.ts'
import { validationHook } from '../http.ts'
import { layerSummaries } from '../layers/queries.ts'
import { layerSources } from '../layers/sources.ts'
import { streamedFeatureCollection } from '../layers/streamed.ts'
import { router, textBody } from '../router.ts'
import { collectionHtml, collectionsHtml, conformanceHtml, featureHtml, itemsHtml, landingHtml } from './html.ts'
import { ogcOpenApi } from './openapi.ts'
import { countItems, item, items, itemsSql, itemsText, temporalExtent } from './queries.ts'
import { defaultLimit, pagingLinks, parseBbox, parseDatetime, propertyFilters, queryables, temporalProperties, wantsHtml } from './rules.ts'

/**
 * OGC API – Features, Parts 1 and 2, at `/ogc`: every public layer of the catalogue is a
 * collection (the catalogue is the public surface, so nothing personal can be one). Layers are
 * read through the same sources as `/api/layers`; only the envelope differs.
 */
const geoJson = 'application/geo+json; charset=utf-8'

function valid<S extends z.ZodType>(schema: S, c: Context): z.infer<S> {
  const result = schema.safeParse(c.req.query())
  validationHook(result as never, c as never)
  return (result as { data: z.infer<S> }).data
}

const baseOf = (c: Context) => `${new URL(c.req.url).origin}/ogc`

function layerOf(id: string): LayerDefinition {
  const layer = findLayer(id)
  if (!layer) throw new NotFound(`Unknown collection: ${id}`, { collections: layerIds })
  return layer
}

async function collectionOf(
  db: AppContext['db'],
  base: string,
  layer: LayerDefinition,
  summary: LayerSummary | undefined,
): Promise<OgcCollection> {
  const dated = temporalProperties(layer)
  const href = `${base}/collections/${layer.id}`
  return {
    id: layer.id,
    title: `${layer.title.zh} ${layer.title.en}`,
    description: `${layer.title.zh}（${layer.geometryType}）· ${layer.title.en}, public properties: ${layer.properties.map((property) => property.name).join(', ')}`,
    itemType: 'feature',
    crs: [...ogcCrsList],
    storageCrs: crs84,
    extent: {
      spatial: { bbox: summary?.bbox ? [summary.bbox] : [], crs: crs84 },
      ...(dated
        ? {
            temporal: {
              interval: [await temporalExtent(db, layer, dated.start, dated.end)],
              trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian',
            },
          }
        : {}),
    },
    links: [
      { href: `${href}?f=json`, rel: 'self', type: 'application/json', title: 'This collection' },
      { href: `${href}?f=html`, rel: 'alternate', type: 'text/html', title: 'This collection as HTML' },
      { href: `${href}/items?f=json`, rel: 'items', type: 'application/geo+json', title: '要素 Features (GeoJSON)' },
      { href: `${href}/items?f=html`, rel: 'items', type: 'text/html', title: '要素 Features (HTML)' },
      {
        href: `${href}/queryables`,
        rel: 'http://www.opengis.net/def/rel/ogc/1.0/queryables',
        type: 'application/schema+json',
        title: '可筛选属性 Queryables',
      },
    ],
  }
}

export function ogcRoutes({ db, log, streamFeatures }: Pick<AppContext, 'db' | 'log' | 'streamFeatures'>) {
  return router()
    .get('/', (c) => {
      const { f } = valid(ogcFormatSchema.strict(), c)
      const base = baseOf(c)
      const links: OgcLink[] = [
        { href: `${base}?f=json`, rel: 'self', type: 'application/json', title: 'This document' },
        { href: `${base}?f=html`, rel: 'alternate', type: 'text/html', title: 'This document as HTML' },
        {
          href: `${base}/api`,
          rel: 'service-desc',
          type: 'application/vnd.oai.openapi+json;version=3.0',
          title: '服务描述 The API definition (OpenAPI 3.0)',
        },
        { href: `${base}/conformance?f=json`, rel: 'conformance', type: 'application/json', title: '符合类 Conformance classes' },
        { href: `${base}/collections?f=json`, rel: 'data', type: 'application/json', title: '数据集 Collections' },
        { href: `${base}/collections?f=html`, rel: 'data', type: 'text/html', title: '数据集 Collections (HTML)' },
      ]
      if (wantsHtml(f, c.req.header('accept'))) return c.html(landingHtml(base, links))
      return c.json({
        title: 'RiskAtlas 一张图',
        description: 'Public disaster-risk layers of RiskAtlas as OGC API – Features. No personal data.',
        links,
      })
    })
    .get('/conformance', (c) => {
      const { f } = valid(ogcFormatSchema.strict(), c)
      if (wantsHtml(f, c.req.header('accept'))) return c.html(conformanceHtml(baseOf(c), ogcConformance))
      return c.json({ conformsTo: ogcConformance })
    })
    .get('/api', (c) =>
      c.body(JSON.stringify(ogcOpenApi(baseOf(c))), 200, { 'Content-Type': 'application/vnd.oai.openapi+json;version=3.0' }),
    )
    .get('/collections', async (c) => {
      const { f } = valid(ogcFormatSchema.strict(), c)
      const base = baseOf(c)
      const summaries = new Map((await layerSummaries(db)).map((summary) => [summary.id, summary]))
      const collections: OgcCollection[] = []
      for (const layer of layerCatalogue) collections.push(await collectionOf(db, base, layer, summaries.get(layer.id)))
      if (wantsHtml(f, c.req.header('accept')))
        return c.html(collectionsHtml(base, collections, new Map([...summaries].map(([id, summary]) => [id, summary.count]))))
      return c.json({
        links: [
          { href: `${base}/collections?f=json`, rel: 'self', type: 'application/json', title: 'This document' },
          { href: `${base}/collections?f=html`, rel: 'alternate', type: 'text/html', title: 'This document as HTML' },
        ],
        crs: [...ogcCrsList],
        collections,
      })
    })
    .get('/collections/:collectionId', async (c) => {
      const { f } = valid(ogcFormatSchema.strict(), c)
      const layer = layerOf(c.req.param('collectionId'))
      const base = baseOf(c)
      const summary = (await layerSummaries(db)).find((entry) => entry.id === layer.id)
      const collection = await collectionOf(db, base, layer, summary)
      if (wantsHtml(f, c.req.header('accept')))
        return c.html(
          collectionHtml(
            base,
            collection,
            queryables(layer).map((property) => property.name),
          ),
        )
      return c.json(collection)
    })
    .get('/collections/:collectionId/queryables', (c) => {
      const layer = layerOf(c.req.param('collectionId'))
      const properties = Object.fromEntries(
        queryables(layer).map((property) => [
          property.name,
          {
            title: `${property.title.zh} ${property.title.en}`,
            type: property.type === 'integer' ? 'integer' : property.type === 'boolean' ? 'boolean' : 'string',
          },
        ]),
      )
      return c.body(
        JSON.stringify({
          $schema: 'https://json-schema.org/draft/2019-09/schema',
          $id: `${baseOf(c)}/collections/${layer.id}/queryables`,
          type: 'object',
          title: layer.title.en,
          properties,
        }),
        200,
        { 'Content-Type': 'application/schema+json' },
      )
    })
    .get('/collections/:collectionId/items', async (c) => {
      const query = valid(ogcItemsQuerySchema, c)
      const layer = layerOf(c.req.param('collectionId'))
      const crs = query.crs ?? crs84
      const bbox = query.bbox === undefined ? undefined : parseBbox(query.bbox, query['bbox-crs'])
      const dated = temporalProperties(layer)
      if (query.datetime !== undefined && !dated) {
        throw new Invalid(`${layer.id} has no dates; datetime does not apply`, {
          issues: [{ path: 'datetime', message: 'this collection has no temporal property' }],
        })
      }
      const datetime = query.datetime !== undefined && dated ? { interval: parseDatetime(query.datetime), ...dated } : undefined
      const filter = { bbox, properties: propertyFilters(layer, query), datetime }
      const limit = query.limit ?? defaultLimit
      const offset = query.offset ?? 0
      const page = { ...filter, limit, offset, latitudeFirst: crs === cgcs2000 }
      const html = wantsHtml(query.f, c.req.header('accept'))
      const crsHeader = { 'Content-Crs': `<${crs}>` }
      const linksFor = (returned: number, matched: number) => {
        const links = pagingLinks(new URL(c.req.url), { offset, limit, returned, matched })
        links.push({
          href: `${baseOf(c)}/collections/${layer.id}?f=json`,
          rel: 'collection',
          type: 'application/json',
          title: 'The collection',
        })
        return links
      }
      const frame = (matched: number, returned: number) => ({
        head: `{"type":"FeatureCollection","numberMatched":${matched},"numberReturned":${returned},"timeStamp":"${new Date().toISOString()}","links":${JSON.stringify(linksFor(returned, matched))},"features":[\n`,
        tail: '\n]}',
        announced: returned,
      })
      if (!html && streamFeatures) {
        // The count runs beside the cursor; the page returns what the count leaves after the offset, up to the limit.
        const counted = countItems(db, layer, filter).then((matched) => frame(matched, Math.max(0, Math.min(limit, matched - offset))))
        return streamedFeatureCollection(c, db, itemsSql(layer, page), counted, { contentType: geoJson, headers: crsHeader, log })
      }
      // The count and the page side by side (an external pool runs both at once).
      const [matched, features] = await Promise.all([
        countItems(db, layer, filter),
        html ? items(db, layer, page).then((texts) => ({ texts, returned: texts.length })) : itemsText(db, layer, page),
      ])
      c.header('Content-Crs', crsHeader['Content-Crs'])
      if ('texts' in features) {
        const collection = await collectionOf(db, baseOf(c), layer, undefined)
        return c.html(
          itemsHtml(
            baseOf(c),
            collection,
            features.texts.map((text) => JSON.parse(text)),
            { matched, offset, links: linksFor(features.returned, matched) },
          ),
        )
      }
      const { head, tail } = frame(matched, features.returned)
      return textBody(c, `${head}${features.features}${tail}`, 200, geoJson)
    })
    .get('/collections/:collectionId/items/:featureId', async (c) => {
      const query = valid(ogcFeatureQuerySchema, c)
      const layer = layerOf(c.req.param('collectionId'))
      const crs = query.crs ?? crs84
      // The one id schema: a malformed id is 400 before it reaches the database.
      const parsed = (layerSources[layer.id]!.idKind === 'adminCode' ? adminCodeSchema : idTextSchema).safeParse(c.req.param('featureId'))
      if (!parsed.success)
        throw new Invalid(`featureId: ${parsed.error.issues[0]?.message ?? 'invalid'}`, { featureId: c.req.param('featureId') })
      const featureId = String(parsed.data)
      const text = await item(db, layer, featureId, crs === cgcs2000)
      if (!text) throw new NotFound(`No feature ${featureId} in ${layer.id}`)
      c.header('Content-Crs', `<${crs}>`)
      const base = baseOf(c)
      const href = `${base}/collections/${layer.id}/items/${encodeURIComponent(featureId)}`
      if (wantsHtml(query.f, c.req.header('accept')))
        return c.html(featureHtml(base, await collectionOf(db, base, layer, undefined), JSON.parse(text)))
      const links: OgcLink[] = [
        { href: `${href}?f=json`, rel: 'self', type: 'application/geo+json', title: 'This feature' },
        { href: `${href}?f=html`, rel: 'alternate', type: 'text/html', title: 'This feature as HTML' },
        { href: `${base}/collections/${layer.id}?f=json`, rel: 'collection', type: 'application/json', title: 'The collection' },
      ]
      return c.body(`${text.slice(0, -1)},"links":${JSON.stringify(links)}}`, 200, { 'Content-Type': geoJson })
    })
}
