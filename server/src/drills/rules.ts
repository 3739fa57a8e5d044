import type { Columns, DrillCreate, DrillUpdate } from '@riskatlas/shared'
import { Conflict, Invalid } from '../errors.ts'
import { defaultCoverageRules, seasonOfDate, type CoverageRules, type FloodSeasonRow } from '../coverage/season.ts'

/** A drill's stored values, as a write produces them: the table's data columns (snake_case, `shared/src/tables.ts`). */
export type DrillValues = Columns<'drills'>

/** What a drill write is checked against, read in the same transaction as the write. */
export interface DrillContext {
  village: { id: number; population: number; adminCode: string }
  seasons: readonly FloodSeasonRow[]
  today: string
  rules?: CoverageRules
}

interface Problem {
  path: string
  message: string
}

function reject(problems: Problem[]): never {
  throw new Invalid(problems.map((problem) => `${problem.path}: ${problem.message}`).join('; '), { issues: problems })
}

/** The checks that need the database's facts: season, today, the village's population. */
function checkAgainstContext(values: DrillValues, changed: { plannedOn: boolean }, context: DrillContext): Problem[] {
  const problems: Problem[] = []
  const rules = context.rules ?? defaultCoverageRules
  if (
    changed.plannedOn &&
    values.planned_on !== null &&
    values.status !== 'held' &&
    !seasonOfDate(values.planned_on, context.seasons, rules)
  ) {
    problems.push({
      path: 'plannedOn',
      message: `${values.planned_on} is outside the flood season; plan drills within a season (default 1 May – 31 October)`,
    })
  }
  if (values.held_on !== null && values.held_on > context.today) {
    problems.push({
      path: 'heldOn',
      message: `${values.held_on} is in the future (today is ${context.today}); record a drill once it has been held`,
    })
  }
  if (values.participants !== null && values.participants > context.village.population) {
    problems.push({
      path: 'participants',
      message: `${values.participants} participants exceed the village's population of ${context.village.population}`,
    })
  }
  if (values.participants !== null && values.vulnerable_moved !== null && values.vulnerable_moved > values.participants) {
    problems.push({
      path: 'vulnerableMoved',
      message: `${values.vulnerable_moved} vulnerable people moved exceed the ${values.participants} participants`,
    })
  }
  return problems
}

/** A new drill: planned (with `plannedOn`) or, with `heldOn`, recorded as held. Throws `Invalid` on bad input. */
export function newDrillValues(input: DrillCreate, context: DrillContext): DrillValues {
  const values: DrillValues = {
    scenario: input.scenario,
    status: input.heldOn ? 'held' : 'planned',
    planned_on: input.plannedOn ?? null,
    held_on: input.heldOn ?? null,
    participants: input.participants ?? null,
    vulnerable_moved: input.vulnerableMoved ?? null,
    evacuation_minutes: input.evacuationMinutes ?? null,
    organiser: input.organiser ?? null,
    findings: input.findings || null,
  }
  const problems = checkAgainstContext(values, { plannedOn: values.planned_on !== null }, context)
  if (problems.length > 0) reject(problems)
  return values
}

const recordFields = ['heldOn', 'participants', 'vulnerableMoved', 'evacuationMinutes', 'findings'] as const

/**
 * A drill after a PATCH. Giving `heldOn` records it as held; `status: 'cancelled'` cancels it;
 * `status: 'planned'` re-plans a cancelled one. A held drill stays held (correct its figures,
 * or delete it): changing that is a `Conflict`. Other bad input is `Invalid`.
 */
export function updatedDrillValues(existing: DrillValues, patch: DrillUpdate, context: DrillContext): DrillValues {
  const status: DrillValues['status'] = patch.status ?? (patch.heldOn ? 'held' : existing.status)
  if (existing.status === 'held' && status !== 'held') {
    throw new Conflict(`This drill has already been held; it cannot become ${status}. Correct its record or delete it.`, {
      status: existing.status,
    })
  }
  const problems: Problem[] = []
  if (status !== 'held') {
    for (const field of recordFields) {
      if (patch[field] !== undefined && patch[field] !== null)
        problems.push({ path: field, message: `can only be given when recording the drill as held (status "held")` })
    }
  }
  const values: DrillValues = {
    scenario: patch.scenario ?? existing.scenario,
    status,
    planned_on: patch.plannedOn ?? existing.planned_on,
    held_on: patch.heldOn ?? existing.held_on,
    participants: patch.participants === undefined ? existing.participants : patch.participants,
    vulnerable_moved: patch.vulnerableMoved === undefined ? existing.vulnerable_moved : patch.vulnerableMoved,
    evacuation_minutes: patch.evacuationMinutes === undefined ? existing.evacuation_minutes : patch.evacuationMinutes,
    organiser: patch.organiser === undefined ? existing.organiser : patch.organiser,
    findings: patch.findings === undefined ? existing.findings : patch.findings || null,
  }
  if (status === 'held' && values.held_on === null)
    problems.push({ path: 'heldOn', message: 'give the date the drill was held to record it as held' })
  if (status === 'planned' && values.planned_on === null)
    problems.push({ path: 'plannedOn', message: 'give a planned date to plan the drill' })
  const replanned = patch.plannedOn !== undefined || (status === 'planned' && existing.status !== 'planned')
  problems.push(...checkAgainstContext(values, { plannedOn: replanned }, context))
  if (problems.length > 0) reject(problems)
  return values
}
