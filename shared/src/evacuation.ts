import { z } from 'zod'
import type { Bilingual } from './i18n.ts'
import { recordIdSchema } from './ids.ts'

/**
 * Evacuation: computed routes and plans, the route and shelter audit, and exposure (issue 12).
 * Problems travel as a code with parameters; `phraseReason` words them in zh and en, the same
 * on the server (the gaps list) and in the client.
 */

const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])
const ring = z
  .array(position)
  .min(4, 'a ring needs at least 4 positions (closed)')
  .max(10_000)
  .refine(
    (r) => r[0]![0] === r[r.length - 1]![0] && r[0]![1] === r[r.length - 1]![1],
    'a ring must be closed: its last position equals its first',
  )

/** A GeoJSON Polygon or MultiPolygon in WGS84 (drawn on the map). Validity (self-intersection …) is checked by PostGIS. */
export const areaGeometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1).max(100) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1).max(100)).min(1).max(100) }),
])
export type AreaGeometry = z.infer<typeof areaGeometrySchema>

export const lineStringSchema = z.object({ type: z.literal('LineString'), coordinates: z.array(z.tuple([z.number(), z.number()])) })
export type LineStringGeometry = z.infer<typeof lineStringSchema>

const id = recordIdSchema()

/** Which villages a plan is for. */
export const planScopeSchema = z.discriminatedUnion('kind', [
  /** Every village at risk (listed by a hazard point, or within reach of a danger zone). */
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('villages'), villageIds: z.array(id).min(1).max(10_000) }),
  /** The villages inside a warning's area; the area is avoided and its shelters are unusable. */
  z.object({ kind: z.literal('warning'), warningId: id }),
  /** The villages inside a drawn area, treated like a warned area. */
  z.object({ kind: z.literal('area'), area: areaGeometrySchema }),
])
export type PlanScope = z.infer<typeof planScopeSchema>

export const planRequestSchema = z
  .object({
    scope: planScopeSchema,
    /** Leave out roads flagged impassable in flood. */
    avoidFlooded: z.boolean().default(false),
    /** For a warning or an area: routes avoid it (a village inside may cross it on the way out). */
    avoidWarned: z.boolean().default(true),
    /** Walking speed; the server's setting (4 km/h) by default. */
    walkingSpeedKmh: z.number().min(0.5).max(20).optional(),
  })
  .strict()
export type PlanRequest = z.input<typeof planRequestSchema>

export const planSaveRequestSchema = planRequestSchema
  .extend({
    /** Also delete the drawn routes of the planned villages (never without it). */
    replace: z.boolean().default(false),
  })
  .strict()
export type PlanSaveRequest = z.input<typeof planSaveRequestSchema>

export const reasonCodes = [
  // villages in a plan
  'village_off_network',
  'cut_off_by_zones',
  'cut_off_by_flood',
  'no_reachable_shelter',
  'no_usable_shelter',
  'no_room',
  // shelters
  'shelter_closed',
  'shelter_in_danger_zone',
  'shelter_in_warned_area',
  'shelter_off_network',
  'shelter_no_capacity',
  // stored routes (the audit)
  'route_crosses_zone',
  'route_reenters_own_zone',
  'route_too_long',
  'route_too_slow',
  'route_shelter_unusable',
  'route_shelter_over_capacity',
  'route_starts_off_network',
  'route_ends_off_network',
] as const
export type ReasonCode = (typeof reasonCodes)[number]

export const reasonSchema = z.object({
  code: z.enum(reasonCodes),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())])),
})
export type Reason = z.infer<typeof reasonSchema>

const num = (params: Reason['params'], key: string) => Math.round(Number(params[key] ?? 0))
const list = (params: Reason['params'], key: string, sep: string) => {
  const value = params[key]
  return Array.isArray(value) ? value.join(sep) : String(value ?? '')
}

/** A reason in both languages. */
export function phraseReason(reason: Reason): Bilingual {
  const p = reason.params
  switch (reason.code) {
    case 'village_off_network':
      return {
        zh: `距最近道路 ${num(p, 'distanceM')} 米，超出接入距离 ${num(p, 'maxM')} 米`,
        en: `${num(p, 'distanceM')} m from the nearest road, beyond the ${num(p, 'maxM')} m allowed`,
      }
    case 'cut_off_by_zones':
      return {
        zh: '被危险区（或预警区域）阻断，无法到达任何安置点',
        en: 'Cut off by danger zones (or the warned area): no shelter can be reached',
      }
    case 'cut_off_by_flood':
      return { zh: '汛期不可通行的道路阻断，无法到达任何安置点', en: 'Cut off by roads impassable in flood: no shelter can be reached' }
    case 'no_reachable_shelter':
      return { zh: '道路网上没有可到达的安置点', en: 'No shelter is reachable on the road network' }
    case 'no_usable_shelter':
      return { zh: '没有可用的安置点', en: 'No usable shelter' }
    case 'no_room':
      return {
        zh: `可到达的安置点已满，还差 ${num(p, 'placesNeeded')} 个安置位置`,
        en: `Reachable shelters are full: ${num(p, 'placesNeeded')} more places needed`,
      }
    case 'shelter_closed':
      return { zh: '安置点已关闭', en: 'The shelter is closed' }
    case 'shelter_in_danger_zone':
      return { zh: `安置点位于危险区内（${list(p, 'zones', '、')}）`, en: `The shelter lies in a danger zone (${list(p, 'zones', ', ')})` }
    case 'shelter_in_warned_area':
      return { zh: '安置点位于预警区域内', en: 'The shelter lies in the warned area' }
    case 'shelter_off_network':
      return {
        zh: `安置点距最近道路 ${num(p, 'distanceM')} 米，不在道路网上`,
        en: `The shelter is ${num(p, 'distanceM')} m from the nearest road, off the network`,
      }
    case 'shelter_no_capacity':
      return { zh: '安置点没有有效容量（未登记人数和面积）', en: 'The shelter has no effective capacity (no persons or area recorded)' }
    case 'route_crosses_zone':
      return { zh: `路线穿越危险区（${list(p, 'zones', '、')}）`, en: `The route crosses a danger zone (${list(p, 'zones', ', ')})` }
    case 'route_reenters_own_zone':
      return {
        zh: `路线离开本村危险区后又重新进入（${list(p, 'zones', '、')}）`,
        en: `The route re-enters its village's danger zone after leaving it (${list(p, 'zones', ', ')})`,
      }
    case 'route_too_long':
      return {
        zh: `路线长 ${num(p, 'lengthM')} 米，超过 ${num(p, 'maxM')} 米`,
        en: `The route is ${num(p, 'lengthM')} m long, over ${num(p, 'maxM')} m`,
      }
    case 'route_too_slow':
      return {
        zh: `步行需 ${num(p, 'minutes')} 分钟，超过 ${num(p, 'maxMinutes')} 分钟`,
        en: `${num(p, 'minutes')} minutes on foot, over ${num(p, 'maxMinutes')}`,
      }
    case 'route_shelter_unusable':
      return {
        zh: `终点安置点不可用：${(p.reasons as string[] | undefined)?.map((code) => phraseReason({ code: code as ReasonCode, params: p }).zh).join('；') ?? ''}`,
        en: `It ends at an unusable shelter: ${(p.reasons as string[] | undefined)?.map((code) => phraseReason({ code: code as ReasonCode, params: p }).en).join('; ') ?? ''}`,
      }
    case 'route_shelter_over_capacity':
      return {
        zh: `安置点分配 ${num(p, 'assigned')} 人，超过有效容量 ${num(p, 'capacity')} 人`,
        en: `The shelter is assigned ${num(p, 'assigned')} people, over its effective capacity of ${num(p, 'capacity')}`,
      }
    case 'route_starts_off_network':
      return {
        zh: `路线起点距道路 ${num(p, 'distanceM')} 米，不在道路网上`,
        en: `The route starts ${num(p, 'distanceM')} m off the road network`,
      }
    case 'route_ends_off_network':
      return {
        zh: `路线终点距道路 ${num(p, 'distanceM')} 米，不在道路网上`,
        en: `The route ends ${num(p, 'distanceM')} m off the road network`,
      }
  }
}

export const planVillageStatuses = ['assigned', 'partly_assigned', 'unplaced'] as const
export type PlanVillageStatus = (typeof planVillageStatuses)[number]

export const planVillageSchema = z.object({
  villageId: z.number().int(),
  code: z.string(),
  name: z.string(),
  adminCode: z.string(),
  adminName: z.string(),
  location: position,
  /** People who move (the village's population). */
  persons: z.number().int(),
  households: z.number().int(),
  vulnerable: z.number().int(),
  /** 2 inside a danger zone, 1 threatened (listed or near one), 0 otherwise: the first sort key. */
  risk: z.number().int(),
  placed: z.number().int(),
  unplaced: z.number().int(),
  status: z.enum(planVillageStatuses),
  /** Why some or all have no place (`null` when everyone is placed). */
  reason: reasonSchema.nullable(),
})
export type PlanVillage = z.infer<typeof planVillageSchema>

export const planAssignmentSchema = z.object({
  villageId: z.number().int(),
  shelterId: z.number().int(),
  persons: z.number().int(),
  lengthM: z.number(),
  walkingMinutes: z.number(),
  geometry: lineStringSchema,
})
export type PlanAssignment = z.infer<typeof planAssignmentSchema>

export const shelterLoadSchema = z.object({
  shelterId: z.number().int(),
  code: z.string(),
  name: z.string(),
  adminCode: z.string().nullable(),
  location: position,
  open: z.boolean(),
  declaredCapacity: z.number().int().nullable(),
  areaM2: z.number().nullable(),
  /** min(declared, area ÷ m² per person). */
  capacity: z.number().int(),
  usable: z.boolean(),
  problems: z.array(reasonSchema),
  assigned: z.number().int(),
  spare: z.number().int(),
  /** assigned ÷ capacity (0 when it has none). */
  fillRatio: z.number(),
})
export type ShelterLoad = z.infer<typeof shelterLoadSchema>

export const overflowSchema = z.object({
  villageId: z.number().int(),
  unplaced: z.number().int(),
  placesNeeded: z.number().int(),
  /** The nearest reachable usable shelters (full or not), nearest first: where extra places would do. */
  nearestShelters: z.array(
    z.object({ shelterId: z.number().int(), lengthM: z.number(), walkingMinutes: z.number(), spare: z.number().int() }),
  ),
})
export type Overflow = z.infer<typeof overflowSchema>

export const planResponseSchema = z.object({
  scope: z.enum(['all', 'villages', 'warning', 'area']),
  settings: z.object({
    walkingSpeedKmh: z.number(),
    m2PerPerson: z.number(),
    snapDistanceM: z.number(),
    avoidFlooded: z.boolean(),
    avoidWarned: z.boolean(),
  }),
  summary: z.object({
    villages: z.number().int(),
    persons: z.number().int(),
    placed: z.number().int(),
    unplaced: z.number().int(),
    sheltersUsed: z.number().int(),
    capacityUsable: z.number().int(),
  }),
  villages: z.array(planVillageSchema),
  assignments: z.array(planAssignmentSchema),
  shelters: z.array(shelterLoadSchema),
  overflow: z.array(overflowSchema),
  graph: z.object({ nodes: z.number().int(), edges: z.number().int(), dataVersion: z.number().int() }),
})
export type PlanResponse = z.infer<typeof planResponseSchema>

export const planSaveResponseSchema = z.object({
  plan: planResponseSchema,
  saved: z.object({
    /** Computed routes written. */
    inserted: z.number().int(),
    /** Earlier computed routes of these villages, replaced. */
    replacedComputed: z.number().int(),
    /** Drawn routes deleted (only with `replace: true`). */
    deletedDrawn: z.number().int(),
    /** Drawn routes kept beside the computed ones. */
    keptDrawn: z.number().int(),
    routeIds: z.array(z.number().int()),
  }),
})
export type PlanSaveResponse = z.infer<typeof planSaveResponseSchema>

export const shelterPatchSchema = z.object({ open: z.boolean() }).strict()

export const routeAuditSchema = z.object({
  routeId: z.number().int(),
  source: z.enum(['drawn', 'computed']),
  villageId: z.number().int(),
  villageCode: z.string(),
  villageName: z.string(),
  adminCode: z.string(),
  adminName: z.string(),
  shelterId: z.number().int(),
  shelterCode: z.string(),
  shelterName: z.string(),
  /** People it carries: a computed route's share, or the whole village for a drawn one. */
  persons: z.number().int(),
  lengthM: z.number(),
  walkingMinutes: z.number(),
  ok: z.boolean(),
  problems: z.array(reasonSchema),
  geometry: lineStringSchema,
})
export type RouteAudit = z.infer<typeof routeAuditSchema>

export const auditResponseSchema = z.object({
  norms: z.object({
    maxLengthM: z.number(),
    maxMinutes: z.number(),
    walkingSpeedKmh: z.number(),
    m2PerPerson: z.number(),
    endToleranceM: z.number(),
  }),
  summary: z.object({
    routes: z.number().int(),
    ok: z.number().int(),
    withProblems: z.number().int(),
    byCode: z.record(z.string(), z.number().int()),
  }),
  routes: z.array(routeAuditSchema),
})
export type AuditResponse = z.infer<typeof auditResponseSchema>

// ------------------------------------------------------------------ exposure (hazard × exposure)

export const exposureRequestSchema = z
  .object({
    area: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('polygon'), geometry: areaGeometrySchema }),
      z.object({ kind: z.literal('warning'), warningId: id }),
      /** The union of these hazard points' danger zones. */
      z.object({ kind: z.literal('hazards'), hazardIds: z.array(id).min(1).max(500) }),
    ]),
    avoidFlooded: z.boolean().default(false),
  })
  .strict()
export type ExposureRequest = z.input<typeof exposureRequestSchema>

const categoryCounts = z.record(z.string(), z.number().int())

export const exposureVillageSchema = z.object({
  villageId: z.number().int(),
  code: z.string(),
  name: z.string(),
  adminCode: z.string(),
  adminName: z.string(),
  location: position,
  population: z.number().int(),
  households: z.number().int(),
  vulnerable: z.number().int(),
  vulnerableByCategory: categoryCounts,
})

export const exposureFacilitySchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  kind: z.enum(['school', 'kindergarten', 'nursing_home', 'hospital']),
  adminCode: z.string().nullable(),
  location: position,
  pupils: z.number().int().nullable(),
  residents: z.number().int().nullable(),
  beds: z.number().int().nullable(),
  hospitalLevel: z.string().nullable(),
})

export const exposureShelterSchema = z.object({
  shelterId: z.number().int(),
  code: z.string(),
  name: z.string(),
  location: position,
  capacity: z.number().int(),
  /** Places left once the evacuation list is placed. */
  spare: z.number().int(),
  problems: z.array(reasonSchema),
})

export const listContactSchema = z.object({
  role: z.enum(['monitor', 'hazard_responsible']),
  name: z.string(),
  /** In full only for a reader allowed personal data of the village; masked otherwise. */
  phone: z.string().nullable(),
  hazardCode: z.string(),
})

export const listPersonSchema = z.object({
  category: z.string(),
  name: z.string(),
  mobilityNeeds: z.string().nullable(),
  /** 包保责任人. */
  responsibleName: z.string().nullable(),
  responsiblePhone: z.string().nullable(),
})

export const evacuationListEntrySchema = z.object({
  villageId: z.number().int(),
  code: z.string(),
  name: z.string(),
  adminCode: z.string(),
  adminName: z.string(),
  moving: z.number().int(),
  households: z.number().int(),
  destinations: z.array(
    z.object({
      shelterId: z.number().int(),
      shelterName: z.string(),
      persons: z.number().int(),
      lengthM: z.number(),
      walkingMinutes: z.number(),
      geometry: lineStringSchema,
    }),
  ),
  unplaced: z.number().int(),
  reason: reasonSchema.nullable(),
  /** The village's responsible persons: monitors and responsible persons of the hazards threatening it. */
  contacts: z.array(listContactSchema),
  vulnerableByCategory: categoryCounts,
  /** Named only for roles allowed personal data in this administrative village (audited); `null` otherwise — counts only. */
  people: z.array(listPersonSchema).nullable(),
})
export type EvacuationListEntry = z.infer<typeof evacuationListEntrySchema>

export const exposureResponseSchema = z.object({
  area: z.object({ kind: z.enum(['polygon', 'warning', 'hazards']), areaKm2: z.number() }),
  summary: z.object({
    villages: z.number().int(),
    people: z.number().int(),
    households: z.number().int(),
    vulnerable: z.number().int(),
    vulnerableByCategory: categoryCounts,
    schools: z.number().int(),
    kindergartens: z.number().int(),
    pupils: z.number().int(),
    nursingHomes: z.number().int(),
    residents: z.number().int(),
    hospitals: z.number().int(),
    sheltersInside: z.number().int(),
    sheltersAvailable: z.number().int(),
    placed: z.number().int(),
    unplaced: z.number().int(),
  }),
  villages: z.array(exposureVillageSchema),
  facilities: z.array(exposureFacilitySchema),
  shelters: z.object({ inside: z.array(exposureShelterSchema), available: z.array(exposureShelterSchema) }),
  evacuationList: z.array(evacuationListEntrySchema),
  /** Whether any entry names people (the reader's role and scope allow it). */
  named: z.boolean(),
})
export type ExposureResponse = z.infer<typeof exposureResponseSchema>
