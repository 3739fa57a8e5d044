import type { Context, MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { PatternRouter } from 'hono/router/pattern-router'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { ApiError } from '../errors.ts'
import { clientPagesKey, policyFor } from './policies.ts'
import { Forbidden, type AuthVariables } from './scope.ts'
import { displayCookie, findDisplaySession, findDisplayToken, findSession, sessionCookie } from './queries.ts'

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

/** Outside `/api` the server answers only GET and HEAD: every state change lives under `/api`, behind CSRF. */
export class MethodNotAllowed extends ApiError {
  constructor(method: string) {
    super(405, 'method_not_allowed', `${method} is not answered outside /api; only GET and HEAD are.`)
  }
}

const isApiPath = (path: string) => path === '/api' || path.startsWith('/api/')

/** The app's catch-all handlers (the client's static files and page fallback, /api's 404): not concrete routes. */
const isCatchAll = (route: { method: string; path: string }) => route.method === 'ALL' || route.path === '*' || route.path === '/*'

export interface AuthorizeOptions {
  /** Behind a reverse proxy: the scheme the browser used comes from X-Forwarded-Proto. */
  trustProxy?: boolean
}

/**
 * Authenticates (session cookie, display bearer token, or a display's cookie session) and enforces the route's declared
 * policy before any handler runs, on every path the server answers. Undeclared routes are
 * refused: protected by default. `routes` lists the app's real routes, so an undeclared
 * *existing* route is 403 — the client pages' catch-all entry never covers one — while a
 * path that matches nothing falls through to the 404 handler.
 */
export function authorize(
  db: Kysely<Database>,
  routes: () => { method: string; path: string }[],
  options: AuthorizeOptions = {},
): MiddlewareHandler<{ Variables: AuthVariables }> {
  let concrete: PatternRouter<true> | undefined
  const concreteRouteExists = (method: string, path: string) => {
    if (!concrete) {
      concrete = new PatternRouter<true>()
      for (const route of routes()) if (!isCatchAll(route)) concrete.add(route.method, route.path, true)
    }
    return concrete.match(method === 'HEAD' ? 'GET' : method, path)[0].length > 0
  }

  return async (c, next) => {
    const { method, path } = c.req
    if (!isApiPath(path) && method !== 'GET' && method !== 'HEAD') {
      c.header('Allow', 'GET, HEAD')
      throw new MethodNotAllowed(method)
    }
    const entry = policyFor(method, path)
    if (
      !entry ||
      (entry.key === clientPagesKey && isApiPath(path)) ||
      (entry.key === clientPagesKey && concreteRouteExists(method, path))
    ) {
      if (concreteRouteExists(method, path)) throw new Forbidden(`${method} ${path} has no declared access policy.`)
      return next()
    }
    if (entry.policy === 'public') {
      // Nobody's identity matters here, so no session is looked up (the map's layer requests).
      if (unsafeMethods.has(method)) assertSameOrigin(c, options.trustProxy ?? false)
      return next()
    }
    await authenticate(c, db)
    if (entry.policy === 'identify') return next()
    const principal = c.get('principal')
    if (!principal) throw new Unauthorized()
    if (!entry.policy.roles.includes(principal.role)) throw new Forbidden()
    if (unsafeMethods.has(method)) {
      assertSameOrigin(c, options.trustProxy ?? false)
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
  const session = token ? await findSession(db, token) : undefined
  if (token && session) {
    c.set('principal', session.principal)
    c.set('sessionId', token)
    c.set('csrfToken', session.csrfToken)
    return
  }
  // A big screen's cookie session (set by POST /api/display-session), bound to its display token.
  const screen = getCookie(c, displayCookie)
  if (!screen) return
  const principal = await findDisplaySession(db, screen)
  if (principal) c.set('principal', principal)
}

/**
 * A browser always sends Origin on unsafe cross-site requests; refuse any that is not ours —
 * scheme and host (with port) both, so `http://` pages cannot post to the `https://` site.
 * Our origin is the request's own URL (Host header; X-Forwarded-Proto when a trusted proxy
 * in front ends TLS).
 */
function assertSameOrigin(c: Context, trustProxy: boolean) {
  const origin = c.req.header('origin')
  if (origin === undefined) return
  let theirs: string
  try {
    theirs = new URL(origin).origin
  } catch {
    throw new Forbidden('Cross-site request refused.')
  }
  const url = new URL(c.req.url)
  const host = c.req.header('host') ?? url.host
  const forwardedProto = trustProxy ? c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() : undefined
  const scheme = forwardedProto === 'https' || forwardedProto === 'http' ? `${forwardedProto}:` : url.protocol
  let ours: string | undefined
  try {
    ours = host ? new URL(`${scheme}//${host}`).origin : undefined
  } catch {
    ours = undefined
  }
  if (!ours || theirs === 'null' || theirs !== ours) throw new Forbidden('Cross-site request refused.')
}
