import { describe, expect, it } from 'vitest'
import { drillProblems, type DrillFacts, type DrillRuleContext } from './drillRules.ts'

const season2026 = { year: 2026, startsOn: '2026-05-01', endsOn: '2026-10-31' }
const context = (change: Partial<DrillRuleContext> = {}): DrillRuleContext => ({
  today: '2026-12-02',
  population: 40,
  seasonOf: (date) =>
    date >= '2026-05-01' && date <= '2026-10-31'
      ? season2026
      : date >= '2027-05-01' && date <= '2027-10-31'
        ? { ...season2026, year: 2027 }
        : null,
  plannedChanged: true,
  heldChanged: true,
  ...change,
})
const drill = (change: Partial<DrillFacts>): DrillFacts => ({
  status: 'planned',
  plannedOn: null,
  heldOn: null,
  participants: null,
  vulnerableMoved: null,
  ...change,
})
const codes = (facts: DrillFacts, ctx = context()) => drillProblems(facts, ctx).map((problem) => `${problem.path}:${problem.code}`)

describe('drill rules', () => {
  it('plans only future dates inside a flood season', () => {
    expect(codes(drill({ plannedOn: '2027-05-20' }))).toEqual([])
    expect(codes(drill({ plannedOn: '2027-04-30' }))).toEqual(['plannedOn:planned_outside_season'])
    expect(codes(drill({ plannedOn: '2026-10-01' }))).toEqual(['plannedOn:planned_in_past'])
    expect(codes(drill({ plannedOn: '2026-10-01' }), context({ plannedChanged: false }))).toEqual([])
  })

  it('refuses a held date in the future, and one outside every season unless confirmed', () => {
    const held = (heldOn: string) => drill({ status: 'held', plannedOn: '2027-06-01', heldOn })
    expect(codes(held('2026-12-03'))).toEqual(['heldOn:held_in_future'])
    expect(codes(held('2026-12-01'))).toEqual(['heldOn:held_outside_season'])
    expect(codes(held('2026-12-01'), context({ confirmOutsideSeason: true }))).toEqual([])
    expect(codes(held('2026-10-31'))).toEqual([])
    // A held drill whose date is not being changed is not checked again.
    expect(codes(held('2026-12-01'), context({ heldChanged: false }))).toEqual([])
  })

  it('keeps the figures within the village and the participants', () => {
    expect(codes(drill({ status: 'held', heldOn: '2026-06-01', participants: 41 }))).toEqual([
      'participants:participants_exceed_population',
    ])
    expect(codes(drill({ status: 'held', heldOn: '2026-06-01', participants: 10, vulnerableMoved: 11 }))).toEqual([
      'vulnerableMoved:vulnerable_exceed_participants',
    ])
  })
})
