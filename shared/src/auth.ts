import { z } from 'zod'
import { vulnerableCategories, type VulnerableCategory } from './enums.ts'
import { auditReasonSchema } from './audit.ts'
import { adminCodeSchema, idTextSchema, recordIdSchema } from './ids.ts'

export const userRoles = ['admin', 'editor', 'viewer'] as const
export type UserRole = (typeof userRoles)[number]

/** Who a request acts as: an account's role, or `display` (a big screen's revocable token: read-only, no personal data). */
export const principalRoles = [...userRoles, 'display'] as const
export type PrincipalRole = (typeof principalRoles)[number]

const adminCode = adminCodeSchema

export const loginSchema = z
  .object({
    username: z.string().trim().min(1, 'username is required').max(40),
    password: z.string().min(1, 'password is required').max(200),
  })
  .strict()

export const principalSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(principalRoles),
  villageScope: z.array(z.string()).nullable(),
})
export type PrincipalView = z.infer<typeof principalSchema>

export const meSchema = z.object({ user: principalSchema.nullable(), csrfToken: z.string().nullable() })

export const passwordSchema = z.string().min(10, 'a password has at least 10 characters').max(200)

export const userCreateSchema = z
  .object({
    username: z.string().regex(/^[a-z0-9_.-]{3,40}$/, 'username: 3–40 lowercase letters, digits, _ . -'),
    displayName: z.string().trim().min(1).max(60),
    role: z.enum(userRoles),
    villageScope: z.array(adminCode).min(1).nullable().default(null),
    password: passwordSchema,
  })
  .strict()

export const userUpdateSchema = z
  .object({
    displayName: z.string().trim().min(1).max(60).optional(),
    role: z.enum(userRoles).optional(),
    villageScope: z.array(adminCode).min(1).nullable().optional(),
    password: passwordSchema.optional(),
    disabled: z.boolean().optional(),
  })
  .strict()

export const userSchema = z.object({
  id: z.number().int(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(userRoles),
  villageScope: z.array(z.string()).nullable(),
  disabled: z.boolean(),
  createdAt: z.string(),
})

export type UserView = z.infer<typeof userSchema>
export type UserCreateInput = z.input<typeof userCreateSchema>
export type UserUpdateInput = z.input<typeof userUpdateSchema>
export const userListSchema = z.object({ users: z.array(userSchema) })

export const displayTokenCreateSchema = z.object({ name: z.string().trim().min(1).max(60) }).strict()

/** A big screen's token as listed: the secret itself is never listed, only shown once when issued. */
export const displayTokenSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
})
export type DisplayTokenView = z.infer<typeof displayTokenSchema>
export const displayTokenListSchema = z.object({ tokens: z.array(displayTokenSchema) })
/** The answer to issuing a token: the only time its text is shown. */
export const issuedDisplayTokenSchema = z.object({ id: z.number().int(), name: z.string(), token: z.string() })
export type IssuedDisplayTokenView = z.infer<typeof issuedDisplayTokenSchema>

export const vulnerablePersonInputSchema = z
  .object({
    naturalVillageId: recordIdSchema('naturalVillageId'),
    category: z.enum(vulnerableCategories),
    name: z.string().trim().min(1, 'name is required').max(40),
    phone: z
      .string()
      .trim()
      .regex(/^[0-9-]{7,20}$/, 'phone: digits and dashes')
      .nullable()
      .optional(),
    address: z.string().trim().max(120).nullable().optional(),
    mobilityNeeds: z.string().trim().max(200).nullable().optional(),
    responsibleName: z.string().trim().max(40).nullable().optional(),
    responsiblePhone: z
      .string()
      .trim()
      .regex(/^[0-9-]{7,20}$/, 'phone: digits and dashes')
      .nullable()
      .optional(),
  })
  .strict()
export type VulnerablePersonInput = z.infer<typeof vulnerablePersonInputSchema>

export const vulnerablePersonUpdateSchema = vulnerablePersonInputSchema.partial().strict()

export const vulnerablePersonSchema = z.object({
  id: z.number().int(),
  naturalVillageId: z.number().int(),
  naturalVillageName: z.string(),
  adminCode: z.string(),
  /** The administrative village (行政村) the natural village belongs to. */
  adminName: z.string(),
  category: z.enum(vulnerableCategories),
  name: z.string(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  mobilityNeeds: z.string().nullable(),
  responsibleName: z.string().nullable(),
  responsiblePhone: z.string().nullable(),
  updatedAt: z.string(),
})
export type VulnerablePerson = z.infer<typeof vulnerablePersonSchema>

export const vulnerableListQuerySchema = z
  .object({
    naturalVillageId: idTextSchema.optional(),
    /** An administrative village (12-digit code): its natural villages' people only. */
    adminCode: adminCode.optional(),
    withoutResponsible: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    reason: z.string().trim().min(1).max(200).optional(),
  })
  .strict()

export const vulnerablePeopleListSchema = z.object({ people: z.array(vulnerablePersonSchema) })

/** Counts per natural village and category — the only form in which vulnerable people leave the office. */
export const vulnerableCountsSchema = z.object({
  naturalVillageId: z.number().int(),
  naturalVillageName: z.string(),
  adminCode: z.string(),
  total: z.number().int(),
  withoutResponsible: z.number().int(),
  byCategory: z.object(
    Object.fromEntries(vulnerableCategories.map((category) => [category, z.number().int()])) as Record<VulnerableCategory, z.ZodNumber>,
  ),
})
export type VulnerableCounts = z.infer<typeof vulnerableCountsSchema>
export const vulnerableCountsListSchema = z.object({ villages: z.array(vulnerableCountsSchema) })

/** `GET /api/audit-log`: newest first, `before` = the last id seen for the next page. */
export const auditQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    before: idTextSchema.optional(),
    entity: z.string().max(60).optional(),
  })
  .strict()
export type AuditQuery = z.infer<typeof auditQuerySchema>

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  reason: auditReasonSchema.nullable(),
  details: z.unknown(),
})
export type AuditEntryView = z.infer<typeof auditEntrySchema>
export const auditLogSchema = z.object({ entries: z.array(auditEntrySchema) })
