import { userCreateSchema, userUpdateSchema } from '@riskatlas/shared'
import type { UserAccount, UserCreate, UserUpdate } from '../../api/accounts.ts'

/** The account form as typed: the scope as a mode plus the chosen administrative villages. */
export interface UserDraft {
  username: string
  displayName: string
  role: UserAccount['role']
  scopeMode: 'town' | 'villages'
  villages: string[]
  password: string
  disabled: boolean
}

export type UserField = 'username' | 'displayName' | 'role' | 'villageScope' | 'password'

export function draftOfUser(user?: UserAccount): UserDraft {
  return {
    username: user?.username ?? '',
    displayName: user?.displayName ?? '',
    role: user?.role ?? 'editor',
    scopeMode: user?.villageScope ? 'villages' : 'town',
    villages: [...(user?.villageScope ?? [])],
    password: '',
    disabled: user?.disabled ?? false,
  }
}

/** The scope to store: only editors are scoped; `null` means the whole town. */
function scopeOf(draft: UserDraft): string[] | null {
  return draft.role === 'editor' && draft.scopeMode === 'villages' ? draft.villages : null
}

function fieldsOf(issues: readonly { path: readonly PropertyKey[] }[]): UserField[] {
  return [...new Set(issues.map((issue) => String(issue.path[0]) as UserField))]
}

/** Checks a new account with the server's `userCreateSchema`; returns the body or the refused fields. */
export function validateNewUser(draft: UserDraft): { input: UserCreate; fields: [] } | { input: null; fields: UserField[] } {
  const body = {
    username: draft.username.trim(),
    displayName: draft.displayName.trim(),
    role: draft.role,
    villageScope: scopeOf(draft),
    password: draft.password,
  }
  const result = userCreateSchema.safeParse(body)
  return result.success ? { input: body, fields: [] } : { input: null, fields: fieldsOf(result.error.issues) }
}

/** The changes to an account (only what differs), checked with the server's `userUpdateSchema`. */
export function validateUserChanges(
  user: UserAccount,
  draft: UserDraft,
): { patch: UserUpdate; fields: [] } | { patch: null; fields: UserField[] } {
  const patch: UserUpdate = {}
  if (draft.displayName.trim() !== user.displayName) patch.displayName = draft.displayName.trim()
  if (draft.role !== user.role) patch.role = draft.role
  if (draft.role === 'editor') {
    const scope = scopeOf(draft)
    const before = user.role === 'editor' ? user.villageScope : null
    const same = JSON.stringify(scope && [...scope].sort()) === JSON.stringify(before && [...before].sort())
    if (draft.role !== user.role || !same) patch.villageScope = scope
  }
  if (draft.password) patch.password = draft.password
  if (draft.disabled !== user.disabled) patch.disabled = draft.disabled
  const result = userUpdateSchema.safeParse(patch)
  return result.success ? { patch, fields: [] } : { patch: null, fields: fieldsOf(result.error.issues) }
}
