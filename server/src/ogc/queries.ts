import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Bbox, LayerDefinition } from '@riskatlas/shared'
import type { Database } from '../db/schema.ts'
import { asGeoJson, envelope, intersects } from '../db/postgis.ts'
import { joinedFeaturesSql } from '../layers/queries.ts'
import { layerSources, type LayerSource } from '../layers/sources.ts'
import type { Interval, PropertyFilter } from './rules.ts'

export interface ItemsFilter {
  bbox?: Bbox | undefined
  properties?: PropertyFilter[]
  datetime?: { interval: Interval; start: string; end: string } | undefined
}

export interface ItemsPage extends ItemsFilter {
  limit: number
  offset: number
  /** Latitude first (EPSG:4490's axis order) instead of longitude first. */
  latitudeFirst?: boolean
}

function where(layer: LayerDefinition, source: LayerSource, filter: ItemsFilter): RawBuilder<unknown> {
  const clauses: RawBuilder<unknown>[] = [sql`${source.geometry} IS NOT NULL`]
  if (source.where) clauses.push(source.where)
  if (filter.bbox) {
    const env = envelope(filter.bbox)
    // Index prefilter, then the exact test: a line whose envelope only touches the box is out.
    clauses.push(source.bboxFilter ? source.bboxFilter(env) : intersects(source.geometry, env))
  }
  for (const property of filter.properties ?? []) {
    const expression = source.properties[property.name]
    if (!expression || !layer.properties.some((declared) => declared.name === property.name)) continue
    if (property.type === 'integer') clauses.push(sql`(${expression})::bigint = ${property.value}::bigint`)
    else if (property.type === 'boolean') clauses.push(sql`(${expression})::boolean = ${property.value}::boolean`)
    else clauses.push(sql`(${expression})::text = ${String(property.value)}::text`)
  }
  if (filter.datetime) {
    const { interval } = filter.datetime
    const start = source.properties[filter.datetime.start]!
    const end = source.properties[filter.datetime.end]!
    // The feature's validity [start, end] meets the interval asked for.
    if (interval.end) clauses.push(sql`(${start})::timestamptz <= ${interval.end}::timestamptz`)
    if (interval.start) clauses.push(sql`(${end})::timestamptz >= ${interval.start}::timestamptz`)
  }
  return sql.join(clauses, sql` AND `)
}

function featureText(source: LayerSource, latitudeFirst: boolean): RawBuilder<string> {
  const properties = Object.entries(source.properties).flatMap(([name, expression]) => [sql`${name}::text`, expression])
  const geometry = latitudeFirst ? sql`ST_FlipCoordinates(${source.geometry})` : source.geometry
  return sql<string>`'{"type":"Feature","id":' || to_json(${source.id})::text
      || ',"geometry":' || ${asGeoJson(geometry)}
      || ',"properties":' || json_build_object(${sql.join(properties)})::text || '}'`
}

/** One page of a collection's items, each row a GeoJSON Feature as text, in a stable order. */
export function itemsSql(layer: LayerDefinition, page: ItemsPage): RawBuilder<{ feature: string }> {
  const source = layerSources[layer.id]!
  return sql<{ feature: string }>`
    SELECT ${featureText(source, page.latitudeFirst ?? false)} AS feature
    FROM ${source.from}
    WHERE ${where(layer, source, page)}
    ORDER BY ${source.orderBy}
    LIMIT ${page.limit} OFFSET ${page.offset}`
}

export async function items(db: Kysely<Database>, layer: LayerDefinition, page: ItemsPage): Promise<string[]> {
  const { rows } = await itemsSql(layer, page).execute(db)
  return rows.map((row) => row.feature)
}

/** One page of items as the text of a JSON array's inside (features separated by `,\n`), and how many. */
export async function itemsText(
  db: Kysely<Database>,
  layer: LayerDefinition,
  page: ItemsPage,
): Promise<{ returned: number; features: string }> {
  const { rows } = await joinedFeaturesSql(itemsSql(layer, page)).execute(db)
  return rows[0]!
}

export async function countItems(db: Kysely<Database>, layer: LayerDefinition, filter: ItemsFilter): Promise<number> {
  const source = layerSources[layer.id]!
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${source.from} WHERE ${where(layer, source, filter)}`.execute(db)
  return rows[0]!.n
}

/** One feature by its id (the same id the items carry), or undefined. */
export async function item(
  db: Kysely<Database>,
  layer: LayerDefinition,
  featureId: string,
  latitudeFirst: boolean,
): Promise<string | undefined> {
  const source = layerSources[layer.id]!
  const { rows } = await sql<{ feature: string }>`
    SELECT ${featureText(source, latitudeFirst)} AS feature
    FROM ${source.from}
    WHERE ${where(layer, source, {})} AND (${source.id})::text = ${featureId}::text
    LIMIT 1`.execute(db)
  return rows[0]?.feature
}

/** The temporal extent of a dated layer: earliest start, latest end. */
export async function temporalExtent(
  db: Kysely<Database>,
  layer: LayerDefinition,
  start: string,
  end: string,
): Promise<[string | null, string | null]> {
  const source = layerSources[layer.id]!
  const { rows } = await sql<{ first: Date | string | null; last: Date | string | null }>`
    SELECT min((${source.properties[start]!})::timestamptz) AS first, max((${source.properties[end]!})::timestamptz) AS last
    FROM ${source.from} WHERE ${where(layer, source, {})}`.execute(db)
  const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString())
  return [iso(rows[0]?.first ?? null), iso(rows[0]?.last ?? null)]
}
