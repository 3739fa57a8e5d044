import { z } from 'zod'
import { changeActions } from './events.ts'
import { hazardKinds, warningKinds, warningLevels, warningStages } from './enums.ts'

/**
 * The flood-season command (防汛指挥部): the live event stream, evacuation progress reported
 * from the phone, shelter check-ins, command instructions and their acknowledgements, the
 * big screen's setup (a one-time code exchanged for a cookie session) and its overview.
 * Everything here that a display token can read is counts and ids only — never a name, a
 * phone or an address.
 */

const count = z.number().int().nonnegative()
const adminCodeSchema = z.string().regex(/^[0-9]{12}$/, 'an administrative village code has 12 digits')
const countInput = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(0, `${what} cannot be negative`)
    .max(100_000, `${what} must be at most 100000`)

// ---------------------------------------------------------------------------------------------
// §4 The event stream: GET /api/events (text/event-stream)
// ---------------------------------------------------------------------------------------------

/** SSE `event:` names the stream sends. Each frame's `data:` is one JSON object. */
export const streamEventTypes = ['ready', 'data.changed', 'reload'] as const
export type StreamEventType = (typeof streamEventTypes)[number]

/**
 * `event: data.changed`, `id: <n>`: one committed write. `id` is the event history's id —
 * monotonically increasing and shared by every server instance on the database. `entity` is
 * the table written (`warnings`, `evacuation_progress`, `shelter_checkins`, `instructions`,
 * `instruction_acks`, `drills`, `hazard_points`, `facilities`, `imports`, …); `ids` the rows
 * (null when too many, or for tables of personal data, which never name a row on the stream).
 */
export const streamChangeSchema = z.object({
  id: z.number().int().positive(),
  type: z.literal('data.changed'),
  version: z.number().int().nonnegative(),
  entity: z.string(),
  action: z.enum(changeActions),
  ids: z.array(z.number().int()).nullable(),
  at: z.string(),
})
export type StreamChange = z.infer<typeof streamChangeSchema>

/** `event: ready`, `id: <latest>` — first frame of every connection, after any replay. */
export const streamReadySchema = z.object({
  type: z.literal('ready'),
  /** The newest event id at this moment (0 when the history is empty). */
  latestId: z.number().int().nonnegative(),
  /** How many missed events were replayed because of `Last-Event-ID`. */
  replayed: count,
  /** The data version now. */
  version: z.number().int().nonnegative(),
  /** How often a heartbeat comment (`: ping`) is sent, in milliseconds. */
  heartbeatMs: z.number().int().positive(),
})
export type StreamReady = z.infer<typeof streamReadySchema>

/**
 * `event: reload`, `id: <latest>`: the client's `Last-Event-ID` is older than the bounded
 * history (or unknown to this database): refetch everything, then carry on listening.
 */
export const streamReloadSchema = z.object({
  type: z.literal('reload'),
  reason: z.enum(['gap_too_old', 'unknown_id']),
  latestId: z.number().int().nonnegative(),
  oldestId: z.number().int().nonnegative().nullable(),
})
export type StreamReload = z.infer<typeof streamReloadSchema>

/** `GET /api/events?lastEventId=` — the query alternative to the `Last-Event-ID` header (first connect). */
export const eventStreamQuerySchema = z.strictObject({
  lastEventId: z.coerce.number().int().nonnegative().optional(),
})

// ---------------------------------------------------------------------------------------------
// §2 Evacuation progress (转移进度)
// ---------------------------------------------------------------------------------------------

/** Why people stay: refused (拒绝转移), unreachable (联系不上), already safe (已在安全地点). */
export const stayingReasons = ['refused', 'unreachable', 'alreadySafe'] as const
export type StayingReason = (typeof stayingReasons)[number]

export const stayingSchema = z.object({ refused: count, unreachable: count, alreadySafe: count })
export type Staying = z.infer<typeof stayingSchema>

/** One natural village's record for one warning. `toMove` comes from the data (population). */
export const villageProgressSchema = z.object({
  naturalVillageId: z.number().int(),
  code: z.string(),
  name: z.string(),
  adminCode: z.string(),
  adminName: z.string(),
  toMove: count,
  moved: count,
  /** Where they went; null until reported. */
  shelterId: z.number().int().nullable(),
  shelterName: z.string().nullable(),
  staying: stayingSchema,
  /** toMove − moved − staying (never below 0). */
  remaining: count,
  vulnerableToMove: count,
  vulnerableMoved: count,
  /** null: nothing reported yet. */
  updatedAt: z.string().nullable(),
  reports: count,
})
export type VillageProgress = z.infer<typeof villageProgressSchema>

export const progressTotalsSchema = z.object({
  villages: count,
  villagesReported: count,
  toMove: count,
  moved: count,
  staying: stayingSchema,
  remaining: count,
  vulnerableToMove: count,
  vulnerableMoved: count,
})
export type ProgressTotals = z.infer<typeof progressTotalsSchema>

export const adminVillageProgressSchema = progressTotalsSchema.extend({ adminCode: z.string(), adminName: z.string() })
export type AdminVillageProgress = z.infer<typeof adminVillageProgressSchema>

export const shelterProgressSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  /** The administrative village it lies in: its cadres report its check-ins. */
  adminCode: z.string().nullable(),
  capacity: count.nullable(),
  /** People the stored routes of the warned villages send there (planned). */
  assigned: count,
  /** People the villages reported as moved there. */
  reportedMoved: count,
  /** People the shelter reported as checked in. */
  checkedIn: count,
  updatedAt: z.string().nullable(),
})
export type ShelterProgress = z.infer<typeof shelterProgressSchema>

/** `GET /api/evacuation/progress?warningId=` (default: the newest active warning at 立即转移). */
export const progressQuerySchema = z.strictObject({ warningId: z.coerce.number().int().positive().optional() })

export const evacuationProgressSchema = z.object({
  warning: z.object({
    id: z.number().int(),
    title: z.string(),
    level: z.enum(warningLevels),
    stage: z.enum(warningStages),
    status: z.enum(['scheduled', 'active', 'expired', 'lifted']),
  }),
  /** Reports are accepted only while the warning is active at 立即转移 (move now). */
  reportingOpen: z.boolean(),
  villages: z.array(villageProgressSchema),
  adminVillages: z.array(adminVillageProgressSchema),
  town: progressTotalsSchema,
  shelters: z.array(shelterProgressSchema),
})
export type EvacuationProgress = z.infer<typeof evacuationProgressSchema>

/** `PUT /api/evacuation/progress/:warningId/villages/:villageId` — the cadre's report (whole record). */
export const villageProgressReportSchema = z
  .strictObject({
    moved: countInput('moved'),
    shelterId: z.number().int().positive().nullable(),
    staying: z.strictObject({
      refused: countInput('staying.refused'),
      unreachable: countInput('staying.unreachable'),
      alreadySafe: countInput('staying.alreadySafe'),
    }),
    vulnerableMoved: countInput('vulnerableMoved'),
  })
  .refine((r) => r.vulnerableMoved <= r.moved, { path: ['vulnerableMoved'], message: 'vulnerableMoved cannot exceed moved' })
export type VillageProgressReport = z.infer<typeof villageProgressReportSchema>

/** `PUT /api/evacuation/progress/:warningId/shelters/:shelterId` — people checked in at a shelter. */
export const shelterCheckInSchema = z.strictObject({ checkedIn: countInput('checkedIn') })
export type ShelterCheckIn = z.infer<typeof shelterCheckInSchema>

export const progressParamsSchema = z.object({
  warningId: z.coerce.number().int().positive(),
  villageId: z.coerce.number().int().positive(),
})
export const shelterCheckInParamsSchema = z.object({
  warningId: z.coerce.number().int().positive(),
  shelterId: z.coerce.number().int().positive(),
})

// ---------------------------------------------------------------------------------------------
// §2 Command instructions (指令) and acknowledgements
// ---------------------------------------------------------------------------------------------

export const instructionTargetSchema = z.object({
  adminCode: z.string(),
  adminName: z.string(),
  acknowledgedAt: z.string().nullable(),
  /** Not acknowledged and past the instruction's deadline. */
  overdue: z.boolean(),
})

export const instructionSchema = z.object({
  id: z.number().int(),
  warningId: z.number().int().nullable(),
  text: z.string(),
  sentAt: z.string(),
  /** sentAt + ackWithinMinutes. */
  ackDeadline: z.string(),
  ackWithinMinutes: z.number().int().positive(),
  targets: z.array(instructionTargetSchema),
  acknowledged: count,
  total: count,
  /** Some target is unacknowledged past the deadline (highlight it). */
  overdue: z.boolean(),
})
export type Instruction = z.infer<typeof instructionSchema>

export const instructionListQuerySchema = z.strictObject({
  warningId: z.coerce.number().int().positive().optional(),
  /** `open`: some target still unacknowledged. */
  status: z.enum(['all', 'open']).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
})
export type InstructionListQuery = z.infer<typeof instructionListQuerySchema>
export const instructionListSchema = z.object({ instructions: z.array(instructionSchema) })

/** `POST /api/instructions` — the command tells villages what to do ("立即组织转移"). */
export const instructionCreateSchema = z.strictObject({
  warningId: z.number().int().positive().optional(),
  text: z.string().trim().min(1, 'text cannot be empty').max(500, 'text must be at most 500 characters'),
  adminCodes: z.array(adminCodeSchema).min(1, 'pick at least one village').max(200),
  /** Minutes before an unacknowledged target is overdue; the server's configured default when absent. */
  ackWithinMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .optional(),
})
export type InstructionCreate = z.infer<typeof instructionCreateSchema>

/** `POST /api/instructions/:id/ack` — a village acknowledges (its editor, from the phone). */
export const instructionAckSchema = z.strictObject({ adminCode: adminCodeSchema })
export type InstructionAck = z.infer<typeof instructionAckSchema>

// ---------------------------------------------------------------------------------------------
// §3 The big screen: setup code → cookie session, and the overview
// ---------------------------------------------------------------------------------------------

/**
 * `POST /api/display-tokens/:id/setup-code` (admin): a one-time code for a screen, valid a few
 * minutes. `link` carries the code in the fragment (`/command/setup#code=…`), which browsers
 * never send to the server, so it lands in no log; the page posts it and clears the fragment.
 */
export const displaySetupCodeSchema = z.object({
  code: z.string(),
  link: z.string(),
  expiresAt: z.string(),
  displayTokenId: z.number().int(),
})
export type DisplaySetupCode = z.infer<typeof displaySetupCodeSchema>

/** `POST /api/display-session` { code } → sets the HttpOnly SameSite=Strict cookie `ra_display`. */
export const displaySessionCreateSchema = z.strictObject({ code: z.string().trim().min(1).max(64) })
export const displaySessionSchema = z.object({ displayName: z.string(), expiresAt: z.string() })
export type DisplaySession = z.infer<typeof displaySessionSchema>

const byLevel = z.object({ 1: count, 2: count, 3: count, 4: count })

/** `GET /api/command/overview`: everything the big screen shows, as counts. */
export const commandOverviewSchema = z.object({
  generatedAt: z.string(),
  town: z.object({ code: z.string(), name: z.string() }),
  /** The data version the figures were read at. */
  version: z.number().int().nonnegative(),
  /** The newest event id when read (continue the stream from here). */
  latestEventId: z.number().int().nonnegative(),
  floodSeason: z.object({ year: z.number().int(), startsOn: z.string(), endsOn: z.string(), day: z.number().int().nullable() }).nullable(),
  warnings: z.array(
    z.object({
      id: z.number().int(),
      kind: z.enum(warningKinds),
      level: z.enum(warningLevels),
      stage: z.enum(warningStages),
      title: z.string(),
      validFrom: z.string(),
      validTo: z.string(),
      adminCodes: z.array(z.string()),
    }),
  ),
  hazardPoints: z.object({
    total: count,
    byKind: z.array(z.object({ kind: z.enum(hazardKinds), total: count, byRiskLevel: byLevel })),
    byRiskLevel: byLevel,
  }),
  /** People living in villages a hazard threatens (listed or within reach of a danger zone). */
  peopleThreatened: z.object({ people: count, households: count, villages: count }),
  villagesUnderWarning: z.object({ admin: count, natural: count, people: count }),
  /** The newest active 立即转移 warning's progress (null when none). */
  progress: z
    .object({
      warningId: z.number().int(),
      town: progressTotalsSchema,
      adminVillages: z.array(adminVillageProgressSchema),
    })
    .nullable(),
  shelters: z.object({
    count: count,
    capacity: count,
    assigned: count,
    checkedIn: count,
    items: z.array(z.object({ id: z.number().int(), name: z.string(), capacity: count.nullable(), assigned: count, checkedIn: count })),
  }),
  drillCoverage: z.object({ year: z.number().int(), required: count, drilled: count, planned: count, overdue: count, missing: count }),
  vulnerable: z.object({ total: count, withResponsible: count, share: z.number().min(0).max(1).nullable() }),
  hiddenDangers: z.object({ year: z.number().int(), found: count, rectified: count, open: count }),
  instructions: z.object({
    total: count,
    acknowledged: count,
    overdue: count,
    latest: z.array(
      z.object({
        id: z.number().int(),
        text: z.string(),
        sentAt: z.string(),
        acknowledged: count,
        total: count,
        overdue: z.boolean(),
      }),
    ),
  }),
  /** The newest events (same shape as the stream's `data.changed`). */
  latestEvents: z.array(streamChangeSchema),
})
export type CommandOverview = z.infer<typeof commandOverviewSchema>
