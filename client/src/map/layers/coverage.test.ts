import { describe, expect, it } from 'vitest'
import { coverageStatuses, type VillageCoverage } from '@riskatlas/shared'
import { coverageFeatures, coverageFilter, coverageStatusColours, coverageVillageLayers } from './coverage.ts'

const village = (overrides: Partial<VillageCoverage>): VillageCoverage => ({
  id: 7,
  code: '530000000001001',
  name: '大寨',
  adminCode: '530000000001',
  adminName: '一村',
  location: [99.1, 25.1],
  population: 240,
  households: 60,
  required: true,
  status: 'missing',
  reasons: [],
  peopleAtRisk: 240,
  vulnerableCount: 6,
  lastDrill: null,
  nextPlanned: null,
  seasonDrill: null,
  priority: 3,
  ...overrides,
})

describe('coverage map style', () => {
  it('gives every status its own colour', () => {
    expect(new Set(coverageStatuses.map((status) => coverageStatusColours[status])).size).toBe(coverageStatuses.length)
  })

  it('turns coverage into points whose id is the village id, for feature-state', () => {
    const collection = coverageFeatures([village({}), village({ id: 9, required: false, status: 'not_required', priority: null })])
    expect(collection.features.map((feature) => [feature.id, feature.properties.status, feature.properties.priority])).toEqual([
      [7, 'missing', 3],
      [9, 'not_required', 0],
    ])
    expect(collection.features[0]!.geometry.coordinates).toEqual([99.1, 25.1])
  })

  it('colours dots by status and filters by status and administrative village', () => {
    const filter = coverageFilter(['missing', 'overdue'], '530000000002')
    expect(filter).toEqual([
      'all',
      ['in', ['get', 'status'], ['literal', ['missing', 'overdue']]],
      ['==', ['get', 'adminCode'], '530000000002'],
    ])
    expect(coverageFilter(['drilled'])).toEqual(['in', ['get', 'status'], ['literal', ['drilled']]])
    const [dots, labels] = coverageVillageLayers(filter)
    expect(dots!.type).toBe('circle')
    expect(JSON.stringify((dots as { paint: Record<string, unknown> }).paint['circle-color'])).toContain(coverageStatusColours.missing)
    expect((labels as { filter: unknown }).filter).toEqual(filter)
  })
})
