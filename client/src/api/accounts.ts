import type {
  AuditEntryView,
  DisplayTokenView,
  IssuedDisplayTokenView,
  UserCreateInput,
  UserUpdateInput,
  UserView,
} from '@riskatlas/shared'
import { api, ok, withSignal } from './client.ts'

/** An account as GET /api/users lists it (no password, ever). */
export type UserAccount = UserView
export type UserCreate = UserCreateInput
export type UserUpdate = UserUpdateInput
/** A big screen's token as listed: the secret itself is never listed, only shown once when issued. */
export type DisplayToken = DisplayTokenView
export type IssuedDisplayToken = IssuedDisplayTokenView
export type AuditEntry = AuditEntryView

export async function fetchUsers(signal?: AbortSignal): Promise<UserAccount[]> {
  return (await ok(api.users.$get(undefined, withSignal(signal)))).users
}

export async function createUser(input: UserCreate): Promise<UserAccount> {
  return ok(api.users.$post({ json: input }))
}

export async function updateUser(id: number, patch: UserUpdate): Promise<UserAccount> {
  return ok(api.users[':id'].$patch({ param: { id: String(id) }, json: patch }))
}

export async function fetchDisplayTokens(signal?: AbortSignal): Promise<DisplayToken[]> {
  return (await ok(api['display-tokens'].$get(undefined, withSignal(signal)))).tokens
}

/** Issues a token; the answer carries its text, which the server never shows again. */
export async function issueDisplayToken(name: string): Promise<IssuedDisplayToken> {
  return ok(api['display-tokens'].$post({ json: { name } }))
}

export async function revokeDisplayToken(id: number): Promise<void> {
  await ok(api['display-tokens'][':id'].$delete({ param: { id: String(id) } }))
}

/** One page of the audit log, newest first; pass the last entry's id as `before` for the next page. */
export async function fetchAuditLog(
  options: { limit?: number; before?: number; entity?: string } = {},
  signal?: AbortSignal,
): Promise<AuditEntry[]> {
  const query = {
    limit: String(options.limit ?? 50),
    ...(options.before ? { before: String(options.before) } : {}),
    ...(options.entity ? { entity: options.entity } : {}),
  }
  return (await ok(api['audit-log'].$get({ query }, withSignal(signal)))).entries
}
