import { vi } from 'vitest'

/** One recorded request: what a test asserts on. */
export interface SeenRequest {
  method: string
  url: string
  headers: Headers
  body: unknown
}

type Reply = { status?: number; body?: unknown } | ((request: SeenRequest) => { status?: number; body?: unknown })

/**
 * Stubs `fetch` with a tiny router: `'GET /api/auth/me'` → a JSON reply. Path matches ignore the
 * query unless the key has one. Unknown requests answer 404 in our error shape.
 */
export function fakeServer(routes: Record<string, Reply>) {
  const seen: SeenRequest[] = []
  const fetch = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    const method = (init.method ?? 'GET').toUpperCase()
    const request: SeenRequest = {
      method,
      url,
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    }
    seen.push(request)
    const path = url.split('?')[0]
    const route = routes[`${method} ${url}`] ?? routes[`${method} ${path}`]
    const reply = typeof route === 'function' ? route(request) : route
    if (!reply) return new Response(JSON.stringify({ error: { code: 'not_found', message: `no ${method} ${url}` } }), { status: 404 })
    const status = reply.status ?? 200
    return new Response(status === 204 ? null : JSON.stringify(reply.body ?? {}), {
      status,
      headers: { 'content-type': 'application/json' },
    })
  })
  vi.stubGlobal('fetch', fetch)
  return { fetch, seen }
}

export const principal = (role: 'admin' | 'editor' | 'viewer', villageScope: string[] | null = null) => ({
  id: 7,
  username: role === 'editor' && villageScope ? 'village_editor' : role,
  displayName: role === 'editor' && villageScope ? '村干部' : `演示${role}`,
  role,
  villageScope,
})
