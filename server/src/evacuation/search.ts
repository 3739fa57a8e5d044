import { haversine, type LonLat } from './geo.ts'
import { sliceEdge, type RoadGraph, type Snap } from './graph.ts'
import { MinHeap } from './heap.ts'

/**
 * What a route may use. Danger zones are never entered — except the zones the start lies in,
 * which may be crossed on the way out only: once the route has left them it may not come back.
 * A warned area is a zone like any other (the caller gives its edges a zone id of its own).
 */
export interface Constraints {
  /** Leave out the roads flagged impassable in flood (`passable_in_flood = false`). */
  avoidFlooded?: boolean | undefined
  /** Zone ids per edge beyond the graph's danger zones (a warned area), for this request. */
  extraZones?: ReadonlyMap<number, readonly number[]> | undefined
  /** The zones the start lies in: crossable on the way out. */
  ownZones?: ReadonlySet<number> | undefined
  /** Ignore every zone (to tell "cut off by zones" from "not connected at all"). */
  ignoreZones?: boolean | undefined
}

/** True when a road piece may be walked by a start outside every zone (no zone, not flooded when that is avoided). */
export function edgeIsFree(graph: RoadGraph, e: number, constraints: Constraints): boolean {
  if (constraints.avoidFlooded === true && graph.edgePassableInFlood[e] === 0) return false
  if (constraints.ignoreZones === true) return true
  const more = constraints.extraZones?.get(e)
  return graph.edgeZones[e]!.length === 0 && (!more || more.length === 0)
}

export interface Found {
  /** Index into the targets given. */
  target: number
  lengthM: number
}

export interface RoutePath {
  lengthM: number
  coordinates: LonLat[]
  /** Road ids in order (the start and end pieces included). */
  roadIds: number[]
}

export interface SearchResult {
  found: Found[]
  /** The path to a found target; valid until the next search on the same workspace. */
  path(target: number): RoutePath | undefined
}

/** A snapped point this close to a node is at the node: it walks none of its edge. */
const AT_NODE_M = 0.01
const FREE = 0
const OWN = 1
const FORBIDDEN = 2

/** Reusable arrays so many searches on a large graph do not allocate per search. */
export class Workspace {
  dist = new Float64Array(0)
  prev = new Int32Array(0)
  prevEdge = new Int32Array(0)
  stamp = new Uint32Array(0)
  done = new Uint8Array(0)
  generation = 0
  heap = new MinHeap(4096)

  prepare(size: number): void {
    if (this.dist.length < size) {
      this.dist = new Float64Array(size)
      this.prev = new Int32Array(size)
      this.prevEdge = new Int32Array(size)
      this.stamp = new Uint32Array(size)
      this.done = new Uint8Array(size)
      this.generation = 0
    }
    this.generation++
    if (this.generation === 0xffffffff) {
      this.stamp.fill(0)
      this.generation = 1
    }
    this.heap.clear()
  }
}

export interface SearchOptions {
  /** Called as each target is settled, nearest first; return true to stop searching. */
  onFound?: ((found: Found) => boolean) | undefined
  /** A* towards this point (one target only): the straight-line distance is the heuristic. */
  heuristicTo?: LonLat | undefined
  workspace?: Workspace | undefined
  /** Stop beyond this walking length: nothing farther is of use (an evacuation is on foot). */
  maxLengthM?: number | undefined
  /**
   * States known to reach no target, for these targets and constraints (one mask per
   * constraint set, 2 × nodeCount long, kept by the caller). A search whose every start lies in
   * the mask finds nothing without walking; a search that walks all it can reach and finds
   * nothing adds what it reached. Exact: what a dead state reaches is dead too.
   */
  deadEnds?: Uint8Array | undefined
}

const sharedWorkspace = new Workspace()

type TargetsAtNode = Map<number, { target: number; extraM: number; edge: number }[]>
const targetsAtNode = new WeakMap<readonly Snap[], { graph: RoadGraph; byNode: TargetsAtNode }>()

/** Targets reachable from each end node of their edge — kept per targets array, as a plan searches the same shelters from every village. */
function targetsByNode(graph: RoadGraph, targets: readonly Snap[]): TargetsAtNode {
  const cached = targetsAtNode.get(targets)
  if (cached && cached.graph === graph) return cached.byNode
  const byNode: TargetsAtNode = new Map()
  targets.forEach((t, i) => {
    const len = graph.edgeLength[t.edge]!
    for (const [n, extraM] of [
      [graph.edgeFrom[t.edge]!, t.offsetM],
      [graph.edgeTo[t.edge]!, len - t.offsetM],
    ] as const) {
      let list = byNode.get(n)
      if (!list) byNode.set(n, (list = []))
      list.push({ target: i, extraM, edge: t.edge })
    }
  })
  targetsAtNode.set(targets, { graph, byNode })
  return byNode
}

/**
 * Shortest walking paths from one snapped point to snapped targets (Dijkstra with a binary
 * heap over (node, phase) states — phase 0: still inside the start's own zones, 1: out of them —
 * plus one virtual state per target; A* when `heuristicTo` is given). Targets are reported in
 * order of length; a target never reached is absent from `found`.
 */
export function searchFrom(
  graph: RoadGraph,
  source: Snap,
  targets: readonly Snap[],
  constraints: Constraints = {},
  options: SearchOptions = {},
): SearchResult {
  const ws = options.workspace ?? sharedWorkspace
  const N = graph.nodeCount
  const size = 2 * N + targets.length
  ws.prepare(size)
  const { dist, prev, prevEdge, stamp, done, heap } = ws
  const gen = ws.generation
  const own = constraints.ownZones ?? new Set<number>()
  const extra = constraints.extraZones
  const ignoreZones = constraints.ignoreZones === true
  const avoidFlooded = constraints.avoidFlooded === true

  const edgeClass = (e: number): number => {
    if (avoidFlooded && graph.edgePassableInFlood[e] === 0) return FORBIDDEN
    if (ignoreZones) return FREE
    const zones = graph.edgeZones[e]!
    const more = extra?.get(e)
    if (zones.length === 0 && (!more || more.length === 0)) return FREE
    for (const z of zones) if (!own.has(z)) return FORBIDDEN
    if (more) for (const z of more) if (!own.has(z)) return FORBIDDEN
    return OWN
  }
  /** The phase after walking an edge of class c in phase p, or -1 when not allowed. */
  const step = (c: number, p: number): number => (c === FORBIDDEN ? -1 : p === 1 ? (c === FREE ? 1 : -1) : c === FREE ? 1 : 0)

  const target = options.heuristicTo
  const h = (state: number): number => {
    if (!target || state >= 2 * N) return 0
    const n = state >> 1
    return haversine(graph.nodeLon[n]!, graph.nodeLat[n]!, target[0], target[1])
  }
  const relax = (state: number, d: number, from: number, edge: number) => {
    if (stamp[state] === gen && (done[state] === 1 || dist[state]! <= d)) return
    stamp[state] = gen
    done[state] = 0
    dist[state] = d
    prev[state] = from
    prevEdge[state] = edge
    heap.push(d + h(state), state)
  }

  const atNode = targetsByNode(graph, targets)

  const startPhase = own.size > 0 ? 0 : 1
  const sourceEdge = source.edge
  const startStep = step(edgeClass(sourceEdge), startPhase)
  const len = graph.edgeLength[sourceEdge]!
  // A start at a node walks none of the edge it was snapped to, whatever that edge is.
  const dead = options.deadEnds
  let startsDead = true
  for (const [n, partM] of [
    [graph.edgeFrom[sourceEdge]!, source.offsetM],
    [graph.edgeTo[sourceEdge]!, len - source.offsetM],
  ] as const) {
    const phase = partM < AT_NODE_M ? startPhase : startStep
    if (phase < 0) continue
    relax(2 * n + phase, partM, -1, sourceEdge)
    if (dead?.[2 * n + phase] !== 1) startsDead = false
  }
  // A target on the start's own piece is reached from its end nodes too, so dead starts have none.
  if (dead && startsDead) return { found: [], path: () => undefined }
  if (startStep >= 0)
    targets.forEach((t, i) => {
      if (t.edge === sourceEdge) relax(2 * N + i, Math.abs(t.offsetM - source.offsetM), -1, sourceEdge)
    })

  const found: Found[] = []
  const maxLengthM = options.maxLengthM ?? Infinity
  let exhausted = true
  while (heap.size > 0) {
    const state = heap.pop()
    if (done[state] === 1 && stamp[state] === gen) continue
    if (heap.lastKey > maxLengthM) {
      exhausted = false
      break
    }
    done[state] = 1
    const d = dist[state]!
    if (state >= 2 * N) {
      const hit = { target: state - 2 * N, lengthM: d }
      found.push(hit)
      if (options.onFound?.(hit) || (target && targets.length === 1)) break
      continue
    }
    const n = state >> 1
    const p = state & 1
    for (const t of atNode.get(n) ?? []) {
      if (t.extraM < AT_NODE_M || step(edgeClass(t.edge), p) >= 0) relax(2 * N + t.target, d + t.extraM, state, t.edge)
    }
    for (let k = graph.adjStart[n]!; k < graph.adjStart[n + 1]!; k++) {
      const e = graph.adjEdge[k]!
      const np = step(edgeClass(e), p)
      if (np < 0) continue
      relax(2 * graph.adjNode[k]! + np, d + graph.edgeLength[e]!, state, e)
    }
  }

  // Everything reachable was walked and no target is among it: all of it is a dead end.
  if (dead && exhausted && found.length === 0) for (let state = 0; state < 2 * N; state++) if (stamp[state] === gen) dead[state] = 1

  return {
    found,
    path(i) {
      const state = 2 * N + i
      if (stamp[state] !== gen || done[state] !== 1) return undefined
      return reconstruct(graph, source, targets[i]!, state, ws)
    },
  }
}

function reconstruct(graph: RoadGraph, source: Snap, target: Snap, targetState: number, ws: Workspace): RoutePath {
  const { prev, prevEdge, dist } = ws
  const lengthM = dist[targetState]!
  const before = prev[targetState]!
  if (before < 0) {
    // Start and end on the same road piece.
    return {
      lengthM,
      coordinates: sliceEdge(graph, source.edge, source.offsetM, target.offsetM),
      roadIds: [graph.edgeRoadId[source.edge]!],
    }
  }
  // Walk back the node states to the first one, reached from the source's edge.
  const nodes: number[] = []
  const edges: number[] = []
  for (let s = before; s >= 0; s = prev[s]!) {
    nodes.push(s >> 1)
    edges.push(prevEdge[s]!)
  }
  nodes.reverse()
  edges.reverse() // edges[0] = source edge; edges[k] leads into nodes[k]
  const first = nodes[0]!
  const startEnd = first === graph.edgeFrom[source.edge] ? 0 : graph.edgeLength[source.edge]!
  const coordinates: LonLat[] = [...sliceEdge(graph, source.edge, source.offsetM, startEnd)]
  const roadIds = Math.abs(startEnd - source.offsetM) < AT_NODE_M ? [] : [graph.edgeRoadId[source.edge]!]
  for (let k = 1; k < nodes.length; k++) {
    const e = edges[k]!
    const line = graph.edgeCoordinates[e]!
    const forward = graph.edgeFrom[e] === nodes[k - 1]
    const oriented = forward ? line : [...line].reverse()
    coordinates.push(...oriented.slice(1))
    roadIds.push(graph.edgeRoadId[e]!)
  }
  const last = nodes[nodes.length - 1]!
  const endStart = last === graph.edgeFrom[target.edge] ? 0 : graph.edgeLength[target.edge]!
  coordinates.push(...sliceEdge(graph, target.edge, endStart, target.offsetM).slice(1))
  if (Math.abs(endStart - target.offsetM) >= AT_NODE_M && roadIds[roadIds.length - 1] !== graph.edgeRoadId[target.edge])
    roadIds.push(graph.edgeRoadId[target.edge]!)
  return { lengthM, coordinates: dedupe(coordinates), roadIds }
}

function dedupe(coordinates: LonLat[]): LonLat[] {
  const out: LonLat[] = []
  for (const c of coordinates) {
    const last = out[out.length - 1]
    if (!last || last[0] !== c[0] || last[1] !== c[1]) out.push(c)
  }
  return out
}

/** One route between two snapped points (A*), or undefined when none is allowed. */
export function routeBetween(
  graph: RoadGraph,
  from: Snap,
  to: Snap,
  constraints: Constraints = {},
  workspace?: Workspace,
): RoutePath | undefined {
  const result = searchFrom(graph, from, [to], constraints, { heuristicTo: to.point, workspace })
  return result.found.length > 0 ? result.path(0) : undefined
}
