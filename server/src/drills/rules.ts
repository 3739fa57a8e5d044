import { drillProblemMessage, drillProblems, type Columns, type DrillCreate, type DrillUpdate } from '@riskatlas/shared'
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
  /** For the shared rules' problems: what a client phrases in its own language. */
  code?: string
  params?: Record<string, string | number>
}

function reject(problems: Problem[]): never {
  throw new Invalid(problems.map((problem) => `${problem.path}: ${problem.message}`).join('; '), { issues: problems })
}

/** The checks that need the database's facts (season, today, the village's population): the shared drill rules. */
function checkAgainstContext(
  values: DrillValues,
  changed: { plannedOn: boolean; heldOn: boolean; confirmOutsideSeason?: boolean | undefined },
  context: DrillContext,
): Problem[] {
  const rules = context.rules ?? defaultCoverageRules
  const problems = drillProblems(
    {
      status: values.status,
      plannedOn: values.planned_on,
      heldOn: values.held_on,
      participants: values.participants,
      vulnerableMoved: values.vulnerable_moved,
    },
    {
      today: context.today,
      population: context.village.population,
      seasonOf: (date) => seasonOfDate(date, context.seasons, rules),
      plannedChanged: changed.plannedOn,
      heldChanged: changed.heldOn,
      confirmOutsideSeason: changed.confirmOutsideSeason,
    },
  )
  return problems.map((problem) => ({
    path: problem.path,
    code: problem.code,
    params: problem.params,
    message: drillProblemMessage(problem),
  }))
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
  const problems = checkAgainstContext(
    values,
    { plannedOn: values.planned_on !== null, heldOn: values.held_on !== null, confirmOutsideSeason: input.confirmOutsideSeason },
    context,
  )
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
  const heldChanged = patch.heldOn !== undefined || (status === 'held' && existing.status !== 'held')
  problems.push(
    ...checkAgainstContext(
      values,
      { plannedOn: replanned, heldOn: heldChanged, confirmOutsideSeason: patch.confirmOutsideSeason },
      context,
    ),
  )
  if (problems.length > 0) reject(problems)
  return values
}
