import { createHash } from 'node:crypto'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import type { Context, MiddlewareHandler } from 'hono'
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/compress'
import { compressionThresholdBytes } from '../compression.ts'
import { isStreamed, markStreamed, type AppEnv } from '../router.ts'
import { VersionedLru } from './lru.ts'
import type { DataVersionReader } from './version.ts'

const gzip = promisify(zlib.gzip)

export interface ResponseCacheSettings {
  /** Off: every request is computed and sent as before, with no ETag (the bench's "before"). */
  enabled: boolean
  /** The bound on what the cache holds, bodies (plain and gzipped) and headers together. */
  maxBytes: number
}

export const defaultResponseCacheSettings: ResponseCacheSettings = { enabled: true, maxBytes: 128 * 1024 * 1024 }

/**
 * What a cached surface's body depends on, beyond its path and query string (always part of
 * the key, as is the origin the request came in at, which OGC links are built from).
 */
export interface CachedSurface {
  /**
   * `shared`: the body is the same for every caller the policy lets in (public layers, counts).
   * `principal`: it depends on who asks; one variant per principal (id, role, village scope).
   */
  audience: 'shared' | 'principal'
  /** Cache-Control of a 200 whose handler set none; revalidation goes through the ETag. */
  cacheControl: string
  /** Request headers the body depends on (`accept` where HTML and JSON share a URL). */
  varyOn?: readonly string[]
  /** Anything else the body depends on, as text (today's date for drill coverage). */
  variant?: (c: Context<AppEnv>) => string
}

interface Answer {
  headers: [string, string][]
  identity: Uint8Array<ArrayBuffer>
  gzipped: Uint8Array<ArrayBuffer> | undefined
}

/**
 * Answers of read-only surfaces kept until the data version changes: every 200 is stored per
 * variant (path, query, the surface's variant and vary headers, and for `principal` surfaces
 * the caller), with its gzipped copy, in a byte-bounded LRU; every answer carries a weak ETag
 * made of the data version and the variant, and `If-None-Match` with it is a 304 that costs one
 * (coalesced) version read. Answers marked `no-store` (personal data) are never stored and get
 * no ETag; non-200 answers pass through. Concurrent misses of one variant compute it once.
 */
export class ResponseCache {
  readonly settings: ResponseCacheSettings
  private readonly answers: VersionedLru<Answer>
  private readonly pending = new Map<string, Promise<Answer | undefined>>()

  constructor(
    private readonly versions: DataVersionReader,
    settings: Partial<ResponseCacheSettings> = {},
  ) {
    this.settings = { ...defaultResponseCacheSettings, ...settings }
    this.answers = new VersionedLru(this.settings.maxBytes, sizeOf)
  }

  get size() {
    return this.answers.size
  }

  /** The middleware for one surface (registered after the auth middleware, so the caller is known). */
  surface(surface: CachedSurface): MiddlewareHandler<AppEnv> {
    return async (c, next) => {
      if (!this.settings.enabled || c.req.method !== 'GET') return next()
      const key = variantKey(c, surface)
      const version = await this.versions.current()
      const etag = `W/"${version}-${createHash('sha256').update(key).digest('base64url').slice(0, 16)}"`
      const vary = ['Accept-Encoding', ...(surface.varyOn ?? [])].join(', ')
      // The ETag names this variant at this version, and only storable 200s ever carried it.
      if (matches(c.req.header('if-none-match'), etag))
        return c.body(null, 304, { ETag: etag, Vary: vary, 'Cache-Control': surface.cacheControl })
      const cached = this.answers.get(key, version)
      if (cached) return this.send(c, cached, etag, vary)
      const answer = await this.compute(c, next, key, version, surface, { etag, vary })
      if (answer === 'own') return
      if (answer === undefined) return next()
      return this.send(c, answer, etag, vary)
    }
  }

  /**
   * Runs the handler for the first request of a variant at a version; the others wait for its
   * answer. Returns `own` when this request ran the handler and its response was not storable,
   * or was streamed (left in `c.res`: a streamed answer is stored from a tee as it passes, and
   * the waiters get it once it has passed whole), `undefined` when another request's was not
   * storable (run your own).
   */
  private async compute(
    c: Context<AppEnv>,
    next: () => Promise<void>,
    key: string,
    version: number,
    surface: CachedSurface,
    sent: { etag: string; vary: string },
  ): Promise<Answer | 'own' | undefined> {
    const pendingKey = `${version} ${key}`
    const running = this.pending.get(pendingKey)
    if (running) return running.catch(() => undefined)
    let resolve!: (answer: Answer | undefined) => void
    const promise = new Promise<Answer | undefined>((done) => (resolve = done))
    this.pending.set(pendingKey, promise)
    const settle = (answer: Answer | undefined) => {
      if (answer) this.answers.set(key, version, answer)
      this.pending.delete(pendingKey)
      resolve(answer)
    }
    try {
      await next()
      const headers = storableHeaders(c.res, surface)
      if (headers && isStreamed(c.res)) {
        const [toClient, toCache] = c.res.body!.tee()
        const response = new Response(toClient, { status: 200, headers: c.res.headers })
        response.headers.set('ETag', sent.etag)
        response.headers.set('Vary', sent.vary)
        if (!response.headers.has('cache-control')) response.headers.set('Cache-Control', surface.cacheControl)
        c.res = undefined
        c.res = markStreamed(response)
        // A stream that fails (or a client-side cancel of both branches) leaves nothing stored.
        new Response(toCache)
          .arrayBuffer()
          .then((body) => answerOf(new Uint8Array(body), headers))
          .then(settle, () => settle(undefined))
        return 'own'
      }
      const answer = headers ? await answerOf(new Uint8Array(await c.res.arrayBuffer()), headers) : undefined
      settle(answer)
      return answer ?? 'own'
    } catch (error) {
      settle(undefined)
      throw error
    }
  }

  private send(c: Context<AppEnv>, answer: Answer, etag: string, vary: string) {
    const headers = new Headers(answer.headers)
    headers.set('ETag', etag)
    headers.set('Vary', vary)
    const gzipped = answer.gzipped && acceptsGzip(c.req.header('accept-encoding')) ? answer.gzipped : undefined
    if (gzipped) headers.set('Content-Encoding', 'gzip')
    const body = gzipped ?? answer.identity
    headers.set('Content-Length', String(body.byteLength))
    // Replace, not merge: the handler's own response (on a miss) must not add its headers back.
    c.res = undefined
    c.res = new Response(body, { status: 200, headers })
  }
}

function variantKey(c: Context<AppEnv>, surface: CachedSurface): string {
  const url = new URL(c.req.url)
  const query = [...url.searchParams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const parts = [
    url.origin,
    c.req.header('x-forwarded-proto') ?? '',
    c.req.header('x-forwarded-host') ?? '',
    url.pathname,
    new URLSearchParams(query).toString(),
    ...(surface.varyOn ?? []).map((name) => c.req.header(name) ?? ''),
    surface.variant?.(c) ?? '',
  ]
  if (surface.audience === 'principal') {
    const principal = c.get('principal')
    parts.push(principal ? `${principal.role}:${principal.id}:${principal.villageScope?.join(',') ?? '*'}` : 'anonymous')
  }
  return JSON.stringify(parts)
}

/** The headers to keep with a response, or undefined when it must not be stored (not a 200, personal, encoded). */
function storableHeaders(response: Response, surface: CachedSurface): [string, string][] | undefined {
  if (response.status !== 200 || !response.body) return undefined
  const cacheControl = response.headers.get('cache-control')
  if (cacheControl && /no-store|no-cache="?set-cookie/i.test(cacheControl)) return undefined
  if (response.headers.has('set-cookie') || response.headers.has('content-encoding')) return undefined
  const headers: [string, string][] = []
  response.headers.forEach((value, name) => {
    if (name !== 'content-length') headers.push([name, value])
  })
  if (!cacheControl) headers.push(['cache-control', surface.cacheControl])
  return headers
}

async function answerOf(identity: Uint8Array<ArrayBuffer>, headers: [string, string][]): Promise<Answer> {
  const contentType = headers.find(([name]) => name === 'content-type')?.[1] ?? ''
  const compressible = COMPRESSIBLE_CONTENT_TYPE_REGEX.test(contentType)
  const gzipped = compressible && identity.byteLength >= compressionThresholdBytes ? new Uint8Array(await gzip(identity)) : undefined
  return { headers, identity, gzipped }
}

function sizeOf(answer: Answer): number {
  return (
    answer.identity.byteLength + (answer.gzipped?.byteLength ?? 0) + answer.headers.reduce((n, [k, v]) => n + k.length + v.length, 0) + 256
  )
}

/** Weak comparison (RFC 9110 §13.1.2): `W/` is ignored. (`*` is not honoured: it would answer 304 for a 404.) */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false
  const bare = etag.replace(/^W\//, '')
  return ifNoneMatch.split(',').some((tag) => {
    return tag.trim().replace(/^W\//, '') === bare
  })
}

/** Whether `Accept-Encoding` allows gzip (named, or `*`, with a q above 0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';')
    if (coding !== 'gzip' && coding !== '*' && coding !== 'x-gzip') return false
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    return q === undefined || Number(q.slice(2)) > 0
  })
}
