import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { Principal } from './scope.ts'

export const sessionCookie = 'ra_session'
export const sessionTtlMs = 12 * 60 * 60 * 1000

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url')
const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url')

export interface NewSession {
  token: string
  csrfToken: string
  expiresAt: Date
}

/** A fresh session id on every sign-in: an id planted before login is never promoted. */
export async function createSession(db: Kysely<Database>, userId: number): Promise<NewSession> {
  const token = randomToken()
  const csrfToken = randomToken(24)
  const expiresAt = new Date(Date.now() + sessionTtlMs)
  await db
    .insertInto('sessions')
    .values({ id_hash: sha256(token), user_id: userId, csrf_token: csrfToken, expires_at: expiresAt })
    .execute()
  await db.deleteFrom('sessions').where('user_id', '=', userId).where('expires_at', '<', new Date()).execute()
  return { token, csrfToken, expiresAt }
}

/** The account a sign-in names, if it exists and is enabled (the password hash is checked by the caller). */
export async function findLoginAccount(db: Kysely<Database>, username: string) {
  const row = await db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role', 'village_scope', 'password_hash'])
    .where('username', '=', username)
    .where('disabled', '=', false)
    .executeTakeFirst()
  if (!row) return undefined
  return { principal: toPrincipal(row), passwordHash: row.password_hash }
}

/** A user row as the principal a request acts for: only editors carry a village scope. */
function toPrincipal(row: {
  id: number
  username: string
  display_name: string
  role: Principal['role']
  village_scope: string[] | null
}): Principal {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    villageScope: row.role === 'editor' ? row.village_scope : null,
  }
}

export interface ActiveSession {
  principal: Principal
  csrfToken: string
}

export async function findSession(db: Kysely<Database>, token: string): Promise<ActiveSession | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.username', 'u.display_name', 'u.role', 'u.village_scope', 's.csrf_token'])
    .where('s.id_hash', '=', sha256(token))
    .where('s.expires_at', '>', new Date())
    .where('u.disabled', '=', false)
    .executeTakeFirst()
  if (!row) return undefined
  return { principal: toPrincipal(row), csrfToken: row.csrf_token }
}

export async function deleteSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', sha256(token)).execute()
}

/** A new display token; the clear text is returned once and only its hash is stored. */
export async function createDisplayToken(db: Kysely<Database>, name: string, createdBy: number | null, token = `dsp_${randomToken()}`) {
  const row = await db
    .insertInto('display_tokens')
    .values({ name, token_hash: sha256(token), created_by: createdBy })
    .returning(['id', 'name', 'created_at'])
    .executeTakeFirstOrThrow()
  return { ...row, token }
}

export async function findDisplayToken(db: Kysely<Database>, token: string): Promise<Principal | undefined> {
  const row = await db
    .selectFrom('display_tokens')
    .select(['id', 'name'])
    .where('token_hash', '=', sha256(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  if (!row) return undefined
  return { id: row.id, username: `display:${row.id}`, displayName: row.name, role: 'display', villageScope: null }
}
