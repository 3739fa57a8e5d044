import { gapKinds, reservoirRoles, type Gap, type GapKind, type GapReason, type RouteAudit } from '@riskatlas/shared'
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

/**
 * Every preparedness gap beyond drills, ranked by kind, then villages that require a drill
 * first, then by people at risk. Vulnerable people appear as counts per village, never by name.
 */
export function preparednessGaps(input: GapInput): Gap[] {
  const rules = input.rules ?? defaultCoverageRules
  const villages = new Map(input.villages.map((village) => [village.id, village]))
  const threatsByVillage = groupBy(input.threats, (threat) => threat.naturalVillageId)
  const required = (villageId: number) => drillReasons(threatsByVillage.get(villageId) ?? [], rules).length > 0

  const villageGap = (kind: GapKind, village: CoverageVillageRow, reason: GapReason, details: Record<string, unknown>): Gap => ({
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
        code: 'hazard_without_monitor',
        params: { hazardCode: hazard.code, hazardName: hazard.name, threatenedPeople: hazard.threatenedPeople },
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
          code: 'vulnerable_without_responsible',
          params: { village: village.name, withoutResponsible: row.withoutResponsible, total: row.total },
        },
        { withoutResponsible: row.withoutResponsible, vulnerableTotal: row.total },
      ),
    )
  }

  for (const reservoir of input.reservoirs) {
    const missing = reservoirRoles.filter((role) => blank(reservoir[role]))
    if (missing.length === 0) continue
    gaps.push({
      kind: 'reservoir_missing_responsible',
      subject: { type: 'facility', id: reservoir.id, code: reservoir.code, name: reservoir.name },
      adminCode: reservoir.adminCode,
      adminName: reservoir.adminName,
      location: [reservoir.lon, reservoir.lat],
      reason: { code: 'reservoir_missing_responsible', params: { name: reservoir.name, missing } },
      required: true,
      details: { facilityKind: reservoir.kind, missing },
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
        {
          code: 'village_outside_broadcast',
          params: { village: village.name, nearestName: nearest !== null ? row.nearestName : null, nearestDistanceM: nearest },
        },
        { nearestSpeaker: row.nearestName, nearestDistanceM: nearest },
      ),
    )
  }

  // Evacuation routes lead out of threatened villages: only a village that must drill needs one.
  for (const village of input.villages) {
    if ((input.routeCounts.get(village.id) ?? 0) > 0 || !required(village.id)) continue
    gaps.push(villageGap('village_without_route', village, { code: 'village_without_route', params: { village: village.name } }, {}))
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
        { code: 'unmapped_settlement', params: { village: village.name, zones } },
        { dangerZones: zones },
      ),
    )
  }

  for (const route of input.routeAudits ?? []) {
    if (route.ok) continue
    const village = villages.get(route.villageId)
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
      reason: { code: 'route_problem', params: { village: route.villageName, shelter: route.shelterName, problems: route.problems } },
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
