import { sql, type RawBuilder } from 'kysely'
import type { Bbox } from '@riskatlas/shared'

/** The WGS84 envelope of a bbox, for `geom && envelope` filters the GiST index serves. */
export function envelope([minLon, minLat, maxLon, maxLat]: Bbox): RawBuilder<unknown> {
  return sql`ST_MakeEnvelope(${minLon}, ${minLat}, ${maxLon}, ${maxLat}, 4326)`
}

/** A geometry as RFC 7946 GeoJSON text, 6 decimals (≈ 0.1 m), ready to splice into a response. */
export function asGeoJson(geometry: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`ST_AsGeoJSON(${geometry}, 6)`
}

/**
 * A geometry's bounding box grown by at least `meters` on the ground, in degrees, for an index
 * prefilter (`geom && expandByMeters(other, m)`) before an exact geography test: `ST_DWithin` on
 * `::geography` cannot use a geometry GiST index by itself. Longitude degrees shrink with
 * latitude, so the margin is taken at the box's latitude farthest from the equator, plus 10 %.
 */
export function expandByMeters(geometry: RawBuilder<unknown>, meters: RawBuilder<unknown> | number): RawBuilder<unknown> {
  return sql`ST_Expand(${geometry},
    1.1 * ${meters}::float8 / (111320 * cos(radians(least(89, greatest(abs(ST_YMin(${geometry})), abs(ST_YMax(${geometry}))) + 0.01)))),
    1.1 * ${meters}::float8 / 110574)`
}
