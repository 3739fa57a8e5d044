import { describe, expect, it } from 'vitest'
import { gapCounts, preparednessGaps, type GapInput } from './gaps.ts'
import { phraseGapReason } from '@riskatlas/shared'
import type { CoverageVillageRow, ThreatRow } from './rules.ts'

const villages: CoverageVillageRow[] = [
  {
    id: 1,
    code: 'V1',
    name: '大寨',
    adminCode: '530000000001',
    adminName: '一村',
    lon: 99.1,
    lat: 25.1,
    population: 200,
    households: 50,
    vulnerableCount: 3,
  },
  {
    id: 2,
    code: 'V2',
    name: '小寨',
    adminCode: '530000000002',
    adminName: '二村',
    lon: 99.2,
    lat: 25.2,
    population: 90,
    households: 20,
    vulnerableCount: 0,
  },
]

const threat = (overrides: Partial<ThreatRow>): ThreatRow => ({
  naturalVillageId: 1,
  hazardPointId: 10,
  hazardCode: 'HP-010',
  hazardName: '后山滑坡',
  kind: 'landslide',
  riskLevel: 3,
  hazardStatus: 'active',
  listed: false,
  zoneDistanceM: 0,
  inside: true,
  ...overrides,
})

function input(overrides: Partial<GapInput>): GapInput {
  return {
    villages,
    threats: [],
    hazards: [],
    vulnerable: [],
    reservoirs: [],
    outsideBroadcast: [],
    routeCounts: new Map([
      [1, 1],
      [2, 1],
    ]),
    ...overrides,
  }
}

describe('preparednessGaps', () => {
  it('finds nothing in a fully prepared town', () => {
    expect(preparednessGaps(input({}))).toEqual([])
  })

  it('reports a hazard point without a monitor, blank names included, but not a struck-off one', () => {
    const hazard = {
      id: 10,
      code: 'HP-010',
      name: '后山滑坡',
      adminCode: '530000000001',
      adminName: '一村',
      lon: 99.1,
      lat: 25.1,
      status: 'active',
      threatenedPeople: 40,
    }
    const gaps = preparednessGaps(
      input({
        hazards: [
          { ...hazard, monitorName: null },
          { ...hazard, id: 11, code: 'HP-011', monitorName: '  ' },
          { ...hazard, id: 12, code: 'HP-012', monitorName: '李四' },
          { ...hazard, id: 13, code: 'HP-013', monitorName: null, status: 'closed' },
        ],
      }),
    )
    expect(gaps.map((gap) => [gap.kind, gap.subject.code])).toEqual([
      ['hazard_without_monitor', 'HP-010'],
      ['hazard_without_monitor', 'HP-011'],
    ])
    expect(gaps[0]).toMatchObject({
      location: [99.1, 25.1],
      reason: { code: 'hazard_without_monitor', params: { hazardCode: 'HP-010', threatenedPeople: 40 } },
      details: { threatenedPeople: 40 },
    })
  })

  it('counts vulnerable people without a responsible person per village, and never names them', () => {
    const counted = preparednessGaps(input({ vulnerable: [{ naturalVillageId: 1, total: 3, withoutResponsible: 2 }] }))
    expect(counted).toEqual([
      expect.objectContaining({ kind: 'vulnerable_without_responsible', subject: expect.objectContaining({ name: '大寨' }) }),
    ])
    expect(counted[0]!.details).toEqual({ population: 200, withoutResponsible: 2, vulnerableTotal: 3 })
  })

  it('names which of a reservoir’s or pond’s three responsible persons are missing', () => {
    const reservoir = {
      id: 5,
      code: 'R-1',
      kind: 'reservoir' as const,
      name: '龙潭水库',
      adminCode: null,
      adminName: null,
      lon: 99,
      lat: 25,
    }
    const gaps = preparednessGaps(
      input({
        reservoirs: [
          { ...reservoir, adminResponsible: '张三', techResponsible: null, patrolResponsible: '' },
          { ...reservoir, id: 6, code: 'R-2', adminResponsible: '张三', techResponsible: '赵六', patrolResponsible: '钱七' },
          {
            ...reservoir,
            id: 7,
            code: 'P-1',
            kind: 'pond',
            name: '核桃坝塘',
            adminResponsible: null,
            techResponsible: '赵六',
            patrolResponsible: '钱七',
          },
        ],
      }),
    )
    expect(gaps.map((gap) => [gap.subject.code, phraseGapReason(gap.reason).zh, gap.details.missing])).toEqual([
      ['P-1', '核桃坝塘 缺少行政责任人', ['adminResponsible']],
      ['R-1', '龙潭水库 缺少技术责任人、巡查责任人', ['techResponsible', 'patrolResponsible']],
    ])
  })

  it('reports villages outside broadcast reach, threatened or not', () => {
    const [gap] = preparednessGaps(input({ outsideBroadcast: [{ naturalVillageId: 2, nearestName: '广播 3', nearestDistanceM: 1234.4 }] }))
    expect(gap).toMatchObject({
      kind: 'village_outside_broadcast',
      subject: { name: '小寨' },
      required: false,
      details: { nearestDistanceM: 1234 },
    })
    expect(gap!.reason).toEqual({
      code: 'village_outside_broadcast',
      params: { village: '小寨', nearestName: '广播 3', nearestDistanceM: 1234 },
    })
    expect(phraseGapReason(gap!.reason).zh).toContain('1234 米')
  })

  it('reports a threatened village without a route, but not a village no hazard threatens', () => {
    const listed = threat({ naturalVillageId: 2, listed: true, inside: false, zoneDistanceM: null })
    const gaps = preparednessGaps(input({ threats: [listed], routeCounts: new Map() }))
    expect(gaps.map((gap) => [gap.kind, gap.subject.name])).toEqual([['village_without_route', '小寨']])
  })

  it('reports a village inside a danger zone that no hazard point lists, and not one that is listed', () => {
    const unmapped = preparednessGaps(input({ threats: [threat({})] }))
    expect(unmapped).toEqual([
      expect.objectContaining({ kind: 'unmapped_settlement', required: true, details: { population: 200, dangerZones: ['HP-010'] } }),
    ])
    const listedElsewhere = threat({ hazardPointId: 11, hazardCode: 'HP-011', listed: true, inside: false, zoneDistanceM: null })
    expect(preparednessGaps(input({ threats: [threat({}), listedElsewhere] }))).toEqual([])
    // Near a zone but outside it is not an unmapped settlement.
    expect(preparednessGaps(input({ threats: [threat({ inside: false, zoneDistanceM: 120 })] }))).toEqual([])
  })

  it('lists each audited route with a problem, phrased in zh and en, and no route that passed', () => {
    const base = {
      source: 'drawn' as const,
      villageId: 1,
      villageCode: 'V1',
      villageName: '大寨',
      adminCode: '530000000001',
      adminName: '一村',
      shelterId: 5,
      shelterCode: 'SH-5',
      shelterName: '村委会广场',
      persons: 200,
      lengthM: 2400,
      walkingMinutes: 36,
      geometry: {
        type: 'LineString' as const,
        coordinates: [
          [99.1, 25.1],
          [99.11, 25.1],
        ] as [number, number][],
      },
    }
    const gaps = preparednessGaps(
      input({
        routeAudits: [
          {
            ...base,
            routeId: 7,
            ok: false,
            problems: [
              { code: 'route_too_long', params: { lengthM: 2400, maxM: 2000 } },
              { code: 'route_crosses_zone', params: { zones: ['HP-010'] } },
            ],
          },
          { ...base, routeId: 8, ok: true, problems: [] },
        ],
      }),
    )
    expect(gaps).toEqual([
      expect.objectContaining({
        kind: 'route_problem',
        subject: { type: 'evacuation_route', id: 7, code: '7', name: '大寨 → 村委会广场' },
        location: [99.1, 25.1],
      }),
    ])
    expect(phraseGapReason(gaps[0]!.reason)).toEqual({
      zh: '大寨 → 村委会广场：路线长 2400 米，超过 2000 米；路线穿越危险区（HP-010）',
      en: '大寨 → 村委会广场: The route is 2400 m long, over 2000 m; The route crosses a danger zone (HP-010)',
    })
  })

  it('ranks villages that require a drill first within a kind and counts each kind', () => {
    const gaps = preparednessGaps(
      input({
        threats: [threat({ naturalVillageId: 2, listed: true, inside: false, zoneDistanceM: null })],
        outsideBroadcast: [
          { naturalVillageId: 1, nearestName: null, nearestDistanceM: null },
          { naturalVillageId: 2, nearestName: null, nearestDistanceM: null },
        ],
      }),
    )
    expect(gaps.map((gap) => [gap.subject.name, gap.required])).toEqual([
      ['小寨', true],
      ['大寨', false],
    ])
    expect(gapCounts(gaps)).toMatchObject({ village_outside_broadcast: 2, unmapped_settlement: 0 })
  })
})
