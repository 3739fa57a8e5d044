import { describe, expect, it } from 'vitest'
import {
  coverageSummary,
  coverageTally,
  drillCoverage,
  drillReasons,
  seasonStatus,
  type CoverageVillageRow,
  type DrillRow,
  type ThreatRow,
} from './rules.ts'
import { defaultCoverageRules, floodSeason } from './season.ts'

const season2026 = floodSeason(2026, [])

function drill(overrides: Partial<DrillRow>): DrillRow {
  return { id: 1, naturalVillageId: 1, scenario: 'landslide', status: 'planned', plannedOn: null, heldOn: null, ...overrides }
}

function threat(overrides: Partial<ThreatRow>): ThreatRow {
  return {
    naturalVillageId: 1,
    hazardPointId: 10,
    hazardCode: 'HP-010',
    hazardName: '后山滑坡',
    kind: 'landslide',
    riskLevel: 3,
    hazardStatus: 'active',
    listed: false,
    zoneDistanceM: null,
    inside: false,
    ...overrides,
  }
}

function village(overrides: Partial<CoverageVillageRow>): CoverageVillageRow {
  return {
    id: 1,
    code: '530000000001001',
    name: '大寨',
    adminCode: '530000000001',
    adminName: '一村',
    lon: 99.1,
    lat: 25.1,
    population: 200,
    households: 50,
    vulnerableCount: 5,
    ...overrides,
  }
}

describe('seasonStatus', () => {
  const today = '2026-07-15'

  it('is not_required for a village no hazard threatens and no drill mentions', () => {
    expect(seasonStatus(false, [], season2026, today)).toEqual({ status: 'not_required', seasonDrill: null })
  })

  it('is missing for a required village with nothing planned', () => {
    expect(seasonStatus(true, [], season2026, today).status).toBe('missing')
  })

  it('is planned while the planned date has not passed, today included', () => {
    expect(seasonStatus(true, [drill({ plannedOn: '2026-08-01' })], season2026, today).status).toBe('planned')
    expect(seasonStatus(true, [drill({ plannedOn: today })], season2026, today)).toEqual({
      status: 'planned',
      seasonDrill: { id: 1, scenario: 'landslide', date: today },
    })
  })

  it('is overdue once the planned date has passed without the drill being held', () => {
    expect(seasonStatus(true, [drill({ plannedOn: '2026-07-14' })], season2026, today)).toEqual({
      status: 'overdue',
      seasonDrill: { id: 1, scenario: 'landslide', date: '2026-07-14' },
    })
  })

  it('is planned, not overdue, when a missed drill has been rescheduled', () => {
    const drills = [drill({ id: 1, plannedOn: '2026-06-01' }), drill({ id: 2, plannedOn: '2026-09-01' })]
    expect(seasonStatus(true, drills, season2026, today)).toMatchObject({ status: 'planned', seasonDrill: { id: 2 } })
  })

  it('is drilled when a drill was held in the season, whatever else is planned', () => {
    const drills = [
      drill({ id: 1, plannedOn: '2026-06-01' }),
      drill({ id: 2, status: 'held', plannedOn: '2026-06-10', heldOn: '2026-06-12' }),
    ]
    expect(seasonStatus(true, drills, season2026, today)).toEqual({
      status: 'drilled',
      seasonDrill: { id: 2, scenario: 'landslide', date: '2026-06-12' },
    })
  })

  it('counts a drill held on the first and on the last day of the season', () => {
    expect(seasonStatus(true, [drill({ status: 'held', heldOn: '2026-05-01' })], season2026, '2026-11-30').status).toBe('drilled')
    expect(seasonStatus(true, [drill({ status: 'held', heldOn: '2026-10-31' })], season2026, '2026-11-30').status).toBe('drilled')
  })

  it('does not count a drill held the day before the season starts or the day after it ends', () => {
    expect(seasonStatus(true, [drill({ status: 'held', heldOn: '2026-04-30' })], season2026, '2026-11-30').status).toBe('missing')
    expect(seasonStatus(true, [drill({ status: 'held', heldOn: '2026-11-01' })], season2026, '2026-11-30').status).toBe('missing')
  })

  it('treats a drill planned for the last day of the season as planned that day and overdue the day after', () => {
    const lastDay = [drill({ plannedOn: '2026-10-31' })]
    expect(seasonStatus(true, lastDay, season2026, '2026-10-31').status).toBe('planned')
    expect(seasonStatus(true, lastDay, season2026, '2026-11-01').status).toBe('overdue')
  })

  it('ignores a drill planned outside the season', () => {
    expect(seasonStatus(true, [drill({ plannedOn: '2027-05-10' })], season2026, today).status).toBe('missing')
  })

  it('counts a cancelled drill as nothing', () => {
    expect(seasonStatus(true, [drill({ status: 'cancelled', plannedOn: '2026-08-01' })], season2026, today).status).toBe('missing')
    expect(seasonStatus(true, [drill({ status: 'cancelled', plannedOn: '2026-06-01', heldOn: null })], season2026, today).status).toBe(
      'missing',
    )
    expect(seasonStatus(false, [drill({ status: 'cancelled', plannedOn: '2026-08-01' })], season2026, today).status).toBe('not_required')
  })

  it('uses a configured season instead of the default', () => {
    const short = floodSeason(2026, [{ year: 2026, startsOn: '2026-06-01', endsOn: '2026-09-30' }])
    expect(short).toEqual({ year: 2026, startsOn: '2026-06-01', endsOn: '2026-09-30', configured: true })
    expect(seasonStatus(true, [drill({ status: 'held', heldOn: '2026-05-20' })], short, today).status).toBe('missing')
  })
})

describe('drillReasons', () => {
  it('requires a drill when a hazard point lists the village', () => {
    expect(drillReasons([threat({ listed: true })])).toEqual([
      {
        hazardPointId: 10,
        hazardCode: 'HP-010',
        hazardName: '后山滑坡',
        kind: 'landslide',
        riskLevel: 3,
        listed: true,
        zoneDistanceM: null,
      },
    ])
  })

  it('requires a drill within the distance of a danger zone, not beyond', () => {
    expect(drillReasons([threat({ zoneDistanceM: 299.9 })])).toHaveLength(1)
    expect(drillReasons([threat({ zoneDistanceM: 300 })])).toHaveLength(1)
    expect(drillReasons([threat({ zoneDistanceM: 300.1 })])).toEqual([])
    expect(drillReasons([threat({ zoneDistanceM: 450 })], { ...defaultCoverageRules, zoneDistanceM: 500 })).toHaveLength(1)
  })

  it('merges the listing and the zone of one hazard into one reason', () => {
    const reasons = drillReasons([threat({ listed: true }), threat({ zoneDistanceM: 0, inside: true })])
    expect(reasons).toEqual([expect.objectContaining({ hazardPointId: 10, listed: true, zoneDistanceM: 0 })])
  })

  it('keeps one reason per hazard for a village two hazards threaten, most dangerous first', () => {
    const reasons = drillReasons([
      threat({ hazardPointId: 10, hazardCode: 'HP-010', riskLevel: 2, listed: true }),
      threat({ hazardPointId: 11, hazardCode: 'HP-011', kind: 'debris_flow', riskLevel: 4, zoneDistanceM: 120 }),
    ])
    expect(reasons.map((reason) => [reason.hazardCode, reason.listed, reason.zoneDistanceM])).toEqual([
      ['HP-011', false, 120],
      ['HP-010', true, null],
    ])
  })

  it('ignores hazard points struck off the register', () => {
    expect(drillReasons([threat({ listed: true, hazardStatus: 'closed' })])).toEqual([])
    expect(drillReasons([threat({ listed: true, hazardStatus: 'mitigated' })])).toHaveLength(1)
  })
})

describe('drillCoverage', () => {
  const villages = [
    village({ id: 1, code: 'A1', population: 120, vulnerableCount: 4 }),
    village({ id: 2, code: 'A2', population: 300, vulnerableCount: 1 }),
    village({ id: 3, code: 'A3', population: 300, vulnerableCount: 9 }),
    village({ id: 4, code: 'B1', adminCode: '530000000002', adminName: '二村', population: 80 }),
  ]
  const threats = [
    threat({ naturalVillageId: 1, listed: true }),
    threat({ naturalVillageId: 2, hazardPointId: 11, hazardCode: 'HP-011', zoneDistanceM: 250 }),
    threat({ naturalVillageId: 3, listed: true }),
    threat({ naturalVillageId: 3, hazardPointId: 11, hazardCode: 'HP-011', zoneDistanceM: 0, inside: true }),
  ]
  const drills = [
    drill({ id: 1, naturalVillageId: 1, status: 'held', heldOn: '2026-06-02', plannedOn: '2026-06-01' }),
    drill({ id: 2, naturalVillageId: 2, plannedOn: '2026-06-20' }),
    drill({ id: 3, naturalVillageId: 4, status: 'held', heldOn: '2025-06-01' }),
    drill({ id: 4, naturalVillageId: 4, plannedOn: '2027-05-15' }),
  ]
  const coverage = drillCoverage({ villages, threats, drills, season: season2026, today: '2026-11-30' })
  const byId = new Map(coverage.map((entry) => [entry.id, entry]))

  it('ranks required villages by people at risk, then vulnerable people', () => {
    expect(coverage.map((entry) => [entry.code, entry.priority])).toEqual([
      ['A3', 1],
      ['A2', 2],
      ['A1', 3],
      ['B1', null],
    ])
  })

  it('gives each village its status, reasons, people at risk and drill history', () => {
    expect(byId.get(1)).toMatchObject({
      status: 'drilled',
      required: true,
      peopleAtRisk: 120,
      lastDrill: { id: 1, date: '2026-06-02' },
      nextPlanned: null,
    })
    expect(byId.get(2)).toMatchObject({ status: 'overdue', seasonDrill: { id: 2, date: '2026-06-20' } })
    expect(byId.get(3)).toMatchObject({ status: 'missing', vulnerableCount: 9 })
    expect(byId.get(3)!.reasons).toHaveLength(2)
    expect(byId.get(4)).toMatchObject({
      status: 'not_required',
      required: false,
      peopleAtRisk: 0,
      lastDrill: { id: 3, date: '2025-06-01' },
      nextPlanned: { id: 4, date: '2027-05-15' },
    })
  })

  it('summarises the town and each administrative village', () => {
    const summary = coverageSummary(coverage, season2026, '2026-11-30')
    expect(summary).toMatchObject({
      villages: 4,
      required: 3,
      drilled: 1,
      coveragePercent: 33.3,
      counts: { not_required: 1, missing: 1, planned: 0, overdue: 1, drilled: 1 },
      requiredCounts: { not_required: 0, missing: 1, planned: 0, overdue: 1, drilled: 1 },
      peopleAtRisk: 720,
      peopleNotDrilled: 600,
      rules: { zoneDistanceM: 300 },
    })
    expect(summary.byAdminVillage.map((admin) => [admin.adminName, admin.required, admin.coveragePercent])).toEqual([
      ['一村', 3, 33.3],
      ['二村', 0, 100],
    ])
  })

  it('counts 100 % coverage when nothing is required', () => {
    expect(coverageTally([]).coveragePercent).toBe(100)
  })
})
