import { describe, expect, it } from 'vitest'
import type { Drill } from '@riskatlas/shared'
import { seasonCalendar } from './calendar.ts'

const drill = (overrides: Partial<Drill>): Drill => ({
  id: 1,
  naturalVillageId: 1,
  naturalVillageName: '大寨',
  adminCode: '530000000001',
  adminName: '一村',
  scenario: 'flood',
  status: 'planned',
  plannedOn: null,
  heldOn: null,
  participants: null,
  vulnerableMoved: null,
  evacuationMinutes: null,
  organiser: null,
  findings: null,
  seasonYear: 2026,
  createdAt: '',
  updatedAt: '',
  ...overrides,
})

describe('seasonCalendar', () => {
  const season = { startsOn: '2026-05-01', endsOn: '2026-10-31' }

  it('lays out May to October, Monday first', () => {
    const months = seasonCalendar(season, [], '2026-11-30')
    expect(months.map((month) => month.month)).toEqual(['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'])
    // 1 May 2026 is a Friday: four empty cells before it.
    expect(months[0]!.weeks[0]!.slice(0, 5).map((day) => day?.day ?? null)).toEqual([null, null, null, null, 1])
    expect(months.every((month) => month.weeks.every((week) => week.length === 7))).toBe(true)
  })

  it('counts planned, held and overdue drills per day and leaves cancelled ones out', () => {
    const months = seasonCalendar(
      season,
      [
        drill({ id: 1, plannedOn: '2026-06-10' }),
        drill({ id: 2, plannedOn: '2026-06-10', status: 'held', heldOn: '2026-06-12' }),
        drill({ id: 3, plannedOn: '2026-06-20' }),
        drill({ id: 4, plannedOn: '2026-06-20', status: 'cancelled' }),
      ],
      '2026-06-15',
    )
    const days = months[1]!.weeks.flat().filter((day) => day !== null)
    expect(days.find((day) => day.date === '2026-06-10')).toMatchObject({ planned: 0, overdue: 1, held: 0 })
    expect(days.find((day) => day.date === '2026-06-12')).toMatchObject({ held: 1 })
    expect(days.find((day) => day.date === '2026-06-20')).toMatchObject({ planned: 1, overdue: 0 })
  })
})
