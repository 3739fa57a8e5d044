import type { Overflow, PlanAssignment, PlanVillage, Reason } from '@riskatlas/shared'
import { haversine, type LonLat } from './geo.ts'
import { snapToGraph, type RoadGraph, type Snap } from './graph.ts'
import { walkingMinutes } from './rules.ts'
import { searchFrom, Workspace, type Constraints } from './search.ts'

export interface PlanVillageInput {
  id: number
  code: string
  name: string
  adminCode: string
  adminName: string
  location: LonLat
  persons: number
  households: number
  vulnerable: number
  /** 2 inside a danger zone, 1 threatened, 0 otherwise. */
  risk: number
  /** Zone ids it lies in (danger zones, and the warned area's id): crossable on the way out. */
  ownZones: readonly number[]
}

export interface PlanShelterInput {
  id: number
  location: LonLat
  capacity: number
  usable: boolean
}

export interface PlanOptions {
  snapDistanceM: number
  walkingSpeedKmh: number
  nearestShelters: number
  constraints: Omit<Constraints, 'ownZones' | 'ignoreZones'>
}

export interface ShelterOutcome {
  shelterId: number
  assigned: number
  /** Distance to the road network, and whether within reach of it. */
  snapped: boolean
  distanceM: number | null
}

export interface PlanOutcome {
  villages: PlanVillage[]
  assignments: PlanAssignment[]
  shelters: ShelterOutcome[]
  overflow: Overflow[]
}

/** Villages in the order they choose a shelter: inside a zone, then threatened; more vulnerable people, more people first. */
export function byPriority(a: PlanVillageInput, b: PlanVillageInput): number {
  return b.risk - a.risk || b.vulnerable - a.vulnerable || b.persons - a.persons || a.code.localeCompare(b.code)
}

/**
 * The plan: villages by priority each take their nearest reachable shelter with room, spilling
 * over to the next nearest (a village may be split); who is left gets an overflow with the
 * nearest shelters that would do and the places needed, or a reason saying why none can be
 * reached. Pure: the graph, villages and shelters come from the caller.
 */
export function planEvacuation(
  graph: RoadGraph,
  villages: readonly PlanVillageInput[],
  shelters: readonly PlanShelterInput[],
  options: PlanOptions,
): PlanOutcome {
  const workspace = new Workspace()
  const shelterSnaps = shelters.map((shelter) => snapToGraph(graph, shelter.location, options.snapDistanceM))
  const candidates: { shelter: PlanShelterInput; snap: Snap; index: number }[] = []
  shelters.forEach((shelter, index) => {
    const snapped = shelterSnaps[index]!
    if (shelter.usable && snapped.ok) candidates.push({ shelter, snap: snapped.snap, index })
  })
  const spare = shelters.map((shelter) => (shelter.usable ? shelter.capacity : 0))
  const assignedTo = shelters.map(() => 0)
  const targets = candidates.map((candidate) => candidate.snap)

  const outVillages: PlanVillage[] = []
  const assignments: PlanAssignment[] = []
  const overflow: Overflow[] = []

  for (const village of [...villages].sort(byPriority)) {
    const base = {
      villageId: village.id,
      code: village.code,
      name: village.name,
      adminCode: village.adminCode,
      adminName: village.adminName,
      location: [village.location[0], village.location[1]] as [number, number],
      persons: village.persons,
      households: village.households,
      vulnerable: village.vulnerable,
      risk: village.risk,
    }
    const unplacedAll = (reason: Reason): void => {
      outVillages.push({ ...base, placed: 0, unplaced: village.persons, status: 'unplaced', reason })
      overflow.push({ villageId: village.id, unplaced: village.persons, placesNeeded: village.persons, nearestShelters: [] })
    }
    if (village.persons <= 0) {
      outVillages.push({ ...base, placed: 0, unplaced: 0, status: 'assigned', reason: null })
      continue
    }
    const start = snapToGraph(graph, village.location, options.snapDistanceM)
    if (!start.ok) {
      unplacedAll({ code: 'village_off_network', params: { distanceM: Math.round(start.distanceM ?? -1), maxM: options.snapDistanceM } })
      continue
    }
    if (candidates.length === 0) {
      unplacedAll({ code: 'no_usable_shelter', params: {} })
      continue
    }
    const constraints: Constraints = { ...options.constraints, ownZones: new Set(village.ownZones) }
    let remaining = village.persons
    const nearest: Overflow['nearestShelters'] = []
    const mine: { target: number; persons: number }[] = []
    const lengthOf = (target: number, roadM: number) => roadM + start.snap.distanceM + candidates[target]!.snap.distanceM
    const result = searchFrom(graph, start.snap, targets, constraints, {
      workspace,
      onFound: (found) => {
        const index = candidates[found.target]!.index
        const lengthM = lengthOf(found.target, found.lengthM)
        if (nearest.length < options.nearestShelters)
          nearest.push({
            shelterId: shelters[index]!.id,
            lengthM: round1(lengthM),
            walkingMinutes: walkingMinutes(lengthM, options.walkingSpeedKmh),
            spare: spare[index]!,
          })
        if (remaining > 0 && spare[index]! > 0) {
          const persons = Math.min(remaining, spare[index]!)
          spare[index]! -= persons
          assignedTo[index]! += persons
          remaining -= persons
          mine.push({ target: found.target, persons })
        }
        return remaining === 0 && nearest.length >= Math.min(options.nearestShelters, candidates.length)
      },
    })
    for (const { target, persons } of mine) {
      const path = result.path(target)!
      const candidate = candidates[target]!
      const coordinates: [number, number][] = []
      const push = (p: LonLat) => {
        const last = coordinates[coordinates.length - 1]
        if (!last || haversine(last[0], last[1], p[0], p[1]) > 0.05) coordinates.push([p[0], p[1]])
      }
      push(village.location)
      for (const p of path.coordinates) push(p)
      push(candidate.shelter.location)
      if (coordinates.length < 2) coordinates.push([candidate.shelter.location[0], candidate.shelter.location[1]])
      const lengthM = lengthOf(target, path.lengthM)
      assignments.push({
        villageId: village.id,
        shelterId: candidate.shelter.id,
        persons,
        lengthM: round1(lengthM),
        walkingMinutes: walkingMinutes(lengthM, options.walkingSpeedKmh),
        geometry: { type: 'LineString', coordinates },
      })
    }
    const placed = village.persons - remaining
    if (remaining === 0) {
      outVillages.push({ ...base, placed, unplaced: 0, status: 'assigned', reason: null })
      continue
    }
    let reason: Reason
    if (result.found.length > 0) reason = { code: 'no_room', params: { placesNeeded: remaining } }
    else reason = cutOffReason(graph, start.snap, targets, options.constraints, workspace)
    outVillages.push({ ...base, placed, unplaced: remaining, status: placed > 0 ? 'partly_assigned' : 'unplaced', reason })
    overflow.push({ villageId: village.id, unplaced: remaining, placesNeeded: remaining, nearestShelters: nearest })
  }

  return {
    villages: outVillages,
    assignments,
    shelters: shelters.map((shelter, index) => {
      const snapped = shelterSnaps[index]!
      return {
        shelterId: shelter.id,
        assigned: assignedTo[index]!,
        snapped: snapped.ok,
        distanceM: snapped.ok ? snapped.snap.distanceM : snapped.distanceM,
      }
    }),
    overflow,
  }
}

/** No shelter reached: blocked by zones, by flooded roads, or not connected at all? */
function cutOffReason(
  graph: RoadGraph,
  start: Snap,
  targets: readonly Snap[],
  constraints: PlanOptions['constraints'],
  workspace: Workspace,
): Reason {
  const reachable = (c: Constraints) => searchFrom(graph, start, targets, c, { workspace, onFound: () => true }).found.length > 0
  if (reachable({ ...constraints, ignoreZones: true })) return { code: 'cut_off_by_zones', params: {} }
  if (constraints.avoidFlooded && reachable({ ignoreZones: true })) return { code: 'cut_off_by_flood', params: {} }
  return { code: 'no_reachable_shelter', params: {} }
}

const round1 = (n: number) => Math.round(n * 10) / 10
