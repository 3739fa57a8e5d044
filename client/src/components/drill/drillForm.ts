import {
  drillCreateSchema,
  drillProblems,
  drillUpdateSchema,
  withinDates,
  type Drill,
  type DrillCreate,
  type DrillProblem,
  type DrillUpdate,
  type FloodSeason,
} from '@riskatlas/shared'
import type { DrillMessageKey } from '../../i18n/drills.ts'

/**
 * The planner's drill forms without their markup: what a form starts with, what it sends, and
 * every problem with a field before anything is sent — the shared zod schemas for the shapes,
 * the shared drill rules for dates and figures — as message keys the form phrases in zh or en.
 */

/** The fields a form marks. */
export type DrillField =
  'plannedOn' | 'heldOn' | 'participants' | 'vulnerableMoved' | 'evacuationMinutes' | 'organiser' | 'findings' | 'scenario'

export interface FieldProblem {
  key: DrillMessageKey
  params: Record<string, string | number>
}
export type FieldProblems = Partial<Record<DrillField, FieldProblem>>

/** What the planner knows when a form is filled in. */
export interface FormContext {
  villageId: number
  population: number
  today: string
  /** The season the planner shows: the one a plan is made for, and the one a held date is expected in. */
  season: FloodSeason
}

/** The record form's fields as typed (numbers stay '' until given). */
export interface RecordFields {
  scenario: DrillCreate['scenario']
  heldOn: string
  participants: number | ''
  vulnerableMoved: number | ''
  evacuationMinutes: number | ''
  organiser: string
  findings: string
  /** The user confirmed a held date outside the season shown. */
  confirmOutsideSeason: boolean
}

export interface PlanFields {
  scenario: DrillCreate['scenario']
  plannedOn: string
  organiser: string
}

const fieldLabels: Record<DrillField, DrillMessageKey> = {
  plannedOn: 'plannedOn',
  heldOn: 'heldOn',
  participants: 'participants',
  vulnerableMoved: 'vulnerableMoved',
  evacuationMinutes: 'evacuationMinutes',
  organiser: 'organiser',
  findings: 'findings',
  scenario: 'scenario',
}

/** The earliest date a plan may take: today within the season (a drill today is still ahead), else its first day. */
export function earliestPlanDate({ today, season }: Pick<FormContext, 'today' | 'season'>): string | null {
  if (today > season.endsOn) return null
  return today >= season.startsOn ? today : season.startsOn
}

/** The latest date a drill can have been held on and still count for the season: its last day, or today. */
export function latestHeldDate({ today, season }: Pick<FormContext, 'today' | 'season'>): string | null {
  if (today < season.startsOn) return null
  return today < season.endsOn ? today : season.endsOn
}

/**
 * The held date a record form starts with: the planned date when it has passed inside the season
 * shown, else today when today is in that season — never a date that would count for no season.
 */
export function initialHeldDate(drill: Pick<Drill, 'plannedOn'> | null, context: Pick<FormContext, 'today' | 'season'>): string {
  const { today, season } = context
  if (drill?.plannedOn && drill.plannedOn <= today && withinDates(drill.plannedOn, season)) return drill.plannedOn
  return withinDates(today, season) ? today : ''
}

/** Where a held date counts: the season shown, or not (then the form asks for confirmation). */
export function heldDateSeason(heldOn: string, season: FloodSeason): 'in-season' | 'outside' | 'none' {
  if (!heldOn) return 'none'
  return withinDates(heldOn, season) ? 'in-season' : 'outside'
}

const number = (value: number | '') => (value === '' ? undefined : value)

/** The parts of a zod error the form reads (the client does not depend on zod itself). */
interface SchemaError {
  issues: readonly { path: readonly PropertyKey[]; code: string }[]
}

function fromZod(error: SchemaError): FieldProblems {
  const problems: FieldProblems = {}
  for (const issue of error.issues) {
    const field = issue.path[0] as DrillField
    if (!(field in fieldLabels) || problems[field]) continue
    const key: DrillMessageKey =
      issue.code === 'too_small' && field !== 'organiser'
        ? 'problemNegative'
        : issue.code === 'too_small'
          ? 'problemRequired'
          : issue.code === 'too_big'
            ? 'problemTooLarge'
            : issue.code === 'invalid_type'
              ? 'problemNotNumber'
              : issue.code === 'invalid_format'
                ? 'problemDate'
                : 'problemInvalid'
    problems[field] = { key, params: {} }
  }
  return problems
}

function fromRules(problems: readonly DrillProblem[]): FieldProblems {
  const marked: FieldProblems = {}
  for (const problem of problems) {
    if (marked[problem.path]) continue
    const key: Record<DrillProblem['code'], DrillMessageKey> = {
      planned_outside_season: 'problemPlannedOutsideSeason',
      planned_in_past: 'problemPlannedInPast',
      held_in_future: 'problemHeldInFuture',
      held_outside_season: 'problemHeldOutsideSeason',
      participants_exceed_population: 'problemParticipantsExceedPopulation',
      vulnerable_exceed_participants: 'problemVulnerableExceedParticipants',
    }
    marked[problem.path] = { key: key[problem.code], params: problem.params }
  }
  return marked
}

/** The server's 400 `details.issues` (each with a path, and for the drill rules a code) as marked fields. */
export function serverProblems(details: unknown): FieldProblems {
  const issues = (details as { issues?: { path?: unknown; code?: unknown; params?: unknown }[] } | undefined)?.issues
  if (!Array.isArray(issues)) return {}
  const rules = issues.filter((issue): issue is DrillProblem => typeof issue.code === 'string' && typeof issue.path === 'string')
  const marked = fromRules(rules)
  for (const issue of issues) {
    const field = (Array.isArray(issue.path) ? issue.path[0] : issue.path) as DrillField
    if (typeof field === 'string' && field in fieldLabels && !marked[field]) marked[field] = { key: 'problemInvalid', params: {} }
  }
  return marked
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: FieldProblems }

/** A plan as POST /api/drills takes it, or the problems to mark. */
export function checkPlan(fields: PlanFields, context: FormContext): Checked<DrillCreate> {
  const input = {
    naturalVillageId: context.villageId,
    scenario: fields.scenario,
    plannedOn: fields.plannedOn || undefined,
    ...(fields.organiser.trim() ? { organiser: fields.organiser.trim() } : {}),
  }
  if (!input.plannedOn) return { ok: false, problems: { plannedOn: { key: 'problemRequired', params: {} } } }
  const parsed = drillCreateSchema.safeParse(input)
  if (!parsed.success) return { ok: false, problems: fromZod(parsed.error) }
  const problems = drillProblems(
    { status: 'planned', plannedOn: input.plannedOn, heldOn: null, participants: null, vulnerableMoved: null },
    { ...ruleContext(context), plannedChanged: true, heldChanged: false },
  )
  return problems.length > 0 ? { ok: false, problems: fromRules(problems) } : { ok: true, value: parsed.data }
}

function ruleContext(context: FormContext) {
  return {
    today: context.today,
    population: context.population,
    // The form knows one season; a date outside it is confirmed by the user (and checked again by the server).
    seasonOf: (date: string) => (withinDates(date, context.season) ? context.season : null),
  }
}

function recordValues(fields: RecordFields, season: FloodSeason) {
  return {
    heldOn: fields.heldOn || undefined,
    participants: number(fields.participants),
    vulnerableMoved: number(fields.vulnerableMoved),
    evacuationMinutes: number(fields.evacuationMinutes),
    ...(fields.organiser.trim() ? { organiser: fields.organiser.trim() } : {}),
    ...(fields.findings.trim() ? { findings: fields.findings.trim() } : {}),
    ...(fields.confirmOutsideSeason && heldDateSeason(fields.heldOn, season) === 'outside' ? { confirmOutsideSeason: true as const } : {}),
  }
}

function recordProblems(fields: RecordFields, context: FormContext): FieldProblems {
  const problems = drillProblems(
    {
      status: 'held',
      plannedOn: null,
      heldOn: fields.heldOn,
      participants: number(fields.participants) ?? null,
      vulnerableMoved: number(fields.vulnerableMoved) ?? null,
    },
    { ...ruleContext(context), plannedChanged: false, heldChanged: true, confirmOutsideSeason: fields.confirmOutsideSeason },
  )
  return fromRules(problems)
}

/** A planned drill recorded as held, as PATCH /api/drills/:id takes it, or the problems to mark. */
export function checkRecord(fields: RecordFields, context: FormContext): Checked<DrillUpdate> {
  if (!fields.heldOn) return { ok: false, problems: { heldOn: { key: 'problemRequired', params: {} } } }
  const parsed = drillUpdateSchema.safeParse({ status: 'held', ...recordValues(fields, context.season) })
  if (!parsed.success) return { ok: false, problems: fromZod(parsed.error) }
  const problems = recordProblems(fields, context)
  return Object.keys(problems).length > 0 ? { ok: false, problems } : { ok: true, value: parsed.data }
}

/** A drill held without a plan, as POST /api/drills takes it (with `heldOn`), or the problems to mark. */
export function checkHeldDrill(fields: RecordFields, context: FormContext): Checked<DrillCreate> {
  if (!fields.heldOn) return { ok: false, problems: { heldOn: { key: 'problemRequired', params: {} } } }
  const parsed = drillCreateSchema.safeParse({
    naturalVillageId: context.villageId,
    scenario: fields.scenario,
    ...recordValues(fields, context.season),
  })
  if (!parsed.success) return { ok: false, problems: fromZod(parsed.error) }
  const problems = recordProblems(fields, context)
  return Object.keys(problems).length > 0 ? { ok: false, problems } : { ok: true, value: parsed.data }
}

/** A field's label key, for messages that name it. */
export const fieldLabel = (field: DrillField): DrillMessageKey => fieldLabels[field]
