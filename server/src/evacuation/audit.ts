import type { Reason, ReasonCode } from '@riskatlas/shared'
import { effectiveCapacity, shelterProblems, type EvacuationSettings } from './rules.ts'

/** A stored route as PostGIS measured it. */
export interface AuditRouteRow {
  id: number
  source: 'drawn' | 'computed'
  villageId: number
  villageCode: string
  villageName: string
  adminCode: string
  adminName: string
  population: number
  shelterId: number
  /** NULL on drawn routes: the whole village. */
  persons: number | null
  /** Along the line on the ground. */
  lengthM: number
  storedMinutes: number
  /** Foreign danger zones it enters (not containing the village). */
  crossedZones: string[]
  /** The village's own zones it enters again after leaving. */
  reenteredZones: string[]
  startOffRoadM: number | null
  endOffRoadM: number | null
  geometry: { type: 'LineString'; coordinates: [number, number][] }
}

export interface AuditShelterRow {
  id: number
  code: string
  name: string
  open: boolean
  capacityPersons: number | null
  areaM2: number | null
  dangerZones: string[]
  inWarnedArea: boolean
}

export interface RouteAudit {
  routeId: number
  source: 'drawn' | 'computed'
  villageId: number
  villageCode: string
  villageName: string
  adminCode: string
  adminName: string
  shelterId: number
  shelterCode: string
  shelterName: string
  persons: number
  lengthM: number
  walkingMinutes: number
  ok: boolean
  problems: Reason[]
  geometry: AuditRouteRow['geometry']
}

/**
 * The route and shelter audit, pure: each stored route against the rules — no foreign danger
 * zone, its own zone left for good, within the norm (length and minutes on foot), ending at a
 * usable shelter that is not assigned more than its effective capacity, both ends on the
 * road network. A village with computed routes is counted by those (each carries its share);
 * otherwise its drawn routes carry the whole village.
 */
export function auditRoutes(
  routes: readonly AuditRouteRow[],
  shelters: readonly AuditShelterRow[],
  settings: EvacuationSettings,
): RouteAudit[] {
  const shelterById = new Map(shelters.map((s) => [s.id, s]))
  const computedVillages = new Set(routes.filter((r) => r.source === 'computed').map((r) => r.villageId))
  const counted = (r: AuditRouteRow) => (computedVillages.has(r.villageId) ? r.source === 'computed' : true)
  // People per shelter: each village counted once per shelter (two drawn routes to one shelter are one village).
  const perShelter = new Map<number, Map<number, number>>()
  for (const r of routes) {
    if (!counted(r)) continue
    const villages = perShelter.get(r.shelterId) ?? new Map<number, number>()
    const persons = r.persons ?? r.population
    villages.set(
      r.villageId,
      r.source === 'computed' ? (villages.get(r.villageId) ?? 0) + persons : Math.max(villages.get(r.villageId) ?? 0, persons),
    )
    perShelter.set(r.shelterId, villages)
  }
  const assigned = (shelterId: number) => [...(perShelter.get(shelterId)?.values() ?? [])].reduce((a, b) => a + b, 0)

  return routes.map((r) => {
    const shelter = shelterById.get(r.shelterId)
    const problems: Reason[] = []
    if (r.crossedZones.length > 0) problems.push({ code: 'route_crosses_zone', params: { zones: r.crossedZones } })
    if (r.reenteredZones.length > 0) problems.push({ code: 'route_reenters_own_zone', params: { zones: r.reenteredZones } })
    const lengthM = Math.round(r.lengthM)
    const minutes = Math.round(Math.max(r.storedMinutes, r.lengthM / ((settings.walkingSpeedKmh * 1000) / 60)) * 10) / 10
    if (lengthM > settings.normLengthM) problems.push({ code: 'route_too_long', params: { lengthM, maxM: settings.normLengthM } })
    if (minutes > settings.normMinutes) problems.push({ code: 'route_too_slow', params: { minutes, maxMinutes: settings.normMinutes } })
    let capacity = 0
    if (shelter) {
      capacity = effectiveCapacity(shelter.capacityPersons, shelter.areaM2, settings.m2PerPerson)
      const unusable = shelterProblems({
        open: shelter.open,
        dangerZones: shelter.dangerZones,
        inWarnedArea: shelter.inWarnedArea,
        capacity,
      })
      if (unusable.length > 0)
        problems.push({
          code: 'route_shelter_unusable',
          params: { reasons: unusable.map((p) => p.code as ReasonCode), ...Object.assign({}, ...unusable.map((p) => p.params)) },
        })
      const load = assigned(shelter.id)
      if (capacity > 0 && load > capacity) problems.push({ code: 'route_shelter_over_capacity', params: { assigned: load, capacity } })
    }
    if (r.startOffRoadM === null || r.startOffRoadM > settings.routeEndToleranceM)
      problems.push({ code: 'route_starts_off_network', params: { distanceM: Math.round(r.startOffRoadM ?? -1) } })
    if (r.endOffRoadM === null || r.endOffRoadM > settings.routeEndToleranceM)
      problems.push({ code: 'route_ends_off_network', params: { distanceM: Math.round(r.endOffRoadM ?? -1) } })
    return {
      routeId: r.id,
      source: r.source,
      villageId: r.villageId,
      villageCode: r.villageCode,
      villageName: r.villageName,
      adminCode: r.adminCode,
      adminName: r.adminName,
      shelterId: r.shelterId,
      shelterCode: shelter?.code ?? '',
      shelterName: shelter?.name ?? '',
      persons: r.persons ?? r.population,
      lengthM,
      walkingMinutes: minutes,
      ok: problems.length === 0,
      problems,
      geometry: r.geometry,
    }
  })
}
