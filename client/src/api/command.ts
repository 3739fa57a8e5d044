import type { CommandOverview, HazardKind } from '@riskatlas/shared'
import { hazardKinds } from '@riskatlas/shared'
import { api, ok, withSignal } from './client.ts'
import { fetchCoverage } from './drills.ts'
import { fetchLayerFeatures } from './layers.ts'
import { fetchWarningImpact, fetchWarnings } from './warnings.ts'

type ByLevel = Record<1 | 2 | 3 | 4, number>

/**
 * Everything the big screen shows, as counts: `GET /api/command/overview` (the shared
 * `commandOverviewSchema`). `hiddenDangers` may be missing where the screen cannot read it.
 */
export type ScreenOverview = Omit<CommandOverview, 'hiddenDangers'> & { hiddenDangers: CommandOverview['hiddenDangers'] | null }

const emptyLevels = (): ByLevel => ({ 1: 0, 2: 0, 3: 0, 4: 0 })
const num = (value: unknown) => (typeof value === 'number' ? value : 0)

/** The overview, read from today's routes (warnings, their impact, layers, coverage, vulnerable counts). */
export async function fetchCommandOverview(signal?: AbortSignal): Promise<ScreenOverview> {
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
