import fs from 'node:fs'
import { createRoute } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { clientConfigSchema, type PublicBasemap } from '@riskatlas/shared'
import type { AppContext } from './context.ts'
import { NotFound } from './errors.ts'
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

/** Serves the configured `.pmtiles` file with byte ranges, as the pmtiles protocol reads it. */
export async function servePmtiles(c: Context, basemap: BasemapConfig): Promise<Response> {
  if (basemap.kind !== 'pmtiles' || !fs.existsSync(basemap.file)) throw new NotFound('No local basemap file is configured.')
  const size = fs.statSync(basemap.file).size
  const range = c.req.header('range')?.match(/^bytes=(\d+)-(\d*)$/)
  const headers = { 'Accept-Ranges': 'bytes', 'Content-Type': 'application/vnd.pmtiles', 'Cache-Control': 'public, max-age=3600' }
  if (!range) return new Response(fs.readFileSync(basemap.file), { status: 200, headers: { ...headers, 'Content-Length': String(size) } })
  const start = Number(range[1])
  const end = Math.min(range[2] ? Number(range[2]) : size - 1, size - 1)
  if (start > end) return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${size}` } })
  const buffer = Buffer.alloc(end - start + 1)
  const fd = fs.openSync(basemap.file, 'r')
  try {
    fs.readSync(fd, buffer, 0, buffer.length, start)
  } finally {
    fs.closeSync(fd)
  }
  return new Response(buffer, {
    status: 206,
    headers: { ...headers, 'Content-Range': `bytes ${start}-${end}/${size}`, 'Content-Length': String(buffer.length) },
  })
}
