import { vi } from 'vitest'
import type { Drill, ErrorBody, PrincipalView, VulnerablePerson } from '@riskatlas/shared'
import type { RouteOf, RouteSuccess } from '../api/client.ts'

/** One recorded request: what a test asserts on. */
export interface SeenRequest {
  method: string
  url: string
  headers: Headers
  body: unknown
}

type SuccessReply<Body> = undefined extends Body ? { status?: 204; body?: undefined } : { status?: 200 | 201; body: Body }
type FailureReply = { status: 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 503; body?: ErrorBody }
type Reply<Body> = SuccessReply<Body> | FailureReply | ((request: SeenRequest) => SuccessReply<Body> | FailureReply)

/**
 * Each key a request (`'GET /api/auth/me'`, `'PATCH /api/drills/7'`, `'GET /api/gaps?year=2026'`)
 * or a route (`'PATCH /api/drills/:id'`), and its reply typed by what the server's route
 * answers: a fake that drifts from the shared schemas fails the client's typecheck.
 */
export type FakeRoutes<T> = {
  [K in keyof T]: K extends string ? ([RouteOf<K>] extends [never] ? never : Reply<RouteSuccess<RouteOf<K>>>) : never
}

/**
 * Stubs `fetch` with a tiny router. A key with a query matches that URL exactly; otherwise the
 * path matches, literally first, then by route pattern (`:id`). Unknown requests answer 404 in
 * our error shape.
 */
export function fakeServer<T extends FakeRoutes<T>>(routes: T) {
  const table = routes as Record<string, Reply<unknown> | undefined>
  const patterns = Object.keys(table)
    .filter((key) => key.includes('/:'))
    .map((key) => ({ key, pattern: new RegExp(`^${key.replace(/\/:[^/]+/g, '/[^/]+')}$`) }))
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
    const route =
      table[`${method} ${url}`] ??
      table[`${method} ${path}`] ??
      table[patterns.find(({ pattern }) => pattern.test(`${method} ${path}`))?.key ?? '']
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

export const principal = (role: 'admin' | 'editor' | 'viewer', villageScope: string[] | null = null): PrincipalView => ({
  id: 7,
  username: role === 'editor' && villageScope ? 'village_editor' : role,
  displayName: role === 'editor' && villageScope ? '村干部' : `演示${role}`,
  role,
  villageScope,
})

/** A complete vulnerable person as the server answers it; override what the test is about. */
export const aPerson = (overrides: Partial<VulnerablePerson> = {}): VulnerablePerson => ({
  id: 1,
  naturalVillageId: 1,
  naturalVillageName: '羊街营',
  adminCode: '530502199001',
  adminName: '羊街营社区',
  category: 'elderly',
  name: '张三',
  phone: null,
  address: null,
  mobilityNeeds: null,
  responsibleName: null,
  responsiblePhone: null,
  updatedAt: '2026-11-30T00:00:00.000Z',
  ...overrides,
})

/** A complete drill as the server answers it; override what the test is about. */
export const aDrill = (overrides: Partial<Drill> = {}): Drill => ({
  id: 9,
  naturalVillageId: 1,
  naturalVillageName: '羊街营',
  adminCode: '530502199001',
  adminName: '羊街营社区',
  scenario: 'flood',
  status: 'planned',
  plannedOn: '2027-05-20',
  heldOn: null,
  participants: null,
  vulnerableMoved: null,
  evacuationMinutes: null,
  organiser: null,
  findings: null,
  seasonYear: 2027,
  createdAt: '2026-11-30T00:00:00.000Z',
  updatedAt: '2026-11-30T00:00:00.000Z',
  ...overrides,
})
