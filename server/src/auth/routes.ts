import { createRoute } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import { loginSchema, meSchema } from '@riskatlas/shared'
import type { AppContext } from '../context.ts'
import { writeAudit } from '../audit/queries.ts'
import { errorResponse, jsonResponse } from '../http.ts'
import { router } from '../router.ts'
import { clientAddress } from './address.ts'
import { Unauthorized } from './middleware.ts'
import { decoyHash, verifyPassword } from './passwords.ts'
import { RateLimited, RateLimiter } from './rate-limit.ts'
import { createSession, deleteSession, findLoginAccount, sessionCookie, sessionTtlMs } from './queries.ts'

const loginRoute = createRoute({
  method: 'post',
  path: '/login',
  tags: ['Auth'],
  summary: 'Sign in; sets an HttpOnly session cookie and returns the CSRF token',
  request: { body: { content: { 'application/json': { schema: loginSchema } }, required: true } },
  responses: {
    200: jsonResponse(meSchema, 'Signed in'),
    400: errorResponse('Malformed request'),
    401: errorResponse('Wrong username or password'),
    429: errorResponse('Too many attempts; see Retry-After'),
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

function isHttps(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true
  return trustProxy && c.req.header('x-forwarded-proto') === 'https'
}

export function authRoutes({ db, trustProxy, loginLimits }: Pick<AppContext, 'db' | 'trustProxy' | 'loginLimits'>) {
  // Only failed sign-ins count; a correct password is never refused for failures another address made.
  // - per address (any account, 20 / 15 min): a client that keeps guessing waits;
  // - per account and address (5 / 15 min): one client guessing one account waits;
  // - per account (any address, 5 / 15 min): the account is "under attack". Then only an address
  //   that has already failed against it twice waits; a clean address (the owner at their desk)
  //   still signs in, so no attacker can lock the town's chief out, and each further address
  //   gets at most two guesses a window.
  const windowMs = 15 * 60_000
  const perAddress = new RateLimiter(loginLimits.perAddress, windowMs)
  const perAccount = new RateLimiter(loginLimits.perAccount, windowMs)
  const perPair = new RateLimiter(loginLimits.perAccount, windowMs)
  const guessesWhileUnderAttack = 2

  return router()
    .openapi(loginRoute, async (c) => {
      const { username, password } = c.req.valid('json')
      const account = username.toLowerCase()
      const address = clientAddress(c, trustProxy)
      const pair = `${account}\u0000${address}`
      let wait = Math.max(perAddress.retryAfter(address), perPair.retryAfter(pair))
      if (perPair.count(pair) >= guessesWhileUnderAttack) wait = Math.max(wait, perAccount.retryAfter(account))
      if (wait > 0) {
        c.header('Retry-After', String(wait))
        throw new RateLimited(wait, `Too many sign-in attempts; try again in ${wait} s.`)
      }

      const user = await findLoginAccount(db, account)
      const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()))
      if (!user || !ok) {
        perAddress.hit(address)
        perAccount.hit(account)
        perPair.hit(pair)
        throw new Unauthorized('Wrong username or password.')
      }

      perPair.reset(pair)
      const session = await createSession(db, user.principal.id)
      setCookie(c, sessionCookie, session.token, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: isHttps(c, trustProxy),
        path: '/',
        maxAge: Math.floor(sessionTtlMs / 1000),
      })
      await writeAudit(db, user.principal, { action: 'login', entity: 'session', details: { address } })
      return c.json({ user: user.principal, csrfToken: session.csrfToken }, 200)
    })
    .openapi(logoutRoute, async (c) => {
      const sessionId = c.get('sessionId')
      if (sessionId) await deleteSession(db, sessionId)
      deleteCookie(c, sessionCookie, { path: '/' })
      return c.body(null, 204)
    })
    .openapi(meRoute, async (c) => c.json({ user: c.get('principal') ?? null, csrfToken: c.get('csrfToken') ?? null }, 200))
}
