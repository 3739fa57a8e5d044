import type { HazardKind, WarningKind, WarningLevel, WarningStage } from '@riskatlas/shared'
import { hazardKinds } from '@riskatlas/shared'
import { api, ok, withSignal } from './client.ts'
import { fetchCoverage } from './drills.ts'
import { fetchLayerFeatures } from './layers.ts'
import { fetchWarningImpact, fetchWarnings } from './warnings.ts'

type ByLevel = Record<1 | 2 | 3 | 4, number>

export interface ProgressTotals {
  villages: number
  villagesReported: number
  toMove: number
  moved: number
  staying: { refused: number; unreachable: number; alreadySafe: number }
  remaining: number
  vulnerableToMove: number
  vulnerableMoved: number
}

/**
 * Everything the big screen shows, as counts: the shape of `GET /api/command/overview`
 * (shared `commandOverviewSchema`, being built by the events work). Until that route is served
 * the screen assembles it from the routes a display token may read today.
 */
export interface CommandOverview {
  generatedAt: string
  town: { code: string; name: string }
  version: number
  latestEventId: number
  floodSeason: { year: number; startsOn: string; endsOn: string; day: number | null } | null
  warnings: {
    id: number
    kind: WarningKind
    level: WarningLevel
    stage: WarningStage
    title: string
    validFrom: string
    validTo: string
    adminCodes: string[]
  }[]
  hazardPoints: { total: number; byKind: { kind: HazardKind; total: number; byRiskLevel: ByLevel }[]; byRiskLevel: ByLevel }
  peopleThreatened: { people: number; households: number; villages: number }
  villagesUnderWarning: { admin: number; natural: number; people: number }
  progress: {
    warningId: number
    town: ProgressTotals
    adminVillages: (ProgressTotals & { adminCode: string; adminName: string })[]
  } | null
  shelters: {
    count: number
    capacity: number
    assigned: number
    checkedIn: number
    items: { id: number; name: string; capacity: number | null; assigned: number; checkedIn: number }[]
  }
  drillCoverage: { year: number; required: number; drilled: number; planned: number; overdue: number; missing: number }
  vulnerable: { total: number; withResponsible: number; share: number | null }
  hiddenDangers: { year: number; found: number; rectified: number; open: number } | null
  instructions: {
    total: number
    acknowledged: number
    overdue: number
    latest: { id: number; text: string; sentAt: string; acknowledged: number; total: number; overdue: boolean }[]
  }
  latestEvents: { id: number; type: 'data.changed'; version: number; entity: string; action: 'create' | 'update' | 'delete'; ids: number[] | null; at: string }[]
}

const emptyLevels = (): ByLevel => ({ 1: 0, 2: 0, 3: 0, 4: 0 })
const num = (value: unknown) => (typeof value === 'number' ? value : 0)

/** The overview, read from today's routes (warnings, their impact, layers, coverage, vulnerable counts). */
export async function fetchCommandOverview(signal?: AbortSignal): Promise<CommandOverview> {
  const [warnings, hazards, shelters, town, coverage, vulnerable] = await Promise.all([
    fetchWarnings('active', signal),
    fetchLayerFeatures('hazard_points', 10_000, signal),
    fetchLayerFeatures('shelters', 10_000, signal),
    fetchLayerFeatures('town_boundary', 10, signal),
    fetchCoverage(undefined, signal),
    ok(api['vulnerable-people'].counts.$get(undefined, withSignal(signal))),
  ])
  const impacts = await Promise.all(warnings.map((warning) => fetchWarningImpact(warning.id, signal)))

  const byKind = new Map<HazardKind, { kind: HazardKind; total: number; byRiskLevel: ByLevel }>()
  const byRiskLevel = emptyLevels()
  for (const feature of hazards.features) {
    const kind = feature.properties.kind as HazardKind
    const level = Math.min(4, Math.max(1, num(feature.properties.risk_level))) as 1 | 2 | 3 | 4
    const entry = byKind.get(kind) ?? { kind, total: 0, byRiskLevel: emptyLevels() }
    entry.total++
    entry.byRiskLevel[level]++
    byRiskLevel[level]++
    byKind.set(kind, entry)
  }

  const warnedVillages = new Map(impacts.flatMap((impact) => impact.naturalVillages.map((v) => [v.id, v] as const)))
  const warnedAdmin = new Set([...warnedVillages.values()].map((v) => v.adminCode))
  const shelterItems = shelters.features.map((feature) => ({
    id: Number(feature.id),
    name: String(feature.properties.name ?? ''),
    capacity: typeof feature.properties.capacity_persons === 'number' ? feature.properties.capacity_persons : null,
    assigned: num(feature.properties.assigned_people),
    checkedIn: 0,
  }))
  const { summary } = coverage
  const vulnerableTotal = vulnerable.villages.reduce((sum, v) => sum + v.total, 0)
  const withResponsible = vulnerableTotal - vulnerable.villages.reduce((sum, v) => sum + v.withoutResponsible, 0)
  const threatened = coverage.villages.filter((v) => v.required)
  const townFeature = town.features[0]?.properties

  return {
    generatedAt: new Date().toISOString(),
    town: { code: String(townFeature?.code ?? ''), name: String(townFeature?.name ?? '') },
    version: 0,
    latestEventId: 0,
    floodSeason: { ...summary.season, day: null },
    warnings: warnings.map(({ id, kind, level, stage, title, validFrom, validTo, adminCodes }) => ({
      id,
      kind,
      level,
      stage,
      title,
      validFrom,
      validTo,
      adminCodes,
    })),
    hazardPoints: {
      total: hazards.features.length,
      byKind: hazardKinds.flatMap((kind) => byKind.get(kind) ?? []),
      byRiskLevel,
    },
    peopleThreatened: {
      people: summary.peopleAtRisk,
      households: threatened.reduce((sum, v) => sum + v.households, 0),
      villages: threatened.length,
    },
    villagesUnderWarning: {
      admin: warnedAdmin.size,
      natural: warnedVillages.size,
      people: [...warnedVillages.values()].reduce((sum, v) => sum + v.population, 0),
    },
    progress: null,
    shelters: {
      count: shelterItems.length,
      capacity: shelterItems.reduce((sum, s) => sum + (s.capacity ?? 0), 0),
      assigned: shelterItems.reduce((sum, s) => sum + s.assigned, 0),
      checkedIn: 0,
      items: shelterItems,
    },
    drillCoverage: {
      year: summary.season.year,
      required: summary.required,
      drilled: summary.drilled,
      planned: summary.requiredCounts.planned,
      overdue: summary.requiredCounts.overdue,
      missing: summary.requiredCounts.missing,
    },
    vulnerable: { total: vulnerableTotal, withResponsible, share: vulnerableTotal ? withResponsible / vulnerableTotal : null },
    hiddenDangers: null,
    instructions: { total: 0, acknowledged: 0, overdue: 0, latest: [] },
    latestEvents: [],
  }
}
