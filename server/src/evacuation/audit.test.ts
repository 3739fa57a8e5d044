import { describe, expect, it } from 'vitest'
import { auditRoutes, type AuditRouteRow, type AuditShelterRow } from './audit.ts'
import { defaultEvacuationSettings } from './rules.ts'

const route = (id: number, extra: Partial<AuditRouteRow> = {}): AuditRouteRow => ({
  id,
  source: 'drawn',
  villageId: id,
  villageCode: `V${id}`,
  villageName: `村${id}`,
  adminCode: '530502199201',
  adminName: '村委会',
  population: 100,
  shelterId: 1,
  persons: null,
  lengthM: 1200,
  storedMinutes: 18,
  crossedZones: [],
  reenteredZones: [],
  startOffRoadM: 0,
  endOffRoadM: 3,
  geometry: {
    type: 'LineString',
    coordinates: [
      [99, 25],
      [99.01, 25],
    ],
  },
  ...extra,
})
const shelter = (extra: Partial<AuditShelterRow> = {}): AuditShelterRow => ({
  id: 1,
  code: 'SH-1',
  name: '安置点',
  open: true,
  capacityPersons: 500,
  areaM2: 2000,
  dangerZones: [],
  inWarnedArea: false,
  ...extra,
})
const codes = (routes: AuditRouteRow[], shelters = [shelter()]) =>
  auditRoutes(routes, shelters, defaultEvacuationSettings).map((r) => r.problems.map((p) => p.code))

describe('route audit', () => {
  it('passes a short route on the network to a usable shelter with room', () => {
    const [result] = auditRoutes([route(1)], [shelter()], defaultEvacuationSettings)
    expect(result).toMatchObject({ ok: true, problems: [], persons: 100, shelterCode: 'SH-1' })
  })

  it('flags crossing a foreign zone and re-entering its own', () => {
    expect(codes([route(1, { crossedZones: ['HZ-2'], reenteredZones: ['HZ-1'] })])).toEqual([
      ['route_crosses_zone', 'route_reenters_own_zone'],
    ])
  })

  it('flags a route over 2 km or 30 minutes on foot', () => {
    expect(codes([route(1, { lengthM: 2400, storedMinutes: 20 })])).toEqual([['route_too_long', 'route_too_slow']])
    expect(codes([route(1, { lengthM: 1500, storedMinutes: 35 })])).toEqual([['route_too_slow']])
  })

  it('flags an unusable shelter with its reasons', () => {
    const [result] = auditRoutes([route(1)], [shelter({ open: false, dangerZones: ['HZ-9'] })], defaultEvacuationSettings)
    expect(result!.problems).toEqual([
      { code: 'route_shelter_unusable', params: { reasons: ['shelter_closed', 'shelter_in_danger_zone'], zones: ['HZ-9'] } },
    ])
  })

  it('flags routes to a shelter assigned more than its effective capacity, counting each village once', () => {
    // Capacity min(500, 2000/2) = 500. Two villages of 300 → 600 > 500.
    expect(codes([route(1, { population: 300 }), route(2, { population: 300 })])).toEqual([
      ['route_shelter_over_capacity'],
      ['route_shelter_over_capacity'],
    ])
    // One village with two drawn routes to the same shelter counts once.
    expect(codes([route(1, { population: 300 }), route(2, { villageId: 1, population: 300 })])).toEqual([[], []])
    // A village with computed routes is counted by their shares, not its drawn route.
    expect(codes([route(1, { population: 800 }), route(2, { villageId: 1, population: 800, source: 'computed', persons: 400 })])).toEqual([
      [],
      [],
    ])
  })

  it('flags ends off the road network', () => {
    expect(codes([route(1, { startOffRoadM: 120, endOffRoadM: null })])).toEqual([['route_starts_off_network', 'route_ends_off_network']])
  })
})
