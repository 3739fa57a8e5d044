import type { FeatureCollection, Geometry, TownDataset, TownTable } from './types.ts'
import { townTables } from './types.ts'

/**
 * Serialises a feature collection one feature per line: stable (key order is the order the
 * generator builds objects in, numbers use JavaScript's shortest round-trip form) and easy to
 * diff, while still plain RFC 7946 GeoJSON.
 */
export function serializeCollection(collection: FeatureCollection<Geometry | null, unknown>): string {
  const lines = collection.features.map((feature) => JSON.stringify(feature))
  if (lines.length === 0) return '{"type":"FeatureCollection","features":[]}\n'
  return `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`
}

/** File name of a table's collection inside the town directory. */
export function fileNameOf(table: TownTable): string {
  return `${table}.geojson`
}

/** Every file of a dataset, as `[file name, text]`, in table order. */
export function serializeTown(dataset: TownDataset): [string, string][] {
  return townTables.map((table) => [fileNameOf(table), serializeCollection(dataset[table] as FeatureCollection<Geometry | null, unknown>)])
}
