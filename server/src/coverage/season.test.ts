import { describe, expect, it } from 'vitest'
import { defaultSeasonYear, floodSeason, seasonOfDate, todayInBeijing } from './season.ts'

describe('flood seasons', () => {
  const configured = [{ year: 2025, startsOn: '2025-04-15', endsOn: '2025-10-15' }]

  it('defaults to 1 May – 31 October when a year has no row', () => {
    expect(floodSeason(2026, configured)).toEqual({ year: 2026, startsOn: '2026-05-01', endsOn: '2026-10-31', configured: false })
  })

  it('uses a year’s own row when there is one', () => {
    expect(floodSeason(2025, configured)).toEqual({ year: 2025, startsOn: '2025-04-15', endsOn: '2025-10-15', configured: true })
  })

  it('finds the season of a date, first and last day included, none between seasons', () => {
    expect(seasonOfDate('2026-05-01', [])?.year).toBe(2026)
    expect(seasonOfDate('2026-10-31', [])?.year).toBe(2026)
    expect(seasonOfDate('2026-04-30', [])).toBeNull()
    expect(seasonOfDate('2026-11-01', [])).toBeNull()
    expect(seasonOfDate('2025-04-20', configured)?.year).toBe(2025)
    expect(seasonOfDate('2025-10-20', configured)).toBeNull()
  })

  it('defaults to the current year: the coming season before it starts, the one just finished after it ends', () => {
    expect(defaultSeasonYear('2026-02-10')).toBe(2026)
    expect(defaultSeasonYear('2026-07-01')).toBe(2026)
    expect(defaultSeasonYear('2026-11-30')).toBe(2026)
  })

  it('tells today by Beijing time', () => {
    expect(todayInBeijing(new Date('2026-11-29T16:30:00Z'))).toBe('2026-11-30')
    expect(todayInBeijing(new Date('2026-11-29T15:30:00Z'))).toBe('2026-11-29')
  })
})
