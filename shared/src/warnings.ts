import { z } from 'zod'
import { hazardKinds, warningKinds, warningLevels, warningStages } from './enums.ts'

/**
 * Warnings (预警): a county bulletin made local — kind, level, the area it covers (a drawn
 * polygon, or administrative villages), the stage (准备转移 prepare / 立即转移 move now) and
 * its validity. Every change is kept as a revision and audited; lifting ends it early.
 */

/** Where a warning stands now (computed from its validity and whether it was lifted). */
export const warningStatuses = ['scheduled', 'active', 'expired', 'lifted'] as const
export type WarningStatus = (typeof warningStatuses)[number]

const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])
const ring = z.array(position).min(4, 'a ring needs at least 4 positions').max(5000, 'a ring may have at most 5000 positions')
const polygonSchema = z.strictObject({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1).max(50) })
const multiPolygonSchema = z.strictObject({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(ring).min(1).max(50)).min(1).max(50),
})
/** A GeoJSON (Multi)Polygon in WGS84 longitude/latitude. */
export const warningGeometrySchema = z.discriminatedUnion('type', [polygonSchema, multiPolygonSchema])
export type WarningGeometry = z.infer<typeof warningGeometrySchema>

const adminCodeSchema = z.string().regex(/^[0-9]{12}$/, 'an administrative village code has 12 digits')

/** The area: drawn on the map, or picked as administrative villages (their boundaries). */
export const warningAreaSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('polygon'), geometry: warningGeometrySchema }),
  z.strictObject({ kind: z.literal('villages'), adminCodes: z.array(adminCodeSchema).min(1, 'pick at least one village').max(200) }),
])
export type WarningArea = z.infer<typeof warningAreaSchema>

const timestampSchema = z.iso.datetime({ offset: true, error: 'must be a timestamp like 2026-07-18T20:00:00+08:00' })
const textSchema = (what: string, max: number) =>
  z.string().trim().min(1, `${what} cannot be empty`).max(max, `${what} must be at most ${max} characters`)

/** `POST /api/warnings`: issue a warning. The title is written from kind, level and stage when not given. */
export const warningCreateSchema = z
  .strictObject({
    kind: z.enum(warningKinds, { error: `kind must be one of: ${warningKinds.join(', ')}` }),
    level: z.enum(warningLevels, { error: `level must be one of: ${warningLevels.join(', ')}` }),
    stage: z.enum(warningStages, { error: `stage must be one of: ${warningStages.join(', ')}` }),
    title: textSchema('title', 200).optional(),
    issuedBy: textSchema('issuedBy', 100),
    /** The county bulletin's number (县气象台/县防办 文号). */
    source: textSchema('source', 100).optional(),
    validFrom: timestampSchema,
    validTo: timestampSchema,
    area: warningAreaSchema,
  })
  .refine((w) => Date.parse(w.validTo) > Date.parse(w.validFrom), { path: ['validTo'], message: 'validTo must be after validFrom' })
export type WarningCreate = z.infer<typeof warningCreateSchema>

/** `PATCH /api/warnings/:id`: change a warning (raise the level, move to 立即转移, extend …) or lift it. */
export const warningUpdateSchema = z
  .strictObject({
    kind: z.enum(warningKinds).optional(),
    level: z.enum(warningLevels).optional(),
    stage: z.enum(warningStages).optional(),
    title: textSchema('title', 200).optional(),
    issuedBy: textSchema('issuedBy', 100).optional(),
    source: textSchema('source', 100).nullable().optional(),
    validFrom: timestampSchema.optional(),
    validTo: timestampSchema.optional(),
    area: warningAreaSchema.optional(),
    /** Lift the warning now (解除预警); nothing else may change in the same request. */
    lift: z.literal(true).optional(),
    /** Why: kept in the revision and the audit log. */
    reason: textSchema('reason', 500).optional(),
  })
  .refine((p) => Object.keys(p).some((key) => key !== 'reason'), { message: 'nothing to change' })
  .refine((p) => !p.lift || Object.keys(p).every((key) => key === 'lift' || key === 'reason'), {
    path: ['lift'],
    message: 'lifting a warning changes nothing else; send other changes separately',
  })
export type WarningUpdate = z.infer<typeof warningUpdateSchema>

export const warningListQuerySchema = z.strictObject({
  /** `current`: active or scheduled (the default); `all`: lifted and expired too. */
  status: z.enum(['current', 'all', ...warningStatuses]).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
})
export type WarningListQuery = z.infer<typeof warningListQuerySchema>

export const warningSchema = z.object({
  id: z.number().int(),
  kind: z.enum(warningKinds),
  level: z.enum(warningLevels),
  stage: z.enum(warningStages),
  title: z.string(),
  issuedBy: z.string().nullable(),
  source: z.string().nullable(),
  validFrom: z.string(),
  validTo: z.string(),
  status: z.enum(warningStatuses),
  areaKind: z.enum(['polygon', 'villages']),
  /** The administrative villages the area touches (the picked ones, or those the polygon crosses). */
  adminCodes: z.array(z.string()),
  geometry: z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(z.array(z.number())))) }),
  liftedAt: z.string().nullable(),
  revision: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type Warning = z.infer<typeof warningSchema>

export const warningListSchema = z.object({ warnings: z.array(warningSchema) })

export const warningRevisionSchema = z.object({
  revision: z.number().int(),
  at: z.string(),
  /** Who made it (an account's username); null for a display token. */
  actor: z.string().nullable(),
  change: z.enum(['issue', 'update', 'lift']),
  reason: z.string().nullable(),
  level: z.enum(warningLevels),
  stage: z.enum(warningStages),
  validFrom: z.string(),
  validTo: z.string(),
  adminCodes: z.array(z.string()),
})
export type WarningRevision = z.infer<typeof warningRevisionSchema>

export const warningDetailSchema = warningSchema.extend({ history: z.array(warningRevisionSchema) })
export type WarningDetail = z.infer<typeof warningDetailSchema>

/** A contact the command rings first: shown only to those who may see personal data of that village. */
export const impactContactSchema = z.object({
  role: z.enum(['monitor', 'responsible']),
  hazardPointId: z.number().int(),
  hazardName: z.string(),
  adminCode: z.string().nullable(),
  name: z.string(),
  phone: z.string().nullable(),
})

/** `GET /api/warnings/:id/impact`: what the warning covers, in counts (names only in `contacts`, when allowed). */
export const warningImpactSchema = z.object({
  warningId: z.number().int(),
  naturalVillages: z.array(
    z.object({
      id: z.number().int(),
      code: z.string(),
      name: z.string(),
      adminCode: z.string(),
      adminName: z.string(),
      population: z.number().int(),
      households: z.number().int(),
      vulnerable: z.number().int(),
      vulnerableWithResponsible: z.number().int(),
    }),
  ),
  hazardPoints: z.array(
    z.object({
      id: z.number().int(),
      code: z.string(),
      name: z.string(),
      kind: z.enum(hazardKinds),
      riskLevel: z.number().int(),
      threatenedPeople: z.number().int(),
    }),
  ),
  shelters: z.array(
    z.object({
      id: z.number().int(),
      code: z.string(),
      name: z.string(),
      capacityPersons: z.number().int().nullable(),
      /** Inside the warned area (then itself at risk), or only assigned to villages inside by their routes. */
      inside: z.boolean(),
      assignedVillages: z.number().int(),
    }),
  ),
  totals: z.object({
    naturalVillages: z.number().int(),
    population: z.number().int(),
    households: z.number().int(),
    vulnerable: z.number().int(),
    vulnerableWithResponsible: z.number().int(),
    hazardPoints: z.number().int(),
    shelters: z.number().int(),
    shelterCapacity: z.number().int(),
    contacts: z.number().int(),
  }),
  /** Hazard monitors and responsible persons with phones; null for a caller who may not see them (counts in totals). */
  contacts: z.array(impactContactSchema).nullable(),
})
export type WarningImpact = z.infer<typeof warningImpactSchema>
