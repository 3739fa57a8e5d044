import { createRoute, z } from '@hono/zod-openapi'
import { exposureRequestSchema, exposureResponseSchema } from '@riskatlas/shared'
import type { AppContext } from '../context.ts'
import { errorResponse, jsonResponse } from '../http.ts'
import { noStore, router } from '../router.ts'
import { listCsv, listPrintPage, listXlsx } from './list.ts'
import { computeExposure } from './queries.ts'

const body = { body: { required: true, content: { 'application/json': { schema: exposureRequestSchema } } } }
const refusals = {
  400: errorResponse(
    'Invalid or self-intersecting polygon (with PostGIS’s reason), an area over the configured maximum, hazard points without danger zones',
  ),
  404: errorResponse('Unknown warning or hazard point ids (listed in details.unknownIds)'),
}

const exposureRoute = createRoute({
  method: 'post',
  path: '/',
  tags: ['Exposure'],
  summary: 'Who and what lies in an area, and the evacuation list',
  description:
    'The area: a drawn polygon, a warning, or hazard points (their danger zones). Returns the natural villages with people and households, vulnerable people by category, ' +
    'schools and kindergartens (pupils), nursing homes (residents), hospitals and clinics, shelters inside (unusable) and those available, and the evacuation list: ' +
    'per village how many move, to which shelter, by which route, the responsible persons, and — only for roles allowed personal data in the village — the vulnerable people by name ' +
    'with their 包保责任人 (audited); counts for everyone else.',
  middleware: [noStore] as const,
  request: body,
  responses: { 200: jsonResponse(exposureResponseSchema, 'The exposure'), ...refusals },
})

const file = (path: string, type: string, summary: string) =>
  createRoute({
    method: 'post',
    path,
    tags: ['Exposure'],
    summary,
    middleware: [noStore] as const,
    request: body,
    responses: { 200: { description: summary, content: { [type]: { schema: z.string() } } }, ...refusals },
  })
const csvRoute = file(
  '/list.csv',
  'text/csv',
  'The evacuation list as CSV (UTF-8 with BOM; formula-safe). Audited as an export when it names anyone.',
)
const xlsxRoute = file(
  '/list.xlsx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'The evacuation list as an Excel workbook. Audited as an export when it names anyone.',
)
const printRoute = file(
  '/list.html',
  'text/html',
  'The evacuation list as a printable page, A4, one administrative village a page. Audited as an export when it names anyone.',
)

/** `/api/exposure`. */
export function exposureRoutes({ db, evacuation, roadGraphs, today }: Pick<AppContext, 'db' | 'evacuation' | 'roadGraphs' | 'today'>) {
  const deps = { evacuation, roadGraphs }
  return router()
    .openapi(exposureRoute, async (c) => c.json(await computeExposure(db, deps, c.get('principal'), c.req.valid('json')), 200))
    .openapi(csvRoute, async (c) => {
      const exposure = await computeExposure(db, deps, c.get('principal'), c.req.valid('json'), 'export')
      return c.body(listCsv(exposure), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': 'attachment; filename="evacuation-list.csv"',
      })
    })
    .openapi(xlsxRoute, async (c) => {
      const exposure = await computeExposure(db, deps, c.get('principal'), c.req.valid('json'), 'export')
      const bytes = await listXlsx(exposure)
      return c.body(new Uint8Array(bytes), 200, {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': 'attachment; filename="evacuation-list.xlsx"',
      })
    })
    .openapi(printRoute, async (c) => {
      const exposure = await computeExposure(db, deps, c.get('principal'), c.req.valid('json'), 'export')
      return c.html(listPrintPage(exposure, today()), 200)
    })
}
