import fs from 'node:fs'
import { Readable } from 'node:stream'
import { createRoute } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { clientConfigSchema, type PublicBasemap } from '@riskatlas/shared'
import type { AppContext } from './context.ts'
import { ApiError, NotFound } from './errors.ts'
import { jsonResponse } from './http.ts'
import { router } from './router.ts'

/**
 * The basemap under the overlays. Offline (drawn from the town's own data) unless configured:
 * a raster tile URL (OSM-style), 天地图 with a token, or a local `.pmtiles` file this server
 * serves with HTTP range requests.
 */
export type BasemapConfig =
  | { kind: 'offline' }
  | { kind: 'raster'; tiles: string[]; attribution?: string | undefined }
  | { kind: 'tianditu'; token: string; style: 'vector' | 'imagery' }
  | { kind: 'pmtiles'; file: string; attribution?: string | undefined }

export const pmtilesPath = '/basemap/local.pmtiles'

/** Origins the Content-Security-Policy must admit for the configured basemap. */
export function basemapOrigins(basemap: BasemapConfig): string[] {
  if (basemap.kind === 'raster') return [...new Set(basemap.tiles.map((url) => new URL(url.replace(/\{[a-z]\}/g, '0')).origin))]
  if (basemap.kind === 'tianditu') return ['https://*.tianditu.gov.cn']
  return []
}

/** What the client is told: never a file path. */
export function publicBasemap(basemap: BasemapConfig): PublicBasemap {
  if (basemap.kind === 'pmtiles')
    return { kind: 'pmtiles' as const, url: pmtilesPath, ...(basemap.attribution ? { attribution: basemap.attribution } : {}) }
  if (basemap.kind === 'raster')
    return { kind: 'raster' as const, tiles: basemap.tiles, ...(basemap.attribution ? { attribution: basemap.attribution } : {}) }
  return basemap
}

const configRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['Config'],
  summary: 'Client configuration: which basemap to draw under the overlays',
  responses: { 200: jsonResponse(clientConfigSchema, 'Client configuration') },
})

export function configRoutes({ basemap }: Pick<AppContext, 'basemap'>) {
  return router().openapi(configRoute, (c) => c.json({ basemap: publicBasemap(basemap) }, 200))
}

/** At most this many basemap reads at once; more wait for a free slot (each holds a file handle, never the file). */
export const maxPmtilesReads = 8
/** At most this many more wait for a slot; past that a read is refused at once (429) rather than queued without end. */
export const maxPmtilesWaiting = 64
let pmtilesReads = 0
const waitingReads: (() => void)[] = []

async function readSlot(): Promise<() => void> {
  if (pmtilesReads >= maxPmtilesReads) {
    if (waitingReads.length >= maxPmtilesWaiting)
      throw new ApiError(429, 'rate_limited', 'Too many basemap reads at once; try again in a moment.')
    await new Promise<void>((resolve) => waitingReads.push(resolve))
  } else pmtilesReads += 1
  let released = false
  return () => {
    if (released) return
    released = true
    const next = waitingReads.shift()
    if (next)
      next() // the slot passes to the next waiting read
    else pmtilesReads -= 1
  }
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` (one range, as the pmtiles protocol asks) → [start, end], or 'unsatisfiable'; undefined: no usable Range. */
export function parseRange(header: string | undefined, size: number): [number, number] | 'unsatisfiable' | undefined {
  const match = header?.trim().match(/^bytes=(\d*)-(\d*)$/)
  if (!match || (match[1] === '' && match[2] === '')) return undefined
  if (match[1] === '') {
    const suffix = Number(match[2])
    if (suffix === 0) return 'unsatisfiable'
    return [Math.max(0, size - suffix), size - 1]
  }
  const start = Number(match[1])
  const end = Math.min(match[2] ? Number(match[2]) : size - 1, size - 1)
  if (start >= size || start > end) return 'unsatisfiable'
  return [start, end]
}

/**
 * Serves the configured `.pmtiles` file with byte ranges, as the pmtiles protocol reads it.
 * Always streamed from disk — a request without a Range gets the whole file as a stream, never
 * a buffer of it — with at most `maxPmtilesReads` reads at once.
 */
export async function servePmtiles(c: Context, basemap: BasemapConfig): Promise<Response> {
  if (basemap.kind !== 'pmtiles' || !fs.existsSync(basemap.file)) throw new NotFound('No local basemap file is configured.')
  const size = fs.statSync(basemap.file).size
  const headers = { 'Accept-Ranges': 'bytes', 'Content-Type': 'application/vnd.pmtiles', 'Cache-Control': 'public, max-age=3600' }
  const range = parseRange(c.req.header('range'), size)
  if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...headers, 'Content-Range': `bytes */${size}` } })
  const [start, end] = range ?? [0, size - 1]
  const status = range ? 206 : 200
  const rangeHeaders = {
    ...headers,
    'Content-Length': String(end - start + 1),
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
  }
  if (c.req.method === 'HEAD' || size === 0) return new Response(null, { status, headers: rangeHeaders })
  const release = await readSlot()
  const file = fs.createReadStream(basemap.file, { start, end, highWaterMark: 64 * 1024 })
  file.once('close', release)
  file.once('error', release)
  c.req.raw.signal?.addEventListener('abort', () => file.destroy(), { once: true })
  return new Response(Readable.toWeb(file) as ReadableStream<Uint8Array>, { status, headers: rangeHeaders })
}
