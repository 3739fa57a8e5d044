import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import { errorBodySchema, loginSchema, meSchema, principalSchema } from '@riskatlas/shared'
import type { AppDeps } from '../app.ts'
import { writeAudit } from '../audit/audit.ts'
import { ApiError } from '../errors.ts'
import { jsonResponse, validationHook } from '../http.ts'
import { Unauthorized } from './middleware.ts'
import { decoyHash, verifyPassword } from './passwords.ts'
import { RateLimiter } from './rate-limit.ts'
import type { AuthVariables } from './scope.ts'
import { createSession, deleteSession, sessionCookie, sessionTtlMs } from './sessions.ts'


const loginRoute = createRoute({
  method: 'post',
  path: '/login',
  tags: ['Auth'],
  summary: 'Sign in; sets an HttpOnly session cookie and returns the CSRF token',
  request: { body: { content: { 'application/json': { schema: loginSchema } }, required: true } },
  responses: {
    200: jsonResponse(meSchema, 'Signed in'),
    400: jsonResponse(errorBodySchema, 'Malformed request'),
    401: jsonResponse(errorBodySchema, 'Wrong username or password'),
    429: jsonResponse(errorBodySchema, 'Too many attempts; see Retry-After'),
  },
})

const logoutRoute = createRoute({
  method: 'post',
  path: '/logout',
  tags: ['Auth'],
  summary: 'Sign out: ends the session',
  responses: { 204: { description: 'Signed out' } },
})

const meRoute = createRoute({
  method: 'get',
  path: '/me',
  tags: ['Auth'],
  summary: 'Who is signed in (null when nobody), and the CSRF token for state-changing requests',
  responses: { 200: jsonResponse(meSchema, 'The current principal') },
})

class RateLimited extends ApiError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'rate_limited', `Too many sign-in attempts; try again in ${retryAfterSeconds} s.`, { retryAfterSeconds })
  }
}

/** The caller's address: the socket's, unless a trusted proxy in front sets X-Forwarded-For. */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').pop()?.trim()
    if (forwarded) return forwarded
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown' // app.request() in tests has no socket
  }
}

function isHttps(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true
  return trustProxy && c.req.header('x-forwarded-proto') === 'https'
}

export function authRoutes({ db, trustProxy = false, loginLimits }: AppDeps) {
  // Per account: 5 attempts per 15 min; per client address: 20 per 15 min.
  const perAccount = new RateLimiter(loginLimits?.perAccount ?? 5, 15 * 60_000)
  const perAddress = new RateLimiter(loginLimits?.perAddress ?? 20, 15 * 60_000)

  return new OpenAPIHono<{ Variables: AuthVariables }>({ defaultHook: validationHook })
    .openapi(loginRoute, async (c) => {
      const { username, password } = c.req.valid('json')
      const account = username.toLowerCase()
      const address = clientAddress(c, trustProxy)
      const wait = Math.max(perAccount.retryAfter(account), perAddress.retryAfter(address))
      if (wait > 0) {
        c.header('Retry-After', String(wait))
        throw new RateLimited(wait)
      }
      perAccount.hit(account)
      perAddress.hit(address)

      const user = await db
        .selectFrom('users')
        .select(['id', 'username', 'display_name', 'role', 'village_scope', 'password_hash'])
        .where('username', '=', account)
        .where('disabled', '=', false)
        .executeTakeFirst()
      const ok = await verifyPassword(password, user?.password_hash ?? (await decoyHash()))
      if (!user || !ok) throw new Unauthorized('Wrong username or password.')

      perAccount.reset(account)
      const session = await createSession(db, user.id)
      setCookie(c, sessionCookie, session.token, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: isHttps(c, trustProxy),
        path: '/',
        maxAge: Math.floor(sessionTtlMs / 1000),
      })
      await writeAudit(db, user.username, { action: 'login', entity: 'session', details: { address } })
      const principal = {
        id: user.id,
        username: user.username,
        displayName: user.display_name,
        role: user.role,
        villageScope: user.role === 'editor' ? user.village_scope : null,
      }
      return c.json({ user: principalSchema.parse(principal), csrfToken: session.csrfToken }, 200)
    })
    .openapi(logoutRoute, async (c) => {
      const sessionId = c.get('sessionId')
      if (sessionId) await deleteSession(db, sessionId)
      deleteCookie(c, sessionCookie, { path: '/' })
      return c.body(null, 204)
    })
    .openapi(meRoute, async (c) => c.json({ user: c.get('principal') ?? null, csrfToken: c.get('csrfToken') ?? null }, 200))
}
