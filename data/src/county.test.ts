import { describe, expect, it } from 'vitest'
import { generateCounty } from './county.ts'
import { generateTown } from './town.ts'
import { townTables } from './types.ts'

describe('generateCounty', () => {
  const county = generateCounty({ towns: 2, columns: 2 })
  const first = generateTown({ seed: 1000, origin: [98.5, 24.6], codePrefix: '530502100', nameSuffix: '1' })
  const second = generateTown({ seed: 1001, origin: [98.75, 24.6], codePrefix: '530502103', nameSuffix: '2' })

  it('holds every table of every town, the county’s flood seasons once', () => {
    for (const table of townTables) {
      const expected =
        table === 'flood_seasons' ? first[table].features.length : first[table].features.length + second[table].features.length
      expect(county[table].features, table).toHaveLength(expected)
    }
  })

  it('gives every town its own codes, so the merged tables have no duplicate', () => {
    const codes = (table: 'natural_villages' | 'hazard_points' | 'facilities' | 'admin_areas') =>
      county[table].features.map((feature) => (feature.properties as { code: string }).code)
    for (const table of ['natural_villages', 'hazard_points', 'facilities', 'admin_areas'] as const) {
      const list = codes(table)
      expect(new Set(list).size, table).toBe(list.length)
    }
    const towns = county.admin_areas.features.filter((f) => (f.properties as { level: string }).level === 'town')
    expect(towns.map((f) => (f.properties as { name: string }).name)).toEqual(['云岭1镇', '云岭2镇'])
  })
})
