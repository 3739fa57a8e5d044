import type { Kysely } from 'kysely'
import type { PlanRequest, PlanResponse, ShelterLoad } from '@riskatlas/shared'
import { planRequestSchema } from '@riskatlas/shared'
import type { ThreatRow } from '../coverage/rules.ts'
import type { Database } from '../db/schema.ts'
import type { VillageVulnerableTotals } from '../people/queries.ts'
import { planEvacuation, type PlanVillageInput } from './plan.ts'
import {
  drawnArea,
  planVillages,
  roadsInArea,
  shelterRows,
  warningArea,
  type CachedGraph,
  type PlanVillageRow,
  type RoadGraphCache,
  type ResolvedArea,
  type ShelterRow,
  type VillageSelection,
} from './queries.ts'
import { effectiveCapacity, shelterProblems, type EvacuationSettings } from './rules.ts'

type Db = Kysely<Database>

/** The zone id the warned (or drawn) area takes in the walking graph: hazard ids are positive. */
export const WARNED_AREA_ZONE = -1

export interface PlanDeps {
  evacuation: EvacuationSettings
  roadGraphs: RoadGraphCache
}

export interface ComputedPlan {
  response: PlanResponse
  /** The warned or drawn area, if the plan is for one. */
  area: ResolvedArea | undefined
}

/**
 * A plan for a scope: PostGIS finds the villages, shelters, zones and the area's roads; the
 * cached walking graph and the pure planner decide. The area of a warning (or a drawn one) is
 * avoided like a danger zone when `avoidWarned`, and its shelters are unusable.
 */
export async function computePlan(db: Db, deps: PlanDeps, input: PlanRequest, override?: { area: ResolvedArea }): Promise<ComputedPlan> {
  return planFromInputs(deps, await readPlanInputs(db, deps, input, override))
}

/** What a plan is computed from, as read from the database: the reads of `computePlan`. */
export interface PlanInputs {
  request: ReturnType<typeof planRequestSchema.parse>
  area: ResolvedArea | undefined
  /** True when the area was given by the caller (an exposure), not by the request's scope. */
  areaOverride: boolean
  cached: CachedGraph
  villages: PlanVillageRow[]
  shelters: ShelterRow[]
  warnedRoads: number[]
  /** The villages' threats and vulnerable counts, as read for their risk (an exposure reuses them). */
  threats: ThreatRow[]
  vulnerable: Map<number, VillageVulnerableTotals>
}

/** The database reads of a plan, concurrent on the pool. */
export async function readPlanInputs(db: Db, deps: PlanDeps, input: PlanRequest, override?: { area: ResolvedArea }): Promise<PlanInputs> {
  const request = planRequestSchema.parse(input)
  const settings = deps.evacuation
  const scope = request.scope
  const area =
    override?.area ??
    (scope.kind === 'warning'
      ? await warningArea(db, scope.warningId)
      : scope.kind === 'area'
        ? await drawnArea(db, scope.area, settings.maxExposureAreaKm2)
        : undefined)
  const select: VillageSelection =
    scope.kind === 'villages' ? { kind: 'ids', ids: scope.villageIds } : area ? { kind: 'area', area: area.geometry } : { kind: 'all' }
  const [cached, villages, shelters, warnedRoads] = await Promise.all([
    deps.roadGraphs.get(db),
    planVillages(db, select, area?.geometry),
    shelterRows(db, area?.geometry),
    area && request.avoidWarned ? roadsInArea(db, area.geometry) : Promise.resolve([]),
  ])
  return { request, area, areaOverride: override !== undefined, cached, ...villages, shelters, warnedRoads }
}

/** The plan from its inputs: the walking graph and the pure planner, no I/O. */
export function planFromInputs(deps: PlanDeps, inputs: PlanInputs): ComputedPlan {
  const { request, area, cached, villages, shelters, warnedRoads } = inputs
  const settings = deps.evacuation
  const scope = request.scope
  const { graph } = cached
  const extraZones = new Map<number, number[]>()
  for (const roadId of warnedRoads) {
    const edge = graph.edgeOfRoad.get(roadId)
    if (edge !== undefined) extraZones.set(edge, [WARNED_AREA_ZONE])
  }
  const walkingSpeedKmh = request.walkingSpeedKmh ?? settings.walkingSpeedKmh

  const shelterStates = shelters.map((shelter) => {
    const capacity = effectiveCapacity(shelter.capacityPersons, shelter.areaM2, settings.m2PerPerson)
    const problems = shelterProblems({ open: shelter.open, dangerZones: shelter.dangerZones, inWarnedArea: shelter.inArea, capacity })
    return { shelter, capacity, problems }
  })
  const planInputs: PlanVillageInput[] = villages.map((village) => ({
    id: village.id,
    code: village.code,
    name: village.name,
    adminCode: village.adminCode,
    adminName: village.adminName,
    location: [village.lon, village.lat],
    persons: village.population,
    households: village.households,
    vulnerable: village.vulnerable,
    risk: village.risk,
    ownZones: village.inArea && request.avoidWarned ? [...village.ownZones, WARNED_AREA_ZONE] : village.ownZones,
  }))
  const outcome = planEvacuation(
    graph,
    planInputs,
    shelterStates.map(({ shelter, capacity, problems }) => ({
      id: shelter.id,
      location: [shelter.lon, shelter.lat],
      capacity,
      usable: problems.length === 0,
    })),
    {
      snapDistanceM: settings.snapDistanceM,
      walkingSpeedKmh,
      nearestShelters: settings.nearestShelters,
      maxRouteM: settings.maxRouteM,
      constraints: { avoidFlooded: request.avoidFlooded, extraZones },
    },
  )

  const loads: ShelterLoad[] = shelterStates.map(({ shelter, capacity, problems }, index) => {
    const result = outcome.shelters[index]!
    const all = result.snapped
      ? problems
      : [
          ...problems,
          { code: 'shelter_off_network' as const, params: { distanceM: Math.round(result.distanceM ?? -1), maxM: settings.snapDistanceM } },
        ]
    const usable = problems.length === 0
    return {
      shelterId: shelter.id,
      code: shelter.code,
      name: shelter.name,
      adminCode: shelter.adminCode,
      location: [shelter.lon, shelter.lat],
      open: shelter.open,
      declaredCapacity: shelter.capacityPersons,
      areaM2: shelter.areaM2,
      capacity,
      usable: usable && result.snapped,
      problems: all,
      assigned: result.assigned,
      spare: usable && result.snapped ? capacity - result.assigned : 0,
      fillRatio: capacity > 0 ? Math.round((result.assigned / capacity) * 1000) / 1000 : 0,
    }
  })

  const persons = outcome.villages.reduce((sum, village) => sum + village.persons, 0)
  const placed = outcome.villages.reduce((sum, village) => sum + village.placed, 0)
  return {
    area,
    response: {
      scope: inputs.areaOverride ? 'area' : scope.kind,
      settings: {
        walkingSpeedKmh,
        m2PerPerson: settings.m2PerPerson,
        snapDistanceM: settings.snapDistanceM,
        avoidFlooded: request.avoidFlooded,
        avoidWarned: request.avoidWarned,
      },
      summary: {
        villages: outcome.villages.length,
        persons,
        placed,
        unplaced: persons - placed,
        sheltersUsed: loads.filter((load) => load.assigned > 0).length,
        capacityUsable: loads.filter((load) => load.usable).reduce((sum, load) => sum + load.capacity, 0),
      },
      villages: outcome.villages,
      assignments: outcome.assignments,
      shelters: loads,
      overflow: outcome.overflow,
      graph: { nodes: graph.nodeCount, edges: graph.edgeCount, dataVersion: cached.dataVersion },
    },
  }
}
