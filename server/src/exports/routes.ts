import { createRoute, z } from '@hono/zod-openapi'
import type { AppContext } from '../context.ts'
import { errorResponse } from '../http.ts'
import { router } from '../router.ts'
import { importTemplate, templateLayers, type TemplateLayer } from './template.ts'

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const templateFiles = templateLayers.map((layer) => `${layer}.xlsx`) as [string, ...string[]]

const templateRoute = createRoute({
  method: 'get',
  path: '/{file}',
  tags: ['Imports'],
  summary: 'The Excel import template of a layer: a notes row, the Chinese headers the import matches, an example row',
  description: 'Imported unchanged, the template yields exactly its example row (the notes row sits above the header and is skipped).',
  request: { params: z.object({ file: z.enum(templateFiles).openapi({ example: 'hazard_points.xlsx' }) }) },
  responses: {
    200: { description: 'The template', content: { [xlsxType]: { schema: z.string().openapi({ format: 'binary' }) } } },
    400: errorResponse('No template for that layer (danger zones come as polygons, not rows)'),
  },
})

const attachment = (name: string) => `attachment; filename="${name}"`

/** `/api/imports/templates`: a blank template per importable layer. */
export function templateRoutes(_ctx: Partial<AppContext> = {}) {
  return router().openapi(templateRoute, async (c) => {
    const file = c.req.valid('param').file
    const bytes = await importTemplate(file.replace(/\.xlsx$/, '') as TemplateLayer)
    return c.body(bytes, 200, { 'Content-Type': xlsxType, 'Content-Disposition': attachment(`import-template-${file}`) })
  })
}
