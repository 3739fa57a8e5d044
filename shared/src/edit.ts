import { z } from 'zod'
import { facilityKinds, hazardKinds, hazardScales, hazardStatuses } from './enums.ts'
import type { Bilingual } from './i18n.ts'
import { importTargets } from './imports.ts'

/**
 * Editing on the map (`/api/edit/{layer}`): the layers an editor may add to, move, reshape and
 * delete from, the attributes each takes and the geometry it has. Attribute names are the
 * database's (snake_case), as in the layer catalogue and the import; phone numbers are not
 * edited here (they are personal data and stay with the import and the ledger).
 */
export const editLayers = ['hazard_points', 'facilities', 'evacuation_routes', 'danger_zones'] as const
export type EditLayer = (typeof editLayers)[number]

export const editGeometryKinds: Record<EditLayer, 'point' | 'line' | 'polygon'> = {
  hazard_points: 'point',
  facilities: 'point',
  evacuation_routes: 'line',
  danger_zones: 'polygon',
}

const lonLat = z.tuple([
  z.number().min(-180, 'longitude must be between -180 and 180').max(180, 'longitude must be between -180 and 180'),
  z.number().min(-90, 'latitude must be between -90 and 90').max(90, 'latitude must be between -90 and 90'),
])
const ring = z.array(lonLat).min(4, 'a ring needs at least 4 positions').max(5000, 'a ring may have at most 5000 positions')

export const editPointSchema = z.strictObject({ type: z.literal('Point'), coordinates: lonLat })
export const editLineSchema = z.strictObject({
  type: z.literal('LineString'),
  coordinates: z.array(lonLat).min(2, 'a line needs at least 2 positions').max(5000, 'a line may have at most 5000 positions'),
})
export const editPolygonSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1).max(50) }),
  z.strictObject({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1).max(50)).min(1).max(50) }),
])
export type EditGeometry = z.infer<typeof editPointSchema> | z.infer<typeof editLineSchema> | z.infer<typeof editPolygonSchema>

const text = (max: number) => z.string().trim().min(1, 'required').max(max, `at most ${max} characters`)
const optionalText = (max: number) => z.string().trim().max(max, `at most ${max} characters`).nullable()
const count = z.number({ error: 'must be a whole number' }).int('must be a whole number').min(0, 'cannot be negative').max(1_000_000)
const codeSchema = z
  .string()
  .trim()
  .min(1, 'required')
  .max(40, 'at most 40 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only')

/** 隐患点: the public attributes of a hazard point (no phone numbers). */
export const hazardPointAttributesSchema = z.strictObject({
  code: codeSchema,
  name: text(100),
  kind: z.enum(hazardKinds),
  scale: z.enum(hazardScales),
  risk_level: z.number().int('must be a whole number').min(1, 'from 1 to 4').max(4, 'from 1 to 4'),
  threatened_households: count,
  threatened_people: count,
  threatened_property_10k_yuan: z.number({ error: 'must be a number' }).min(0, 'cannot be negative').max(1_000_000),
  monitor_name: optionalText(50),
  responsible_name: optionalText(50),
  status: z.enum(hazardStatuses),
})

/** 重点设施 / 避险安置点: a facility's name, kind, address and shelter figures. */
export const facilityAttributesSchema = z.strictObject({
  code: codeSchema,
  name: text(100),
  kind: z.enum(facilityKinds),
  address: optionalText(200),
  capacity_persons: count.nullable(),
  area_m2: z.number({ error: 'must be a number' }).min(0, 'cannot be negative').max(10_000_000).nullable(),
})

/** 转移路线: a drawn route from a natural village to a shelter, optionally away from a hazard point (by codes). */
export const evacuationRouteAttributesSchema = z.strictObject({
  village_code: z.string().trim().min(1, 'required'),
  shelter_code: z.string().trim().min(1, 'required'),
  hazard_code: z.string().trim().min(1).nullable(),
})

/** 危险区: a polygon that belongs to one hazard point (by code). */
export const dangerZoneAttributesSchema = z.strictObject({ hazard_code: z.string().trim().min(1, 'required') })

export const editAttributeSchemas = {
  hazard_points: hazardPointAttributesSchema,
  facilities: facilityAttributesSchema,
  evacuation_routes: evacuationRouteAttributesSchema,
  danger_zones: dangerZoneAttributesSchema,
} as const satisfies Record<EditLayer, z.ZodObject>

export const editGeometrySchemas = {
  hazard_points: editPointSchema,
  facilities: editPointSchema,
  evacuation_routes: editLineSchema,
  danger_zones: editPolygonSchema,
} as const satisfies Record<EditLayer, z.ZodType>

export type EditAttributes = { [L in EditLayer]: z.infer<(typeof editAttributeSchemas)[L]> }

/** `POST /api/edit/{layer}`: the geometry and every required attribute. */
export const editCreateSchemas = Object.fromEntries(
  editLayers.map((layer) => [
    layer,
    z.strictObject({ geometry: editGeometrySchemas[layer], properties: editAttributeSchemas[layer] as z.ZodObject }),
  ]),
) as { [L in EditLayer]: z.ZodObject<{ geometry: (typeof editGeometrySchemas)[L]; properties: (typeof editAttributeSchemas)[L] }> }

/**
 * `PATCH /api/edit/{layer}/{id}`: a new geometry and/or some attributes. `version` is the one
 * the editor read (the feature's `version`); when the row changed since, the answer is 409.
 */
export const editUpdateSchemas = Object.fromEntries(
  editLayers.map((layer) => [
    layer,
    z
      .strictObject({
        version: z.string().min(1).optional(),
        geometry: editGeometrySchemas[layer].optional(),
        properties: (editAttributeSchemas[layer] as z.ZodObject).partial().optional(),
      })
      .refine((patch) => patch.geometry !== undefined || (patch.properties && Object.keys(patch.properties).length > 0), {
        message: 'send a geometry or at least one attribute',
      }),
  ]),
) as unknown as {
  [L in EditLayer]: z.ZodType<{
    version?: string
    geometry?: z.infer<(typeof editGeometrySchemas)[L]>
    properties?: Partial<EditAttributes[L]>
  }>
}

export const editLayerParamsSchema = z.object({ layer: z.enum(editLayers) })

/** One editable feature as the edit API answers it. */
export const editFeatureSchema = z.object({
  layer: z.enum(editLayers),
  id: z.number().int().positive(),
  /** The row's version: send it back with a change to be told (409) if someone changed it meanwhile. */
  version: z.string(),
  geometry: z.object({ type: z.string(), coordinates: z.array(z.unknown()) }),
  properties: z.record(z.string(), z.unknown()),
})
export type EditFeature = z.infer<typeof editFeatureSchema>

/** `POST /api/edit/undo`: what was undone, and the feature as it is now (null when the undo removed it). */
export const editUndoSchema = z.object({
  undone: z.object({ layer: z.enum(editLayers), id: z.number().int().positive(), action: z.enum(['create', 'update', 'delete']) }),
  feature: editFeatureSchema.nullable(),
})
export type EditUndo = z.infer<typeof editUndoSchema>

export const editLayerTitles: Record<EditLayer, Bilingual> = {
  hazard_points: { zh: '隐患点', en: 'Hazard points' },
  facilities: { zh: '设施/安置点', en: 'Facilities / shelters' },
  evacuation_routes: { zh: '转移路线', en: 'Evacuation routes' },
  danger_zones: { zh: '危险区', en: 'Danger zones' },
}

export interface EditField {
  key: string
  label: Bilingual
  type: 'text' | 'integer' | 'number' | 'enum'
  required: boolean
  values?: readonly string[]
}

const importLabel = (layer: 'hazard_points' | 'facilities', key: string): Bilingual =>
  importTargets[layer].fields.find((field) => field.key === key)?.label ?? { zh: key, en: key }

function fieldsOf(layer: EditLayer, labels: (key: string) => Bilingual): EditField[] {
  const shape = editAttributeSchemas[layer].shape as Record<string, z.ZodType>
  return Object.entries(shape).map(([key, schema]) => {
    const inner = schema instanceof z.ZodNullable ? (schema.unwrap() as z.ZodType) : schema
    const values = inner instanceof z.ZodEnum ? (inner.options as string[]) : undefined
    const isInt = inner instanceof z.ZodNumber && inner.format !== null && inner.format.includes('int')
    const type: EditField['type'] = values ? 'enum' : inner instanceof z.ZodNumber ? (isInt ? 'integer' : 'number') : 'text'
    return { key, label: labels(key), type, required: !(schema instanceof z.ZodNullable), ...(values ? { values } : {}) }
  })
}

const routeLabels: Record<string, Bilingual> = {
  village_code: { zh: '自然村编号', en: 'Natural village code' },
  shelter_code: { zh: '安置点编号', en: 'Shelter code' },
  hazard_code: { zh: '隐患点编号', en: 'Hazard point code' },
}
const facilityLabels: Record<string, Bilingual> = { area_m2: { zh: '面积（m²）', en: 'Area (m²)' } }

/** The attribute form of each layer, in the schema's order, labelled as the import labels them. */
export const editFields: Record<EditLayer, EditField[]> = {
  hazard_points: fieldsOf('hazard_points', (key) => importLabel('hazard_points', key)),
  facilities: fieldsOf('facilities', (key) => facilityLabels[key] ?? importLabel('facilities', key)),
  evacuation_routes: fieldsOf('evacuation_routes', (key) => routeLabels[key]!),
  danger_zones: fieldsOf('danger_zones', (key) => routeLabels[key]!),
}
