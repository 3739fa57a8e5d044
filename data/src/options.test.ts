import booleanIntersects from '@turf/boolean-intersects'
import booleanPointInPolygon from '@turf/boolean-point-in-polygon'
import { describe, expect, it } from 'vitest'
import { generateTown, LEDGER_2023, townMaxRadiusM, type Position, type TownDataset } from './index.ts'

/** Generator options, and the invariants that must hold for any seed (the county bench uses many). */

const allPositions = (town: TownDataset): Position[] => [
  ...town.admin_areas.features.flatMap((f) => f.geometry.coordinates.flat(2)),
  ...town.natural_villages.features.map((f) => f.geometry.coordinates),
  ...town.roads.features.flatMap((f) => f.geometry.coordinates),
]

describe('generateTown options', { timeout: 60_000 }, () => {
  it('places the town around the origin', () => {
    const town = generateTown({ seed: 5, origin: [100.5, 24.2] })
    const positions = allPositions(town)
    const lons = positions.map((p) => p[0])
    const lats = positions.map((p) => p[1])
    // townMaxRadiusM is at most 0.12° of longitude and 0.11° of latitude here.
    expect(Math.min(...lons)).toBeGreaterThan(100.5 - 0.13)
    expect(Math.max(...lons)).toBeLessThan(100.5 + 0.13)
    expect(Math.min(...lats)).toBeGreaterThan(24.2 - 0.12)
    expect(Math.max(...lats)).toBeLessThan(24.2 + 0.12)
    expect(townMaxRadiusM).toBeLessThanOrEqual(12_000)
  })

  it('builds every code from the code prefix, so towns of one county never share a code', () => {
    const a = generateTown({ seed: 11, codePrefix: '530502101' })
    const b = generateTown({ seed: 12, codePrefix: '530502104' })
    const codesOf = (town: TownDataset) => [
      ...town.admin_areas.features.map((f) => f.properties.code),
      ...town.natural_villages.features.map((f) => f.properties.code),
      ...town.facilities.features.map((f) => f.properties.code),
      ...town.hazard_points.features.map((f) => f.properties.code),
    ]
    expect(a.admin_areas.features.every((f) => /^530502101\d{3}$/.test(f.properties.code))).toBe(true)
    expect(a.facilities.features.every((f) => f.properties.code.includes('-530502101-'))).toBe(true)
    const shared = codesOf(a).filter((code) => new Set(codesOf(b)).has(code))
    expect(shared).toEqual([])
  })

  it('puts the name suffix into the town name', () => {
    expect(generateTown({ seed: 3, nameSuffix: '三' }).admin_areas.features[0]?.properties.name).toBe('云岭三镇')
  })

  it('makes a different town from a different seed', () => {
    const a = generateTown({ seed: 1 })
    const b = generateTown({ seed: 2 })
    expect(a.natural_villages.features.map((f) => f.geometry.coordinates)).not.toEqual(
      b.natural_villages.features.map((f) => f.geometry.coordinates),
    )
  })

  it('refuses a malformed code prefix or seed', () => {
    expect(() => generateTown({ codePrefix: '5305' })).toThrow(/9 digits/)
    expect(() => generateTown({ seed: 1.5 })).toThrow(/integer/)
  })
})

// How long a town takes to generate is a bench figure (`pnpm bench`, "dataset"), not a test.
describe.each([7, 1001, 1019])('any seed (%i)', (seed) => {
  const town = generateTown({ seed })

  it('stays within the counts of the brief', () => {
    const kinds = (kind: string) => town.facilities.features.filter((f) => f.properties.kind === kind).length
    expect(town.admin_areas.features.length - 1).toBeGreaterThanOrEqual(10)
    expect(town.admin_areas.features.length - 1).toBeLessThanOrEqual(14)
    expect(town.natural_villages.features.length).toBeGreaterThanOrEqual(80)
    expect(town.natural_villages.features.length).toBeLessThanOrEqual(150)
    expect(town.hazard_points.features.length).toBeGreaterThanOrEqual(15)
    expect(town.hazard_points.features.length).toBeLessThanOrEqual(30)
    expect(kinds('reservoir')).toBeGreaterThanOrEqual(4)
    expect(kinds('pond')).toBeGreaterThanOrEqual(20)
    expect(kinds('shelter')).toBeGreaterThanOrEqual(15)
    expect(kinds('broadcast')).toBeGreaterThanOrEqual(20)
    expect(kinds('enterprise')).toBeGreaterThanOrEqual(LEDGER_2023.enterprisesSelfChecked)
    expect(town.roads.features.length).toBeGreaterThanOrEqual(1000)
    expect(town.rivers.features.filter((f) => f.properties.class === 'main')).toHaveLength(1)
  })

  it('connects every natural village by road', () => {
    const key = (p: Position) => `${p[0]},${p[1]}`
    const neighbours = new Map<string, string[]>()
    for (const road of town.roads.features) {
      const a = key(road.geometry.coordinates[0]!)
      const b = key(road.geometry.coordinates[road.geometry.coordinates.length - 1]!)
      neighbours.set(a, [...(neighbours.get(a) ?? []), b])
      neighbours.set(b, [...(neighbours.get(b) ?? []), a])
    }
    const start = key(town.natural_villages.features[0]!.geometry.coordinates)
    const reached = new Set([start])
    const queue = [start]
    while (queue.length > 0) {
      for (const next of neighbours.get(queue.pop()!) ?? []) {
        if (reached.has(next)) continue
        reached.add(next)
        queue.push(next)
      }
    }
    expect(reached.size).toBe(neighbours.size)
    expect(town.natural_villages.features.every((v) => reached.has(key(v.geometry.coordinates)))).toBe(true)
  })

  it('has exactly one evacuation route through a danger zone other than the one it leaves', () => {
    const crossing = town.evacuation_routes.features.filter((route) =>
      town.danger_zones.features.some(
        (zone) => !booleanPointInPolygon(route.geometry.coordinates[0]!, zone.geometry) && booleanIntersects(route, zone),
      ),
    )
    expect(crossing).toHaveLength(1)
  })

  it('reproduces the 2023 ledger', () => {
    const found = town.hidden_dangers.features.filter((f) => f.properties.found_on.startsWith('2023-')).map((f) => f.properties)
    expect(found).toHaveLength(LEDGER_2023.hiddenDangersFound)
    expect(found.filter((d) => d.status === 'rectified')).toHaveLength(LEDGER_2023.rectified)
    expect(new Set(found.filter((d) => d.sanction !== null).map((d) => d.facility_code)).size).toBe(LEDGER_2023.enterprisesSanctioned)
  })
})
