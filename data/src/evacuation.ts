import { distance, distanceToSegment, lineLength, pointInPolygon, segmentsIntersect, type Position, type XY } from './geo.ts'
import type { FacilityDraft, FacilityPlanner } from './facilities.ts'
import type { Hazard } from './hazards.ts'
import type { Rng } from './random.ts'
import { RoadGraph } from './routing.ts'
import type { Village, World } from './world.ts'

export interface Shelter {
  draft: FacilityDraft
  node: number
}

export interface EvacuationRoute {
  village: number
  hazard: number
  shelter: number
  line: Position[]
  lengthM: number
}

export interface EvacuationPlan {
  shelters: Shelter[]
  routes: EvacuationRoute[]
  /** Threatened villages left without a route (a coverage gap). */
  missing: number[]
  /** Index in `routes` of the one route that passes through another hazard's danger zone. */
  crossing: number
}

/** Roads within this distance of a danger zone count as running through it when planning safe routes. */
const zoneClearanceM = 15

/**
 * Shelters (避险安置点) outside every danger zone, on the road network, near the threatened
 * villages; then one drawn route per threatened village to its nearest shelter along the roads,
 * avoiding every other hazard's danger zone. On purpose, as in any real town's data: a few
 * threatened villages have no route, exactly one route runs through another danger zone, and
 * some shelters are too small for the people routed to them.
 */
export function planEvacuation(rng: Rng, world: World, hazards: readonly Hazard[], planner: FacilityPlanner): EvacuationPlan {
  const graph = new RoadGraph(world.roads.features.map((road) => road.coordinates))
  const zonesXY = hazards.map((hazard) => (hazard.zone[0] as Position[]).map((position) => world.projection.toXY(position)))
  const segmentZones = graph.segments.map((line) =>
    touchedZones(
      line.map((position) => world.projection.toXY(position)),
      zonesXY,
    ),
  )
  const villageHazard = new Map<number, number>()
  hazards.forEach((hazard, index) => hazard.villages.forEach((village) => villageHazard.set(village, index)))

  const shelters = siteShelters(rng, world, hazards, planner, graph, villageHazard, zonesXY)
  const shelterNodes = new Set(shelters.map((shelter) => shelter.node))
  const shelterAt = new Map(shelters.map((shelter, index) => [shelter.node, index]))

  const routes: EvacuationRoute[] = []
  const missing: number[] = []
  const crossingCandidates: EvacuationRoute[] = []
  const threatened = hazards.flatMap((hazard, hazardIndex) => hazard.villages.map((village) => ({ village, hazard: hazardIndex })))
  for (const { village, hazard } of threatened) {
    const start = graph.find(world.roads.villageNodes[village] as Position)
    if (start === undefined) {
      missing.push(village)
      continue
    }
    const foreign = (segment: number): boolean => (segmentZones[segment] as number[]).some((zone) => zone !== hazard)
    const safe = graph.shortestPath(start, shelterNodes, foreign)
    const direct = graph.shortestPath(start, shelterNodes)
    const toRoute = (found: { target: number; line: Position[] }): EvacuationRoute => ({
      village,
      hazard,
      shelter: shelterAt.get(found.target) as number,
      line: found.line,
      lengthM: Math.round(lineLength(found.line) * 10) / 10,
    })
    if (direct && lineTouchesForeignZone(direct.line, world, zonesXY, hazard)) crossingCandidates.push(toRoute(direct))
    if (safe) routes.push(toRoute(safe))
    else missing.push(village)
  }

  // The one flawed route: a village whose shortest road to shelter runs through another danger zone.
  let crossingRoute = crossingCandidates.sort((a, b) => a.lengthM - b.lengthM || a.village - b.village)[0]
  if (!crossingRoute) crossingRoute = detourThroughZone(world, graph, hazards, routes, shelterNodes, shelterAt)
  let crossing = -1
  if (crossingRoute) {
    const replaced = routes.findIndex((route) => route.village === crossingRoute.village)
    if (replaced >= 0) routes[replaced] = crossingRoute
    else {
      routes.push(crossingRoute)
      missing.splice(missing.indexOf(crossingRoute.village), 1)
    }
    crossing = routes.indexOf(crossingRoute)
  }

  // A few more threatened villages whose route was never drawn.
  const dropCount = Math.max(0, rng.int(3, 5) - missing.length)
  const droppable = rng.shuffle(routes.filter((route) => route !== crossingRoute))
  for (const route of droppable.slice(0, dropCount)) {
    missing.push(route.village)
    routes.splice(routes.indexOf(route), 1)
  }
  crossing = crossingRoute ? routes.indexOf(crossingRoute) : -1
  sizeShelters(rng, world, hazards, shelters, routes)
  return { shelters, routes, missing: missing.sort((a, b) => a - b), crossing }
}

function siteShelters(
  rng: Rng,
  world: World,
  hazards: readonly Hazard[],
  planner: FacilityPlanner,
  graph: RoadGraph,
  villageHazard: ReadonlyMap<number, number>,
  zonesXY: readonly XY[][],
): Shelter[] {
  const target = rng.int(16, 24)
  const villages = world.villages
  const safe = villages.map((_, index) => index).filter((index) => !villageHazard.has(index))
  const hosts: number[] = []
  const farFromHosts = (village: number, gap: number): boolean =>
    hosts.every((host) => distance((villages[host] as Village).site.xy, (villages[village] as Village).site.xy) >= gap)
  const byPeople = hazards
    .map((_, index) => index)
    .sort((a, b) => sum((hazards[b] as Hazard).peopleByVillage) - sum((hazards[a] as Hazard).peopleByVillage) || a - b)
  for (const hazardIndex of byPeople) {
    const first = (villages[(hazards[hazardIndex] as Hazard).villages[0] as number] as Village).site.xy
    if (hosts.some((host) => distance((villages[host] as Village).site.xy, first) < 1800)) continue
    const nearest = safe
      .filter((index) => !hosts.includes(index))
      .sort((a, b) => distance((villages[a] as Village).site.xy, first) - distance((villages[b] as Village).site.xy, first) || a - b)[0]
    if (nearest !== undefined) hosts.push(nearest)
  }
  for (const admin of world.admins) {
    if (hosts.length >= target) break
    if (!villageHazard.has(admin.centre) && !hosts.includes(admin.centre) && farFromHosts(admin.centre, 1500)) hosts.push(admin.centre)
  }
  const bySize = [...safe].sort((a, b) => (villages[b] as Village).population - (villages[a] as Village).population || a - b)
  for (const gap of [1500, 1000, 500]) {
    for (const village of bySize) {
      if (hosts.length >= target) break
      if (!hosts.includes(village) && farFromHosts(village, gap)) hosts.push(village)
    }
  }
  const labels = ['小学操场', '村委会广场', '文化活动广场', '活动室', '晒场']
  return hosts.slice(0, target).map((village) => {
    const v = villages[village] as Village
    const home = world.roads.villageNodes[village] as Position
    const homeXY = world.projection.toXY(home)
    // A road node 60–350 m from the village, clear of every danger zone; else the village node itself.
    let best = graph.find(home) as number
    let bestScore = Infinity
    for (const candidate of world.roads.otherNodes) {
      const xy = world.projection.toXY(candidate)
      const d = distance(xy, homeXY)
      if (d < 60 || d > 350) continue
      if (hazards.some((hazard) => pointInPolygon(candidate, hazard.zone)) || zonesXY.some((zone) => ringDistance(xy, zone) < 60)) continue
      const score = Math.abs(d - 150) + xy[0] * 1e-9
      if (score < bestScore) {
        bestScore = score
        best = graph.find(candidate) as number
      }
    }
    const label = v.adminCentre ? (v.seat ? '文化广场' : '村委会广场') : rng.pick(labels)
    const draft = planner.add('shelter', `${v.name}${label}避险安置点`, graph.nodes[best] as Position, village, {})
    return { draft, node: best }
  })
}

/** Capacities: most shelters hold the people routed to them with room to spare, two or three do not. */
function sizeShelters(rng: Rng, world: World, hazards: readonly Hazard[], shelters: Shelter[], routes: readonly EvacuationRoute[]): void {
  const population = shelters.map(() => 0)
  const threatenedPeople = shelters.map(() => 0)
  for (const route of routes) {
    const hazard = hazards[route.hazard] as Hazard
    population[route.shelter] = (population[route.shelter] as number) + (world.villages[route.village] as Village).population
    threatenedPeople[route.shelter] =
      (threatenedPeople[route.shelter] as number) + (hazard.peopleByVillage[hazard.villages.indexOf(route.village)] as number)
  }
  const used = shelters.map((_, index) => index).filter((index) => (threatenedPeople[index] as number) >= 100)
  const tooSmall = new Set(rng.shuffle(used).slice(0, Math.min(used.length, rng.int(2, 3))))
  shelters.forEach((shelter, index) => {
    let capacity: number
    if (tooSmall.has(index)) {
      capacity = Math.max(50, Math.floor(((threatenedPeople[index] as number) * rng.range(0.5, 0.8)) / 10) * 10)
    } else if ((population[index] as number) > 0) {
      capacity = Math.ceil(((population[index] as number) * rng.range(1.15, 1.8)) / 10) * 10
    } else {
      capacity = rng.int(12, 60) * 10
    }
    shelter.draft.details.capacity_persons = capacity
    shelter.draft.details.area_m2 = Math.round((capacity * rng.range(2.1, 3.2)) / 10) * 10
  })
}

/** The hazard indices whose danger zone a line passes through or within the clearance of. */
function touchedZones(line: readonly XY[], zonesXY: readonly XY[][]): number[] {
  const touched: number[] = []
  const box = bounds(line, zoneClearanceM)
  zonesXY.forEach((zone, index) => {
    const zoneBox = bounds(zone, 0)
    if (box[0] > zoneBox[2] || box[2] < zoneBox[0] || box[1] > zoneBox[3] || box[3] < zoneBox[1]) return
    for (let k = 1; k < line.length; k++) {
      if (segmentNearRing(line[k - 1] as XY, line[k] as XY, zone, zoneClearanceM) || pointInPolygon(line[k] as XY, [zone])) {
        touched.push(index)
        return
      }
    }
  })
  return touched
}

function bounds(points: readonly XY[], margin: number): [number, number, number, number] {
  let minX = Infinity
  let minY = Infinity
  let maxX = -Infinity
  let maxY = -Infinity
  for (const [x, y] of points) {
    minX = Math.min(minX, x)
    minY = Math.min(minY, y)
    maxX = Math.max(maxX, x)
    maxY = Math.max(maxY, y)
  }
  return [minX - margin, minY - margin, maxX + margin, maxY + margin]
}

function lineTouchesForeignZone(line: readonly Position[], world: World, zonesXY: readonly XY[][], own: number): boolean {
  const xy = line.map((position) => world.projection.toXY(position))
  return zonesXY.some((zone, index) => {
    if (index === own) return false
    for (let k = 1; k < xy.length; k++) {
      const a = xy[k - 1] as XY
      const b = xy[k] as XY
      if (pointInPolygon(b, [zone]) || zone.some((point, j) => j > 0 && segmentsIntersect(a, b, zone[j - 1] as XY, point))) return true
    }
    return false
  })
}

function segmentNearRing(a: XY, b: XY, ring: readonly XY[], clearance: number): boolean {
  for (let j = 1; j < ring.length; j++) {
    const c = ring[j - 1] as XY
    const d = ring[j] as XY
    if (segmentsIntersect(a, b, c, d)) return true
    if (distanceToSegment(a, c, d) < clearance || distanceToSegment(b, c, d) < clearance) return true
    if (distanceToSegment(c, a, b) < clearance) return true
  }
  return false
}

function ringDistance(point: XY, ring: readonly XY[]): number {
  let best = Infinity
  for (let j = 1; j < ring.length; j++) best = Math.min(best, distanceToSegment(point, ring[j - 1] as XY, ring[j] as XY))
  return best
}

/**
 * Fallback when no village's shortest road happens to cross another zone: a route that goes
 * out of its way through the nearest other threatened village (and its zone) to a shelter.
 */
function detourThroughZone(
  world: World,
  graph: RoadGraph,
  hazards: readonly Hazard[],
  routes: readonly EvacuationRoute[],
  shelterNodes: ReadonlySet<number>,
  shelterAt: ReadonlyMap<number, number>,
): EvacuationRoute | undefined {
  let best: EvacuationRoute | undefined
  for (const route of routes) {
    const start = graph.find(world.roads.villageNodes[route.village] as Position) as number
    hazards.forEach((hazard, hazardIndex) => {
      if (hazardIndex === route.hazard) return
      for (const other of hazard.villages) {
        const via = graph.find(world.roads.villageNodes[other] as Position)
        if (via === undefined) continue
        const first = graph.shortestPath(start, new Set([via]))
        const second = graph.shortestPath(via, shelterNodes)
        if (!first || !second) continue
        const line = [...first.line, ...second.line.slice(1)]
        const lengthM = Math.round(lineLength(line) * 10) / 10
        if (!best || lengthM < best.lengthM) {
          best = { village: route.village, hazard: route.hazard, shelter: shelterAt.get(second.target) as number, line, lengthM }
        }
      }
    })
  }
  return best
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0)
}
