import type { Context, MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { PatternRouter } from 'hono/router/pattern-router'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { ApiError } from '../errors.ts'
import { policyFor } from './policies.ts'
import { Forbidden, type AuthVariables } from './scope.ts'
import { findDisplayToken, findSession, sessionCookie } from './queries.ts'

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

export class Unauthorized extends ApiError {
  constructor(message = 'Please sign in first.') {
    super(401, 'unauthorized', message)
  }
}

/** A state-changing request without the session's CSRF token: its own code, so a client renews the token and retries. */
export class CsrfRefused extends ApiError {
  constructor() {
    super(403, 'csrf_failed', 'The CSRF token is missing or wrong; reload the page and try again.')
  }
}

/**
 * Authenticates (session cookie or display bearer token) and enforces the route's declared
 * policy before any handler runs. Undeclared routes are refused: protected by default.
 * `routes` lists the app's real routes, so an undeclared *existing* route is 403 while a
 * path that matches nothing falls through to the 404 handler.
 */
export function authorize(
  db: Kysely<Database>,
  routes: () => { method: string; path: string }[],
): MiddlewareHandler<{ Variables: AuthVariables }> {
  let existing: PatternRouter<true> | undefined
  const routeExists = (method: string, path: string) => {
    if (!existing) {
      existing = new PatternRouter<true>()
      for (const route of routes())
        if (route.path.startsWith('/api/') && route.method !== 'ALL') existing.add(route.method, route.path, true)
    }
    return existing.match(method === 'HEAD' ? 'GET' : method, path)[0].length > 0
  }

  return async (c, next) => {
    const { method, path } = c.req
    const entry = policyFor(method, path)
    if (!entry) {
      if (routeExists(method, path)) throw new Forbidden(`${method} ${path} has no declared access policy.`)
      return next()
    }
    if (entry.policy === 'public') {
      // Nobody's identity matters here, so no session is looked up (the map's layer requests).
      if (unsafeMethods.has(method)) assertSameOrigin(c)
      return next()
    }
    await authenticate(c, db)
    if (entry.policy === 'identify') return next()
    const principal = c.get('principal')
    if (!principal) throw new Unauthorized()
    if (!entry.policy.roles.includes(principal.role)) throw new Forbidden()
    if (unsafeMethods.has(method)) {
      assertSameOrigin(c)
      const expected = c.get('csrfToken')
      if (principal.role !== 'display' && (!expected || c.req.header('x-csrf-token') !== expected)) throw new CsrfRefused()
    }
    return next()
  }
}

async function authenticate(c: Context<{ Variables: AuthVariables }>, db: Kysely<Database>) {
  c.set('principal', undefined)
  c.set('sessionId', undefined)
  c.set('csrfToken', undefined)
  const bearer = c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1]
  if (bearer) {
    const principal = await findDisplayToken(db, bearer)
    if (!principal) throw new Unauthorized('This display token is not valid or has been revoked.')
    c.set('principal', principal)
    return
  }
  const token = getCookie(c, sessionCookie)
  if (!token) return
  const session = await findSession(db, token)
  if (!session) return
  c.set('principal', session.principal)
  c.set('sessionId', token)
  c.set('csrfToken', session.csrfToken)
}

/** A browser always sends Origin on unsafe cross-site requests; refuse any that is not ours. */
function assertSameOrigin(c: Context) {
  const origin = c.req.header('origin')
  if (!origin) return
  const host = c.req.header('host')
  let originHost: string
  try {
    originHost = new URL(origin).host
  } catch {
    throw new Forbidden('Cross-site request refused.')
  }
  if (originHost !== host) throw new Forbidden('Cross-site request refused.')
}
