import { z } from 'zod'

export const userRoles = ['admin', 'editor', 'viewer'] as const
export type UserRole = (typeof userRoles)[number]

const adminCode = z.string().regex(/^[0-9]{12}$/, 'an administrative village code is 12 digits')

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
  role: z.enum(['admin', 'editor', 'viewer', 'display']),
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

export const displayTokenCreateSchema = z.object({ name: z.string().trim().min(1).max(60) }).strict()

export const vulnerablePersonInputSchema = z
  .object({
    naturalVillageId: z.number().int().positive(),
    category: z.enum(['elderly', 'disabled', 'sick', 'child', 'pregnant']),
    name: z.string().trim().min(1, 'name is required').max(40),
    phone: z.string().trim().regex(/^[0-9-]{7,20}$/, 'phone: digits and dashes').nullable().optional(),
    address: z.string().trim().max(120).nullable().optional(),
    mobilityNeeds: z.string().trim().max(200).nullable().optional(),
    responsibleName: z.string().trim().max(40).nullable().optional(),
    responsiblePhone: z.string().trim().regex(/^[0-9-]{7,20}$/, 'phone: digits and dashes').nullable().optional(),
  })
  .strict()
export type VulnerablePersonInput = z.infer<typeof vulnerablePersonInputSchema>

export const vulnerablePersonUpdateSchema = vulnerablePersonInputSchema.partial().strict()

export const vulnerablePersonSchema = z.object({
  id: z.number().int(),
  naturalVillageId: z.number().int(),
  naturalVillageName: z.string(),
  adminCode: z.string(),
  category: z.enum(['elderly', 'disabled', 'sick', 'child', 'pregnant']),
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
    naturalVillageId: z.coerce.number().int().positive().optional(),
    /** An administrative village (12-digit code): its natural villages' people only. */
    adminCode: adminCode.optional(),
    withoutResponsible: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
    reason: z.string().trim().min(1).max(200).optional(),
  })
  .strict()

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string().nullable(),
  reason: z.string().nullable(),
  details: z.unknown(),
})
