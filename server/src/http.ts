import { z, type Hook } from '@hono/zod-openapi'
import type { Context, ErrorHandler, MiddlewareHandler, NotFoundHandler } from 'hono'
import { errorBodySchema, idTextSchema, type ErrorBody } from '@riskatlas/shared'
import { ApiError, DatabaseUnavailable, Invalid, isConnectionError } from './errors.ts'

type Logger = (line: string) => void

export function errorBody(error: ApiError): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  }
}

/**
 * The one place an error becomes a response. Known errors keep their status and code; the
 * database being away is a 503; anything else is logged here and answered with a bare 500 —
 * no stack, no SQL text.
 */
export function onError(log: Logger): ErrorHandler {
  return (error, c) => {
    if (error instanceof ApiError) return c.json(errorBody(error), error.status)
    if (isConnectionError(error)) {
      log(`database unavailable: ${error.message}`)
      return c.json(errorBody(new DatabaseUnavailable()), 503)
    }
    const status = (error as { status?: unknown }).status
    if (status === 413) return c.json(errorBody(new ApiError(413, 'payload_too_large', 'The request body is too large.')), 413)
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return c.json(errorBody(new ApiError(400, 'bad_request', 'The request could not be understood.')), 400)
    }
    log(`unexpected error on ${c.req.method} ${c.req.path}: ${error.stack ?? error.message}`)
    return c.json(errorBody(new ApiError(500, 'internal_error', 'An unexpected error occurred; it has been logged.')), 500)
  }
}

export const notFoundApi: NotFoundHandler = (c) =>
  c.json(errorBody(new ApiError(404, 'not_found', `No such endpoint: ${c.req.method} ${c.req.path}`)), 404)

/** zod-openapi's validation hook: a failed request schema becomes a 400 with the issues as details. */
export const validationHook: Hook<any, any, any, any> = (result) => {
  if (result.success) return
  const issues = result.error.issues.map((issue: { path: PropertyKey[]; message: string }) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }))
  throw new Invalid(
    `Invalid request: ${issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ')}`,
    {
      issues,
    },
  )
}

/** One log line per request: method, path, status, milliseconds. */
export function requestLogger(log: Logger): MiddlewareHandler {
  return async (c: Context, next) => {
    const started = performance.now()
    await next()
    const url = new URL(c.req.url)
    log(`${c.req.method} ${url.pathname}${url.search} ${c.res.status} ${(performance.now() - started).toFixed(1)}ms`)
  }
}

/** An OpenAPI response entry with a JSON body (for `createRoute({ responses })`). */
export const jsonResponse = <T>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } })

/** An OpenAPI error response: the `{ error: { code, message, details } }` envelope. */
export const errorResponse = (description: string) => jsonResponse(errorBodySchema, description)

/** `/{id}` path parameters: the shared id schema (decimal digits, 1 … 2³¹−1; 400 otherwise). */
export const idParams = z.object({ id: z.string().openapi({ pattern: '^[1-9][0-9]{0,9}$', example: '1' }).pipe(idTextSchema) })
