import type { DrillStatus } from './enums.ts'

/**
 * The rules a drill's dates and figures must keep, beyond their shapes (the zod schemas check
 * those): one set for the server (which refuses) and the planner's form (which marks the field
 * and says why in the reader's language). Problems are codes with parameters, not sentences.
 */
export type DrillProblemCode =
  | 'planned_outside_season'
  | 'planned_in_past'
  | 'held_in_future'
  | 'held_outside_season'
  | 'participants_exceed_population'
  | 'vulnerable_exceed_participants'

export interface DrillProblem {
  path: 'plannedOn' | 'heldOn' | 'participants' | 'vulnerableMoved'
  code: DrillProblemCode
  params: Record<string, string | number>
}

/** The values of a drill the rules look at. */
export interface DrillFacts {
  status: DrillStatus
  plannedOn: string | null
  heldOn: string | null
  participants: number | null
  vulnerableMoved: number | null
}

export interface DrillRuleContext {
  today: string
  /** The natural village's population. */
  population: number
  /** The flood season a date falls in, or null between seasons. */
  seasonOf: (date: string) => { year: number; startsOn: string; endsOn: string } | null
  /** The planned date is being set (a new plan, a reschedule, a re-plan): only then is it checked. */
  plannedChanged: boolean
  /** The held date is being set (recording the drill as held): only then is its season checked. */
  heldChanged: boolean
  /** The user confirmed a held date that falls in no flood season (the drill then counts for none). */
  confirmOutsideSeason?: boolean | undefined
}

export function drillProblems(drill: DrillFacts, context: DrillRuleContext): DrillProblem[] {
  const problems: DrillProblem[] = []
  const { plannedOn, heldOn, participants, vulnerableMoved } = drill
  if (context.plannedChanged && plannedOn !== null && drill.status !== 'held') {
    if (!context.seasonOf(plannedOn)) problems.push({ path: 'plannedOn', code: 'planned_outside_season', params: { date: plannedOn } })
    else if (plannedOn < context.today)
      problems.push({ path: 'plannedOn', code: 'planned_in_past', params: { date: plannedOn, today: context.today } })
  }
  if (heldOn !== null && heldOn > context.today) {
    problems.push({ path: 'heldOn', code: 'held_in_future', params: { date: heldOn, today: context.today } })
  } else if (context.heldChanged && heldOn !== null && !context.seasonOf(heldOn) && !context.confirmOutsideSeason) {
    problems.push({ path: 'heldOn', code: 'held_outside_season', params: { date: heldOn } })
  }
  if (participants !== null && participants > context.population) {
    problems.push({
      path: 'participants',
      code: 'participants_exceed_population',
      params: { participants, population: context.population },
    })
  }
  if (participants !== null && vulnerableMoved !== null && vulnerableMoved > participants) {
    problems.push({ path: 'vulnerableMoved', code: 'vulnerable_exceed_participants', params: { vulnerableMoved, participants } })
  }
  return problems
}

/** A problem in English, for the API's error message (clients phrase the code themselves). */
export function drillProblemMessage({ code, params }: DrillProblem): string {
  switch (code) {
    case 'planned_outside_season':
      return `${params.date} is outside the flood season; plan drills within a season (default 1 May – 31 October)`
    case 'planned_in_past':
      return `${params.date} has already passed (today is ${params.today}); record a drill that was held instead of planning it`
    case 'held_in_future':
      return `${params.date} is in the future (today is ${params.today}); record a drill once it has been held`
    case 'held_outside_season':
      return `${params.date} is outside every flood season, so the drill would count for none; send confirmOutsideSeason: true to record it anyway`
    case 'participants_exceed_population':
      return `${params.participants} participants exceed the village's population of ${params.population}`
    case 'vulnerable_exceed_participants':
      return `${params.vulnerableMoved} vulnerable people moved exceed the ${params.participants} participants`
  }
}
