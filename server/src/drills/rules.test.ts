import { describe, expect, it } from 'vitest'
import { ApiError } from '../errors.ts'
import { newDrillValues, updatedDrillValues, type DrillContext, type DrillValues } from './rules.ts'

const context: DrillContext = { village: { id: 7, population: 120, adminCode: '530000000001' }, seasons: [], today: '2026-07-15' }

function problem(run: () => unknown): { status: number; message: string } {
  try {
    run()
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, message: error.message }
    throw error
  }
  throw new Error('expected an error')
}

const planned: DrillValues = {
  scenario: 'landslide',
  status: 'planned',
  planned_on: '2026-08-01',
  held_on: null,
  participants: null,
  vulnerable_moved: null,
  evacuation_minutes: null,
  organiser: '村委会',
  findings: null,
}

describe('newDrillValues', () => {
  it('plans a drill within the season', () => {
    const beforeSeason = { ...context, today: '2026-04-20' }
    expect(newDrillValues({ naturalVillageId: 7, scenario: 'flood', plannedOn: '2026-05-01' }, beforeSeason)).toMatchObject({
      status: 'planned',
      planned_on: '2026-05-01',
    })
    expect(newDrillValues({ naturalVillageId: 7, scenario: 'flood', plannedOn: '2026-10-31' }, context).status).toBe('planned')
  })

  it('refuses to plan a drill on a date that has already passed', () => {
    expect(problem(() => newDrillValues({ naturalVillageId: 7, scenario: 'flood', plannedOn: '2026-07-14' }, context))).toMatchObject({
      status: 400,
      message: expect.stringContaining('has already passed'),
    })
  })

  it('refuses a planned date outside any season', () => {
    expect(problem(() => newDrillValues({ naturalVillageId: 7, scenario: 'flood', plannedOn: '2026-04-30' }, context))).toMatchObject({
      status: 400,
      message: expect.stringContaining('outside the flood season'),
    })
    expect(problem(() => newDrillValues({ naturalVillageId: 7, scenario: 'flood', plannedOn: '2026-11-01' }, context)).status).toBe(400)
  })

  it('records a drill held without a plan', () => {
    expect(
      newDrillValues({ naturalVillageId: 7, scenario: 'fire', heldOn: '2026-07-15', participants: 120, vulnerableMoved: 3 }, context),
    ).toMatchObject({ status: 'held', held_on: '2026-07-15', participants: 120 })
  })

  it('refuses a held date in the future and participants above the population', () => {
    expect(problem(() => newDrillValues({ naturalVillageId: 7, scenario: 'fire', heldOn: '2026-07-16' }, context)).message).toContain(
      'in the future',
    )
    expect(
      problem(() => newDrillValues({ naturalVillageId: 7, scenario: 'fire', heldOn: '2026-07-01', participants: 121 }, context)).message,
    ).toContain('population of 120')
  })

  it('refuses more vulnerable people moved than participants', () => {
    expect(
      problem(() =>
        newDrillValues({ naturalVillageId: 7, scenario: 'fire', heldOn: '2026-07-01', participants: 10, vulnerableMoved: 11 }, context),
      ).message,
    ).toContain('exceed the 10 participants')
  })
})

describe('updatedDrillValues', () => {
  it('records a planned drill as held when given the held date', () => {
    expect(updatedDrillValues(planned, { heldOn: '2026-07-10', participants: 80, evacuationMinutes: 14 }, context)).toMatchObject({
      status: 'held',
      held_on: '2026-07-10',
      participants: 80,
      evacuation_minutes: 14,
      planned_on: '2026-08-01',
    })
  })

  it('needs the held date to record a drill as held', () => {
    expect(problem(() => updatedDrillValues(planned, { status: 'held' }, context)).message).toContain('heldOn')
  })

  it('cancels a planned drill and re-plans a cancelled one within the season', () => {
    const cancelled = updatedDrillValues(planned, { status: 'cancelled' }, context)
    expect(cancelled.status).toBe('cancelled')
    expect(updatedDrillValues(cancelled, { status: 'planned', plannedOn: '2026-09-01' }, context)).toMatchObject({
      status: 'planned',
      planned_on: '2026-09-01',
    })
    expect(problem(() => updatedDrillValues(cancelled, { status: 'planned', plannedOn: '2026-12-01' }, context)).status).toBe(400)
  })

  it('refuses drill figures on a drill that is not held', () => {
    expect(problem(() => updatedDrillValues(planned, { status: 'cancelled', participants: 3 }, context)).message).toContain('participants')
  })

  it('refuses to cancel or re-plan a drill already held', () => {
    const held = updatedDrillValues(planned, { heldOn: '2026-07-10' }, context)
    expect(problem(() => updatedDrillValues(held, { status: 'cancelled' }, context)).status).toBe(409)
    expect(updatedDrillValues(held, { participants: 90, findings: '老人转移偏慢' }, context)).toMatchObject({
      status: 'held',
      participants: 90,
      findings: '老人转移偏慢',
    })
  })

  it('checks a rescheduled date against the season and the figures against the village', () => {
    expect(problem(() => updatedDrillValues(planned, { plannedOn: '2027-01-10' }, context)).message).toContain('outside the flood season')
    expect(problem(() => updatedDrillValues(planned, { heldOn: '2026-07-10', participants: 500 }, context)).message).toContain('exceed')
  })
})
