import { geoJSONToTile } from '@maplibre/geojson-vt'
import { fromGeojsonVt } from '@maplibre/vt-pbf'
import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Database } from '../db/schema.ts'
import { asGeoJson, envelope } from '../db/postgis.ts'
import { layerSources } from '../layers/sources.ts'
import { metersPerTileUnit, tileBounds, type TileAddress } from './rules.ts'
import { tileBuffer, tileExtent, tileTolerance, type Tileset } from './tilesets.ts'

/**
 * One interface, two builders. Real PostGIS cuts a tile with `ST_AsMVT`/`ST_AsMVTGeom`; the
 * embedded engine's PostGIS has neither, so there the features of the tile's buffered bounds
 * are read as GeoJSON and cut in process by geojson-vt, encoded by vt-pbf. Both select with
 * the same filter, simplify by one tile unit and keep a 64-unit buffer, so a tile from either
 * decodes to the same features within that tolerance (tests/api/tiles.test.ts).
 */
export interface TileBuilder {
  name: 'postgis' | 'in-process'
  build(db: Kysely<Database>, tileset: Tileset, address: TileAddress): Promise<Uint8Array>
}

function cast(tileset: Tileset, name: string, expression: RawBuilder<unknown>): RawBuilder<unknown> {
  const type = tileset.layer.properties.find((property) => property.name === name)!.type
  if (type === 'integer') return sql`(${expression})::int8`
  if (type === 'number') return sql`(${expression})::float8`
  if (type === 'boolean') return sql`(${expression})::boolean`
  return sql`(${expression})::text`
}

function tileFilter(tileset: Tileset, address: TileAddress): RawBuilder<unknown> {
  const source = layerSources[tileset.layer.id]!
  const clauses: RawBuilder<unknown>[] = [sql`${source.geometry} IS NOT NULL`, sql`${source.geometry} && ${envelope(tileBounds(address))}`]
  if (source.where) clauses.push(source.where)
  if (tileset.overview && address.z < tileset.overview.zoom) clauses.push(tileset.overview.keep((name) => source.properties[name]!))
  return sql.join(clauses, sql` AND `)
}

const lineal = (tileset: Tileset) => tileset.layer.geometryType !== 'Point'

export const postgisTiles: TileBuilder = {
  name: 'postgis',
  async build(db, tileset, { z, x, y }) {
    const source = layerSources[tileset.layer.id]!
    const attributes = tileset.attributes.map((name) => sql`${cast(tileset, name, source.properties[name]!)} AS ${sql.ref(name)}`)
    const projected = sql`ST_Transform(${source.geometry}, 3857)`
    // Simplified by one tile unit (invisible at that zoom); a collapsed small shape is kept, not dropped.
    const geometry = lineal(tileset) ? sql`ST_Simplify(${projected}, ${metersPerTileUnit(z) * tileTolerance}::float8, true)` : projected
    const id = tileset.integerId ? sql`(${source.id})::int8 AS id,` : sql``
    const { rows } = await sql<{ tile: Uint8Array | null }>`
      SELECT ST_AsMVT(t.*, ${tileset.id}::text, ${tileExtent}::int, 'geom'${tileset.integerId ? sql`, 'id'` : sql``}) AS tile FROM (
        SELECT ${id} ${sql.join(attributes)},
          ST_AsMVTGeom(${geometry}, ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int), ${tileExtent}::int, ${tileBuffer}::int, true) AS geom
        FROM ${source.from}
        WHERE ${tileFilter(tileset, { z, x, y })}
      ) AS t WHERE t.geom IS NOT NULL`.execute(db)
    return new Uint8Array(rows[0]?.tile ?? new Uint8Array())
  },
}

export const inProcessTiles: TileBuilder = {
  name: 'in-process',
  async build(db, tileset, { z, x, y }) {
    const source = layerSources[tileset.layer.id]!
    const properties = tileset.attributes.flatMap((name) => [sql`${name}::text`, cast(tileset, name, source.properties[name]!)])
    const { rows } = await sql<{ id: number | string; geometry: string; properties: Record<string, unknown> }>`
      SELECT ${source.id} AS id, ${asGeoJson(source.geometry)} AS geometry, json_build_object(${sql.join(properties)}) AS properties
      FROM ${source.from}
      WHERE ${tileFilter(tileset, { z, x, y })}`.execute(db)
    if (rows.length === 0) return new Uint8Array()
    const features = rows.map((row) => ({
      type: 'Feature' as const,
      ...(tileset.integerId ? { id: Number(row.id) } : {}),
      geometry: JSON.parse(row.geometry),
      properties: typeof row.properties === 'string' ? JSON.parse(row.properties) : row.properties,
    }))
    const tile = geoJSONToTile({ type: 'FeatureCollection', features }, z, x, y, {
      extent: tileExtent,
      buffer: tileBuffer,
      tolerance: tileTolerance,
      clip: true,
    })
    if (!tile || tile.features.length === 0) return new Uint8Array()
    return fromGeojsonVt({ [tileset.id]: tile }, { version: 2, extent: tileExtent })
  },
}

/** The builder for a home: real PostGIS has ST_AsMVT; the embedded engine does not. */
export const tileBuilderFor = (home: 'embedded' | 'external'): TileBuilder => (home === 'external' ? postgisTiles : inProcessTiles)
