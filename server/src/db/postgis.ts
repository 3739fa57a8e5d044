import { sql, type RawBuilder } from 'kysely'
import type { Bbox } from '@riskatlas/shared'

/**
 * The PostGIS text of the app, as small named builders, so `ST_*` lives here and in query
 * modules only (a lint rule holds the rest of the server to that). Every value is a bound
 * parameter; geometry arguments are SQL the caller composed from code, never from a request.
 */
type Sql = RawBuilder<unknown>

/** The WGS84 envelope of a bbox, for `geom && envelope` filters the GiST index serves. */
export function envelope([minLon, minLat, maxLon, maxLat]: Bbox): Sql {
  return sql`ST_MakeEnvelope(${minLon}, ${minLat}, ${maxLon}, ${maxLat}, 4326)`
}

/** A geometry as RFC 7946 GeoJSON text; 6 decimals ≈ 0.1 m, 5 ≈ 1 m (enough for a printed inset). */
export function asGeoJson(geometry: Sql, decimals: 5 | 6 = 6): RawBuilder<string> {
  return sql<string>`ST_AsGeoJSON(${geometry}, ${sql.lit(decimals)})`
}

/** A point's longitude and latitude. */
export const longitude = (point: Sql) => sql<number>`ST_X(${point})`
export const latitude = (point: Sql) => sql<number>`ST_Y(${point})`

/** A GeoJSON geometry (text or jsonb) as a WGS84 geometry. */
export const fromGeoJson = (geojson: Sql) => sql`ST_SetSRID(ST_GeomFromGeoJSON(${geojson}), 4326)`
/** The same, forced to MultiPolygon (danger zones are stored as one). */
export const multiFromGeoJson = (geojson: Sql) => sql`ST_Multi(${fromGeoJson(geojson)})`
export const isValid = (geometry: Sql) => sql<boolean>`ST_IsValid(${geometry})`

/** Distance on the ground, in metres (geodesic, on the WGS84 spheroid). */
export const metersBetween = (a: Sql, b: Sql) => sql<number>`ST_Distance(${a}::geography, ${b}::geography)`

/** Do two geometries touch? The bbox test first, so an index on either side serves. */
export const intersects = (a: Sql, b: Sql) => sql<boolean>`(${a} && ${b} AND ST_Intersects(${a}, ${b}))`

/** The part of a geometry inside a box (roads and rivers on a card's inset). */
export const clipTo = (geometry: Sql, box: Sql) => sql`ST_Intersection(${geometry}, ${box})`

/**
 * A geometry's bounding box grown by at least `meters` on the ground, in degrees, for an index
 * prefilter (`geom && expandByMeters(other, m)`) before an exact geography test: `ST_DWithin` on
 * `::geography` cannot use a geometry GiST index by itself. Longitude degrees shrink with
 * latitude, so the margin is taken at the box's latitude farthest from the equator, plus 10 %.
 */
export function expandByMeters(geometry: Sql, meters: Sql | number): Sql {
  return sql`ST_Expand(${geometry},
    1.1 * ${meters}::float8 / (111320 * cos(radians(least(89, greatest(abs(ST_YMin(${geometry})), abs(ST_YMax(${geometry}))) + 0.01)))),
    1.1 * ${meters}::float8 / 110574)`
}

/**
 * THE "within reach" rule of the app: `candidate` lies within `meters` of `target` on the
 * ground. The GiST index on `candidate` picks candidates in `target`'s box grown by
 * `prefilterMeters` (default `meters`; pass a bound such as the largest radius in town when
 * `meters` varies per row of `candidate`), then `ST_DWithin` on geography decides exactly.
 */
export function withinMeters(
  candidate: Sql,
  target: Sql,
  meters: Sql | number,
  prefilterMeters: Sql | number = meters,
): RawBuilder<boolean> {
  return sql<boolean>`(${candidate} && ${expandByMeters(target, prefilterMeters)}
    AND ST_DWithin(${candidate}::geography, ${target}::geography, ${meters}::float8))`
}

/** A disc of `meters` around a point, on the ground (a broadcast speaker's reach). */
export const discAround = (point: Sql, meters: Sql) => sql`ST_Multi(ST_Buffer(${point}::geography, ${meters}, 24)::geometry)`

/** A box grown by degrees, for a cheap bbox prefilter. */
export const expandByDegrees = (geometry: Sql, degrees: number) => sql`ST_Expand(${geometry}, ${degrees})`

/** The bounding box of a set of geometries (an aggregate) and its corners. */
export const extentOf = (geometry: Sql) => sql`ST_Extent(${geometry})::geometry`
export const xMin = (box: Sql) => sql<number>`ST_XMin(${box})`
export const yMin = (box: Sql) => sql<number>`ST_YMin(${box})`
export const xMax = (box: Sql) => sql<number>`ST_XMax(${box})`
export const yMax = (box: Sql) => sql<number>`ST_YMax(${box})`
/** A box from its corners. */
export const box = (xmin: Sql, ymin: Sql, xmax: Sql, ymax: Sql) => sql`ST_MakeEnvelope(${xmin}, ${ymin}, ${xmax}, ${ymax}, 4326)`

/** A WGS 84 point from a longitude and latitude (bound parameters). */
export const pointAt = (lon: number, lat: number) => sql<string>`ST_SetSRID(ST_MakePoint(${lon}::float8, ${lat}::float8), 4326)`
