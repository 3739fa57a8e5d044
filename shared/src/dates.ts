/**
 * Calendar dates without a time of day: `YYYY-MM-DD` strings (Beijing calendar dates, never
 * timestamps, so no time zone can shift one) and day numbers (days since 1970-01-01) for
 * arithmetic. The one place date-only arithmetic lives: season calendars, schedules, deadlines.
 */

const msPerDay = 86_400_000

/** The day number of a year, month (1–12) and day of the month. */
export function dayOf(year: number, month: number, date: number): number {
  return Date.UTC(year, month - 1, date) / msPerDay
}

/** The day number of `YYYY-MM-DD`. */
export function dayNumber(date: string): number {
  return dayOf(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)))
}

/** `YYYY-MM-DD` of a day number. */
export function isoDate(day: number): string {
  return new Date(day * msPerDay).toISOString().slice(0, 10)
}

/** The date `days` after (or, negative, before) a date. */
export function addDays(date: string, days: number): string {
  return isoDate(dayNumber(date) + days)
}

/** Whole days from `from` to `to` (negative when `to` comes first). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from)
}

/** The year of a day number. */
export function yearOfDay(day: number): number {
  return new Date(day * msPerDay).getUTCFullYear()
}

/** 0 for Monday … 6 for Sunday (calendars in China start the week on Monday). */
export function weekdayMondayFirst(date: string): number {
  return (new Date(dayNumber(date) * msPerDay).getUTCDay() + 6) % 7
}

/** True when a date lies in a range, both ends included. */
export function withinDates(date: string, range: { startsOn: string; endsOn: string }): boolean {
  return date >= range.startsOn && date <= range.endsOn
}
