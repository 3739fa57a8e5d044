import { haversine, metresPerDegree, type LonLat } from './geo.ts'

/** One road as the graph reads it: noded at its ends (the `roads` table is; crossings are split into pieces). */
export interface RoadInput {
  id: number
  coordinates: readonly LonLat[]
  passableInFlood: boolean
  /** Ids of the danger zones (hazard points) the road touches. */
  zones?: readonly number[]
}

/**
 * The walking graph: one undirected edge per road piece between its end nodes (nodes are
 * shared coordinates), lengths in metres along the line, adjacency in compressed arrays, and a
 * grid of segments for snapping points to the nearest road.
 */
export interface RoadGraph {
  nodeCount: number
  nodeLon: Float64Array
  nodeLat: Float64Array
  edgeCount: number
  edgeRoadId: Int32Array
  edgeFrom: Int32Array
  edgeTo: Int32Array
  edgeLength: Float64Array
  edgePassableInFlood: Uint8Array
  /** Danger-zone ids per edge (empty array for most). */
  edgeZones: readonly (readonly number[])[]
  edgeCoordinates: readonly (readonly LonLat[])[]
  /** Cumulative length at each vertex of the edge's line. */
  edgeCumulative: readonly Float64Array[]
  /** Adjacency: for node n, entries adjStart[n] … adjStart[n+1]-1 of adjEdge / adjNode. */
  adjStart: Int32Array
  adjEdge: Int32Array
  adjNode: Int32Array
  /** Edge index by road id. */
  edgeOfRoad: ReadonlyMap<number, number>
  grid: SegmentGrid
}

const noZones: readonly number[] = Object.freeze([])

export function buildGraph(roads: readonly RoadInput[]): RoadGraph {
  const nodeIndex = new Map<string, number>()
  const lons: number[] = []
  const lats: number[] = []
  const node = (p: LonLat) => {
    const key = `${Math.round(p[0] * 1e7)},${Math.round(p[1] * 1e7)}`
    let index = nodeIndex.get(key)
    if (index === undefined) {
      index = lons.length
      nodeIndex.set(key, index)
      lons.push(p[0])
      lats.push(p[1])
    }
    return index
  }
  const usable = roads.filter((road) => road.coordinates.length >= 2)
  const edgeCount = usable.length
  const edgeRoadId = new Int32Array(edgeCount)
  const edgeFrom = new Int32Array(edgeCount)
  const edgeTo = new Int32Array(edgeCount)
  const edgeLength = new Float64Array(edgeCount)
  const edgePassableInFlood = new Uint8Array(edgeCount)
  const edgeZones: (readonly number[])[] = new Array(edgeCount)
  const edgeCoordinates: (readonly LonLat[])[] = new Array(edgeCount)
  const edgeCumulative: Float64Array[] = new Array(edgeCount)
  const edgeOfRoad = new Map<number, number>()

  usable.forEach((road, e) => {
    const coords = road.coordinates
    const cumulative = new Float64Array(coords.length)
    for (let i = 1; i < coords.length; i++) {
      cumulative[i] = cumulative[i - 1]! + haversine(coords[i - 1]![0], coords[i - 1]![1], coords[i]![0], coords[i]![1])
    }
    edgeRoadId[e] = road.id
    edgeFrom[e] = node(coords[0]!)
    edgeTo[e] = node(coords[coords.length - 1]!)
    edgeLength[e] = cumulative[coords.length - 1]!
    edgePassableInFlood[e] = road.passableInFlood ? 1 : 0
    edgeZones[e] = road.zones && road.zones.length > 0 ? [...road.zones] : noZones
    edgeCoordinates[e] = coords
    edgeCumulative[e] = cumulative
    edgeOfRoad.set(road.id, e)
  })

  const nodeCount = lons.length
  const degree = new Int32Array(nodeCount + 1)
  for (let e = 0; e < edgeCount; e++) {
    degree[edgeFrom[e]!]!++
    if (edgeTo[e] !== edgeFrom[e]) degree[edgeTo[e]!]!++
  }
  const adjStart = new Int32Array(nodeCount + 1)
  for (let n = 0; n < nodeCount; n++) adjStart[n + 1] = adjStart[n]! + degree[n]!
  const fill = adjStart.slice(0, nodeCount)
  const adjEdge = new Int32Array(adjStart[nodeCount]!)
  const adjNode = new Int32Array(adjStart[nodeCount]!)
  for (let e = 0; e < edgeCount; e++) {
    const a = edgeFrom[e]!
    const b = edgeTo[e]!
    adjEdge[fill[a]!] = e
    adjNode[fill[a]!++] = b
    if (a !== b) {
      adjEdge[fill[b]!] = e
      adjNode[fill[b]!++] = a
    }
  }

  return {
    nodeCount,
    nodeLon: Float64Array.from(lons),
    nodeLat: Float64Array.from(lats),
    edgeCount,
    edgeRoadId,
    edgeFrom,
    edgeTo,
    edgeLength,
    edgePassableInFlood,
    edgeZones,
    edgeCoordinates,
    edgeCumulative,
    adjStart,
    adjEdge,
    adjNode,
    edgeOfRoad,
    grid: buildGrid(edgeCoordinates),
  }
}

/** A point placed on the graph: which edge, how far along it, and how far the point is from the road. */
export interface Snap {
  edge: number
  /** Metres along the edge from its `from` node. */
  offsetM: number
  /** The point on the road. */
  point: LonLat
  /** From the original point to the road, metres. */
  distanceM: number
}

export type SnapResult = { ok: true; snap: Snap } | { ok: false; distanceM: number | null }

/**
 * The nearest road point within `maxDistanceM`; past that, the distance to the nearest road
 * (so a village too far from every road is reported with it, never dropped). `null` when the
 * graph has no road at all.
 */
export function snapToGraph(graph: RoadGraph, p: LonLat, maxDistanceM: number): SnapResult {
  const near = nearestSegment(graph, p, graph.grid.candidates(p, maxDistanceM))
  if (near && near.distanceM <= maxDistanceM) return { ok: true, snap: toSnap(graph, near) }
  const any = near ?? nearestSegment(graph, p, graph.grid.all())
  return { ok: false, distanceM: any ? any.distanceM : null }
}

const snapsOf = new WeakMap<RoadGraph, Map<string, Readonly<SnapResult>>>()
const SNAPS_KEPT = 20_000

/**
 * `snapToGraph`, remembered per graph: villages and shelters are snapped by every plan and
 * exposure while the graph (cached until the data version changes) stays the same, and a point
 * far from every road costs a scan of all of them. Treat the result as read-only.
 */
export function snapToGraphCached(graph: RoadGraph, p: LonLat, maxDistanceM: number): Readonly<SnapResult> {
  let snaps = snapsOf.get(graph)
  if (!snaps) snapsOf.set(graph, (snaps = new Map()))
  const key = `${p[0]},${p[1]},${maxDistanceM}`
  let result = snaps.get(key)
  if (!result) {
    if (snaps.size >= SNAPS_KEPT) snaps.clear()
    result = snapToGraph(graph, p, maxDistanceM)
    snaps.set(key, result)
  }
  return result
}

interface Nearest {
  edge: number
  segment: number
  t: number
  distanceM: number
}

function nearestSegment(graph: RoadGraph, p: LonLat, candidates: Iterable<number>): Nearest | undefined {
  // The nearest point of each segment in the local plane at p (scale computed once: snapping
  // every village and shelter of a county reads hundreds of segments each).
  const m = metresPerDegree(p[1])
  let bestEdge = -1
  let bestSegment = 0
  let bestT = 0
  let bestD = Infinity
  for (const packed of candidates) {
    const edge = Math.floor(packed / SEGMENTS)
    const segment = packed % SEGMENTS
    const coords = graph.edgeCoordinates[edge]!
    const a = coords[segment]!
    const b = coords[segment + 1]!
    const ax = (a[0] - p[0]) * m.x
    const ay = (a[1] - p[1]) * m.y
    const dx = (b[0] - p[0]) * m.x - ax
    const dy = (b[1] - p[1]) * m.y - ay
    const len2 = dx * dx + dy * dy
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2))
    const distanceM = Math.hypot(ax + t * dx, ay + t * dy)
    if (distanceM < bestD || (distanceM === bestD && edge < bestEdge)) {
      bestEdge = edge
      bestSegment = segment
      bestT = t
      bestD = distanceM
    }
  }
  return bestEdge < 0 ? undefined : { edge: bestEdge, segment: bestSegment, t: bestT, distanceM: bestD }
}

function toSnap(graph: RoadGraph, near: Nearest): Snap {
  const coords = graph.edgeCoordinates[near.edge]!
  const cumulative = graph.edgeCumulative[near.edge]!
  const a = coords[near.segment]!
  const b = coords[near.segment + 1]!
  const segmentLength = cumulative[near.segment + 1]! - cumulative[near.segment]!
  return {
    edge: near.edge,
    offsetM: cumulative[near.segment]! + near.t * segmentLength,
    point: [a[0] + near.t * (b[0] - a[0]), a[1] + near.t * (b[1] - a[1])],
    distanceM: near.distanceM,
  }
}

/** Segments are packed as edge * SEGMENTS + segment index (a road piece has fewer vertices than this). */
const SEGMENTS = 1 << 16
const CELL_DEGREES = 0.01

export interface SegmentGrid {
  /** Segments near a point (some may repeat). */
  candidates(p: LonLat, radiusM: number): readonly number[]
  all(): Iterable<number>
}

function buildGrid(edges: readonly (readonly LonLat[])[]): SegmentGrid {
  const cells = new Map<number, number[]>()
  const key = (cx: number, cy: number) => cx * 100_003 + cy
  edges.forEach((coords, edge) => {
    for (let s = 0; s + 1 < coords.length && s < SEGMENTS - 1; s++) {
      const a = coords[s]!
      const b = coords[s + 1]!
      const x0 = Math.floor(Math.min(a[0], b[0]) / CELL_DEGREES)
      const x1 = Math.floor(Math.max(a[0], b[0]) / CELL_DEGREES)
      const y0 = Math.floor(Math.min(a[1], b[1]) / CELL_DEGREES)
      const y1 = Math.floor(Math.max(a[1], b[1]) / CELL_DEGREES)
      for (let cx = x0; cx <= x1; cx++)
        for (let cy = y0; cy <= y1; cy++) {
          const k = key(cx, cy)
          let list = cells.get(k)
          if (!list) cells.set(k, (list = []))
          list.push(edge * SEGMENTS + s)
        }
    }
  })
  return {
    candidates(p, radiusM) {
      // Segments spanning several cells come more than once: harmless for a nearest search, cheaper than a set.
      const m = metresPerDegree(p[1])
      const dx = radiusM / m.x
      const dy = radiusM / m.y
      const out: number[] = []
      for (let cx = Math.floor((p[0] - dx) / CELL_DEGREES); cx <= Math.floor((p[0] + dx) / CELL_DEGREES); cx++)
        for (let cy = Math.floor((p[1] - dy) / CELL_DEGREES); cy <= Math.floor((p[1] + dy) / CELL_DEGREES); cy++) {
          const cell = cells.get(key(cx, cy))
          if (cell) for (let i = 0; i < cell.length; i++) out.push(cell[i]!)
        }
      return out
    },
    *all() {
      for (let edge = 0; edge < edges.length; edge++) for (let s = 0; s + 1 < edges[edge]!.length; s++) yield edge * SEGMENTS + s
    },
  }
}

/** The part of an edge's line between two offsets (metres from `from`), in the direction a → b. */
export function sliceEdge(graph: RoadGraph, edge: number, fromM: number, toM: number): LonLat[] {
  const coords = graph.edgeCoordinates[edge]!
  const cumulative = graph.edgeCumulative[edge]!
  const forward = fromM <= toM
  const lo = Math.min(fromM, toM)
  const hi = Math.max(fromM, toM)
  const at = (m: number): LonLat => {
    let i = 0
    while (i + 2 < coords.length && cumulative[i + 1]! < m) i++
    const span = cumulative[i + 1]! - cumulative[i]!
    const t = span === 0 ? 0 : Math.max(0, Math.min(1, (m - cumulative[i]!) / span))
    const a = coords[i]!
    const b = coords[i + 1]!
    return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]
  }
  const line: LonLat[] = [at(lo)]
  for (let i = 1; i + 1 < coords.length; i++) if (cumulative[i]! > lo && cumulative[i]! < hi) line.push(coords[i]!)
  line.push(at(hi))
  return forward ? line : line.reverse()
}
