import { z } from 'zod'
import type { Bilingual } from './i18n.ts'
import { phraseReason, reasonSchema } from './evacuation.ts'
import { drillScenarios, hazardKinds, vulnerableCategories, warningLevels, warningStages } from './enums.ts'

/** A natural village's drill status in one flood season. */
export const coverageStatuses = ['not_required', 'missing', 'planned', 'overdue', 'drilled'] as const
export type CoverageStatus = (typeof coverageStatuses)[number]

export const coverageStatusLabels: Record<CoverageStatus, Bilingual> = {
  not_required: { zh: '无需演练', en: 'Not required' },
  missing: { zh: '未安排', en: 'Missing' },
  planned: { zh: '已计划', en: 'Planned' },
  overdue: { zh: '已逾期', en: 'Overdue' },
  drilled: { zh: '已演练', en: 'Drilled' },
}

export const floodSeasonSchema = z.object({
  year: z.number().int(),
  startsOn: z.string(),
  endsOn: z.string(),
  /** True when the year has its own row in `flood_seasons`; false for the default 1 May – 31 October. */
  configured: z.boolean(),
})
export type FloodSeason = z.infer<typeof floodSeasonSchema>

/** Why a village requires a drill: one hazard point, listing it, near its danger zone, or both. */
export const coverageReasonSchema = z.object({
  hazardPointId: z.number().int(),
  hazardCode: z.string(),
  hazardName: z.string(),
  kind: z.enum(hazardKinds),
  riskLevel: z.number().int(),
  /** The hazard point lists the village as threatened (hazard_threatened_villages). */
  listed: z.boolean(),
  /** Metres on the ground from the village to the danger zone when within the rule's distance (0 = inside). */
  zoneDistanceM: z.number().nullable(),
})
export type CoverageReason = z.infer<typeof coverageReasonSchema>

export const drillRefSchema = z.object({
  id: z.number().int(),
  scenario: z.enum(drillScenarios),
  date: z.string(),
})
export type DrillRef = z.infer<typeof drillRefSchema>

export const villageCoverageSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  adminCode: z.string(),
  adminName: z.string(),
  /** [longitude, latitude]. */
  location: z.tuple([z.number(), z.number()]),
  population: z.number().int(),
  households: z.number().int(),
  required: z.boolean(),
  status: z.enum(coverageStatuses),
  reasons: z.array(coverageReasonSchema),
  /** Residents who must move when the village evacuates: its population when a drill is required, else 0. */
  peopleAtRisk: z.number().int(),
  vulnerableCount: z.number().int(),
  /** The latest drill held up to the end of the season (any season). */
  lastDrill: drillRefSchema.nullable(),
  /** The earliest drill still planned for today or later. */
  nextPlanned: drillRefSchema.nullable(),
  /** The drill that decides the status in this season (held, planned or overdue), if any. */
  seasonDrill: drillRefSchema.nullable(),
  /** 1 = first in line: required villages ranked by people at risk, then vulnerable count. */
  priority: z.number().int().nullable(),
})
export type VillageCoverage = z.infer<typeof villageCoverageSchema>

const statusCountsSchema = z.object(
  Object.fromEntries(coverageStatuses.map((status) => [status, z.number().int()])) as Record<CoverageStatus, z.ZodNumber>,
)
export type StatusCounts = Record<CoverageStatus, number>

export const coverageTallySchema = z.object({
  villages: z.number().int(),
  required: z.number().int(),
  /** Required villages that held their drill in the season. */
  drilled: z.number().int(),
  /** drilled / required × 100, one decimal; 100 when nothing is required. */
  coveragePercent: z.number(),
  counts: statusCountsSchema,
  /** The same counts over the villages that must drill only (never `not_required`). */
  requiredCounts: statusCountsSchema,
  peopleAtRisk: z.number().int(),
  /** People at risk in required villages that have not drilled. */
  peopleNotDrilled: z.number().int(),
})
export type CoverageTally = z.infer<typeof coverageTallySchema>

export const coverageSummarySchema = coverageTallySchema.extend({
  season: floodSeasonSchema,
  today: z.string(),
  rules: z.object({ zoneDistanceM: z.number(), ignoredHazardStatuses: z.array(z.string()) }),
  byAdminVillage: z.array(coverageTallySchema.extend({ adminCode: z.string(), adminName: z.string() })),
})
export type CoverageSummary = z.infer<typeof coverageSummarySchema>

export const coverageResponseSchema = z.object({ summary: coverageSummarySchema, villages: z.array(villageCoverageSchema) })
export type CoverageResponse = z.infer<typeof coverageResponseSchema>

/** The preparedness gaps beyond drills (DESIGN.md §3). */
export const gapKinds = [
  'hazard_without_monitor',
  'vulnerable_without_responsible',
  'reservoir_missing_responsible',
  'village_outside_broadcast',
  'village_without_route',
  'unmapped_settlement',
  /** A stored evacuation route the audit finds fault with (GET /api/evacuation/audit). */
  'route_problem',
] as const
export type GapKind = (typeof gapKinds)[number]

export const gapKindLabels: Record<GapKind, Bilingual> = {
  hazard_without_monitor: { zh: '隐患点未落实监测员', en: 'Hazard point without a monitor' },
  vulnerable_without_responsible: { zh: '特殊人群未落实包保责任人', en: 'Vulnerable people without a responsible person' },
  reservoir_missing_responsible: { zh: '水库、塘坝“三个责任人”不全', en: 'Reservoir or pond missing a responsible person' },
  village_outside_broadcast: { zh: '自然村不在应急广播覆盖范围', en: 'Natural village outside broadcast reach' },
  village_without_route: { zh: '自然村无转移路线或安置点', en: 'Natural village without route or shelter' },
  unmapped_settlement: { zh: '自然村位于危险区但未列入隐患点威胁对象', en: 'Village in a danger zone that no hazard point lists' },
  route_problem: { zh: '转移路线存在问题', en: 'Evacuation route with a problem' },
}

export const gapSubjectSchema = z.object({
  type: z.enum(['hazard_point', 'natural_village', 'facility', 'evacuation_route']),
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
})

/** A reservoir's or pond's three responsible persons (三个责任人). */
export const reservoirRoles = ['adminResponsible', 'techResponsible', 'patrolResponsible'] as const
export type ReservoirRole = (typeof reservoirRoles)[number]

export const reservoirRoleLabels: Record<ReservoirRole, Bilingual> = {
  adminResponsible: { zh: '行政责任人', en: 'administrative' },
  techResponsible: { zh: '技术责任人', en: 'technical' },
  patrolResponsible: { zh: '巡查责任人', en: 'patrol' },
}

/**
 * Why something is a gap: a code (one per gap kind) with the facts as parameters. The server
 * never words it; `phraseGapReason` does, in both languages, wherever a reader sees it.
 */
export const gapReasonSchema = z.discriminatedUnion('code', [
  z.object({
    code: z.literal('hazard_without_monitor'),
    params: z.object({ hazardCode: z.string(), hazardName: z.string(), threatenedPeople: z.number().int() }),
  }),
  z.object({
    code: z.literal('vulnerable_without_responsible'),
    params: z.object({ village: z.string(), withoutResponsible: z.number().int(), total: z.number().int() }),
  }),
  z.object({
    code: z.literal('reservoir_missing_responsible'),
    params: z.object({ name: z.string(), missing: z.array(z.enum(reservoirRoles)).min(1) }),
  }),
  z.object({
    code: z.literal('village_outside_broadcast'),
    /** The nearest speaker and its distance in metres; both null when the town has none. */
    params: z.object({ village: z.string(), nearestName: z.string().nullable(), nearestDistanceM: z.number().int().nullable() }),
  }),
  z.object({ code: z.literal('village_without_route'), params: z.object({ village: z.string() }) }),
  z.object({ code: z.literal('unmapped_settlement'), params: z.object({ village: z.string(), zones: z.array(z.string()).min(1) }) }),
  z.object({
    code: z.literal('route_problem'),
    params: z.object({ village: z.string(), shelter: z.string(), problems: z.array(reasonSchema) }),
  }),
])
export type GapReason = z.infer<typeof gapReasonSchema>

/** A gap's reason in both languages (the client shows one; exports may show both). */
export function phraseGapReason(reason: GapReason): Bilingual {
  switch (reason.code) {
    case 'hazard_without_monitor': {
      const p = reason.params
      return {
        zh: `隐患点 ${p.hazardCode}（${p.hazardName}）未落实监测员，威胁 ${p.threatenedPeople} 人`,
        en: `Hazard point ${p.hazardCode} (${p.hazardName}) has no monitor; it threatens ${p.threatenedPeople} people`,
      }
    }
    case 'vulnerable_without_responsible': {
      const p = reason.params
      return {
        zh: `${p.village}：${p.withoutResponsible} 名特殊人群未落实包保责任人（共 ${p.total} 名）`,
        en: `${p.village}: ${p.withoutResponsible} of ${p.total} vulnerable people have no responsible person`,
      }
    }
    case 'reservoir_missing_responsible': {
      const p = reason.params
      return {
        zh: `${p.name} 缺少${p.missing.map((role) => reservoirRoleLabels[role].zh).join('、')}`,
        en: `${p.name} has no ${p.missing.map((role) => reservoirRoleLabels[role].en).join(', ')} responsible person`,
      }
    }
    case 'village_outside_broadcast': {
      const p = reason.params
      return p.nearestName !== null && p.nearestDistanceM !== null
        ? {
            zh: `${p.village} 不在任何应急广播覆盖范围内（最近的 ${p.nearestName} 相距 ${p.nearestDistanceM} 米）`,
            en: `${p.village} is outside every broadcast speaker's reach (nearest: ${p.nearestName}, ${p.nearestDistanceM} m)`,
          }
        : {
            zh: `${p.village} 不在任何应急广播覆盖范围内（全镇无应急广播）`,
            en: `${p.village} is outside every broadcast speaker's reach (the town has none)`,
          }
    }
    case 'village_without_route':
      return { zh: `${reason.params.village} 没有转移路线和安置点`, en: `${reason.params.village} has no evacuation route or shelter` }
    case 'unmapped_settlement': {
      const p = reason.params
      return {
        zh: `${p.village} 位于 ${p.zones.join('、')} 危险区内，但没有隐患点将其列为威胁对象`,
        en: `${p.village} lies in the danger zone of ${p.zones.join(', ')}, yet no hazard point lists it as threatened`,
      }
    }
    case 'route_problem': {
      const p = reason.params
      const phrased = p.problems.map(phraseReason)
      return {
        zh: `${p.village} → ${p.shelter}：${phrased.map((problem) => problem.zh).join('；')}`,
        en: `${p.village} → ${p.shelter}: ${phrased.map((problem) => problem.en).join('; ')}`,
      }
    }
  }
}

export const gapSchema = z.object({
  kind: z.enum(gapKinds),
  subject: gapSubjectSchema,
  adminCode: z.string().nullable(),
  adminName: z.string().nullable(),
  /** [longitude, latitude] to locate the gap on the map. */
  location: z.tuple([z.number(), z.number()]),
  /** Why it is a gap, as a code with parameters: `phraseGapReason` words it in zh and en. */
  reason: gapReasonSchema,
  /** Whether the village (or a village the subject threatens) requires a drill: ranks first. */
  required: z.boolean(),
  details: z.record(z.string(), z.unknown()),
})
export type Gap = z.infer<typeof gapSchema>

export const gapsResponseSchema = z.object({
  season: floodSeasonSchema,
  counts: z.object(Object.fromEntries(gapKinds.map((kind) => [kind, z.number().int()])) as Record<GapKind, z.ZodNumber>),
  gaps: z.array(gapSchema),
})
export type GapsResponse = z.infer<typeof gapsResponseSchema>

/**
 * What sets each stage of a village's transfer off, how villagers are told and what they do
 * (村级转移预案), as codes: the server sends the codes, the client phrases them (zh/en).
 */
export const stageTriggers = ['orange_warning_or_signs', 'red_warning_or_order'] as const
export type StageTrigger = (typeof stageTriggers)[number]
export const stageSignals = ['broadcast_phone_long_gong', 'rapid_gong_whistles_broadcast'] as const
export type StageSignal = (typeof stageSignals)[number]
export const stageActions = ['pack_and_move_vulnerable_first', 'walk_route_to_shelter'] as const
export type StageAction = (typeof stageActions)[number]

export const evacuationStageSchema = z.object({
  stage: z.enum(warningStages),
  trigger: z.enum(stageTriggers),
  signal: z.enum(stageSignals),
  action: z.enum(stageActions),
})
export type EvacuationStage = z.infer<typeof evacuationStageSchema>

/** The two stages of a village's transfer (准备转移, 立即转移). */
export const evacuationStages: readonly EvacuationStage[] = [
  { stage: 'prepare', trigger: 'orange_warning_or_signs', signal: 'broadcast_phone_long_gong', action: 'pack_and_move_vulnerable_first' },
  { stage: 'move_now', trigger: 'red_warning_or_order', signal: 'rapid_gong_whistles_broadcast', action: 'walk_route_to_shelter' },
]

const geometrySchema = z.unknown().describe('An RFC 7946 geometry')

export const contactSchema = z.object({
  role: z.enum(['monitor', 'hazard_responsible', 'drill_organiser', 'vulnerable_responsible']),
  name: z.string(),
  /** The full number only when the caller may see personal data; otherwise masked 138****1234. */
  phone: z.string().nullable(),
  phoneMasked: z.boolean(),
  /** The hazard point (monitor / responsible) or how many vulnerable people (包保) the contact covers. */
  for: z.string().nullable(),
})
export type Contact = z.infer<typeof contactSchema>

export const evacuationCardSchema = z.object({
  village: z.object({
    id: z.number().int(),
    code: z.string(),
    name: z.string(),
    adminCode: z.string(),
    adminName: z.string(),
    townName: z.string().nullable(),
    population: z.number().int(),
    households: z.number().int(),
    location: z.tuple([z.number(), z.number()]),
    geometry: geometrySchema,
  }),
  coverage: z.object({ required: z.boolean(), status: z.enum(coverageStatuses), season: floodSeasonSchema }),
  threats: z.array(
    coverageReasonSchema.extend({
      threatenedPeople: z.number().int(),
      dangerZone: geometrySchema.nullable(),
      location: z.tuple([z.number(), z.number()]),
    }),
  ),
  routes: z.array(
    z.object({
      id: z.number().int(),
      lengthM: z.number(),
      walkingMinutes: z.number(),
      geometry: geometrySchema,
      shelter: z.object({
        id: z.number().int(),
        code: z.string(),
        name: z.string(),
        address: z.string().nullable(),
        capacityPersons: z.number().int().nullable(),
        areaM2: z.number().nullable(),
        location: z.tuple([z.number(), z.number()]),
      }),
    }),
  ),
  /** Who moves: residents and vulnerable people by category (counts only). */
  movers: z.object({
    population: z.number().int(),
    households: z.number().int(),
    vulnerable: z.object(
      Object.fromEntries(vulnerableCategories.map((category) => [category, z.number().int()])) as Record<
        (typeof vulnerableCategories)[number],
        z.ZodNumber
      >,
    ),
    vulnerableTotal: z.number().int(),
    vulnerableWithoutResponsible: z.number().int(),
  }),
  /** Named vulnerable people, only when the caller may see personal data; otherwise null. */
  vulnerablePeople: z
    .array(
      z.object({
        category: z.enum(vulnerableCategories),
        name: z.string(),
        mobilityNeeds: z.string().nullable(),
        responsibleName: z.string().nullable(),
        responsiblePhone: z.string().nullable(),
      }),
    )
    .nullable(),
  organiser: z.string().nullable(),
  contacts: z.array(contactSchema),
  /** The stages as codes (trigger, signal, action): the client phrases them. */
  stages: z.array(evacuationStageSchema),
  activeWarnings: z.array(z.object({ title: z.string(), level: z.enum(warningLevels), stage: z.enum(warningStages), validTo: z.string() })),
  broadcastSpeakers: z.array(z.object({ name: z.string(), distanceM: z.number() })),
  /** Context for the map inset: roads and rivers around the village, clipped to `bbox`. */
  context: z.object({
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
    roads: z.array(z.object({ class: z.string(), geometry: geometrySchema })),
    rivers: z.array(z.object({ class: z.string(), geometry: geometrySchema })),
  }),
  personalData: z.boolean(),
  generatedOn: z.string(),
})
export type EvacuationCard = z.infer<typeof evacuationCardSchema>

export const evacuationCardListSchema = z.object({
  adminCode: z.string(),
  adminName: z.string(),
  cards: z.array(evacuationCardSchema),
})
export type EvacuationCardList = z.infer<typeof evacuationCardListSchema>
