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

/** A geometry from GeoJSON, in SRID 4326. */
export function fromGeoJson(geojson: unknown): RawBuilder<unknown> {
  return sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geojson)}), 4326)`
}

/** True where two geometries lie within `meters` on the ground (geodesic, not degrees). */
export function withinMeters(a: RawBuilder<unknown>, b: RawBuilder<unknown>, meters: number): RawBuilder<boolean> {
  return sql<boolean>`ST_DWithin(${a}::geography, ${b}::geography, ${meters})`
}
