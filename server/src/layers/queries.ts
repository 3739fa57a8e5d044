import type { Context } from 'hono'
import { sql, type Kysely, type RawBuilder } from 'kysely'
import { layerCatalogue, maxFeatureLimit, type Bbox, type LayerDefinition, type LayerSummary } from '@riskatlas/shared'
import type { Database } from '../db/schema.ts'
import { asGeoJson, envelope } from '../db/postgis.ts'
import { layerSources, type LayerSource } from './sources.ts'
import { streamedFeatureCollection, type StreamedAnswer } from './streamed.ts'

export interface FeatureQuery {
  bbox?: Bbox | undefined
  /** At most this many features (default and maximum `maxFeatureLimit`); `null`: all of them (exports). */
  limit?: number | null | undefined
  /** One feature by its API id (what a click on a vector tile asks for). */
  featureId?: string | undefined
}

function filters(source: LayerSource, bbox: Bbox | undefined, featureId?: string): RawBuilder<unknown> {
  const clauses: RawBuilder<unknown>[] = [sql`${source.geometry} IS NOT NULL`]
  if (source.where) clauses.push(source.where)
  if (featureId !== undefined) clauses.push(sql`(${source.id})::text = ${featureId}::text`)
  if (bbox) {
    const env = envelope(bbox)
    clauses.push(source.bboxFilter ? source.bboxFilter(env) : sql`${source.geometry} && ${env}`)
  }
  return sql.join(clauses, sql` AND `)
}

/**
 * The SQL of one layer request: one row per feature, each already an RFC 7946 Feature as text —
 * geometry by `ST_AsGeoJSON`, properties by `json_build_object` over the whitelisted columns.
 * Exported so the benchmark times the very statement the endpoint runs.
 */
export function featureSql(source: LayerSource, query: FeatureQuery): RawBuilder<{ feature: string }> {
  const properties = Object.entries(source.properties).flatMap(([name, expression]) => [sql`${name}::text`, expression])
  return sql<{ feature: string }>`
    SELECT '{"type":"Feature","id":' || to_json(${source.id})::text
      || ',"geometry":' || ${asGeoJson(source.geometry)}
      || ',"properties":' || json_build_object(${sql.join(properties)})::text || '}' AS feature
    FROM ${source.from}
    WHERE ${filters(source, query.bbox, query.featureId)}
    ORDER BY ${source.orderBy}
    LIMIT ${query.limit === null ? null : (query.limit ?? maxFeatureLimit)}`
}

/**
 * Rows of Feature text joined in the database: one row holding how many there are and the
 * features separated by `,\n`, in the rows' order. One value crosses the wire and becomes one
 * string in Node, instead of a row object and a string per feature joined again in JavaScript —
 * for a 1.2 MB answer that was most of the server's own CPU (garbage collection above all).
 */
export function joinedFeaturesSql(rows: RawBuilder<{ feature: string }>): RawBuilder<{ returned: number; features: string }> {
  return sql<{ returned: number; features: string }>`
    SELECT count(*)::int AS returned, coalesce(string_agg(ordered.feature, E',\n'), '') AS features
    FROM (${rows}) AS ordered`
}

/** The statement of one layer request: `featureSql`'s rows joined by `joinedFeaturesSql`. */
export const featureCollectionSql = (source: LayerSource, query: FeatureQuery) => joinedFeaturesSql(featureSql(source, query))

/** How many features `featureSql` returns for a query, counted without writing them (the head of a streamed answer). */
export async function countFeatures(db: Kysely<Database>, source: LayerSource, query: FeatureQuery): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (
      SELECT 1 FROM ${source.from} WHERE ${filters(source, query.bbox, query.featureId)}
      LIMIT ${query.limit === null ? null : (query.limit ?? maxFeatureLimit)}) AS counted`.execute(db)
  return rows[0]!.n
}

/** The text of a layer answer around its features. */
function layerFrame(returned: number, query: FeatureQuery) {
  return {
    head: `{"type":"FeatureCollection","numberReturned":${returned},"limit":${query.limit ?? maxFeatureLimit},"features":[\n`,
    tail: '\n]}',
    announced: returned,
  }
}

/** A layer as RFC 7946 GeoJSON text: the features PostGIS wrote, assembled into a collection. */
export async function layerFeatureCollection(db: Kysely<Database>, layer: LayerDefinition, query: FeatureQuery): Promise<string> {
  const { rows } = await featureCollectionSql(layerSources[layer.id]!, query).execute(db)
  const { returned, features } = rows[0]!
  const { head, tail } = layerFrame(returned, query)
  return `${head}${features}${tail}`
}

/**
 * The same answer as `layerFeatureCollection`, streamed from a cursor (`streamed.ts`): the count
 * for `numberReturned` runs beside the rows on another connection of the pool.
 */
export function streamedLayerFeatureCollection(
  c: Context,
  db: Kysely<Database>,
  layer: LayerDefinition,
  query: FeatureQuery,
  answer: StreamedAnswer,
): Promise<Response> {
  const source = layerSources[layer.id]!
  const frame = countFeatures(db, source, query).then((returned) => layerFrame(returned, query))
  return streamedFeatureCollection(c, db, featureSql(source, query), frame, answer)
}

/**
 * Every feature of a layer, each as the RFC 7946 Feature text the layer API answers — the rows
 * of an export (`exports/`), so a file holds exactly what the layer API serves.
 */
export async function layerFeatureTexts(db: Kysely<Database>, layer: LayerDefinition): Promise<string[]> {
  const { rows } = await featureSql(layerSources[layer.id]!, { limit: null }).execute(db)
  return rows.map((row) => row.feature)
}

/** The GeoJSON export's text around the features. */
export const exportFrame = { head: '{"type":"FeatureCollection","features":[\n', tail: '\n]}\n' } as const

/** The GeoJSON export of a layer streamed from a cursor (`streamed.ts`): the same bytes as `joinedLayerFeatures` in `exportFrame`. */
export function streamedLayerExport(c: Context, db: Kysely<Database>, layer: LayerDefinition, answer: StreamedAnswer): Promise<Response> {
  return streamedFeatureCollection(c, db, featureSql(layerSources[layer.id]!, { limit: null }), Promise.resolve(exportFrame), answer)
}

/** Every feature of a layer as `layerFeatureTexts` gives them, joined by `,\n` in the database (the GeoJSON export). */
export async function joinedLayerFeatures(db: Kysely<Database>, layer: LayerDefinition): Promise<string> {
  const { rows } = await joinedFeaturesSql(featureSql(layerSources[layer.id]!, { limit: null })).execute(db)
  return rows[0]!.features
}

/** One feature of a layer as RFC 7946 GeoJSON text, every public property; undefined when there is none. */
export async function layerFeature(db: Kysely<Database>, layer: LayerDefinition, featureId: string): Promise<string | undefined> {
  const { rows } = await featureSql(layerSources[layer.id]!, { featureId, limit: 1 }).execute(db)
  return rows[0]?.feature
}

/** The catalogue with live counts and extents, one statement for all layers. */
export async function layerSummaries(db: Kysely<Database>): Promise<LayerSummary[]> {
  const parts = layerCatalogue.map((layer) => {
    const source = layerSources[layer.id]!
    return sql`SELECT ${layer.id} AS id, count(*)::int AS count, ST_Extent(${source.geometry}) AS extent
      FROM ${source.from} WHERE ${filters(source, undefined)}`
  })
  const { rows } = await sql<{
    id: string
    count: number
    xmin: number | null
    ymin: number | null
    xmax: number | null
    ymax: number | null
  }>`
    SELECT id, count, ST_XMin(extent) AS xmin, ST_YMin(extent) AS ymin, ST_XMax(extent) AS xmax, ST_YMax(extent) AS ymax
    FROM (${sql.join(parts, sql` UNION ALL `)}) AS layers`.execute(db)
  const byId = new Map(rows.map((row) => [row.id, row]))
  return layerCatalogue.map((layer) => {
    const row = byId.get(layer.id)
    const bbox = row && row.xmin !== null ? ([row.xmin, row.ymin!, row.xmax!, row.ymax!] as Bbox) : null
    return {
      id: layer.id,
      group: layer.group,
      geometryType: layer.geometryType,
      visibleByDefault: layer.visibleByDefault,
      count: row?.count ?? 0,
      bbox,
      properties: layer.properties.map(({ name, type }) => ({ name, type })),
    }
  })
}
