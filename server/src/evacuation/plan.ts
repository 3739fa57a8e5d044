import type { Overflow, PlanAssignment, PlanVillage, Reason } from '@riskatlas/shared'
import { haversine, type LonLat } from './geo.ts'
import { snapToGraphCached, type RoadGraph, type Snap } from './graph.ts'
import { walkingMinutes } from './rules.ts'
import { NearestOpenTarget } from './nearest.ts'
import { edgeIsFree, searchFrom, Workspace, type Constraints, type Found } from './search.ts'

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
  /** No shelter farther than this on foot is considered (default: no limit). */
  maxRouteM?: number | undefined
  constraints: Omit<Constraints, 'ownZones' | 'ignoreZones'>
  /** false: search from every village on its own (the reference the index is tested against). */
  nearestIndex?: boolean
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
  const shelterSnaps = shelters.map((shelter) => snapToGraphCached(graph, shelter.location, options.snapDistanceM))
  const candidates: { shelter: PlanShelterInput; snap: Snap; index: number }[] = []
  shelters.forEach((shelter, index) => {
    const snapped = shelterSnaps[index]!
    if (shelter.usable && snapped.ok) candidates.push({ shelter, snap: snapped.snap, index })
  })
  const spare = shelters.map((shelter) => (shelter.usable ? shelter.capacity : 0))
  const assignedTo = shelters.map(() => 0)
  const targets = candidates.map((candidate) => candidate.snap)
  // Each node's nearest shelters, in one search from all shelters: most villages read theirs off it.
  // Shared by every village whose start lies outside all zones (most): each road node's nearest
  // shelter with room, kept current as shelters fill.
  // Built only when some village can read it: a plan for a warned or drawn area has every village
  // inside the area's zone, and each searches on its own.
  const indexed =
    candidates.length > 0 &&
    options.nearestIndex !== false &&
    villages.some((village) => village.ownZones.length === 0 && village.persons > 0)
  const rooms = indexed
    ? new NearestOpenTarget(graph, targets, (t) => spare[candidates[t]!.index]! > 0, options.constraints, options.maxRouteM)
    : undefined

  // Per set of own zones, the road states from which no shelter can be reached: villages in one
  // cut-off pocket are told so by the first one's search.
  const deadEndsByZones = new Map<string, Uint8Array>()
  const deadEndsFor = (ownZones: readonly number[]) => {
    const key = [...ownZones].sort((a, b) => a - b).join(',')
    let mask = deadEndsByZones.get(key)
    if (!mask) deadEndsByZones.set(key, (mask = new Uint8Array(2 * graph.nodeCount)))
    return mask
  }
  // Whether any shelter is in reach at all, zones ignored (and flooded roads too): one search
  // from all shelters, built the first time a village is cut off, answers for every village.
  const reachability = new Map<boolean, NearestOpenTarget>()
  const reachesShelter = (start: Snap, avoidFlooded: boolean): boolean => {
    let index = reachability.get(avoidFlooded)
    if (!index)
      reachability.set(
        avoidFlooded,
        (index = new NearestOpenTarget(graph, targets, () => true, { avoidFlooded, ignoreZones: true }, options.maxRouteM)),
      )
    return index.nearestOf(start) !== undefined
  }
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
    const start = snapToGraphCached(graph, village.location, options.snapDistanceM)
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
    const mine: { target: number; persons: number; lengthM: number; line: () => readonly LonLat[] }[] = []
    const lengthOf = (target: number, roadM: number) => roadM + start.snap.distanceM + candidates[target]!.snap.distanceM
    /** A shelter reached: one of the nearest the overflow lists (with its room before this village). */
    const note = (found: Found, spareBefore: number): void => {
      if (nearest.length >= options.nearestShelters) return
      const lengthM = lengthOf(found.target, found.lengthM)
      nearest.push({
        shelterId: shelters[candidates[found.target]!.index]!.id,
        lengthM: round1(lengthM),
        walkingMinutes: walkingMinutes(lengthM, options.walkingSpeedKmh),
        spare: spareBefore,
      })
    }
    /** A shelter reached, nearest first: take what room it has. */
    const claim = (found: Found, line: () => readonly LonLat[]): void => {
      const index = candidates[found.target]!.index
      if (remaining === 0 || spare[index]! === 0) return
      const persons = Math.min(remaining, spare[index]!)
      spare[index]! -= persons
      assignedTo[index]! += persons
      remaining -= persons
      if (spare[index] === 0) rooms?.close(found.target)
      mine.push({ target: found.target, persons, lengthM: found.lengthM, line })
    }
    let foundAny = false
    let decided = false
    // Fast path: the nearest shelter with room, one after another, off the shared index.
    if (rooms && village.ownZones.length === 0 && edgeIsFree(graph, start.snap.edge, options.constraints)) {
      for (let next = rooms.nearestOf(start.snap); next && remaining > 0; next = rooms.nearestOf(start.snap)) {
        const line = rooms.path(start.snap, next.target, next.via) // before claiming may close it
        claim(next, () => line)
      }
      foundAny = mine.length > 0
      if (remaining > 0) {
        // Left over: the overflow lists the nearest shelters, full or not, with the room each had before this village.
        const taken = new Map(mine.map((m) => [m.target, m.persons]))
        const found = searchFrom(graph, start.snap, targets, constraints, {
          workspace,
          maxLengthM: options.maxRouteM,
          deadEnds: deadEndsFor(village.ownZones),
          onFound: (f) => {
            note(f, spare[candidates[f.target]!.index]! + (taken.get(f.target) ?? 0))
            return nearest.length >= options.nearestShelters
          },
        }).found
        foundAny = found.length > 0
      }
      decided = true
    }
    if (!decided) {
      const result = searchFrom(graph, start.snap, targets, constraints, {
        workspace,
        maxLengthM: options.maxRouteM,
        deadEnds: deadEndsFor(village.ownZones),
        onFound: (found) => {
          note(found, spare[candidates[found.target]!.index]!)
          claim(found, () => result.path(found.target)!.coordinates)
          return remaining === 0 && nearest.length >= Math.min(options.nearestShelters, candidates.length)
        },
      })
      foundAny = result.found.length > 0
      // Paths are valid until the next search on the workspace: read them now.
      for (const m of mine) {
        const line = m.line()
        m.line = () => line
      }
    }
    for (const { target, persons, lengthM: roadM, line } of mine) {
      const candidate = candidates[target]!
      const coordinates: [number, number][] = []
      const push = (p: LonLat) => {
        const last = coordinates[coordinates.length - 1]
        if (!last || haversine(last[0], last[1], p[0], p[1]) > 0.05) coordinates.push([p[0], p[1]])
      }
      push(village.location)
      for (const p of line()) push(p)
      push(candidate.shelter.location)
      if (coordinates.length < 2) coordinates.push([candidate.shelter.location[0], candidate.shelter.location[1]])
      const lengthM = lengthOf(target, roadM)
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
    if (foundAny) reason = { code: 'no_room', params: { placesNeeded: remaining } }
    else reason = cutOffReason(start.snap, options.constraints.avoidFlooded === true, reachesShelter)
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
function cutOffReason(start: Snap, avoidFlooded: boolean, reachesShelter: (start: Snap, avoidFlooded: boolean) => boolean): Reason {
  if (reachesShelter(start, avoidFlooded)) return { code: 'cut_off_by_zones', params: {} }
  if (avoidFlooded && reachesShelter(start, false)) return { code: 'cut_off_by_flood', params: {} }
  return { code: 'no_reachable_shelter', params: {} }
}

const round1 = (n: number) => Math.round(n * 10) / 10
