import {
  coverageStatuses,
  type CoverageReason,
  type CoverageStatus,
  type CoverageSummary,
  type CoverageTally,
  type DrillRef,
  type DrillScenario,
  type FloodSeason,
  type HazardKind,
  type StatusCounts,
  type VillageCoverage,
} from '@riskatlas/shared'
import { defaultCoverageRules, inSeason, type CoverageRules } from './season.ts'

/** A natural village as the coverage analysis needs it. */
export interface CoverageVillageRow {
  id: number
  code: string
  name: string
  adminCode: string
  adminName: string
  lon: number
  lat: number
  population: number
  households: number
  vulnerableCount: number
}

/**
 * One link between a village and a hazard point, as the spatial SQL found it: the hazard lists
 * the village (`listed`), or the village lies within the rule's distance of its danger zone
 * (`zoneDistanceM`, metres on the ground), or both (then two rows or one merged row).
 */
export interface ThreatRow {
  naturalVillageId: number
  hazardPointId: number
  hazardCode: string
  hazardName: string
  kind: HazardKind
  riskLevel: number
  hazardStatus: string
  listed: boolean
  zoneDistanceM: number | null
  /** The village point lies inside the danger zone as drawn on the map. */
  inside: boolean
}

export interface DrillRow {
  id: number
  naturalVillageId: number
  scenario: DrillScenario
  status: 'planned' | 'held' | 'cancelled'
  plannedOn: string | null
  heldOn: string | null
  organiser?: string | null
}

/**
 * The reasons a village requires a drill, one per hazard point: listing and zone distance of
 * the same hazard are merged; hazards in an ignored status and zones beyond the distance drop out.
 */
export function drillReasons(threats: readonly ThreatRow[], rules: CoverageRules = defaultCoverageRules): CoverageReason[] {
  const byHazard = new Map<number, CoverageReason>()
  for (const threat of threats) {
    if (rules.ignoredHazardStatuses.includes(threat.hazardStatus)) continue
    const near = threat.zoneDistanceM !== null && threat.zoneDistanceM <= rules.zoneDistanceM
    if (!threat.listed && !near) continue
    const reason = byHazard.get(threat.hazardPointId) ?? {
      hazardPointId: threat.hazardPointId,
      hazardCode: threat.hazardCode,
      hazardName: threat.hazardName,
      kind: threat.kind,
      riskLevel: threat.riskLevel,
      listed: false,
      zoneDistanceM: null,
    }
    reason.listed ||= threat.listed
    if (near) reason.zoneDistanceM = Math.min(reason.zoneDistanceM ?? Infinity, Math.round(threat.zoneDistanceM! * 10) / 10)
    byHazard.set(threat.hazardPointId, reason)
  }
  return [...byHazard.values()].sort((a, b) => b.riskLevel - a.riskLevel || a.hazardCode.localeCompare(b.hazardCode))
}

const ref = (drill: DrillRow, date: string | null): DrillRef => ({ id: drill.id, scenario: drill.scenario, date: date! })

/**
 * A village's status in one season. A drill held in the season wins; else a planned drill in the
 * season is `planned` while its date has not passed (today included) and `overdue` after; else
 * `missing` when a drill is required. Cancelled drills count as nothing.
 */
export function seasonStatus(
  required: boolean,
  drills: readonly DrillRow[],
  season: FloodSeason,
  today: string,
): { status: CoverageStatus; seasonDrill: DrillRef | null } {
  const held = drills
    .filter((drill) => drill.status === 'held' && drill.heldOn !== null && inSeason(drill.heldOn, season))
    .sort((a, b) => b.heldOn!.localeCompare(a.heldOn!))[0]
  if (held) return { status: 'drilled', seasonDrill: ref(held, held.heldOn) }
  const planned = drills
    .filter((drill) => drill.status === 'planned' && drill.plannedOn !== null && inSeason(drill.plannedOn, season))
    .sort((a, b) => a.plannedOn!.localeCompare(b.plannedOn!))
  const upcoming = planned.find((drill) => drill.plannedOn! >= today)
  if (upcoming) return { status: 'planned', seasonDrill: ref(upcoming, upcoming.plannedOn) }
  const late = planned.at(-1)
  if (late) return { status: 'overdue', seasonDrill: ref(late, late.plannedOn) }
  return { status: required ? 'missing' : 'not_required', seasonDrill: null }
}

/** The latest drill held up to the season's end, and the earliest still planned from today on. */
export function drillHistory(
  drills: readonly DrillRow[],
  season: FloodSeason,
  today: string,
): { lastDrill: DrillRef | null; nextPlanned: DrillRef | null } {
  let lastDrill: DrillRef | null = null
  let nextPlanned: DrillRef | null = null
  for (const drill of drills) {
    if (drill.status === 'held' && drill.heldOn && drill.heldOn <= season.endsOn && (!lastDrill || drill.heldOn > lastDrill.date))
      lastDrill = ref(drill, drill.heldOn)
    if (drill.status === 'planned' && drill.plannedOn && drill.plannedOn >= today && (!nextPlanned || drill.plannedOn < nextPlanned.date))
      nextPlanned = ref(drill, drill.plannedOn)
  }
  return { lastDrill, nextPlanned }
}

export function groupBy<T>(rows: readonly T[], key: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>()
  for (const row of rows) {
    const id = key(row)
    const group = groups.get(id)
    if (group) group.push(row)
    else groups.set(id, [row])
  }
  return groups
}

/** Required villages first, by people at risk, then vulnerable people, then code. */
export function byPriority(a: VillageCoverage, b: VillageCoverage): number {
  return (
    Number(b.required) - Number(a.required) ||
    b.peopleAtRisk - a.peopleAtRisk ||
    b.vulnerableCount - a.vulnerableCount ||
    a.code.localeCompare(b.code)
  )
}

export interface CoverageInput {
  villages: readonly CoverageVillageRow[]
  threats: readonly ThreatRow[]
  drills: readonly DrillRow[]
  season: FloodSeason
  today: string
  rules?: CoverageRules
}

/**
 * Every natural village's drill coverage in a season, ranked: required villages by priority
 * (people at risk, then vulnerable people), then the rest by code.
 */
export function drillCoverage({
  villages,
  threats,
  drills,
  season,
  today,
  rules = defaultCoverageRules,
}: CoverageInput): VillageCoverage[] {
  const threatsByVillage = groupBy(threats, (threat) => threat.naturalVillageId)
  const drillsByVillage = groupBy(drills, (drill) => drill.naturalVillageId)
  const coverage = villages.map((village): VillageCoverage => {
    const reasons = drillReasons(threatsByVillage.get(village.id) ?? [], rules)
    const required = reasons.length > 0
    const villageDrills = drillsByVillage.get(village.id) ?? []
    const { status, seasonDrill } = seasonStatus(required, villageDrills, season, today)
    return {
      id: village.id,
      code: village.code,
      name: village.name,
      adminCode: village.adminCode,
      adminName: village.adminName,
      location: [village.lon, village.lat],
      population: village.population,
      households: village.households,
      required,
      status,
      reasons,
      peopleAtRisk: required ? village.population : 0,
      vulnerableCount: village.vulnerableCount,
      ...drillHistory(villageDrills, season, today),
      seasonDrill,
      priority: null,
    }
  })
  coverage.sort(byPriority)
  let rank = 0
  for (const village of coverage) if (village.required) village.priority = ++rank
  return coverage
}

/** Counts, coverage percentage and people of a set of villages. */
export function coverageTally(villages: readonly VillageCoverage[]): CoverageTally {
  const counts = Object.fromEntries(coverageStatuses.map((status) => [status, 0])) as StatusCounts
  const requiredCounts = { ...counts }
  let required = 0
  let drilled = 0
  let peopleAtRisk = 0
  let peopleNotDrilled = 0
  for (const village of villages) {
    counts[village.status] += 1
    if (!village.required) continue
    required += 1
    requiredCounts[village.status] += 1
    peopleAtRisk += village.peopleAtRisk
    if (village.status === 'drilled') drilled += 1
    else peopleNotDrilled += village.peopleAtRisk
  }
  const coveragePercent = required === 0 ? 100 : Math.round((drilled / required) * 1000) / 10
  return { villages: villages.length, required, drilled, coveragePercent, counts, requiredCounts, peopleAtRisk, peopleNotDrilled }
}

/** The summary of `/api/coverage`: the whole town and each administrative village. */
export function coverageSummary(
  villages: readonly VillageCoverage[],
  season: FloodSeason,
  today: string,
  rules: CoverageRules = defaultCoverageRules,
): CoverageSummary {
  const byAdmin = new Map<string, { adminName: string; villages: VillageCoverage[] }>()
  for (const village of villages) {
    const group = byAdmin.get(village.adminCode) ?? { adminName: village.adminName, villages: [] }
    group.villages.push(village)
    byAdmin.set(village.adminCode, group)
  }
  return {
    ...coverageTally(villages),
    season,
    today,
    rules: { zoneDistanceM: rules.zoneDistanceM, ignoredHazardStatuses: [...rules.ignoredHazardStatuses] },
    byAdminVillage: [...byAdmin.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([adminCode, group]) => ({ adminCode, adminName: group.adminName, ...coverageTally(group.villages) })),
  }
}
