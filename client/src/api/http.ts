/** Anything with zod's `parse` (the shared schemas). */
export interface Parser<T> {
  parse(input: unknown): T
}

/** A failed call to our own server, with the `{ error: { code, message } }` body when there was one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** GETs JSON from our own origin; with a schema, the body is validated and typed by it. */
export async function getJson<T>(path: string, schema?: Parser<T>, signal?: AbortSignal): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' }, signal })
  if (!response.ok) throw await toApiError(response)
  const body: unknown = await response.json()
  return schema ? schema.parse(body) : (body as T)
}

async function toApiError(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } }
    return new ApiError(response.status, body.error?.code ?? 'http_error', body.error?.message ?? response.statusText)
  } catch {
    return new ApiError(response.status, 'http_error', response.statusText || `HTTP ${response.status}`)
  }
}
