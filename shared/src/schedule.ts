import type { DrillScenario, HazardKind } from './enums.ts'
import { dayNumber as toDay, isoDate as fromDay } from './dates.ts'

/** A village waiting for a drill, as "schedule all missing" ranks it. */
export interface SchedulableVillage {
  id: number
  code: string
  adminCode: string
  peopleAtRisk: number
  vulnerableCount: number
  /** The kinds of the hazards that make the drill necessary, most dangerous first. */
  hazardKinds: readonly HazardKind[]
}

export interface ScheduleOptions {
  season: { startsOn: string; endsOn: string }
  today: string
  /** The rainy peak begins here (default 1 June of the season's year): drills should be done before. */
  peakStartsOn?: string
  /** At most this many drills on one day (default 3): one team of town staff attends each. */
  perDay?: number
}

export interface ProposedDrill {
  naturalVillageId: number
  plannedOn: string
  scenario: DrillScenario
}

export interface Schedule {
  proposals: ProposedDrill[]
  /** Villages for which no day is left in the season. */
  unscheduled: number[]
  /** The window the proposals were spread over. */
  window: { from: string; to: string } | null
}

/** The drill scenario that rehearses the main threat of a village. */
export function scenarioForHazard(kind: HazardKind | undefined): DrillScenario {
  switch (kind) {
    case 'landslide':
    case 'collapse':
      return 'landslide'
    case 'debris_flow':
      return 'debris_flow'
    case 'flash_flood':
      return 'flash_flood'
    default:
      return 'flood'
  }
}

/**
 * Proposes a date for every village: from tomorrow (or the season's start) up to the day before
 * the rainy peak, villages ranked by people at risk then vulnerable people get the earliest days,
 * spread evenly so no day takes more than `perDay`. When the weeks before the peak cannot hold
 * them all — or the peak has passed — the window stretches to the season's end. Villages of one
 * administrative village that fall on the same day stay together.
 */
export function proposeDrillSchedule(villages: readonly SchedulableVillage[], options: ScheduleOptions): Schedule {
  const perDay = Math.max(1, Math.floor(options.perDay ?? 3))
  const first = Math.max(toDay(options.season.startsOn), toDay(options.today) + 1)
  const seasonEnd = toDay(options.season.endsOn)
  const peak = toDay(options.peakStartsOn ?? `${options.season.startsOn.slice(0, 4)}-06-01`)
  const ranked = [...villages].sort(
    (a, b) => b.peopleAtRisk - a.peopleAtRisk || b.vulnerableCount - a.vulnerableCount || a.code.localeCompare(b.code),
  )
  if (ranked.length === 0 || first > seasonEnd) return { proposals: [], unscheduled: ranked.map((village) => village.id), window: null }

  const beforePeak = peak - first
  const last = beforePeak > 0 && beforePeak * perDay >= ranked.length ? peak - 1 : seasonEnd
  const days = last - first + 1
  const scheduled = ranked.slice(0, days * perDay)

  // Even spacing: the i-th village goes to day ⌊i·days/n⌋, which never puts more than ⌈n/days⌉ ≤ perDay on a day.
  const dayOf = scheduled.map((_, index) => first + Math.floor((index * days) / scheduled.length))
  const proposals = scheduled.map((village, index) => ({ village, day: dayOf[index]! }))
  // Within a day keep administrative villages together (one trip), highest priority first.
  proposals.sort((a, b) => a.day - b.day || a.village.adminCode.localeCompare(b.village.adminCode))
  return {
    proposals: proposals.map(({ village, day }) => ({
      naturalVillageId: village.id,
      plannedOn: fromDay(day),
      scenario: scenarioForHazard(village.hazardKinds[0]),
    })),
    unscheduled: ranked.slice(scheduled.length).map((village) => village.id),
    window: { from: fromDay(first), to: fromDay(last) },
  }
}
