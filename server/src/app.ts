import fs from 'node:fs'
import path from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { bodyLimit } from 'hono/body-limit'
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/compress'
import { secureHeaders } from 'hono/secure-headers'
import { basemapOrigins, configRoutes, pmtilesPath, servePmtiles } from './basemap.ts'
import { authorize } from './auth/middleware.ts'
import { authRoutes } from './auth/routes.ts'
import type { CachedSurface } from './cache/answers.ts'
import { renderApiReference } from './docs/reference.ts'
import { ApiError } from './errors.ts'
import { healthRoutes } from './health/routes.ts'
import { appContext, type AppContext, type AppDeps } from './context.ts'
import { dataVersionRoutes } from './events/routes.ts'
import { eventStreamRoutes } from './events/stream.ts'
import { notFoundApi, onError, requestLogger } from './http.ts'
import { compressResponses } from './compression.ts'
import { assertSourcesMatchCatalogue } from './layers/sources.ts'
import { layerRoutes } from './layers/routes.ts'
import { peopleRoutes } from './people/routes.ts'
import { drillRoutes } from './drills/routes.ts'
import { coverageRoutes } from './coverage/routes.ts'
import { villageCardRoutes } from './villages/routes.ts'
import { evacuationRoutes } from './evacuation/routes.ts'
import { exposureRoutes } from './exposure/routes.ts'
import { accountRoutes } from './users/routes.ts'
import { ledgerRoutes } from './ledger/routes.ts'
import { editRoutes } from './edit/routes.ts'
import { summaryRoutes } from './summary/routes.ts'
import { maxRestoreBytes, photoMaxBytes } from '@riskatlas/shared'
import { backupRoutes } from './backup/routes.ts'
import { router } from './router.ts'
import { warningRoutes } from './warnings/routes.ts'
import { commandRoutes } from './command/routes.ts'
import { displayRoutes } from './display/routes.ts'
import { importRoutes } from './imports/routes.ts'
import { layerExportRoutes, templateRoutes } from './exports/routes.ts'
import { maxUploadBytes } from './imports/service.ts'
import { ogcRoutes } from './ogc/routes.ts'
import { tileRoutes } from './tiles/routes.ts'

export type { AppDeps } from './context.ts'

/** Request bodies above this are refused with 413 before any handler reads them. */
export const maxBodyBytes = 1024 * 1024

/**
 * Every `/api` route, chained so each route's request and response schemas stay in the type
 * (`AppType`, and through it the client's `hc<AppType>`). One line per capability.
 */
export function apiRoutes(ctx: AppContext) {
  return router()
    .route('/health', healthRoutes(ctx))
    .route('/config', configRoutes(ctx))
    .route('/data-version', dataVersionRoutes(ctx))
    .route('/events', eventStreamRoutes(ctx))
    .route('/layers', layerRoutes(ctx))
    .route('/auth', authRoutes(ctx))
    .route('/vulnerable-people', peopleRoutes(ctx))
    .route('/', accountRoutes(ctx))
    .route('/drills', drillRoutes(ctx))
    .route('/', coverageRoutes(ctx))
    .route('/', villageCardRoutes(ctx))
    .route('/warnings', warningRoutes(ctx))
    .route('/imports', importRoutes(ctx))
    .route('/imports/templates', templateRoutes(ctx))
    .route('/exports/layers', layerExportRoutes(ctx))
    .route('/ledger', ledgerRoutes(ctx))
    .route('/edit', editRoutes(ctx))
    .route('/summary', summaryRoutes(ctx))
    .route('/', evacuationRoutes(ctx))
    .route('/exposure', exposureRoutes(ctx))
    .route('/', commandRoutes(ctx))
    .route('/', displayRoutes(ctx))
    .route('/admin', backupRoutes(ctx))
}

/** Builds the Hono app; no I/O happens here, so tests can call `app.request()` directly. */
export function createApp(deps: AppDeps) {
  assertSourcesMatchCatalogue()
  const ctx = appContext(deps)
  const app = router()
  app.onError(onError(ctx.log))
  if (deps.logRequests) app.use('*', requestLogger(ctx.log))
  app.use('*', secureHeaders(securityHeaders(basemapOrigins(ctx.basemap))))
  app.use('*', compressResponses())
  const limit = (maxSize: number, message = `The request body is larger than ${maxSize / 1024} KiB.`) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiError(413, 'payload_too_large', message)
      },
    })
  // Photos of hidden dangers and import uploads are the larger bodies (checked again by their rules);
  // counted the same way whether the length is declared, chunked, or both.
  const apiLimit = limit(maxBodyBytes)
  const photoLimit = limit(photoMaxBytes)
  const uploadLimit = limit(
    maxUploadBytes,
    `文件超过 ${maxUploadBytes / 1024 / 1024} MB 上限 — the file is larger than ${maxUploadBytes / 1024 / 1024} MB.`,
  )
  const restoreLimit = limit(maxRestoreBytes, `The backup is larger than ${maxRestoreBytes / 1024 / 1024} MB.`)
  app.use('/api/*', (c, next) => {
    if (c.req.method === 'POST' && c.req.path === '/api/admin/restore') return restoreLimit(c, next)
    if (/^\/api\/ledger\/dangers\/\d+\/photos$/.test(c.req.path)) return photoLimit(c, next)
    if (c.req.method === 'POST' && c.req.path === '/api/imports') return uploadLimit(c, next)
    return apiLimit(c, next)
  })
  // Protected by default: every route the server answers must be declared in auth/policies.ts.
  app.use(
    '*',
    authorize(ctx.db, () => app.routes, { trustProxy: ctx.trustProxy }),
  )

  // After the auth middleware: a cached answer is only ever given to a caller the policy lets in.
  for (const [path, surface] of cachedSurfaces(ctx)) app.use(path, ctx.responses.surface(surface))

  const api = apiRoutes(ctx)
  api.notFound(notFoundApi)
  const routed = app.route('/api', api)

  app.doc31('/api/openapi.json', openApiInfo)
  app.get('/api/docs', (c) => c.html(renderApiReference(app.getOpenAPI31Document(openApiInfo))))
  app.all('/api/*', notFoundApi)

  // OGC API – Features for QGIS and GDAL (public layers only); outside /api, so not in AppType.
  app.route('/ogc', ogcRoutes(ctx))
  app.all('/ogc/*', notFoundApi)
  // Vector tiles of the large layers (public attributes only), cut by PostGIS or in process.
  app.route('/tiles', tileRoutes(ctx))
  app.all('/tiles/*', notFoundApi)
  app.get(pmtilesPath, (c) => servePmtiles(c, ctx.basemap))
  mountClient(app, deps.clientDist)
  return routed
}

/**
 * The read-only surfaces whose answers are kept until the next write (`cache/answers.ts`). None
 * of them holds personal data; the answers that do (`/api/vulnerable-people`, evacuation cards,
 * their exports) are `no-store`, audited on every read, and never pass through the cache.
 */
function cachedSurfaces(ctx: AppContext): [string, CachedSurface][] {
  const publicData: CachedSurface = { audience: 'shared', cacheControl: 'public, no-cache' }
  // Signed-in readers only; the same for each of them (counts, never names). Coverage states change with the date.
  const signedIn: CachedSurface = { audience: 'shared', cacheControl: 'private, no-cache', variant: () => ctx.today() }
  return [
    ['/api/layers/*', publicData],
    // A public layer as a file: the same features, so kept and ETagged the same way.
    ['/api/exports/layers/*', publicData],
    ['/api/coverage', signedIn],
    ['/api/gaps', signedIn],
    // HTML or JSON by Accept on the same URL.
    ['/ogc/collections/*', { ...publicData, varyOn: ['accept'] }],
  ]
}

const openApiInfo = {
  openapi: '3.1.0',
  info: {
    title: 'RiskAtlas',
    version: '0.1.0',
    description: 'Disaster-risk map platform for a township emergency office (一张图). Layers are RFC 7946 GeoJSON in EPSG:4326.',
  },
}

/**
 * Secure headers with a Content-Security-Policy MapLibre works under: its workers start from
 * blob: URLs, tiles and images may be blob:/data:, and styles are set inline by the library.
 * Nothing is loaded from another origin unless a basemap origin is configured.
 */
function securityHeaders(basemapOrigins: string[]) {
  return {
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      workerSrc: ["'self'", 'blob:'],
      childSrc: ["'self'", 'blob:'],
      imgSrc: ["'self'", 'data:', 'blob:', ...basemapOrigins],
      styleSrc: ["'self'", "'unsafe-inline'"],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'", 'blob:', 'data:', ...basemapOrigins],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
    },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: false as const,
  }
}

function mountClient(app: ReturnType<typeof router>, clientDist: string | undefined) {
  const indexFile = clientDist ? path.join(clientDist, 'index.html') : undefined
  if (!clientDist || !indexFile || !fs.existsSync(indexFile)) {
    app.get('*', (c) => c.html(placeholderPage))
    return
  }
  const root = path.relative(process.cwd(), clientDist) || '.'
  // Hashed file names never change content: cache them for a year. Whether an encoded copy was sent
  // depends on Accept-Encoding, so caches must keep one per encoding.
  app.use('/assets/*', async (c, next) => {
    await next()
    if (!c.res.ok) return
    c.res.headers.set('Cache-Control', 'public, max-age=31536000, immutable')
    if (
      COMPRESSIBLE_CONTENT_TYPE_REGEX.test(c.res.headers.get('Content-Type') ?? '') &&
      !c.res.headers.get('Vary')?.match(/accept-encoding/i)
    )
      c.res.headers.append('Vary', 'Accept-Encoding')
  })
  // The build writes .br and .gz beside each file (client/vite.config.ts): sent as they are, never compressed again.
  app.use('*', serveStatic({ root, precompressed: true }))
  // Client-side routes (/coverage, /drills …) all load the single page.
  app.get('*', (c) => c.html(fs.readFileSync(indexFile, 'utf8')))
}

const placeholderPage = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>RiskAtlas 一张图</title></head>
<body style="font-family:system-ui,sans-serif;margin:3rem"><h1>RiskAtlas 一张图</h1>
<p>服务已启动，但尚未构建前端。运行 <code>pnpm build</code> 后刷新。</p>
<p>The server is running; the client has not been built yet (<code>pnpm build</code>).
API: <a href="/api/layers">/api/layers</a> · <a href="/api/health">/api/health</a> · <a href="/api/docs">/api/docs</a></p></body></html>`

/** The whole app's type, routes and schemas included: what `hc<AppType>` in the client reads. */
export type AppType = ReturnType<typeof createApp>
