/** Calendar dates as day numbers (days since 1970-01-01), formatted `YYYY-MM-DD`. Pure: no clock. */

const msPerDay = 86_400_000

export function day(year: number, month: number, date: number): number {
  return Date.UTC(year, month - 1, date) / msPerDay
}

export function isoDate(dayNumber: number): string {
  return new Date(dayNumber * msPerDay).toISOString().slice(0, 10)
}

export function yearOf(dayNumber: number): number {
  return new Date(dayNumber * msPerDay).getUTCFullYear()
}

/** The default flood season (汛期) of a year: 1 May – 31 October. */
export function floodSeason(year: number): { start: number; end: number } {
  return { start: day(year, 5, 1), end: day(year, 10, 31) }
}

/** The day the demo dataset describes ("today" for its records): after the 2026 flood season. */
export const datasetAsOf = day(2026, 11, 28)

/** {@link datasetAsOf} as `YYYY-MM-DD`: the date at which the demo town's records stand. */
export const townAsOf = isoDate(datasetAsOf)
