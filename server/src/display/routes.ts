import { createRoute } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { displaySessionCreateSchema, displaySessionSchema, displaySetupCodeSchema } from '@riskatlas/shared'
import { writeAudit } from '../audit/queries.ts'
import { Unauthorized } from '../auth/middleware.ts'
import { RateLimited, RateLimiter } from '../auth/rate-limit.ts'
import { clientAddress } from '../auth/address.ts'
import {
  createDisplaySetupCode,
  deleteDisplaySession,
  displayCookie,
  displaySessionTtlMs,
  redeemDisplaySetupCode,
} from '../auth/queries.ts'
import type { AppContext } from '../context.ts'
import { NotFound } from '../errors.ts'
import { errorResponse, idParams, jsonResponse } from '../http.ts'
import { router } from '../router.ts'

const setupCodeRoute = createRoute({
  method: 'post',
  path: '/display-tokens/{id}/setup-code',
  tags: ['Auth'],
  summary: 'A one-time setup code (and link) for a big screen, valid 10 minutes (admin)',
  description:
    'The screen exchanges it once at `POST /api/display-session` for an HttpOnly cookie session bound to this display token. ' +
    'The link carries the code in its fragment, which browsers never send, so it lands in no server or proxy log.',
  request: { params: idParams },
  responses: { 201: jsonResponse(displaySetupCodeSchema, 'The code, shown once'), 404: errorResponse('No such display token, or revoked') },
})

const sessionRoute = createRoute({
  method: 'post',
  path: '/display-session',
  tags: ['Auth'],
  summary: 'A big screen exchanges its setup code for an HttpOnly SameSite=Strict cookie session (once)',
  request: { body: { required: true, content: { 'application/json': { schema: displaySessionCreateSchema } } } },
  responses: {
    200: jsonResponse(displaySessionSchema, 'Signed in as the display; the cookie is set'),
    401: errorResponse('Wrong, used or expired code, or the token was revoked'),
    429: errorResponse('Too many wrong codes from this address; see Retry-After'),
  },
})

const endSessionRoute = createRoute({
  method: 'delete',
  path: '/display-session',
  tags: ['Auth'],
  summary: 'The big screen signs out (its cookie session ends)',
  responses: { 204: { description: 'Signed out' } },
})

function isHttps(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true
  return trustProxy && c.req.header('x-forwarded-proto') === 'https'
}

/** `/api/display-tokens/:id/setup-code` and `/api/display-session`: a wall screen signs in without a header. */
export function displayRoutes({ db, trustProxy, setupCodeLimit }: Pick<AppContext, 'db' | 'trustProxy' | 'setupCodeLimit'>) {
  // Only wrong codes count, per client address: a guesser waits out the window long before it
  // could hit one of the few codes alive (8 random characters, 10 minutes each).
  const wrongCodes = new RateLimiter(setupCodeLimit, 5 * 60_000)
  return router()
    .openapi(setupCodeRoute, async (c) => {
      const { id } = c.req.valid('param')
      const issued = await createDisplaySetupCode(db, id)
      if (!issued) throw new NotFound(`No active display token with id ${id}`)
      await writeAudit(db, c.get('principal')!, {
        action: 'create',
        entity: 'display_session',
        entityId: id,
        reason: 'display_setup_code_issued',
      })
      return c.json(
        {
          code: issued.code,
          link: `/command/setup#code=${issued.code}`,
          expiresAt: issued.expiresAt.toISOString(),
          displayTokenId: issued.displayTokenId,
        },
        201,
      )
    })
    .openapi(sessionRoute, async (c) => {
      const address = clientAddress(c, trustProxy)
      const wait = wrongCodes.retryAfter(address)
      if (wait > 0) {
        c.header('Retry-After', String(wait))
        throw new RateLimited(wait, `Too many wrong setup codes; try again in ${wait} s.`)
      }
      const redeemed = await redeemDisplaySetupCode(db, c.req.valid('json').code)
      if (!redeemed) {
        wrongCodes.hit(address)
        throw new Unauthorized('This setup code is wrong, used or expired; ask the admin for a new one.')
      }
      setCookie(c, displayCookie, redeemed.session, {
        httpOnly: true,
        sameSite: 'Strict',
        secure: isHttps(c, trustProxy),
        path: '/',
        maxAge: Math.floor(displaySessionTtlMs / 1000),
      })
      await writeAudit(db, `display:${redeemed.displayTokenId}`, {
        action: 'login',
        entity: 'display_session',
        entityId: redeemed.displayTokenId,
        reason: 'display_signed_in',
      })
      c.header('Cache-Control', 'no-store')
      return c.json({ displayName: redeemed.displayName, expiresAt: redeemed.expiresAt.toISOString() }, 200)
    })
    .openapi(endSessionRoute, async (c) => {
      const session = getCookie(c, displayCookie)
      if (session) await deleteDisplaySession(db, session)
      deleteCookie(c, displayCookie, { path: '/' })
      return c.body(null, 204)
    })
}
