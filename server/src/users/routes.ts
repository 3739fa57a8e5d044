import { createRoute } from '@hono/zod-openapi'
import {
  auditLogSchema,
  auditQuerySchema,
  displayTokenCreateSchema,
  displayTokenListSchema,
  issuedDisplayTokenSchema,
  userCreateSchema,
  userListSchema,
  userSchema,
  userUpdateSchema,
} from '@riskatlas/shared'
import { writeAudit } from '../audit/queries.ts'
import { createDisplayToken } from '../auth/queries.ts'
import type { AppContext } from '../context.ts'
import { errorResponse, idParams, jsonResponse } from '../http.ts'
import { router } from '../router.ts'
import { createUser, listAuditEntries, listDisplayTokens, listUsers, revokeDisplayToken, updateUser } from './queries.ts'

const listUsersRoute = createRoute({
  method: 'get',
  path: '/users',
  tags: ['Accounts'],
  summary: 'Every account (admin)',
  responses: { 200: jsonResponse(userListSchema, 'Accounts') },
})
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
  responses: { 200: jsonResponse(displayTokenListSchema, 'Tokens') },
})
const postToken = createRoute({
  method: 'post',
  path: '/display-tokens',
  tags: ['Accounts'],
  summary: 'Issue a display token; its text is shown once (admin)',
  request: { body: { content: { 'application/json': { schema: displayTokenCreateSchema } }, required: true } },
  responses: { 201: jsonResponse(issuedDisplayTokenSchema, 'Issued') },
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
  request: { query: auditQuerySchema },
  responses: { 200: jsonResponse(auditLogSchema, 'Entries') },
})

/** `/api/users`, `/api/display-tokens`, `/api/audit-log` (admin). */
export function accountRoutes({ db, write }: Pick<AppContext, 'db' | 'write'>) {
  return router()
    .openapi(listUsersRoute, async (c) => c.json({ users: await listUsers(db) }, 200))
    .openapi(postUser, async (c) => {
      const user = await write(async (trx, changed) => {
        const created = await createUser(trx, c.req.valid('json'))
        await writeAudit(trx, c.get('principal')!, {
          action: 'create',
          entity: 'users',
          entityId: created.id,
          details: { role: created.role },
        })
        changed({ entity: 'users', action: 'create', ids: [created.id] })
        return created
      })
      return c.json(user, 201)
    })
    .openapi(patchUser, async (c) => {
      const { id } = c.req.valid('param')
      const input = c.req.valid('json')
      const user = await write(async (trx, changed) => {
        const updated = await updateUser(trx, id, input)
        await writeAudit(trx, c.get('principal')!, {
          action: 'update',
          entity: 'users',
          entityId: id,
          details: { fields: Object.keys(input).filter((k) => k !== 'password') },
        })
        changed({ entity: 'users', action: 'update', ids: [id] })
        return updated
      })
      return c.json(user, 200)
    })
    .openapi(listTokens, async (c) => c.json({ tokens: await listDisplayTokens(db) }, 200))
    .openapi(postToken, async (c) => {
      const principal = c.get('principal')!
      const token = await write(async (trx, changed) => {
        const issued = await createDisplayToken(trx, c.req.valid('json').name, principal.id)
        await writeAudit(trx, principal, { action: 'create', entity: 'display_tokens', entityId: issued.id })
        changed({ entity: 'display_tokens', action: 'create', ids: [issued.id] })
        return issued
      })
      return c.json({ id: token.id, name: token.name, token: token.token }, 201)
    })
    .openapi(revokeToken, async (c) => {
      const { id } = c.req.valid('param')
      await write(async (trx, changed) => {
        await revokeDisplayToken(trx, id)
        await writeAudit(trx, c.get('principal')!, { action: 'revoke', entity: 'display_tokens', entityId: id })
        changed({ entity: 'display_tokens', action: 'update', ids: [id] })
      })
      return c.body(null, 204)
    })
    .openapi(auditRoute, async (c) => c.json({ entries: await listAuditEntries(db, c.req.valid('query')) }, 200))
}
