import type { FloodSeason } from '@riskatlas/shared'

/** The drill-coverage rules. Defaults follow the township's flood-season practice; override per deployment. */
export interface CoverageRules {
  /** A village within this many metres (on the ground) of a danger zone requires a drill. */
  zoneDistanceM: number
  /** The flood season when a year has no row in `flood_seasons`: month-day, inclusive. */
  defaultSeason: { starts: string; ends: string }
  /** Hazard points in these statuses threaten nobody (核销: struck off the register). */
  ignoredHazardStatuses: readonly string[]
}

export const defaultCoverageRules: CoverageRules = {
  zoneDistanceM: 300,
  defaultSeason: { starts: '05-01', ends: '10-31' },
  ignoredHazardStatuses: ['closed'],
}

/** A row of `flood_seasons`: a year whose season differs from the default. */
export interface FloodSeasonRow {
  year: number
  startsOn: string
  endsOn: string
}

/** The flood season of a year: its configured row, else the default dates. */
export function floodSeason(year: number, configured: readonly FloodSeasonRow[], rules: CoverageRules = defaultCoverageRules): FloodSeason {
  const row = configured.find((season) => season.year === year)
  if (row) return { year, startsOn: row.startsOn, endsOn: row.endsOn, configured: true }
  const pad = (n: number) => String(n).padStart(4, '0')
  return {
    year,
    startsOn: `${pad(year)}-${rules.defaultSeason.starts}`,
    endsOn: `${pad(year)}-${rules.defaultSeason.ends}`,
    configured: false,
  }
}

/** True when the ISO date lies in the season, first and last day included. */
export function inSeason(date: string, season: FloodSeason): boolean {
  return date >= season.startsOn && date <= season.endsOn
}

/** The season a date falls in (its own year's), or null when it falls between seasons. */
export function seasonOfDate(
  date: string,
  configured: readonly FloodSeasonRow[],
  rules: CoverageRules = defaultCoverageRules,
): FloodSeason | null {
  const season = floodSeason(Number(date.slice(0, 4)), configured, rules)
  return inSeason(date, season) ? season : null
}

/**
 * The season the office looks at by default: the current year's. Before it starts that is the
 * coming season, after it ends the one just finished — both are this year's, since a season
 * never spans a new year.
 */
export function defaultSeasonYear(today: string): number {
  return Number(today.slice(0, 4))
}

/** Today's date in Beijing time (the township's calendar), `YYYY-MM-DD`. */
export function todayInBeijing(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}
