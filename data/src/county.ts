import { generateTown } from './town.ts'
import type { TownDataset } from './types.ts'

export interface GenerateCountyOptions {
  /** How many townships (default 24: the county of the benchmarks, ≥ 2,000 natural villages). */
  towns?: number
  /** Townships per row of the grid (default 6). */
  columns?: number
}

/** The county's default size: 24 townships in a 6-wide grid. */
export const defaultCountyTowns = 24

/**
 * A county-scale dataset: `towns` generated townships side by side in a grid 0.25° apart (each
 * town spans about 0.15°), each with its own seed, area codes and name (云岭1镇, 云岭2镇 …), merged
 * table by table. The flood seasons are the county's, shared by every town, so they come once.
 * Deterministic, like the demo town: the same options always give the same county.
 */
export function generateCounty(options: GenerateCountyOptions = {}): TownDataset {
  const { towns = defaultCountyTowns, columns = 6 } = options
  const merged: Partial<Record<keyof TownDataset, { type: 'FeatureCollection'; features: unknown[] }>> = {}
  for (let i = 0; i < towns; i++) {
    const town = generateTown({
      seed: 1000 + i,
      origin: [98.5 + (i % columns) * 0.25, 24.6 + Math.floor(i / columns) * 0.25],
      codePrefix: String(530502100 + i * 3).padStart(9, '0'),
      nameSuffix: `${i + 1}`,
    })
    for (const table of Object.keys(town) as (keyof TownDataset)[]) {
      if (table === 'flood_seasons' && merged[table]) continue
      merged[table] ??= { type: 'FeatureCollection', features: [] }
      merged[table].features.push(...(town[table].features as unknown[]))
    }
  }
  return merged as unknown as TownDataset
}
