import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import {
  auditEntrySchema,
  displayTokenCreateSchema,
  userCreateSchema,
  userSchema,
  userUpdateSchema,
} from '@riskatlas/shared'
import type { Kysely, Selectable } from 'kysely'
import type { AppDeps } from '../app.ts'
import { writeAudit } from '../audit/audit.ts'
import { hashPassword } from '../auth/passwords.ts'
import type { AuthVariables } from '../auth/scope.ts'
import { createDisplayToken } from '../auth/sessions.ts'
import type { Database, UserTable } from '../db/schema.ts'
import { Conflict, NotFound } from '../errors.ts'
import { errorResponse, idParams, jsonResponse, validationHook } from '../http.ts'


export function toUserView(row: Selectable<UserTable>) {
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

/** Creates an account; used by the admin API, `pnpm user:create` and the demo seed. */
export async function createUser(db: Kysely<Database>, input: z.infer<typeof userCreateSchema>) {
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

const listUsers = createRoute({ method: 'get', path: '/users', tags: ['Accounts'], summary: 'Every account (admin)', responses: { 200: jsonResponse(z.object({ users: z.array(userSchema) }), 'Accounts') } })
const postUser = createRoute({
  method: 'post',
  path: '/users',
  tags: ['Accounts'],
  summary: 'Create an account (admin)',
  request: { body: { content: { 'application/json': { schema: userCreateSchema } }, required: true } },
  responses: { 201: jsonResponse(userSchema, 'Created'), 400: errorResponse('Invalid'), 409: errorResponse('Username taken') },
})
const patchUser = createRoute({
  method: 'patch',
  path: '/users/{id}',
  tags: ['Accounts'],
  summary: 'Change role, village scope, password or disable an account (admin)',
  request: { params: idParams, body: { content: { 'application/json': { schema: userUpdateSchema } }, required: true } },
  responses: { 200: jsonResponse(userSchema, 'Updated'), 404: errorResponse('No such account') },
})
const listTokens = createRoute({
  method: 'get',
  path: '/display-tokens',
  tags: ['Accounts'],
  summary: 'Big-screen display tokens (admin)',
  responses: { 200: jsonResponse(z.object({ tokens: z.array(z.object({ id: z.number(), name: z.string(), createdAt: z.string(), revokedAt: z.string().nullable() })) }), 'Tokens') },
})
const postToken = createRoute({
  method: 'post',
  path: '/display-tokens',
  tags: ['Accounts'],
  summary: 'Issue a display token; its text is shown once (admin)',
  request: { body: { content: { 'application/json': { schema: displayTokenCreateSchema } }, required: true } },
  responses: { 201: jsonResponse(z.object({ id: z.number(), name: z.string(), token: z.string() }), 'Issued') },
})
const revokeToken = createRoute({
  method: 'delete',
  path: '/display-tokens/{id}',
  tags: ['Accounts'],
  summary: 'Revoke a display token (admin)',
  request: { params: idParams },
  responses: { 204: { description: 'Revoked' }, 404: errorResponse('No such token') },
})
const auditRoute = createRoute({
  method: 'get',
  path: '/audit-log',
  tags: ['Accounts'],
  summary: 'The audit log, newest first (admin). Read-only: rows cannot be changed or deleted.',
  request: {
    query: z
      .object({
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        before: z.coerce.number().int().positive().optional(),
        entity: z.string().max(60).optional(),
      })
      .strict(),
  },
  responses: { 200: jsonResponse(z.object({ entries: z.array(auditEntrySchema) }), 'Entries') },
})

export function accountRoutes({ db }: AppDeps) {
  return new OpenAPIHono<{ Variables: AuthVariables }>({ defaultHook: validationHook })
    .openapi(listUsers, async (c) => {
      const rows = await db.selectFrom('users').selectAll().orderBy('id').execute()
      return c.json({ users: rows.map(toUserView) }, 200)
    })
    .openapi(postUser, async (c) => {
      const user = await createUser(db, c.req.valid('json'))
      await writeAudit(db, c.get('principal')!, { action: 'create', entity: 'users', entityId: user.id, details: { role: user.role } })
      return c.json(user, 201)
    })
    .openapi(patchUser, async (c) => {
      const { id } = c.req.valid('param')
      const input = c.req.valid('json')
      const existing = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
      if (!existing) throw new NotFound(`No account ${id}.`)
      const role = input.role ?? existing.role
      const row = await db.transaction().execute(async (trx) => {
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
        // A changed password, role or scope ends the account's sessions.
        if (input.password !== undefined || input.role !== undefined || input.villageScope !== undefined || input.disabled) {
          await trx.deleteFrom('sessions').where('user_id', '=', id).execute()
        }
        await writeAudit(trx, c.get('principal')!, { action: 'update', entity: 'users', entityId: id, details: { fields: Object.keys(input).filter((k) => k !== 'password') } })
        return updated
      })
      return c.json(toUserView(row), 200)
    })
    .openapi(listTokens, async (c) => {
      const rows = await db.selectFrom('display_tokens').select(['id', 'name', 'created_at', 'revoked_at']).orderBy('id').execute()
      return c.json({ tokens: rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at.toISOString(), revokedAt: r.revoked_at?.toISOString() ?? null })) }, 200)
    })
    .openapi(postToken, async (c) => {
      const principal = c.get('principal')!
      const token = await createDisplayToken(db, c.req.valid('json').name, principal.id)
      await writeAudit(db, principal, { action: 'create', entity: 'display_tokens', entityId: token.id })
      return c.json({ id: token.id, name: token.name, token: token.token }, 201)
    })
    .openapi(revokeToken, async (c) => {
      const { id } = c.req.valid('param')
      const result = await db.updateTable('display_tokens').set({ revoked_at: new Date() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst()
      if (Number(result.numUpdatedRows) === 0) throw new NotFound(`No active display token ${id}.`)
      await writeAudit(db, c.get('principal')!, { action: 'revoke', entity: 'display_tokens', entityId: id })
      return c.body(null, 204)
    })
    .openapi(auditRoute, async (c) => {
      const { limit, before, entity } = c.req.valid('query')
      let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit)
      if (before) query = query.where('id', '<', before)
      if (entity) query = query.where('entity', '=', entity)
      const rows = await query.execute()
      const entries = rows.map((r) => ({ id: Number(r.id), at: r.at.toISOString(), actor: r.actor, action: r.action, entity: r.entity, entityId: r.entity_id, reason: r.reason, details: r.details }))
      return c.json({ entries }, 200)
    })
}
