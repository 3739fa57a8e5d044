import { createRoute, z } from '@hono/zod-openapi'
import {
  importCommitResultSchema,
  importCommitSchema,
  importLayers,
  importListSchema,
  importOptionsSchema,
  importPreviewSchema,
  importSummarySchema,
  importUploadQuerySchema,
} from '@riskatlas/shared'
import type { AppContext } from '../context.ts'
import { Invalid } from '../errors.ts'
import { errorResponse, idParams, jsonResponse } from '../http.ts'
import { noStore, router } from '../router.ts'
import { findImport, importIssues, listImports, toSummary } from './queries.ts'
import { KeptEvaluations } from './kept.ts'
import { issuesCsv } from './report.ts'
import { commitImport, previewImport, undoImport, uploadImport, withUndoable } from './service.ts'

const tags = ['Imports']

const uploadRoute = createRoute({
  method: 'post',
  path: '/',
  tags,
  summary: 'Upload a file (CSV, .xlsx, GeoJSON, zipped Shapefile) as the request body, at most 20 MB; answers the first preview',
  request: { query: importUploadQuerySchema, body: { required: true, content: { 'application/octet-stream': { schema: z.any() } } } },
  responses: {
    201: jsonResponse(importPreviewSchema, 'Stored; the preview with the proposed mapping and the validation report'),
    400: errorResponse('Bad layer or file name'),
    413: errorResponse('Larger than 20 MB'),
    415: errorResponse('Not a supported file type'),
  },
})
const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'Import history, newest first (town-wide editors and admins see all; others their own), each with whether it can be undone now',
  request: { query: z.object({ layer: z.enum(importLayers).optional() }).strict() },
  responses: { 200: jsonResponse(importListSchema, 'Imports') },
})
const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags,
  summary: 'One import, with whether it can still be undone',
  request: { params: idParams },
  responses: { 200: jsonResponse(importSummarySchema, 'The import'), 404: errorResponse('No such import') },
})
const previewRoute = createRoute({
  method: 'post',
  path: '/{id}/preview',
  tags,
  summary: 'Read the upload again with a sheet, mapping, coordinate system, swap or .prj choice; answers the preview and report',
  request: { params: idParams, body: { required: true, content: { 'application/json': { schema: importOptionsSchema } } } },
  responses: { 200: jsonResponse(importPreviewSchema, 'Preview'), 404: errorResponse('No such import') },
})
const reportRoute = createRoute({
  method: 'get',
  path: '/{id}/report.csv',
  tags,
  summary: 'The validation report of the last preview or commit as CSV (row, column, severity, reason)',
  request: { params: idParams },
  responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, 404: errorResponse('No such import') },
})
const commitRoute = createRoute({
  method: 'post',
  path: '/{id}/commit',
  tags,
  summary: 'Commit all rows in one transaction (append / replace / upsert by code); any bad row refuses the whole import',
  request: { params: idParams, body: { required: true, content: { 'application/json': { schema: importCommitSchema } } } },
  responses: {
    200: jsonResponse(importCommitResultSchema, 'Committed (or the earlier commit with this idempotency key)'),
    400: errorResponse('Rows with errors (details.issues); nothing written'),
    409: errorResponse('Already committed or undone; key used by another import; rows still referenced'),
    422: errorResponse('The file cannot be read with its options'),
  },
})
const undoRoute = createRoute({
  method: 'post',
  path: '/{id}/undo',
  tags,
  summary: 'Undo a committed import as a whole, while nothing newer touched its rows',
  request: { params: idParams },
  responses: { 200: jsonResponse(importSummarySchema, 'Undone'), 409: errorResponse('Not committed, or rows changed since') },
})

/** `/api/imports`: upload → preview → commit → undo. Editors and admins; answers may hold personal data (no-store). */
export function importRoutes({ db, write }: Pick<AppContext, 'db' | 'write'>) {
  const ctx = { db, write, evaluations: new KeptEvaluations() }
  const app = router()
  app.use('*', noStore)
  return app
    .openapi(uploadRoute, async (c) => {
      const { layer, fileName } = c.req.valid('query')
      const bytes = new Uint8Array(await c.req.arrayBuffer())
      if (bytes.byteLength === 0) throw new Invalid('The file is empty.', { reason: 'empty_file' })
      return c.json(await uploadImport(ctx, c.get('principal')!, layer, fileName, bytes), 201)
    })
    .openapi(listRoute, async (c) => {
      const imports = await listImports(db, c.get('principal')!, c.req.valid('query').layer)
      // One at a time: the embedded home has one connection, and only committed rows need the check.
      const withFlags: typeof imports = []
      for (const summary of imports) withFlags.push(await withUndoable(db, summary))
      return c.json({ imports: withFlags }, 200)
    })
    .openapi(getRoute, async (c) =>
      c.json(await withUndoable(db, toSummary(await findImport(db, c.req.valid('param').id, c.get('principal')!))), 200),
    )
    .openapi(previewRoute, async (c) =>
      c.json(await previewImport(ctx, c.get('principal')!, c.req.valid('param').id, c.req.valid('json')), 200),
    )
    .openapi(reportRoute, async (c) => {
      const record = await findImport(db, c.req.valid('param').id, c.get('principal')!)
      return c.body(issuesCsv(record.layer, await importIssues(db, record.id)), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="import-${record.id}-report.csv"`,
      })
    })
    .openapi(commitRoute, async (c) => {
      const { mode, idempotencyKey } = c.req.valid('json')
      const result = await commitImport(ctx, c.get('principal')!, c.req.valid('param').id, mode, idempotencyKey)
      return c.json({ import: result.import, issues: result.issues }, 200)
    })
    .openapi(undoRoute, async (c) => c.json(await undoImport({ db, write }, c.get('principal')!, c.req.valid('param').id), 200))
}
