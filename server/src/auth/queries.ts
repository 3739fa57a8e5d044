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

// ------------------------------------------------------------------ big screens: setup code → cookie session

/** The big screen's cookie: a session bound to a display token (revoking the token ends it). */
export const displayCookie = 'ra_display'
export const displaySessionTtlMs = 30 * 24 * 60 * 60 * 1000
export const displaySetupCodeTtlMs = 10 * 60 * 1000

/** No 0/O, 1/I/L: read off one screen, typed on another. */
const codeAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'

/** Codes are compared without case, dashes or spaces. */
const normalizeCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, '')

/** A one-time setup code for a display token; only its hash is stored. Undefined when the token is unknown or revoked. */
export async function createDisplaySetupCode(db: Kysely<Database>, displayTokenId: number) {
  const token = await db
    .selectFrom('display_tokens')
    .select(['id', 'name'])
    .where('id', '=', displayTokenId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  if (!token) return undefined
  const bytes = randomBytes(8)
  const raw = [...bytes].map((b) => codeAlphabet[b % codeAlphabet.length]).join('')
  const code = `${raw.slice(0, 4)}-${raw.slice(4)}`
  const expiresAt = new Date(Date.now() + displaySetupCodeTtlMs)
  await db.deleteFrom('display_setup_codes').where('expires_at', '<', new Date()).execute()
  await db
    .insertInto('display_setup_codes')
    .values({ code_hash: sha256(normalizeCode(code)), display_token_id: token.id, expires_at: expiresAt, used_at: null })
    .execute()
  return { code, expiresAt, displayTokenId: token.id }
}

/** Exchanges a setup code, once, for a new display session. Undefined for a wrong, used or expired code or a revoked token. */
export async function redeemDisplaySetupCode(db: Kysely<Database>, code: string) {
  const used = await db
    .updateTable('display_setup_codes')
    .set({ used_at: new Date() })
    .where('code_hash', '=', sha256(normalizeCode(code)))
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning('display_token_id')
    .executeTakeFirst()
  if (!used) return undefined
  const token = await db
    .selectFrom('display_tokens')
    .select(['id', 'name'])
    .where('id', '=', used.display_token_id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  if (!token) return undefined
  const session = randomToken()
  const expiresAt = new Date(Date.now() + displaySessionTtlMs)
  await db
    .insertInto('display_sessions')
    .values({ id_hash: sha256(session), display_token_id: token.id, expires_at: expiresAt })
    .execute()
  await db.deleteFrom('display_sessions').where('expires_at', '<', new Date()).execute()
  return { session, expiresAt, displayTokenId: token.id, displayName: token.name }
}

/** The display principal of a cookie session, while its token is not revoked. */
export async function findDisplaySession(db: Kysely<Database>, session: string): Promise<Principal | undefined> {
  const row = await db
    .selectFrom('display_sessions as s')
    .innerJoin('display_tokens as t', 't.id', 's.display_token_id')
    .select(['t.id', 't.name'])
    .where('s.id_hash', '=', sha256(session))
    .where('s.expires_at', '>', new Date())
    .where('t.revoked_at', 'is', null)
    .executeTakeFirst()
  if (!row) return undefined
  return { id: row.id, username: `display:${row.id}`, displayName: row.name, role: 'display', villageScope: null }
}

export async function deleteDisplaySession(db: Kysely<Database>, session: string): Promise<void> {
  await db.deleteFrom('display_sessions').where('id_hash', '=', sha256(session)).execute()
}
