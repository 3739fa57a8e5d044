import { hc, type ClientResponse } from 'hono/client'
import type { Hono } from 'hono'
import type { SuccessStatusCode } from 'hono/utils/http-status'
import type { AppType } from '@riskatlas/server'
import { apiFetch, toApiError } from './http.ts'

/**
 * The typed client: `api.drills.$get({ query })`, `api['vulnerable-people'][':id'].$patch(…)` —
 * every path, parameter, query, body and answer is checked against the server's route
 * schemas (`AppType`), so a server schema change fails this package's typecheck. Requests go
 * through `apiFetch` (the session's CSRF token, one renewal on `csrf_failed`, the session-ended
 * handler); an answer that is not 2xx becomes an `ApiError` there, so callers only see success.
 *
 * The only import of the server in the client, and a type-only one (a lint rule holds it so).
 */
export const api = hc<AppType>('/', { fetch: callServer }).api

async function callServer(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
  const response = await apiFetch(url, init)
  if (!response.ok) throw await toApiError(response)
  return response
}

/** The body a route declares for its success statuses; `undefined` for 204 No Content. */
export type SuccessBody<R> =
  R extends ClientResponse<infer Body, infer Status>
    ? Status extends SuccessStatusCode
      ? Status extends 204
        ? undefined
        : Body
      : never
    : never

/** Awaits a typed call and returns its JSON answer (the caller sees only success: failures throw `ApiError`). */
export async function ok<R extends ClientResponse<unknown, number, string>>(call: Promise<R>): Promise<SuccessBody<R>> {
  const response = await call
  if (response.status === 204) return undefined as SuccessBody<R>
  return (await response.json()) as SuccessBody<R>
}

/** Options for a read: cancel it with an AbortSignal. */
export const withSignal = (signal?: AbortSignal) => (signal ? { init: { signal } } : undefined)

// ------------------------------------------------------------------ the routes as types (for test fakes)

type Schema = AppType extends Hono<any, infer S, any> ? S : never
type Verb<M> = M extends `$${infer Name}` ? Uppercase<Name> : never

/** Every route as `'METHOD /api/path/:param'` — the keys of the server's policy table. */
export type RouteKey = { [P in keyof Schema & string]: `${Verb<keyof Schema[P]>} ${P}` }[keyof Schema & string]

type Endpoint<K> = K extends `${infer M} ${infer P}`
  ? P extends keyof Schema
    ? Schema[P][`$${Lowercase<M>}` & keyof Schema[P]]
    : never
  : never

/** The body of a route's success answer (`undefined` for 204), as the client receives it. */
export type RouteSuccess<K extends RouteKey> =
  Endpoint<K> extends infer E
    ? E extends { status: infer S; output: infer O }
      ? S extends SuccessStatusCode
        ? S extends 204
          ? undefined
          : O
        : never
      : never
    : never

/** `/api/drills/:id` → `/api/drills/${string}`: the concrete paths a route answers. */
type Concrete<P extends string> = P extends `${infer Head}/:${string}/${infer Rest}`
  ? `${Head}/${string}${Concrete<`/${Rest}`>}`
  : P extends `${infer Head}/:${string}`
    ? `${Head}/${string}`
    : P

/** The route (or routes) a concrete request key such as `'PATCH /api/drills/7'` or `'GET /api/gaps?year=2026'` reaches. */
export type RouteOf<K extends string> = K extends RouteKey
  ? K
  : (K extends `${infer Base}?${string}` ? Base : K) extends infer Plain
    ? { [R in RouteKey]: R extends `${infer M} ${infer P}` ? (Plain extends `${M} ${Concrete<P>}` ? R : never) : never }[RouteKey]
    : never
