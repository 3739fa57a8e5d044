import { dayOf, isoDate } from '@riskatlas/shared'

/** Calendar dates as day numbers (days since 1970-01-01), formatted `YYYY-MM-DD`: shared's date module. Pure: no clock. */
export { isoDate }

export const day = dayOf

/** The default flood season (汛期) of a year: 1 May – 31 October. */
export function floodSeason(year: number): { start: number; end: number } {
  return { start: day(year, 5, 1), end: day(year, 10, 31) }
}

/** The day the demo dataset describes ("today" for its records): after the 2026 flood season. */
export const datasetAsOf = day(2026, 11, 28)

/** {@link datasetAsOf} as `YYYY-MM-DD`: the date at which the demo town's records stand. */
export const townAsOf = isoDate(datasetAsOf)
