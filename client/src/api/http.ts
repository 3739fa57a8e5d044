import type { ErrorCode } from '@riskatlas/shared'

/** Anything with zod's `parse` (the shared schemas). */
export interface Parser<T> {
  parse(input: unknown): T
}

/** `{ [key]: T[] }`, each entry checked by `item` (a shared schema): the shape of our list answers. */
export function listOf<K extends string, T>(key: K, item: Parser<T>): Parser<Record<K, T[]>> {
  return {
    parse(body) {
      const list = (body as Record<string, unknown> | null)?.[key]
      if (!Array.isArray(list)) throw new TypeError(`expected { ${key}: [...] }`)
      return { [key]: list.map((entry) => item.parse(entry)) } as Record<K, T[]>
    },
  }
}

/** A failed call to our own server, with the `{ error: { code, message } }` body when there was one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The error body's `details` (e.g. `{ retryAfterSeconds }` on 429, `{ issues }` on 400). */
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** The session's CSRF token; `useSession` keeps it current. Null when nobody is signed in. */
let csrfToken: string | null = null
/** Fetches a fresh token (GET /api/auth/me) when the server says ours is stale. */
let renewCsrfToken: (() => Promise<string | null>) | undefined

/** Told when the server answers 401 to a signed-in request: the session has ended (expired, revoked, disabled). */
let onSessionEnded: (() => void) | undefined

/** Registers what to do when the server says the session is gone (`useSession` clears itself). */
export function setSessionEndedHandler(handler: () => void): void {
  onSessionEnded = handler
}

/**
 * Sets the token every state-changing request echoes in `X-CSRF-Token`, and how to renew it
 * (a sign-in in another tab starts a new session with a new token).
 */
export function setCsrfToken(token: string | null, renew?: () => Promise<string | null>): void {
  csrfToken = token
  if (renew) renewCsrfToken = renew
}

/** The server's 403 for a missing or stale CSRF token (its own code, as opposed to a role or scope refusal). */
async function isCsrfRefusal(response: Response): Promise<boolean> {
  if (response.status !== 403) return false
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { error?: { code?: unknown } } | null
  return body?.error?.code === ('csrf_failed' satisfies ErrorCode)
}

/**
 * `fetch` against our own server: on POST/PUT/PATCH/DELETE it sends the session's
 * `X-CSRF-Token`, and when the server refuses the token as stale it renews it once and retries.
 * GETs go out unchanged.
 */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetchWithCsrf(path, init)
  if (response.status === 401 && csrfToken && onSessionEnded && path !== '/api/auth/login') onSessionEnded()
  return response
}

async function fetchWithCsrf(path: string, init: RequestInit): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase()
  if (!unsafeMethods.has(method)) return fetch(path, init)
  const send = () => {
    const headers = new Headers(init.headers)
    if (csrfToken) headers.set('x-csrf-token', csrfToken)
    return fetch(path, { ...init, method, headers })
  }
  const response = await send()
  if (!renewCsrfToken || !(await isCsrfRefusal(response))) return response
  csrfToken = await renewCsrfToken()
  return send()
}

/**
 * Sends JSON with a state-changing method (CSRF token included) and returns the JSON answer,
 * validated by `schema` when given; `undefined` for 204 No Content.
 */
export async function sendJson<T = unknown>(
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  schema?: Parser<T>,
): Promise<T> {
  const response = await apiFetch(path, {
    method,
    headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!response.ok) throw await toApiError(response)
  if (response.status === 204) return undefined as T
  const answer: unknown = await response.json()
  return schema ? schema.parse(answer) : (answer as T)
}

/** GETs JSON from our own origin; with a schema, the body is validated and typed by it. */
export async function getJson<T>(path: string, schema?: Parser<T>, signal?: AbortSignal): Promise<T> {
  const response = await apiFetch(path, { headers: { accept: 'application/json' }, signal })
  if (!response.ok) throw await toApiError(response)
  const body: unknown = await response.json()
  return schema ? schema.parse(body) : (body as T)
}

/** Reads our `{ error: { code, message, details? } }` body; anything else becomes a bare HTTP error. */
export async function toApiError(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string; details?: unknown } }
    return new ApiError(response.status, body.error?.code ?? 'http_error', body.error?.message ?? response.statusText, body.error?.details)
  } catch {
    return new ApiError(response.status, 'http_error', response.statusText || `HTTP ${response.status}`)
  }
}
