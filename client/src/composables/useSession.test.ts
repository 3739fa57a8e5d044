import { afterEach, describe, expect, it } from 'vitest'
import { vi } from 'vitest'
import { getJson, sendJson, setCsrfToken } from '../api/http.ts'
import { aDrill, aPerson, fakeServer, principal } from '../test/fakeServer.ts'
import { accessTo, createSession, safeNext } from './useSession.ts'

afterEach(() => {
  vi.unstubAllGlobals()
  setCsrfToken(null)
})

describe('useSession', () => {
  it('asks who is signed in and holds the principal and the CSRF token', async () => {
    fakeServer({ 'GET /api/auth/me': { body: { user: principal('editor'), csrfToken: 'tok-1' } } })
    const session = createSession()
    expect(session.loaded.value).toBe(false)
    await session.ready
    expect(session.loaded.value).toBe(true)
    expect(session.user.value?.role).toBe('editor')
    expect(session.csrfToken.value).toBe('tok-1')
    expect(session.hasRole('admin', 'editor')).toBe(true)
    expect(session.hasRole('admin')).toBe(false)
  })

  it('sends X-CSRF-Token on POST, PATCH and DELETE, and not on GET', async () => {
    const server = fakeServer({
      'GET /api/auth/me': { body: { user: principal('editor'), csrfToken: 'tok-1' } },
      'GET /api/vulnerable-people': { body: { people: [] } },
      'POST /api/vulnerable-people': { status: 201, body: aPerson() },
      'PATCH /api/vulnerable-people/1': { body: aPerson() },
      'DELETE /api/vulnerable-people/1': { status: 204 },
    })
    await createSession().ready
    await getJson('/api/vulnerable-people')
    await sendJson('POST', '/api/vulnerable-people', { name: '张三' })
    await sendJson('PATCH', '/api/vulnerable-people/1', { name: '张三' })
    await sendJson('DELETE', '/api/vulnerable-people/1')

    const token = (method: string) => server.seen.filter((r) => r.method === method).map((r) => r.headers.get('x-csrf-token'))
    expect(token('GET')).toEqual([null, null]) // /api/auth/me and the list
    expect(token('POST')).toEqual(['tok-1'])
    expect(token('PATCH')).toEqual(['tok-1'])
    expect(token('DELETE')).toEqual(['tok-1'])
  })

  it('renews a stale token once when the server refuses it, then retries', async () => {
    let me = 0
    const server = fakeServer({
      'GET /api/auth/me': () => ({ body: { user: principal('editor'), csrfToken: `tok-${++me}` } }),
      'POST /api/drills': (request) =>
        request.headers.get('x-csrf-token') === 'tok-2'
          ? { status: 201, body: aDrill() }
          : {
              status: 403,
              body: { error: { code: 'csrf_failed', message: 'The CSRF token is missing or wrong; reload the page and try again.' } },
            },
    })
    const session = createSession()
    await session.ready
    await expect(sendJson('POST', '/api/drills', {})).resolves.toEqual(aDrill())
    expect(server.seen.filter((r) => r.method === 'POST').map((r) => r.headers.get('x-csrf-token'))).toEqual(['tok-1', 'tok-2'])
    expect(session.csrfToken.value).toBe('tok-2')
  })

  it('signs in with the token the server returns and forgets both on sign-out', async () => {
    const server = fakeServer({
      'GET /api/auth/me': { body: { user: null, csrfToken: null } },
      'POST /api/auth/login': { body: { user: principal('admin'), csrfToken: 'fresh' } },
      'POST /api/auth/logout': { status: 204 },
    })
    const session = createSession()
    await session.ready
    expect(session.user.value).toBeNull()
    await session.login('admin', 'demo-admin-2026')
    expect(session.user.value?.role).toBe('admin')
    await session.logout()
    expect(server.seen.find((r) => r.url === '/api/auth/logout')?.headers.get('x-csrf-token')).toBe('fresh')
    expect(session.user.value).toBeNull()
    expect(session.csrfToken.value).toBeNull()
  })

  it('forgets the principal when the server says the session has ended (401)', async () => {
    fakeServer({
      'GET /api/auth/me': { body: { user: principal('editor'), csrfToken: 'tok-1' } },
      'GET /api/vulnerable-people': { status: 401, body: { error: { code: 'unauthorized', message: 'Please sign in first.' } } },
    })
    const session = createSession()
    await session.ready
    await expect(getJson('/api/vulnerable-people')).rejects.toMatchObject({ status: 401 })
    expect(session.user.value).toBeNull()
    expect(session.csrfToken.value).toBeNull()
  })

  it('counts a server that cannot be reached as nobody signed in', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    )
    const session = createSession()
    await session.ready
    expect(session.loaded.value).toBe(true)
    expect(session.user.value).toBeNull()
  })
})

describe('route access', () => {
  it('lets anyone into views without roles, sends the anonymous to sign in, refuses the wrong role', () => {
    expect(accessTo(undefined, null)).toBe('allowed')
    expect(accessTo(['admin', 'editor'], null)).toBe('sign-in')
    expect(accessTo(['admin', 'editor'], principal('viewer'))).toBe('denied')
    expect(accessTo(['admin', 'editor'], principal('editor', ['530502199001']))).toBe('allowed')
  })

  it('returns only to paths on this site after signing in', () => {
    expect(safeNext('/people?admin=530502199001')).toBe('/people?admin=530502199001')
    expect(safeNext('//evil.example/x')).toBe('/')
    expect(safeNext('https://evil.example/')).toBe('/')
    expect(safeNext('/\\evil.example')).toBe('/')
    expect(safeNext(undefined)).toBe('/')
    // What a browser's URL parser makes of them: tabs and newlines dropped, `\` read as `/`.
    for (const trap of [
      '/\t/evil.example/',
      '/\n/evil.example/',
      '/\r\n/evil.example',
      '\\\\evil.example',
      '/\\/evil.example',
      'javascript:alert(1)',
      '/\t\\evil.example',
    ])
      expect(safeNext(trap, 'https://town.example')).toBe('/')
    expect(safeNext(decodeURIComponent('/%09/evil.example/'), 'https://town.example')).toBe('/')
    expect(safeNext('/drills?year=2026#v3', 'https://town.example')).toBe('/drills?year=2026#v3')
    expect(safeNext('/.//evil.example', 'https://town.example')).toBe('/evil.example') // a path here, not a host
  })
})
