import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context, MiddlewareHandler, TypedResponse } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { JSONParsed } from 'hono/utils/types'
import type { AuthVariables } from './auth/scope.ts'
import { validationHook } from './http.ts'

/** The Hono environment of every route: the auth middleware's variables. */
export interface AppEnv {
  Variables: AuthVariables
}

/**
 * A capability's sub-app: zod-openapi with the one validation hook (a failed request schema →
 * 400 `validation_failed`). Chain `.openapi(route, handler)` on it so the route's schemas
 * reach `AppType` and the typed client.
 */
export function router() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
}

/**
 * A JSON answer that is already text — a layer's features are written by PostGIS and joined,
 * never parsed — typed as the JSON its route declares, so the handler still matches the
 * route's response schema (and the typed client sees the schema's type).
 */
export function jsonText<T, S extends ContentfulStatusCode>(c: Context, text: string, status: S, contentType: string) {
  // The one cast: Hono types `c.body()` as an untyped body; the text is the schema's JSON.
  return textBody(c, text, status, contentType) as unknown as TypedResponse<JSONParsed<T>, S, 'json'>
}

/**
 * A text answer encoded to UTF-8 once, with its length: a string body would be walked again
 * (made well-formed by the Response, measured, then encoded), and a large one copied each time.
 */
export function textBody<S extends ContentfulStatusCode>(
  c: Context,
  text: string,
  status: S,
  contentType: string,
  headers: Record<string, string> = {},
) {
  const bytes = Buffer.from(text, 'utf8')
  return c.body(bytes as Uint8Array<ArrayBuffer>, status, {
    ...headers,
    'Content-Type': contentType,
    'Content-Length': String(bytes.byteLength),
  })
}

/** Personal data must not be kept by a browser or a proxy: every answer of the router is `no-store`. */
export const noStore: MiddlewareHandler = async (c, next) => {
  await next()
  c.header('Cache-Control', 'no-store')
}

const streamedResponses = new WeakSet<Response>()

/**
 * Marks a response whose body is sent as it is produced (`layers/streamed.ts`): the compression
 * middleware compresses it on the fly instead of reading it whole to measure it, and the
 * response cache keeps a copy as it passes (a tee) instead of before sending it.
 */
export function markStreamed(response: Response): Response {
  streamedResponses.add(response)
  return response
}

export const isStreamed = (response: Response) => streamedResponses.has(response)
