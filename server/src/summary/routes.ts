import { createRoute } from '@hono/zod-openapi'
import {
  periodQuerySchema,
  summaryFigureParamsSchema,
  summaryFigureRowsSchema,
  summaryNarrativeUpdateSchema,
  summarySchema,
  summaryShortTitle,
} from '@riskatlas/shared'
import { writeAudit } from '../audit/queries.ts'
import { Forbidden } from '../auth/scope.ts'
import type { AppContext } from '../context.ts'
import { errorResponse, jsonResponse } from '../http.ts'
import { router } from '../router.ts'
import { periodOf } from './period.ts'
import { summaryDocx } from './docx.ts'
import { figureRows, narrativesOf, saveNarratives, summaryFigures, summaryOf } from './queries.ts'

const tags = ['Work summary']

const summaryRoute = createRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'The work summary’s figures for a year (?year=2023) or any period (?from=&to=), with the saved narrative',
  request: { query: periodQuerySchema },
  responses: { 200: jsonResponse(summarySchema, 'Figures computed from the ledger rows'), 400: errorResponse('Bad period') },
})
const figureRoute = createRoute({
  method: 'get',
  path: '/figures/{figure}',
  tags,
  summary: 'The rows one figure counts (click 207 → the 207 hidden dangers)',
  request: { params: summaryFigureParamsSchema, query: periodQuerySchema },
  responses: { 200: jsonResponse(summaryFigureRowsSchema, 'The figure and its rows'), 400: errorResponse('Unknown figure or bad period') },
})
const narrativeRoute = createRoute({
  method: 'put',
  path: '/narratives',
  tags,
  summary: 'Save the summary’s narrative paragraphs for a year',
  request: { body: { required: true, content: { 'application/json': { schema: summaryNarrativeUpdateSchema } } } },
  responses: {
    200: jsonResponse(summarySchema.shape.narratives, 'The saved narrative'),
    400: errorResponse('Invalid input'),
    403: errorResponse('Not an editor'),
  },
})

const docxRoute = createRoute({
  method: 'get',
  path: '/export.docx',
  tags,
  summary: 'The work summary as a Word document (.docx) for a year or period',
  request: { query: periodQuerySchema },
  responses: {
    200: { description: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
    400: errorResponse('Bad period'),
  },
})

/** `/api/summary`: the annual work summary (安全生产、防灾减灾和消防工作总结). */
export function summaryRoutes({ db, write }: Pick<AppContext, 'db' | 'write'>) {
  return router()
    .openapi(summaryRoute, async (c) => c.json(await summaryOf(db, periodOf(c.req.valid('query'))), 200))
    .openapi(docxRoute, async (c) => {
      const summary = await summaryOf(db, periodOf(c.req.valid('query')))
      const name = `${summaryShortTitle(summary.period)}.docx`
      return c.body(new Uint8Array(await summaryDocx(summary)), 200, {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'Content-Disposition': `attachment; filename="summary.docx"; filename*=UTF-8''${encodeURIComponent(name)}`,
        'Cache-Control': 'no-store',
      })
    })
    .openapi(figureRoute, async (c) => {
      const { figure } = c.req.valid('param')
      const period = periodOf(c.req.valid('query'))
      const [figures, rows] = await Promise.all([summaryFigures(db, period), figureRows(db, figure, period)])
      return c.json({ figure, value: figures[figure], rows }, 200)
    })
    .openapi(narrativeRoute, async (c) => {
      const principal = c.get('principal')
      if (!principal) throw new Forbidden('Sign in to edit the summary.')
      const { year, narratives } = c.req.valid('json')
      await write(async (trx, changed) => {
        await saveNarratives(trx, year, narratives, principal.username)
        await writeAudit(trx, principal, {
          action: 'update',
          entity: 'work_summary',
          entityId: year,
          details: { sections: Object.keys(narratives) },
        })
        changed({ entity: 'summary_narratives', action: 'update', ids: [year] })
      })
      return c.json(await narrativesOf(db, year), 200)
    })
}
