import { compress, COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/compress'
import type { MiddlewareHandler } from 'hono'
import { isStreamed } from './router.ts'

/** Bodies smaller than this go out as they are: compressing them costs more than it saves. */
export const compressionThresholdBytes = 1024

const compressible = (response: Response) => COMPRESSIBLE_CONTENT_TYPE_REGEX.test(response.headers.get('Content-Type') ?? '')

/**
 * gzip (or deflate) for every compressible response above the threshold: JSON, GeoJSON, CSV,
 * HTML. Hono's `compress` only knows a body's size from Content-Length, which `c.json()` does
 * not set, so in-memory bodies are measured first. Event streams are not compressible types (and
 * are never read here); responses already encoded — the client's pre-compressed files — pass.
 * A streamed answer (`markStreamed`) is compressed as it flows, never read whole here.
 */
export function compressResponses(threshold = compressionThresholdBytes): MiddlewareHandler {
  const gzip = compress({ threshold })
  return (c, next) =>
    gzip(c, async () => {
      await next()
      const response = c.res
      if (
        !response.body ||
        isStreamed(response) ||
        response.headers.has('Content-Length') ||
        response.headers.has('Content-Encoding') ||
        !compressible(response)
      )
        return
      const body = await response.arrayBuffer()
      c.res = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
      c.res.headers.set('Content-Length', String(body.byteLength))
    })
}
