import { describe, expect, it } from 'vitest'
import { proposeDrillSchedule, scenarioForHazard, type SchedulableVillage } from './schedule.ts'

const season = { startsOn: '2027-05-01', endsOn: '2027-10-31' }

function villages(count: number): SchedulableVillage[] {
  return Array.from({ length: count }, (_, index) => ({
    id: index + 1,
    code: `V${String(index + 1).padStart(3, '0')}`,
    adminCode: `53000000000${index % 3}`,
    peopleAtRisk: 100 + index,
    vulnerableCount: index % 5,
    hazardKinds: index % 2 === 0 ? ['debris_flow'] : [],
  }))
}

function perDayCounts(dates: string[]): number[] {
  const counts = new Map<string, number>()
  for (const date of dates) counts.set(date, (counts.get(date) ?? 0) + 1)
  return [...counts.values()]
}

describe('proposeDrillSchedule', () => {
  it('spreads the villages over the weeks before June, highest priority first', () => {
    const { proposals, unscheduled, window } = proposeDrillSchedule(villages(40), { season, today: '2026-11-30' })
    expect(window).toEqual({ from: '2027-05-01', to: '2027-05-31' })
    expect(unscheduled).toEqual([])
    expect(proposals).toHaveLength(40)
    const dates = proposals.map((proposal) => proposal.plannedOn)
    expect(dates.every((date) => date >= '2027-05-01' && date <= '2027-05-31')).toBe(true)
    expect(Math.max(...perDayCounts(dates))).toBeLessThanOrEqual(2)
    // The most people at risk (village 40) goes first, the fewest (village 1) last.
    const byVillage = new Map(proposals.map((proposal) => [proposal.naturalVillageId, proposal.plannedOn]))
    expect(byVillage.get(40)).toBe('2027-05-01')
    expect(byVillage.get(1)! >= '2027-05-30').toBe(true)
  })

  it('never puts more than a few on one day, and stretches past the peak when May cannot hold them', () => {
    const { proposals, window } = proposeDrillSchedule(villages(120), { season, today: '2026-11-30', perDay: 3 })
    expect(window).toEqual({ from: '2027-05-01', to: '2027-10-31' })
    expect(Math.max(...perDayCounts(proposals.map((proposal) => proposal.plannedOn)))).toBeLessThanOrEqual(3)
  })

  it('starts tomorrow in a season under way, and leaves out what does not fit', () => {
    const { proposals, unscheduled, window } = proposeDrillSchedule(villages(10), { season, today: '2027-10-29', perDay: 3 })
    expect(window).toEqual({ from: '2027-10-30', to: '2027-10-31' })
    expect(proposals).toHaveLength(6)
    expect(unscheduled).toHaveLength(4)
  })

  it('proposes nothing once the season is over', () => {
    expect(proposeDrillSchedule(villages(3), { season, today: '2027-10-31' })).toEqual({
      proposals: [],
      unscheduled: [3, 2, 1],
      window: null,
    })
  })

  it('picks the scenario from the main hazard', () => {
    expect(scenarioForHazard('collapse')).toBe('landslide')
    expect(scenarioForHazard('debris_flow')).toBe('debris_flow')
    expect(scenarioForHazard('flash_flood')).toBe('flash_flood')
    expect(scenarioForHazard(undefined)).toBe('flood')
    const { proposals } = proposeDrillSchedule(villages(2), { season, today: '2026-11-30' })
    expect(proposals.find((proposal) => proposal.naturalVillageId === 1)!.scenario).toBe('debris_flow')
  })
})
