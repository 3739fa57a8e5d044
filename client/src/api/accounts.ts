import { auditEntrySchema, userSchema, type PrincipalView } from '@riskatlas/shared'
import { getJson, listOf, sendJson, type Parser } from './http.ts'

/** An account as GET /api/users lists it (no password, ever). */
export interface UserAccount {
  id: number
  username: string
  displayName: string
  role: Exclude<PrincipalView['role'], 'display'>
  villageScope: string[] | null
  disabled: boolean
  createdAt: string
}

export interface UserCreate {
  username: string
  displayName: string
  role: UserAccount['role']
  villageScope: string[] | null
  password: string
}

export type UserUpdate = Partial<Omit<UserCreate, 'username'> & { disabled: boolean }>

/** A big screen's token as listed: the secret itself is never listed, only shown once when issued. */
export interface DisplayToken {
  id: number
  name: string
  createdAt: string
  revokedAt: string | null
}

export interface IssuedDisplayToken {
  id: number
  name: string
  token: string
}

export interface AuditEntry {
  id: number
  at: string
  actor: string
  action: string
  entity: string
  entityId: string | null
  reason: string | null
  details: unknown
}

const userParser = userSchema as Parser<UserAccount>

const displayTokenParser: Parser<DisplayToken> = {
  parse(body) {
    const token = body as Partial<DisplayToken> | null
    if (typeof token?.id !== 'number' || typeof token.name !== 'string') throw new TypeError('not a display token')
    return { id: token.id, name: token.name, createdAt: String(token.createdAt ?? ''), revokedAt: token.revokedAt ?? null }
  },
}

const issuedTokenParser: Parser<IssuedDisplayToken> = {
  parse(body) {
    const issued = body as Partial<IssuedDisplayToken> | null
    if (typeof issued?.id !== 'number' || typeof issued.token !== 'string') throw new TypeError('not an issued token')
    return { id: issued.id, name: String(issued.name ?? ''), token: issued.token }
  },
}

export async function fetchUsers(signal?: AbortSignal): Promise<UserAccount[]> {
  return (await getJson('/api/users', listOf('users', userParser), signal)).users
}

export async function createUser(input: UserCreate): Promise<UserAccount> {
  return sendJson('POST', '/api/users', input, userParser)
}

export async function updateUser(id: number, patch: UserUpdate): Promise<UserAccount> {
  return sendJson('PATCH', `/api/users/${id}`, patch, userParser)
}

export async function fetchDisplayTokens(signal?: AbortSignal): Promise<DisplayToken[]> {
  return (await getJson('/api/display-tokens', listOf('tokens', displayTokenParser), signal)).tokens
}

/** Issues a token; the answer carries its text, which the server never shows again. */
export async function issueDisplayToken(name: string): Promise<IssuedDisplayToken> {
  return sendJson('POST', '/api/display-tokens', { name }, issuedTokenParser)
}

export async function revokeDisplayToken(id: number): Promise<void> {
  await sendJson('DELETE', `/api/display-tokens/${id}`)
}

/** One page of the audit log, newest first; pass the last entry's id as `before` for the next page. */
export async function fetchAuditLog(
  options: { limit?: number; before?: number; entity?: string } = {},
  signal?: AbortSignal,
): Promise<AuditEntry[]> {
  const params = new URLSearchParams({ limit: String(options.limit ?? 50) })
  if (options.before) params.set('before', String(options.before))
  if (options.entity) params.set('entity', options.entity)
  return (await getJson(`/api/audit-log?${params}`, listOf('entries', auditEntrySchema as Parser<AuditEntry>), signal)).entries
}
