import type { Kysely, Selectable } from 'kysely'
import { auditReasonOf } from '@riskatlas/shared'
import type { AuditEntryView, AuditQuery, DisplayTokenView, userCreateSchema, userSchema, userUpdateSchema } from '@riskatlas/shared'
import type { z } from 'zod'
import { hashPassword } from '../auth/passwords.ts'
import type { Database, UserTable } from '../db/schema.ts'
import { Conflict, NotFound } from '../errors.ts'

type Db = Kysely<Database>
export type UserView = z.infer<typeof userSchema>

export function toUserView(row: Selectable<UserTable>): UserView {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    villageScope: row.village_scope,
    disabled: row.disabled,
    createdAt: row.created_at.toISOString(),
  }
}

export async function listUsers(db: Db): Promise<UserView[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('id').execute()
  return rows.map(toUserView)
}

/** Creates an account; used by the admin API, `pnpm user:create` and the demo seed. */
export async function createUser(db: Db, input: z.infer<typeof userCreateSchema>): Promise<UserView> {
  const taken = await db.selectFrom('users').select('id').where('username', '=', input.username).executeTakeFirst()
  if (taken) throw new Conflict(`The username ${input.username} is taken.`)
  const row = await db
    .insertInto('users')
    .values({
      username: input.username,
      display_name: input.displayName,
      role: input.role,
      village_scope: input.role === 'editor' ? input.villageScope : null,
      password_hash: await hashPassword(input.password),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return toUserView(row)
}

/**
 * Changes an account. A changed password, role or scope, or disabling it, ends its sessions.
 * Run it inside the write's transaction.
 */
export async function updateUser(trx: Db, id: number, input: z.infer<typeof userUpdateSchema>): Promise<UserView> {
  const existing = await trx.selectFrom('users').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()
  if (!existing) throw new NotFound(`No account ${id}.`)
  const role = input.role ?? existing.role
  const updated = await trx
    .updateTable('users')
    .set({
      ...(input.displayName === undefined ? {} : { display_name: input.displayName }),
      role,
      village_scope: role === 'editor' ? (input.villageScope === undefined ? existing.village_scope : input.villageScope) : null,
      ...(input.disabled === undefined ? {} : { disabled: input.disabled }),
      ...(input.password === undefined ? {} : { password_hash: await hashPassword(input.password) }),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
  if (input.password !== undefined || input.role !== undefined || input.villageScope !== undefined || input.disabled) {
    await trx.deleteFrom('sessions').where('user_id', '=', id).execute()
  }
  return toUserView(updated)
}

export async function listDisplayTokens(db: Db): Promise<DisplayTokenView[]> {
  const rows = await db.selectFrom('display_tokens').select(['id', 'name', 'created_at', 'revoked_at']).orderBy('id').execute()
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
  }))
}

/** Revokes an active token; `NotFound` when there is none with that id. */
export async function revokeDisplayToken(db: Db, id: number): Promise<void> {
  const result = await db
    .updateTable('display_tokens')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  if (Number(result.numUpdatedRows) === 0) throw new NotFound(`No active display token ${id}.`)
}

/** One page of the audit log, newest first. */
export async function listAuditEntries(db: Db, { limit, before, entity }: AuditQuery): Promise<AuditEntryView[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit)
  if (before) query = query.where('id', '<', before)
  if (entity) query = query.where('entity', '=', entity)
  const rows = await query.execute()
  return rows.map((row) => ({
    id: Number(row.id),
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    entity: row.entity,
    entityId: row.entity_id,
    reason: row.reason === null ? null : auditReasonOf(row.reason),
    details: row.details,
  }))
}
