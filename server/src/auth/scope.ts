import { ApiError } from '../errors.ts'
import type { Role } from './policies.ts'

/** The signed-in principal a route acts for; `undefined` on public routes for anonymous callers. */
export interface Principal {
  /** users.id, or the display token's id for `display`. */
  id: number
  username: string
  displayName: string
  role: Role
  /**
   * Administrative-village codes (12 digits) an editor is limited to; `null` = the whole town.
   * Only meaningful for `editor`; admins, viewers and displays are never scoped.
   */
  villageScope: string[] | null
}

/** Hono context variables set by the auth middleware. */
export interface AuthVariables {
  principal: Principal | undefined
  sessionId: string | undefined
  /** The session's CSRF token, required as `X-CSRF-Token` on state-changing requests. */
  csrfToken: string | undefined
}

export class Forbidden extends ApiError {
  constructor(message = 'You do not have permission to do this.') {
    super(403, 'forbidden', message)
  }
}

/** May this principal see personal data (names, phones, addresses) of people in `adminCode`? */
export function canSeePersonalData(principal: Principal | undefined, adminCode: string): boolean {
  if (!principal) return false
  if (principal.role === 'admin') return true
  if (principal.role !== 'editor') return false
  return principal.villageScope === null || principal.villageScope.includes(adminCode)
}

/** Throws 403 unless the principal may write (or read personal data) in the administrative village. */
export function assertVillageInScope(principal: Principal | undefined, adminCode: string): void {
  if (!canSeePersonalData(principal, adminCode)) throw new Forbidden('This record belongs to an administrative village outside your scope.')
}

/**
 * The administrative villages whose records a principal may read personally:
 * `null` = all, `[]` = none. Use it to filter lists so out-of-scope rows are never fetched.
 */
export function personalDataScope(principal: Principal | undefined): string[] | null {
  if (!principal) return []
  if (principal.role === 'admin') return null
  if (principal.role === 'editor') return principal.villageScope
  return []
}

/**
 * Throws 403 unless the principal may write a record of `adminCode`: one of an editor's
 * villages; a record in no administrative village (null) is the whole town's — admins and
 * town-wide editors only.
 */
export function assertAreaInScope(principal: Principal, adminCode: string | null): void {
  if (adminCode !== null) return assertVillageInScope(principal, adminCode)
  if (principal.role !== 'admin' && principal.villageScope !== null)
    throw new Forbidden('This record belongs to no administrative village of your scope.')
}
