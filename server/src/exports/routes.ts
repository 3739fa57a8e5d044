import { createRoute, z } from '@hono/zod-openapi'
import { findLayer, layerExportFormats, layerIds, type LayerExportFormat } from '@riskatlas/shared'
import type { AppContext } from '../context.ts'
import { NotFound } from '../errors.ts'
import { errorResponse } from '../http.ts'
import { exportFrame, joinedLayerFeatures, layerFeatureTexts, streamedLayerExport } from '../layers/queries.ts'
import { router, textBody } from '../router.ts'
import { layerCsv, layerShapefile, layerXlsx, type LayerFeature } from './layerFiles.ts'
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

/** `<layer>.<format>`: the layer id, then one of the shared `layerExportFormats` (dots escaped). */
const exportFilePattern = new RegExp(`^([a-z][a-z0-9_]*)\\.(${layerExportFormats.map((format) => format.replace('.', '\\.')).join('|')})$`)
const binary = z.string().openapi({ format: 'binary' })

const layerExportRoute = createRoute({
  method: 'get',
  path: '/{file}',
  tags: ['Layers'],
  summary: 'A public layer as a file: GeoJSON, CSV, Excel or a zipped Shapefile',
  description: [
    'Every feature with the public properties of `GET /api/layers/{id}` — nothing else.',
    "`.geojson`: RFC 7946, the layer API's features. `.csv`: UTF-8 with BOM, Chinese headers, the feature id first, then",
    'longitude/latitude columns for point layers or one WKT column for lines and polygons; cells starting with = + - @, tab or CR',
    "get a leading ' (spreadsheet formula injection). `.xlsx`: one sheet, frozen Chinese header row, numbers as numbers, the",
    'same formula-safe text. `.shp.zip`: .shp/.shx/.dbf/.prj/.cpg, the .dbf in GBK (the .cpg says so), WGS 84, field names',
    'of at most 10 bytes (long property names mapped as docs/EXPORTS.md lists).',
  ].join(' '),
  request: {
    params: z.object({
      file: z
        .string()
        .regex(exportFilePattern, 'expected <layer>.geojson, .csv, .xlsx or .shp.zip')
        .openapi({ example: 'hazard_points.shp.zip', description: `<layer>.<geojson|csv|xlsx|shp.zip>; layers: ${layerIds.join(', ')}` }),
    }),
  },
  responses: {
    200: {
      description: 'The file, as an attachment',
      content: {
        'application/geo+json': { schema: binary },
        'text/csv': { schema: binary },
        [xlsxType]: { schema: binary },
        'application/zip': { schema: binary },
      },
    },
    400: errorResponse('Not <layer>.<format>'),
    404: errorResponse('Unknown layer'),
  },
})

const exportTypes: Record<LayerExportFormat, string> = {
  geojson: 'application/geo+json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: xlsxType,
  'shp.zip': 'application/zip',
}

/** `attachment` with an ASCII name and the layer's Chinese title for browsers that read `filename*` (RFC 6266). */
const exportAttachment = (layerId: string, title: string, format: LayerExportFormat) =>
  `attachment; filename="${layerId}.${format}"; filename*=UTF-8''${encodeURIComponent(`${title.replace(/[\\/:*?"<>|]/g, '_')}.${format}`)}`

/** `/api/exports/layers`: every public layer as a file, for the same readers as the layer API. */
export function layerExportRoutes({ db, log, streamFeatures }: Pick<AppContext, 'db' | 'log' | 'streamFeatures'>) {
  return router().openapi(layerExportRoute, async (c) => {
    const [, layerId, extension] = exportFilePattern.exec(c.req.valid('param').file)!
    const format = extension as LayerExportFormat
    const layer = findLayer(layerId!)
    if (!layer) throw new NotFound(`Unknown layer: ${layerId}`, { layers: layerIds, formats: layerExportFormats })
    const headers = { 'Content-Type': exportTypes[format], 'Content-Disposition': exportAttachment(layer.id, layer.title.zh, format) }
    if (format === 'geojson') {
      if (streamFeatures) return streamedLayerExport(c, db, layer, { contentType: headers['Content-Type'], headers, log })
      const features = await joinedLayerFeatures(db, layer)
      return textBody(c, `${exportFrame.head}${features}${exportFrame.tail}`, 200, headers['Content-Type'], headers)
    }
    const texts = await layerFeatureTexts(db, layer)
    const features = texts.map((text) => JSON.parse(text) as LayerFeature)
    if (format === 'csv') return c.body(layerCsv(layer, features), 200, headers)
    if (format === 'xlsx') return c.body(await layerXlsx(layer, features), 200, headers)
    return c.body(layerShapefile(layer, features), 200, headers)
  })
}

/** `/api/imports/templates`: a blank template per importable layer. */
export function templateRoutes(_ctx: Partial<AppContext> = {}) {
  return router().openapi(templateRoute, async (c) => {
    const file = c.req.valid('param').file
    const bytes = await importTemplate(file.replace(/\.xlsx$/, '') as TemplateLayer)
    return c.body(bytes, 200, { 'Content-Type': xlsxType, 'Content-Disposition': attachment(`import-template-${file}`) })
  })
}
