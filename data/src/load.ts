import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { fileNameOf } from './serialize.ts'
import { townTables, type TownDataset } from './types.ts'

/** Absolute path of the committed demo town (`data/town`). */
export const townDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'town')

/** Reads every file of a town directory (by default the committed demo town). */
export function loadTown(dir: string = townDir): TownDataset {
  const dataset: Partial<Record<keyof TownDataset, unknown>> = {}
  for (const table of townTables) {
    const parsed: unknown = JSON.parse(readFileSync(join(dir, fileNameOf(table)), 'utf8'))
    if (!isFeatureCollection(parsed)) throw new Error(`${fileNameOf(table)} in ${dir} is not a GeoJSON FeatureCollection`)
    dataset[table] = parsed
  }
  return dataset as TownDataset
}

function isFeatureCollection(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'FeatureCollection' &&
    Array.isArray((value as { features?: unknown }).features)
  )
}
