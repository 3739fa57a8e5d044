import { gapKinds, phraseReason, type Gap, type GapKind, type RouteAudit } from '@riskatlas/shared'
import { drillReasons, groupBy, type CoverageVillageRow, type ThreatRow } from './rules.ts'
import { defaultCoverageRules, type CoverageRules } from './season.ts'

export interface HazardMonitorRow {
  id: number
  code: string
  name: string
  adminCode: string | null
  adminName: string | null
  lon: number
  lat: number
  status: string
  monitorName: string | null
  threatenedPeople: number
}

/** Vulnerable people of one village, as counts: the gaps never name anyone. */
export interface VulnerableGapRow {
  naturalVillageId: number
  total: number
  withoutResponsible: number
}

/** A reservoir (水库) or pond (塘坝): each must have its administrative, technical and patrol responsible persons. */
export interface ReservoirRow {
  id: number
  code: string
  kind: 'reservoir' | 'pond'
  name: string
  adminCode: string | null
  adminName: string | null
  lon: number
  lat: number
  adminResponsible: string | null
  techResponsible: string | null
  patrolResponsible: string | null
}

/** A village no broadcast speaker reaches, with the nearest speaker for context. */
export interface BroadcastGapRow {
  naturalVillageId: number
  nearestName: string | null
  nearestDistanceM: number | null
}

export interface GapInput {
  villages: readonly CoverageVillageRow[]
  threats: readonly ThreatRow[]
  hazards: readonly HazardMonitorRow[]
  vulnerable: readonly VulnerableGapRow[]
  reservoirs: readonly ReservoirRow[]
  outsideBroadcast: readonly BroadcastGapRow[]
  /** Stored evacuation routes per village (villages without one are absent or 0). */
  routeCounts: ReadonlyMap<number, number>
  /** Stored routes with what the evacuation audit found wrong (absent: not audited). */
  routeAudits?: readonly RouteAudit[]
  rules?: CoverageRules
}

const blank = (text: string | null | undefined) => !text || text.trim() === ''

const responsibleRoles = [
  { key: 'adminResponsible', zh: '行政责任人', en: 'administrative' },
  { key: 'techResponsible', zh: '技术责任人', en: 'technical' },
  { key: 'patrolResponsible', zh: '巡查责任人', en: 'patrol' },
] as const

/**
 * Every preparedness gap beyond drills, ranked by kind, then villages that require a drill
 * first, then by people at risk. Vulnerable people appear as counts per village, never by name.
 */
export function preparednessGaps(input: GapInput): Gap[] {
  const rules = input.rules ?? defaultCoverageRules
  const villages = new Map(input.villages.map((village) => [village.id, village]))
  const threatsByVillage = groupBy(input.threats, (threat) => threat.naturalVillageId)
  const required = (villageId: number) => drillReasons(threatsByVillage.get(villageId) ?? [], rules).length > 0

  const villageGap = (kind: GapKind, village: CoverageVillageRow, reason: Gap['reason'], details: Record<string, unknown>): Gap => ({
    kind,
    subject: { type: 'natural_village', id: village.id, code: village.code, name: village.name },
    adminCode: village.adminCode,
    adminName: village.adminName,
    location: [village.lon, village.lat],
    reason,
    required: required(village.id),
    details: { population: village.population, ...details },
  })

  const gaps: Gap[] = []

  for (const hazard of input.hazards) {
    if (rules.ignoredHazardStatuses.includes(hazard.status) || !blank(hazard.monitorName)) continue
    gaps.push({
      kind: 'hazard_without_monitor',
      subject: { type: 'hazard_point', id: hazard.id, code: hazard.code, name: hazard.name },
      adminCode: hazard.adminCode,
      adminName: hazard.adminName,
      location: [hazard.lon, hazard.lat],
      reason: {
        zh: `隐患点 ${hazard.code}（${hazard.name}）未落实监测员，威胁 ${hazard.threatenedPeople} 人`,
        en: `Hazard point ${hazard.code} (${hazard.name}) has no monitor; it threatens ${hazard.threatenedPeople} people`,
      },
      required: hazard.threatenedPeople > 0,
      details: { threatenedPeople: hazard.threatenedPeople },
    })
  }

  for (const row of input.vulnerable) {
    const village = villages.get(row.naturalVillageId)
    if (!village || row.withoutResponsible === 0) continue
    gaps.push(
      villageGap(
        'vulnerable_without_responsible',
        village,
        {
          zh: `${village.name}：${row.withoutResponsible} 名特殊人群未落实包保责任人（共 ${row.total} 名）`,
          en: `${village.name}: ${row.withoutResponsible} of ${row.total} vulnerable people have no responsible person`,
        },
        { withoutResponsible: row.withoutResponsible, vulnerableTotal: row.total },
      ),
    )
  }

  for (const reservoir of input.reservoirs) {
    const missing = responsibleRoles.filter((role) => blank(reservoir[role.key]))
    if (missing.length === 0) continue
    gaps.push({
      kind: 'reservoir_missing_responsible',
      subject: { type: 'facility', id: reservoir.id, code: reservoir.code, name: reservoir.name },
      adminCode: reservoir.adminCode,
      adminName: reservoir.adminName,
      location: [reservoir.lon, reservoir.lat],
      reason: {
        zh: `${reservoir.name} 缺少${missing.map((role) => role.zh).join('、')}`,
        en: `${reservoir.name} has no ${missing.map((role) => role.en).join(', ')} responsible person`,
      },
      required: true,
      details: { facilityKind: reservoir.kind, missing: missing.map((role) => role.key) },
    })
  }

  for (const row of input.outsideBroadcast) {
    const village = villages.get(row.naturalVillageId)
    if (!village) continue
    const nearest = row.nearestName && row.nearestDistanceM !== null ? Math.round(row.nearestDistanceM) : null
    gaps.push(
      villageGap(
        'village_outside_broadcast',
        village,
        nearest !== null
          ? {
              zh: `${village.name} 不在任何应急广播覆盖范围内（最近的 ${row.nearestName} 相距 ${nearest} 米）`,
              en: `${village.name} is outside every broadcast speaker's reach (nearest: ${row.nearestName}, ${nearest} m)`,
            }
          : {
              zh: `${village.name} 不在任何应急广播覆盖范围内（全镇无应急广播）`,
              en: `${village.name} is outside every broadcast speaker's reach (the town has none)`,
            },
        { nearestSpeaker: row.nearestName, nearestDistanceM: nearest },
      ),
    )
  }

  // Evacuation routes lead out of threatened villages: only a village that must drill needs one.
  for (const village of input.villages) {
    if ((input.routeCounts.get(village.id) ?? 0) > 0 || !required(village.id)) continue
    gaps.push(
      villageGap(
        'village_without_route',
        village,
        { zh: `${village.name} 没有转移路线和安置点`, en: `${village.name} has no evacuation route or shelter` },
        {},
      ),
    )
  }

  for (const village of input.villages) {
    const threats = (threatsByVillage.get(village.id) ?? []).filter((threat) => !rules.ignoredHazardStatuses.includes(threat.hazardStatus))
    if (threats.some((threat) => threat.listed)) continue
    const zones = [...new Set(threats.filter((threat) => threat.inside).map((threat) => threat.hazardCode))].sort()
    if (zones.length === 0) continue
    gaps.push(
      villageGap(
        'unmapped_settlement',
        village,
        {
          zh: `${village.name} 位于 ${zones.join('、')} 危险区内，但没有隐患点将其列为威胁对象`,
          en: `${village.name} lies in the danger zone of ${zones.join(', ')}, yet no hazard point lists it as threatened`,
        },
        { dangerZones: zones },
      ),
    )
  }

  for (const route of input.routeAudits ?? []) {
    if (route.ok) continue
    const village = villages.get(route.villageId)
    const phrased = route.problems.map(phraseReason)
    const start = route.geometry.coordinates[0]
    gaps.push({
      kind: 'route_problem',
      subject: {
        type: 'evacuation_route',
        id: route.routeId,
        code: String(route.routeId),
        name: `${route.villageName} → ${route.shelterName}`,
      },
      adminCode: route.adminCode,
      adminName: route.adminName,
      location: start ? [start[0], start[1]] : village ? [village.lon, village.lat] : [0, 0],
      reason: {
        zh: `${route.villageName} → ${route.shelterName}：${phrased.map((p) => p.zh).join('；')}`,
        en: `${route.villageName} → ${route.shelterName}: ${phrased.map((p) => p.en).join('; ')}`,
      },
      required: required(route.villageId),
      details: {
        population: village?.population ?? route.persons,
        routeId: route.routeId,
        naturalVillageId: route.villageId,
        shelterId: route.shelterId,
        source: route.source,
        problems: route.problems,
      },
    })
  }

  const kindOrder = new Map(gapKinds.map((kind, index) => [kind, index]))
  const weight = (gap: Gap) => Number(gap.details.population ?? gap.details.threatenedPeople ?? 0)
  return gaps.sort(
    (a, b) =>
      kindOrder.get(a.kind)! - kindOrder.get(b.kind)! ||
      Number(b.required) - Number(a.required) ||
      weight(b) - weight(a) ||
      a.subject.code.localeCompare(b.subject.code),
  )
}

/** How many gaps of each kind. */
export function gapCounts(gaps: readonly Gap[]): Record<GapKind, number> {
  const counts = Object.fromEntries(gapKinds.map((kind) => [kind, 0])) as Record<GapKind, number>
  for (const gap of gaps) counts[gap.kind] += 1
  return counts
}
