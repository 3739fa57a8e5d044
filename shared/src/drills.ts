import { z } from 'zod'
import { drillScenarios, drillStatuses } from './enums.ts'
import { idTextSchema, recordIdSchema } from './ids.ts'

/** A calendar date `YYYY-MM-DD` (Beijing time); never a timestamp, so no time zone shifts a drill. */
export const isoDateSchema = z.iso.date({ error: 'must be a date written YYYY-MM-DD' })

const headcount = (what: string) =>
  z
    .number({ error: `${what} must be a whole number` })
    .int(`${what} must be a whole number`)
    .min(0, `${what} cannot be negative`)
    .max(100_000, `${what} is implausibly large`)

/** Fields that describe a drill once it has been held (演练实施情况). */
const heldFields = {
  heldOn: isoDateSchema.optional(),
  participants: headcount('participants').optional(),
  vulnerableMoved: headcount('vulnerableMoved').optional(),
  evacuationMinutes: z
    .number({ error: 'evacuationMinutes must be a number' })
    .min(0, 'evacuationMinutes cannot be negative')
    .max(24 * 60, 'evacuationMinutes must be at most one day')
    .optional(),
  findings: z.string().trim().max(4000, 'findings must be at most 4000 characters').optional(),
}

const organiserSchema = z.string().trim().min(1, 'organiser cannot be empty').max(100, 'organiser must be at most 100 characters')

const recordOnlyKeys = ['participants', 'vulnerableMoved', 'evacuationMinutes', 'findings'] as const

/**
 * `POST /api/drills`: plan a drill (village, date, scenario) or, with `heldOn`, record one that
 * was held without a plan. Unknown fields are rejected.
 */
export const drillCreateSchema = z
  .strictObject({
    naturalVillageId: recordIdSchema('naturalVillageId'),
    scenario: z.enum(drillScenarios, { error: `scenario must be one of: ${drillScenarios.join(', ')}` }),
    plannedOn: isoDateSchema.optional(),
    organiser: organiserSchema.optional(),
    ...heldFields,
    /** A held date in no flood season is refused unless confirmed: such a drill counts for no season's coverage. */
    confirmOutsideSeason: z.literal(true, { error: 'confirmOutsideSeason can only be true' }).optional(),
  })
  .superRefine((drill, ctx) => {
    if (!drill.plannedOn && !drill.heldOn)
      ctx.addIssue({ code: 'custom', path: ['plannedOn'], message: 'give plannedOn (to plan a drill) or heldOn (to record one held)' })
    if (drill.heldOn) return
    if (drill.confirmOutsideSeason !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['confirmOutsideSeason'],
        message: 'confirmOutsideSeason only applies to a drill that was held (with heldOn)',
      })
    for (const key of recordOnlyKeys) {
      if (drill[key] !== undefined)
        ctx.addIssue({ code: 'custom', path: [key], message: `${key} can only be given for a drill that was held (with heldOn)` })
    }
  })
export type DrillCreate = z.infer<typeof drillCreateSchema>

/**
 * The most drills one batch may plan. A batch is one transaction, and on the embedded home
 * it holds the only database session while it runs: 1 000 at once stalled every other request
 * for about 3 s. A town has about a hundred natural villages; a bigger "schedule all missing"
 * is sent in chunks of this size (`client/src/api/drills.ts`).
 */
export const maxDrillBatch = 200

/** `POST /api/drills/batch`: several plans at once ("schedule all missing"), all or nothing. */
export const drillBatchCreateSchema = z.strictObject({
  drills: z.array(drillCreateSchema).min(1, 'drills cannot be empty').max(maxDrillBatch, `at most ${maxDrillBatch} drills at once`),
})
export type DrillBatchCreate = z.infer<typeof drillBatchCreateSchema>

/**
 * `PATCH /api/drills/:id`: reschedule, record as held (`status: 'held'` with `heldOn` and the
 * figures), cancel (`status: 'cancelled'`) or re-plan a cancelled drill. `null` clears a field.
 */
export const drillUpdateSchema = z
  .strictObject({
    status: z.enum(drillStatuses, { error: `status must be one of: ${drillStatuses.join(', ')}` }).optional(),
    scenario: z.enum(drillScenarios, { error: `scenario must be one of: ${drillScenarios.join(', ')}` }).optional(),
    plannedOn: isoDateSchema.optional(),
    organiser: organiserSchema.nullable().optional(),
    heldOn: heldFields.heldOn,
    participants: headcount('participants').nullable().optional(),
    vulnerableMoved: headcount('vulnerableMoved').nullable().optional(),
    evacuationMinutes: heldFields.evacuationMinutes.unwrap().nullable().optional(),
    findings: heldFields.findings.unwrap().nullable().optional(),
    /** See `drillCreateSchema`: confirms a held date that falls in no flood season. */
    confirmOutsideSeason: z.literal(true, { error: 'confirmOutsideSeason can only be true' }).optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'give at least one field to change' })
export type DrillUpdate = z.infer<typeof drillUpdateSchema>

export const drillSchema = z.object({
  id: z.number().int(),
  naturalVillageId: z.number().int(),
  naturalVillageName: z.string(),
  adminCode: z.string(),
  adminName: z.string(),
  scenario: z.enum(drillScenarios),
  status: z.enum(drillStatuses),
  plannedOn: z.string().nullable(),
  heldOn: z.string().nullable(),
  participants: z.number().int().nullable(),
  vulnerableMoved: z.number().int().nullable(),
  evacuationMinutes: z.number().nullable(),
  organiser: z.string().nullable(),
  findings: z.string().nullable(),
  /** The flood season (year) the drill's date falls in, or null when it falls in none. */
  seasonYear: z.number().int().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type Drill = z.infer<typeof drillSchema>

const yearSchema = z.coerce
  .number({ error: 'year must be a whole number' })
  .int('year must be a whole number')
  .min(2000, 'year must be 2000 or later')
  .max(2100, 'year must be 2100 or earlier')

export const drillListQuerySchema = z.strictObject({
  /** Drills whose date (held, else planned) falls in this year's flood season. */
  year: yearSchema.optional(),
  naturalVillageId: idTextSchema.optional(),
  adminCode: z
    .string()
    .regex(/^[0-9]{12}$/, 'adminCode must be 12 digits')
    .optional(),
  status: z.enum(drillStatuses).optional(),
})
export type DrillListQuery = z.infer<typeof drillListQuerySchema>

export const drillListSchema = z.object({ drills: z.array(drillSchema) })
export const drillBatchResultSchema = z.object({ drills: z.array(drillSchema) })

export const seasonQuerySchema = z.strictObject({ year: yearSchema.optional() })
export type SeasonQuery = z.infer<typeof seasonQuerySchema>
export { yearSchema }
