import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { AppEnv } from '../router.ts'
import { acceptsGzip, ResponseCache, type CachedSurface } from './answers.ts'
import { DataVersionReader } from './version.ts'

/**
 * The cache in front of a bare Hono app whose handler counts its calls; `x-user` plays the
 * auth middleware (principal id = the header's number). The data version is a variable.
 */
function appWith(surface: CachedSurface, handler: (principal: number) => Response, maxBytes = 1024 * 1024) {
  let version = 1
  let calls = 0
  const cache = new ResponseCache(new DataVersionReader(async () => version), { maxBytes })
  const app = new Hono<AppEnv>()
  app.use('*', async (c, next) => {
    const id = Number(c.req.header('x-user') ?? 0)
    c.set('principal', id ? { id, username: `u${id}`, displayName: `U${id}`, role: 'editor', villageScope: null } : undefined)
    await next()
  })
  app.use('/data/*', cache.surface(surface))
  app.get('/data/:name', (c) => {
    calls += 1
    return handler(c.get('principal')?.id ?? 0)
  })
  return {
    cache,
    request: (path: string, headers: Record<string, string> = {}) => app.request(path, { headers }),
    get calls() {
      return calls
    },
    write: () => (version += 1),
  }
}

const shared: CachedSurface = { audience: 'shared', cacheControl: 'public, no-cache' }
const json = (body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json', ...headers } })

describe('the response cache', () => {
  it('computes a variant once per data version and answers a matching If-None-Match with an empty 304', async () => {
    const app = appWith(shared, () => json({ n: 1 }))
    const first = await app.request('/data/a?x=1&y=2')
    const etag = first.headers.get('etag')!
    expect(etag).toMatch(/^W\/"1-/)
    expect(first.headers.get('cache-control')).toBe('public, no-cache')
    expect(await first.json()).toEqual({ n: 1 })
    // The same query in another order is the same variant.
    expect((await app.request('/data/a?y=2&x=1')).headers.get('etag')).toBe(etag)
    expect(app.calls).toBe(1)
    const revalidated = await app.request('/data/a?x=1&y=2', { 'if-none-match': etag })
    expect(revalidated.status).toBe(304)
    expect(await revalidated.text()).toBe('')
    expect(revalidated.headers.get('etag')).toBe(etag)
    const other = await app.request('/data/a?x=1&y=3')
    expect(other.headers.get('etag')).not.toBe(etag)
    expect(app.calls).toBe(2)
  })

  it('recomputes after a write, with a new ETag that no old one matches', async () => {
    const app = appWith(shared, () => json({ n: 1 }))
    const etag = (await app.request('/data/a')).headers.get('etag')!
    app.write()
    const after = await app.request('/data/a', { 'if-none-match': etag })
    expect(after.status).toBe(200)
    expect(after.headers.get('etag')).not.toBe(etag)
    expect(app.calls).toBe(2)
  })

  it('computes a variant once for many concurrent misses', async () => {
    const app = appWith(shared, () => json({ n: 1 }))
    const answers = await Promise.all(Array.from({ length: 20 }, () => app.request('/data/a')))
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200))
    expect(new Set(await Promise.all(answers.map((answer) => answer.text())))).toEqual(new Set(['{"n":1}']))
    expect(app.calls).toBe(1)
  })

  it('keeps one variant per principal on a principal surface', async () => {
    const app = appWith({ audience: 'principal', cacheControl: 'private, no-cache' }, (principal) => json({ principal }))
    const one = await app.request('/data/a', { 'x-user': '1' })
    const two = await app.request('/data/a', { 'x-user': '2' })
    expect(await one.json()).toEqual({ principal: 1 })
    expect(await two.json()).toEqual({ principal: 2 })
    expect(two.headers.get('etag')).not.toBe(one.headers.get('etag'))
    // Principal 2 holding principal 1's ETag gets principal 2's own answer, not a 304.
    const crossed = await app.request('/data/a', { 'x-user': '2', 'if-none-match': one.headers.get('etag')! })
    expect(crossed.status).toBe(200)
    expect(await crossed.json()).toEqual({ principal: 2 })
  })

  it('never stores nor ETags a no-store answer, or one that is not a 200', async () => {
    const personal = appWith(shared, (principal) => json({ principal }, { 'cache-control': 'no-store' }))
    expect(await (await personal.request('/data/a', { 'x-user': '1' })).json()).toEqual({ principal: 1 })
    const second = await personal.request('/data/a', { 'x-user': '2' })
    expect(await second.json()).toEqual({ principal: 2 })
    expect(second.headers.get('etag')).toBeNull()
    expect(second.headers.get('cache-control')).toBe('no-store')
    expect(personal.calls).toBe(2)
    const missing = appWith(shared, () => new Response('{}', { status: 404 }))
    await missing.request('/data/a')
    expect((await missing.request('/data/a')).status).toBe(404)
    expect(missing.calls).toBe(2)
  })

  it('sends the stored gzip copy to a client that accepts it, the plain body to one that does not', async () => {
    const big = { text: 'x'.repeat(5000) }
    const app = appWith(shared, () => json(big))
    const zipped = await app.request('/data/a', { 'accept-encoding': 'gzip, br' })
    expect(zipped.headers.get('content-encoding')).toBe('gzip')
    expect(zipped.headers.get('vary')).toMatch(/accept-encoding/i)
    expect(Number(zipped.headers.get('content-length'))).toBeLessThan(1000)
    const plain = await app.request('/data/a')
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(await plain.json()).toEqual(big)
    expect(app.calls).toBe(1)
  })

  it('stays within its byte bound', async () => {
    const app = appWith(shared, () => json({ text: 'y'.repeat(400) }), 1500)
    for (const name of ['a', 'b', 'c', 'd', 'e']) await app.request(`/data/${name}`)
    expect(app.cache.size.bytes).toBeLessThanOrEqual(1500)
    expect(app.cache.size.entries).toBeLessThan(5)
  })

  it('reads Accept-Encoding as RFC 9110 says', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true)
    expect(acceptsGzip('br;q=1, gzip;q=0')).toBe(false)
    expect(acceptsGzip('*')).toBe(true)
    expect(acceptsGzip('identity')).toBe(false)
    expect(acceptsGzip(undefined)).toBe(false)
  })
})
