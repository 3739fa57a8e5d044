import { z } from 'zod'
import { isoDateSchema } from './drills.ts'
import { idTextSchema } from './ids.ts'
import type { Bilingual } from './i18n.ts'
import { ledgerTextSchema } from './ledgerText.ts'
import {
  hazardousOperationKinds,
  hiddenDangerLevels,
  hiddenDangerSources,
  hiddenDangerStatuses,
  inspectionLeads,
  photoPhases,
  publicityKinds,
  safetyPlaceKinds,
  sanctionKinds,
} from './enums.ts'

/** The safety-production ledger (安全生产台账): hidden dangers, places, the four lists, the work summary. */

const text = (what: string, max: number) =>
  z.string().trim().min(1, `${what} cannot be empty`).max(max, `${what} must be at most ${max} characters`)
const id = (what: string) =>
  z
    .number({ error: `${what} must be a whole number` })
    .int(`${what} must be a whole number`)
    .positive(`${what} must be positive`)
const queryId = z.coerce.number().int().positive()

// ---------------------------------------------------------------- places

export const safetyPlaceSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(safetyPlaceKinds),
  facilityId: z.number().int().nullable(),
  adminCode: z.string().nullable(),
  adminName: z.string().nullable(),
  naturalVillageId: z.number().int().nullable(),
  naturalVillageName: z.string().nullable(),
  industry: z.string().nullable(),
  /** Masked (张*明) for readers below editor, or outside an editor's villages. */
  responsibleName: z.string().nullable(),
  /** Masked (138****1234) likewise. */
  responsiblePhone: z.string().nullable(),
  personalMasked: z.boolean(),
  longitude: z.number(),
  latitude: z.number(),
  openDangers: z.number().int(),
  overdueDangers: z.number().int(),
})
export type SafetyPlace = z.infer<typeof safetyPlaceSchema>

export const safetyPlaceListQuerySchema = z.object({
  kind: z.enum(safetyPlaceKinds).optional(),
  adminCode: z
    .string()
    .regex(/^\d{12}$/, 'adminCode must be 12 digits')
    .optional(),
  q: z.string().trim().max(50).optional(),
})
export const safetyPlaceListSchema = z.object({ places: z.array(safetyPlaceSchema) })

const phone = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^[0-9-]{7,20}$/, `${what}: digits and dashes, 7–20`)

/** `POST /api/ledger/places`: a new enterprise or place of the ledger. Its administrative village follows its natural village when not given. */
export const safetyPlaceCreateSchema = z.strictObject({
  name: text('name', 100),
  kind: z.enum(safetyPlaceKinds, { error: `kind must be one of: ${safetyPlaceKinds.join(', ')}` }),
  longitude: z.number().min(-180).max(180),
  latitude: z.number().min(-90).max(90),
  adminCode: z
    .string()
    .regex(/^\d{12}$/, 'adminCode must be 12 digits')
    .optional(),
  naturalVillageId: id('naturalVillageId').optional(),
  facilityId: id('facilityId').optional(),
  industry: text('industry', 100).optional(),
  responsibleName: text('responsibleName', 50).optional(),
  responsiblePhone: phone('responsiblePhone').optional(),
})
export type SafetyPlaceCreate = z.infer<typeof safetyPlaceCreateSchema>

/** `PATCH /api/ledger/places/:id`: correct a place's record; `null` clears an optional field. */
export const safetyPlaceUpdateSchema = z
  .strictObject({
    name: text('name', 100).optional(),
    kind: z.enum(safetyPlaceKinds).optional(),
    longitude: z.number().min(-180).max(180).optional(),
    latitude: z.number().min(-90).max(90).optional(),
    industry: text('industry', 100).nullable().optional(),
    responsibleName: text('responsibleName', 50).nullable().optional(),
    responsiblePhone: phone('responsiblePhone').nullable().optional(),
    /** Moves the place to another natural village (its administrative village follows); null: none. */
    naturalVillageId: id('naturalVillageId').nullable().optional(),
    /** The facility record the place is (a school, a reservoir …); null unlinks it. */
    facilityId: id('facilityId').nullable().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'give at least one field to change' })
  .refine((patch) => (patch.longitude === undefined) === (patch.latitude === undefined), {
    message: 'give longitude and latitude together',
    path: ['longitude'],
  })
export type SafetyPlaceUpdate = z.infer<typeof safetyPlaceUpdateSchema>

// ---------------------------------------------------------------- hidden dangers

export const hiddenDangerSchema = z.object({
  id: z.number().int(),
  placeId: z.number().int().nullable(),
  placeName: z.string(),
  placeKind: z.enum(safetyPlaceKinds).nullable(),
  adminCode: z.string().nullable(),
  adminName: z.string().nullable(),
  foundOn: z.string(),
  source: z.enum(hiddenDangerSources),
  description: z.string(),
  level: z.enum(hiddenDangerLevels),
  status: z.enum(hiddenDangerStatuses),
  deadline: z.string().nullable(),
  rectifyingOn: z.string().nullable(),
  rectifiedOn: z.string().nullable(),
  supervised: z.boolean(),
  supervisedBy: z.string().nullable(),
  /** Masked for readers below editor. */
  responsibleName: z.string().nullable(),
  personalMasked: z.boolean(),
  sanction: z.string().nullable(),
  inspectionId: z.number().int().nullable(),
  overdue: z.boolean(),
  daysOverdue: z.number().int(),
  photos: z.array(
    z.object({
      id: z.number().int(),
      phase: z.enum(photoPhases),
      contentType: z.string(),
      byteSize: z.number().int(),
      uploadedAt: z.string(),
    }),
  ),
  longitude: z.number().nullable(),
  latitude: z.number().nullable(),
})
export type HiddenDanger = z.infer<typeof hiddenDangerSchema>

const booleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true')

export const hiddenDangerListQuerySchema = z.object({
  status: z.enum(hiddenDangerStatuses).optional(),
  level: z.enum(hiddenDangerLevels).optional(),
  source: z.enum(hiddenDangerSources).optional(),
  placeKind: z.enum(safetyPlaceKinds).optional(),
  placeId: queryId.optional(),
  adminCode: z
    .string()
    .regex(/^\d{12}$/, 'adminCode must be 12 digits')
    .optional(),
  supervised: booleanQuery.optional(),
  overdue: booleanQuery.optional(),
  from: isoDateSchema.optional(),
  to: isoDateSchema.optional(),
  q: z.string().trim().max(50).optional(),
  limit: z.coerce.number().int().min(1).max(5000).optional(),
})
export type HiddenDangerListQuery = z.infer<typeof hiddenDangerListQuerySchema>
export const hiddenDangerListSchema = z.object({ dangers: z.array(hiddenDangerSchema), total: z.number().int() })

/** `POST /api/ledger/dangers`: record a hidden danger found (status starts `open`). */
export const hiddenDangerCreateSchema = z.strictObject({
  placeId: id('placeId'),
  foundOn: isoDateSchema,
  source: z.enum(hiddenDangerSources, { error: `source must be one of: ${hiddenDangerSources.join(', ')}` }),
  description: text('description', 2000),
  level: z.enum(hiddenDangerLevels, { error: `level must be one of: ${hiddenDangerLevels.join(', ')}` }),
  deadline: isoDateSchema.optional(),
  supervised: z.boolean().optional(),
  supervisedBy: text('supervisedBy', 100).optional(),
  responsibleName: text('responsibleName', 50).optional(),
  inspectionId: id('inspectionId').optional(),
})
export type HiddenDangerCreate = z.infer<typeof hiddenDangerCreateSchema>

/** `PATCH /api/ledger/dangers/:id`: correct the record (not its status: see transitions). `null` clears. */
export const hiddenDangerUpdateSchema = z
  .strictObject({
    foundOn: isoDateSchema.optional(),
    source: z.enum(hiddenDangerSources).optional(),
    description: text('description', 2000).optional(),
    level: z.enum(hiddenDangerLevels).optional(),
    deadline: isoDateSchema.nullable().optional(),
    supervised: z.boolean().optional(),
    supervisedBy: text('supervisedBy', 100).nullable().optional(),
    responsibleName: text('responsibleName', 50).nullable().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'give at least one field to change' })
export type HiddenDangerUpdate = z.infer<typeof hiddenDangerUpdateSchema>

/**
 * `POST /api/ledger/dangers/:id/transition`: open → rectifying → rectified, each with its date.
 * Going back (rectified → rectifying/open, rectifying → open) needs a reason.
 */
export const hiddenDangerTransitionSchema = z.strictObject({
  to: z.enum(hiddenDangerStatuses, { error: `to must be one of: ${hiddenDangerStatuses.join(', ')}` }),
  on: isoDateSchema,
  reason: text('reason', 500).optional(),
})
export type HiddenDangerTransition = z.infer<typeof hiddenDangerTransitionSchema>

export const photoQuerySchema = z.object({ phase: z.enum(photoPhases, { error: 'phase must be before or after' }) })
export const photoUploadSchema = z.object({
  id: z.number().int(),
  phase: z.enum(photoPhases),
  contentType: z.string(),
  byteSize: z.number().int(),
})
/** Uploads larger than this are refused (413). */
export const photoMaxBytes = 5 * 1024 * 1024
export const photoContentTypes = ['image/jpeg', 'image/png', 'image/webp'] as const

// ---------------------------------------------------------------- a place's card, overdue, rates

export const safetyPlaceCardSchema = z.object({ place: safetyPlaceSchema, dangers: z.array(hiddenDangerSchema) })

export const rectificationRateSchema = z.object({
  key: z.string(),
  /** A village's name, or a phrase: the kind of place, 未定位, 未登记场所. */
  label: ledgerTextSchema,
  found: z.number().int(),
  rectified: z.number().int(),
  open: z.number().int(),
  overdue: z.number().int(),
  /** rectified / found, 0…1 (null when nothing was found). */
  rate: z.number().nullable(),
})
export const rectificationRatesQuerySchema = z.object({ from: isoDateSchema.optional(), to: isoDateSchema.optional() })
export const rectificationRatesSchema = z.object({
  byVillage: z.array(rectificationRateSchema),
  byPlaceKind: z.array(rectificationRateSchema),
})
export type RectificationRate = z.infer<typeof rectificationRateSchema>

// ---------------------------------------------------------------- other registers

export const ledgerRecordKinds = [
  'inspections',
  'self_checks',
  'sanctions',
  'hazardous_operations',
  'supervisory_visits',
  'publicity',
  'inspectors',
] as const
export type LedgerRecordKind = (typeof ledgerRecordKinds)[number]

/** An editable register row's stored values, named as its create schema names them. */
export const ledgerRecordValuesSchema = z.record(z.string(), z.union([z.string(), z.number(), z.array(z.number().int()), z.null()]))
export type LedgerRecordValues = z.infer<typeof ledgerRecordValuesSchema>

/** One row of a register, in a common shape for lists and figure drill-downs. */
export const ledgerRowSchema = z.object({
  id: z.number().int(),
  kind: z.string(),
  date: z.string().nullable(),
  title: ledgerTextSchema,
  placeId: z.number().int().nullable(),
  placeName: z.string().nullable(),
  /** A description as typed, an enum value (a danger's level, a drill's scenario), or a phrase. */
  detail: ledgerTextSchema.nullable(),
  status: z.string().nullable(),
  value: z.number().nullable(),
  /** An editable register's stored values, named as its create schema names them: what the edit form starts from. */
  record: ledgerRecordValuesSchema.optional(),
})
export type LedgerRow = z.infer<typeof ledgerRowSchema>

export const periodQuerySchema = z
  .object({
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    from: isoDateSchema.optional(),
    to: isoDateSchema.optional(),
  })
  .refine((q) => q.year !== undefined || (q.from !== undefined && q.to !== undefined), {
    message: 'give year, or from and to',
    path: ['year'],
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
export type PeriodQuery = z.infer<typeof periodQuerySchema>

export const ledgerRecordsSchema = z.object({ kind: z.enum(ledgerRecordKinds), rows: z.array(ledgerRowSchema) })

const count = (what: string) =>
  z
    .number({ error: `${what} must be a whole number` })
    .int(`${what} must be a whole number`)
    .min(0, `${what} cannot be negative`)
    .max(1_000_000)

/**
 * Each register's fields, once: the create schema requires what the table requires, the update
 * schema (`PATCH /api/ledger/records/:kind/:id`) takes any of them, `null` clearing an optional one.
 */
const inspectionFields = {
  inspectedOn: isoDateSchema,
  ledBy: z.enum(inspectionLeads, { error: `ledBy must be one of: ${inspectionLeads.join(', ')}` }),
  leader: text('leader', 50),
  team: text('team', 200).optional(),
  notes: text('notes', 2000).optional(),
  placeIds: z.array(id('placeIds')).min(1, 'placeIds cannot be empty').max(100),
}
const sanctionFields = {
  placeId: id('placeId'),
  imposedOn: isoDateSchema,
  kind: z.enum(sanctionKinds, { error: `kind must be one of: ${sanctionKinds.join(', ')}` }),
  hiddenDangerId: id('hiddenDangerId').optional(),
  note: text('note', 500).optional(),
}
const hazardousOperationFields = {
  placeId: id('placeId'),
  filedOn: isoDateSchema,
  kind: z.enum(hazardousOperationKinds, { error: `kind must be one of: ${hazardousOperationKinds.join(', ')}` }),
  startsOn: isoDateSchema,
  endsOn: isoDateSchema,
  description: text('description', 500),
}
const supervisoryVisitFields = {
  placeId: id('placeId'),
  visitedOn: isoDateSchema,
  visitedBy: text('visitedBy', 100),
  notes: text('notes', 2000).optional(),
}
const publicityEventFields = {
  heldOn: isoDateSchema,
  kind: z.enum(publicityKinds, { error: `kind must be one of: ${publicityKinds.join(', ')}` }),
  title: text('title', 200),
  location: text('location', 200),
  naturalVillageId: id('naturalVillageId').optional(),
  leaflets: count('leaflets').optional(),
  peopleAdvised: count('peopleAdvised').optional(),
  peopleTrained: count('peopleTrained').optional(),
}
const selfCheckFields = { placeId: id('placeId'), checkedOn: isoDateSchema }

const operationWindow = { message: 'endsOn must not be before startsOn', path: ['endsOn'] }

export const inspectionCreateSchema = z.strictObject(inspectionFields)
export const sanctionCreateSchema = z.strictObject(sanctionFields)
export const hazardousOperationCreateSchema = z
  .strictObject(hazardousOperationFields)
  .refine((op) => op.endsOn >= op.startsOn, operationWindow)
export const supervisoryVisitCreateSchema = z.strictObject(supervisoryVisitFields)
export const publicityEventCreateSchema = z.strictObject(publicityEventFields)
export const selfCheckCreateSchema = z.strictObject(selfCheckFields)

/** A register's update: every field optional, the optional ones nullable (null clears), at least one given. */
function updateOf<Shape extends z.ZodRawShape>(fields: Shape) {
  const shape = Object.fromEntries(
    Object.entries(fields).map(([key, schema]) => {
      const field = schema as z.ZodType
      return [key, field instanceof z.ZodOptional ? field.nullable() : field.optional()]
    }),
  ) as { [K in keyof Shape]: Shape[K] extends z.ZodOptional<infer Inner> ? z.ZodOptional<z.ZodNullable<Inner>> : z.ZodOptional<Shape[K]> }
  return z.strictObject(shape).refine((patch) => Object.keys(patch).length > 0, { message: 'give at least one field to change' })
}

export const ledgerRecordUpdateSchemas = {
  inspections: updateOf(inspectionFields),
  sanctions: updateOf(sanctionFields),
  hazardous_operations: updateOf(hazardousOperationFields).refine(
    (op) => op.startsOn == null || op.endsOn == null || op.endsOn >= op.startsOn,
    operationWindow,
  ),
  supervisory_visits: updateOf(supervisoryVisitFields),
  publicity: updateOf(publicityEventFields),
  self_checks: updateOf(selfCheckFields),
}
/** The registers whose rows are added, corrected and deleted through the API (inspectors are configuration). */
export const editableRecordKinds = Object.keys(ledgerRecordUpdateSchemas) as (keyof typeof ledgerRecordUpdateSchemas)[]
export type EditableRecordKind = keyof typeof ledgerRecordUpdateSchemas
export type LedgerRecordUpdate<K extends EditableRecordKind = EditableRecordKind> = z.infer<(typeof ledgerRecordUpdateSchemas)[K]>
export const ledgerRecordParamsSchema = z.object({
  kind: z.enum(editableRecordKinds as [EditableRecordKind, ...EditableRecordKind[]], {
    error: `kind must be one of: ${Object.keys(ledgerRecordUpdateSchemas).join(', ')}`,
  }),
  id: idTextSchema,
})
/** `PATCH /api/ledger/records/:kind/:id`'s answer: the row's values after the change. */
export const ledgerRecordSchema = z.object({ kind: z.enum(ledgerRecordKinds), id: z.number().int(), record: ledgerRecordValuesSchema })
export type LedgerRecord = z.infer<typeof ledgerRecordSchema>

export const ledgerRecordCreateSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('inspections'), record: inspectionCreateSchema }),
  z.strictObject({ kind: z.literal('sanctions'), record: sanctionCreateSchema }),
  z.strictObject({ kind: z.literal('hazardous_operations'), record: hazardousOperationCreateSchema }),
  z.strictObject({ kind: z.literal('supervisory_visits'), record: supervisoryVisitCreateSchema }),
  z.strictObject({ kind: z.literal('publicity'), record: publicityEventCreateSchema }),
  z.strictObject({ kind: z.literal('self_checks'), record: selfCheckCreateSchema }),
])
export type LedgerRecordCreate = z.infer<typeof ledgerRecordCreateSchema>
export const ledgerRecordCreatedSchema = z.object({ kind: z.enum(ledgerRecordKinds), id: z.number().int() })

// ---------------------------------------------------------------- the four lists (四张清单)

export const fourListIds = ['major_risks', 'major_dangers', 'prominent_problems', 'basic_info'] as const
export type FourListId = (typeof fourListIds)[number]

/** Each list's title and the explicit rule that makes it (shown above the list and in the Excel file). */
export const fourListDefinitions: Record<FourListId, { title: Bilingual; rule: Bilingual }> = {
  major_risks: {
    title: { zh: '重大安全风险清单', en: 'Major safety risks' },
    rule: {
      zh: '风险等级为高或极高（3–4级）的在册地质灾害/山洪隐患点，以及全部水库（含小型）、敬老院、学校、幼儿园、集贸市场、建筑工地',
      en: 'Active geological-hazard and flash-flood points of high or very high risk (level 3–4), and every reservoir (small ones included), nursing home, school, kindergarten, market and construction site',
    },
  },
  major_dangers: {
    title: { zh: '重大隐患清单', en: 'Major hidden dangers' },
    rule: {
      zh: '当年排查发现、等级为重大的隐患（不论整改状态）',
      en: 'Hidden dangers found in the year and graded major, whatever their rectification status',
    },
  },
  prominent_problems: {
    title: { zh: '突出问题清单', en: 'Prominent problems' },
    rule: {
      zh: '截至年底逾期未整改的隐患；以及当年发现隐患3条及以上的企业/场所',
      en: 'Hidden dangers overdue and not rectified at the end of the year; and enterprises or places with 3 or more dangers found in the year',
    },
  },
  basic_info: {
    title: { zh: '基础防范信息清单', en: 'Basic prevention information' },
    rule: {
      zh: '按行政村：隐患点数、受威胁人数、避险安置点数、当年开展演练场次、特殊人群人数及落实包保责任人人数',
      en: 'Per administrative village: hazard points, people threatened, shelters, drills held in the year, vulnerable people and how many have a responsible person',
    },
  },
}

/** A list's heading for a year: 2023年重大隐患清单. */
export function fourListTitle(list: FourListId, year: number): Bilingual {
  const title = fourListDefinitions[list].title
  return { zh: `${year}年${title.zh}`, en: `${title.en}, ${year}` }
}

/** Every column the four lists have; each list names its own in `FourList.columns`. */
export const fourListColumnKeys = [
  'category',
  'name',
  'kind',
  'village',
  'level',
  'exposure',
  'foundOn',
  'place',
  'description',
  'status',
  'deadline',
  'rectifiedOn',
  'supervisedBy',
  'problem',
  'detail',
  'since',
  'count',
  'adminVillage',
  'hazards',
  'threatened',
  'shelters',
  'drills',
  'vulnerable',
  'withResponsible',
] as const
export type FourListColumnKey = (typeof fourListColumnKeys)[number]

export const fourListColumnTitles: Record<FourListColumnKey, Bilingual> = {
  category: { zh: '类别', en: 'Category' },
  name: { zh: '名称', en: 'Name' },
  kind: { zh: '类型', en: 'Kind' },
  village: { zh: '所在村（社区）', en: 'Village (community)' },
  level: { zh: '风险等级/规模', en: 'Risk level / scale' },
  exposure: { zh: '威胁人数/在校（在院）人数', en: 'People threatened / pupils (residents)' },
  foundOn: { zh: '发现日期', en: 'Found on' },
  place: { zh: '企业/场所', en: 'Enterprise / place' },
  description: { zh: '隐患描述', en: 'Description' },
  status: { zh: '整改状态', en: 'Rectification status' },
  deadline: { zh: '整改期限', en: 'Deadline' },
  rectifiedOn: { zh: '整改完成', en: 'Rectified on' },
  supervisedBy: { zh: '挂牌督办单位', en: 'Supervised by' },
  problem: { zh: '问题类型', en: 'Problem' },
  detail: { zh: '具体问题', en: 'Details' },
  since: { zh: '发现/期限', en: 'Found / deadline' },
  count: { zh: '逾期天数/隐患条数', en: 'Days overdue / dangers' },
  adminVillage: { zh: '行政村（社区）', en: 'Administrative village (community)' },
  hazards: { zh: '隐患点（处）', en: 'Hazard points' },
  threatened: { zh: '受威胁人数', en: 'People threatened' },
  shelters: { zh: '避险安置点（个）', en: 'Shelters' },
  drills: { zh: '开展演练（场）', en: 'Drills held' },
  vulnerable: { zh: '特殊人群（人）', en: 'Vulnerable people' },
  withResponsible: { zh: '落实包保责任人（人）', en: 'With a responsible person' },
}

/** The words of the Excel sheet around the list (the rule line, the row-number column). */
export const fourListSheetWords = {
  rule: { zh: '口径：', en: 'Rule: ' },
  no: { zh: '序号', en: 'No.' },
} satisfies Record<string, Bilingual>

/** A cell: a number, a data value shown as it is (a name, a date, a description), or a phrase to word. */
export const fourListCellSchema = z.union([z.number(), z.null(), ledgerTextSchema])
export type FourListCell = z.infer<typeof fourListCellSchema>

export const fourListParamsSchema = z.object({ list: z.enum(fourListIds, { error: `list must be one of: ${fourListIds.join(', ')}` }) })
export const fourListQuerySchema = z.object({ year: z.coerce.number().int().min(2000).max(2100) })
/** A list for a year: columns by key and cells as data or phrases; the title, rule and headers are the client's to word. */
export const fourListSchema = z.object({
  list: z.enum(fourListIds),
  year: z.number().int(),
  columns: z.array(z.enum(fourListColumnKeys)),
  rows: z.array(z.partialRecord(z.enum(fourListColumnKeys), fourListCellSchema)),
})
export type FourList = z.infer<typeof fourListSchema>
