import { describe, expect, it } from 'vitest'
import { addDays, dayNumber, dayOf, daysBetween, isoDate, weekdayMondayFirst, withinDates, yearOfDay } from './dates.ts'

describe('date-only arithmetic', () => {
  it('counts days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-10-31', 1)).toBe('2026-11-01')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28')
    expect(daysBetween('2026-05-01', '2026-10-31')).toBe(183)
    expect(daysBetween('2026-06-02', '2026-06-01')).toBe(-1)
  })

  it('round-trips day numbers and reads the year and weekday', () => {
    expect(dayNumber('1970-01-02')).toBe(1)
    expect(isoDate(dayOf(2026, 5, 1))).toBe('2026-05-01')
    expect(yearOfDay(dayNumber('2026-12-31'))).toBe(2026)
    expect(weekdayMondayFirst('2026-06-01')).toBe(0) // a Monday
    expect(weekdayMondayFirst('2026-05-31')).toBe(6) // a Sunday
  })

  it('includes both ends of a range', () => {
    const season = { startsOn: '2026-05-01', endsOn: '2026-10-31' }
    expect(withinDates('2026-05-01', season)).toBe(true)
    expect(withinDates('2026-10-31', season)).toBe(true)
    expect(withinDates('2026-11-01', season)).toBe(false)
  })
})
