import type { RoadClass } from '@riskatlas/shared'
import {
  dedupe,
  planarLength,
  SegmentIndex,
  segmentsIntersect,
  simplify,
  smoothLine,
  type LocalProjection,
  type Position,
  type XY,
} from './geo.ts'
import type { Rng } from './random.ts'
import { cellCentre, MinHeap, neighbourOffsets, type TerrainGrid } from './terrain.ts'

export interface RoadVillage {
  cell: number
  name: string
  population: number
  /** 村委会驻地: the township road ends here. */
  adminCentre: boolean
  /** 镇政府驻地: the county road passes here. */
  seat: boolean
}

export interface RoadFeature {
  name: string | null
  class: RoadClass
  passableInFlood: boolean
  coordinates: Position[]
}

export interface RoadNetwork {
  features: RoadFeature[]
  /** The road node (rounded position) of every village, in the input order. */
  villageNodes: Position[]
  /** Road nodes that are not villages, for siting facilities on the network (shelters). */
  otherNodes: Position[]
}

/** The road network is cut into at least this many segments. */
export const minimumSegments = 1000

const classRank: Record<RoadClass, number> = { county: 4, township: 3, village: 2, track: 1 }

/**
 * Walking/driving cost of entering a cell: distance, heavily penalised on steep ground so
 * roads keep to valley floors and gentle spurs, and more to cross a river channel (a bridge).
 */
function stepCost(grid: TerrainGrid, inside: Uint8Array, channel: Uint8Array, to: number, length: number): number {
  if (!inside[to]) return Number.POSITIVE_INFINITY
  const gradient = Math.tan(((grid.slope[to] as number) * Math.PI) / 180) * 6
  const crossing = channel[to] === 2 ? 7 : channel[to] === 1 ? 2 : 1
  return length * (1 + gradient * gradient) * crossing
}

/** Dijkstra over the raster from any of `sources`; stops once every target is settled. */
function shortestPaths(
  grid: TerrainGrid,
  inside: Uint8Array,
  channel: Uint8Array,
  sources: Iterable<number>,
  targets: ReadonlySet<number>,
): Int32Array {
  const count = grid.size * grid.size
  const cost = new Float64Array(count).fill(Number.POSITIVE_INFINITY)
  const previous = new Int32Array(count).fill(-1)
  const settled = new Uint8Array(count)
  const heap = new MinHeap(1024)
  for (const source of sources) {
    cost[source] = 0
    heap.push(source, 0)
  }
  let remaining = targets.size
  while (heap.length > 0 && remaining > 0) {
    const key = heap.peekKey()
    const index = heap.pop()
    if (settled[index] || key > (cost[index] as number)) continue
    settled[index] = 1
    if (targets.has(index)) remaining--
    const i = index % grid.size
    const j = Math.floor(index / grid.size)
    for (const [di, dj] of neighbourOffsets) {
      const ni = i + di
      const nj = j + dj
      if (ni < 0 || nj < 0 || ni >= grid.size || nj >= grid.size) continue
      const next = nj * grid.size + ni
      if (settled[next]) continue
      const candidate =
        (cost[index] as number) + stepCost(grid, inside, channel, next, di !== 0 && dj !== 0 ? grid.cell * Math.SQRT2 : grid.cell)
      if (candidate < (cost[next] as number)) {
        cost[next] = candidate
        previous[next] = index
        heap.push(next, candidate)
      }
    }
  }
  return previous
}

function backtrack(previous: Int32Array, target: number): number[] {
  const path = [target]
  let current = target
  while ((previous[current] as number) >= 0) {
    current = previous[current] as number
    path.push(current)
  }
  return path
}

interface EdgeAttributes {
  class: RoadClass
  name: string | null
}

/**
 * Builds the road network on the terrain raster: a county road along the main valley through
 * the town seat, township roads from it to every village committee, village roads to every
 * natural village (they merge like a drainage tree), and a few tracks between neighbouring
 * villages that close loops. The raster paths are then cut at every junction and village, so
 * segments share their end positions exactly (a routable, noded graph), simplified where that
 * creates no crossing, and split into short segments.
 */
export function buildRoads(
  rng: Rng,
  grid: TerrainGrid,
  inside: Uint8Array,
  channel: Uint8Array,
  mainRiverCells: readonly number[],
  villages: readonly RoadVillage[],
  projection: LocalProjection,
  names: { county: string; township: (village: RoadVillage) => string; village: (village: RoadVillage) => string },
  riverLines: readonly Position[][],
): RoadNetwork {
  const edges = new Map<string, EdgeAttributes>()
  const edgeKey = (a: number, b: number): string => (a < b ? `${a}-${b}` : `${b}-${a}`)
  const addPath = (path: readonly number[], attributes: EdgeAttributes): void => {
    for (let k = 1; k < path.length; k++) {
      const key = edgeKey(path[k - 1] as number, path[k] as number)
      const existing = edges.get(key)
      if (!existing || classRank[existing.class] < classRank[attributes.class]) edges.set(key, attributes)
    }
  }
  const onNetwork = (): Set<number> => {
    const cells = new Set<number>()
    for (const key of edges.keys()) for (const part of key.split('-')) cells.add(Number(part))
    return cells
  }

  const seat = villages.find((village) => village.seat) as RoadVillage
  const nearestLand = (cell: number): number => {
    const centre = cellCentre(grid, cell)
    let best = -1
    let bestScore = Infinity
    for (let dj = -6; dj <= 6; dj++) {
      for (let di = -6; di <= 6; di++) {
        const i = (cell % grid.size) + di
        const j = Math.floor(cell / grid.size) + dj
        if (i < 0 || j < 0 || i >= grid.size || j >= grid.size) continue
        const index = j * grid.size + i
        if (!inside[index] || channel[index]) continue
        const other = cellCentre(grid, index)
        const score = Math.hypot(other[0] - centre[0], other[1] - centre[1]) + 20 * (grid.slope[index] as number)
        if (score < bestScore) {
          bestScore = score
          best = index
        }
      }
    }
    return best < 0 ? seat.cell : best
  }
  const entry = nearestLand(mainRiverCells[0] as number)
  const exit = nearestLand(mainRiverCells[mainRiverCells.length - 1] as number)
  const county: EdgeAttributes = { class: 'county', name: names.county }
  addPath(backtrack(shortestPaths(grid, inside, channel, [entry], new Set([seat.cell])), seat.cell), county)
  addPath(backtrack(shortestPaths(grid, inside, channel, [seat.cell], new Set([exit])), exit), county)

  const centres = villages.filter((village) => village.adminCentre && !village.seat)
  const townshipTree = shortestPaths(grid, inside, channel, onNetwork(), new Set(centres.map((village) => village.cell)))
  for (const village of centres) addPath(backtrack(townshipTree, village.cell), { class: 'township', name: names.township(village) })

  const network = onNetwork()
  const others = villages.filter((village) => !network.has(village.cell))
  const villageTree = shortestPaths(grid, inside, channel, network, new Set(others.map((village) => village.cell)))
  // Larger villages first, so a road shared by several villages is named after the largest.
  for (const village of [...others].sort((a, b) => b.population - a.population || a.cell - b.cell)) {
    const attributes: EdgeAttributes =
      village.population >= 110 ? { class: 'village', name: names.village(village) } : { class: 'track', name: null }
    addPath(backtrack(villageTree, village.cell), attributes)
  }

  // Tracks between neighbouring villages close loops, so routing has alternatives.
  for (const village of villages) {
    if (!rng.chance(0.3)) continue
    const here = cellCentre(grid, village.cell)
    const neighbours = villages
      .filter((other) => other !== village)
      .map((other) => ({ other, d: Math.hypot(cellCentre(grid, other.cell)[0] - here[0], cellCentre(grid, other.cell)[1] - here[1]) }))
      .filter(({ d }) => d < 2200)
      .sort((a, b) => a.d - b.d || a.other.cell - b.other.cell)
    const target = neighbours[1] ?? neighbours[0]
    if (!target) continue
    addPath(backtrack(shortestPaths(grid, inside, channel, [village.cell], new Set([target.other.cell])), target.other.cell), {
      class: 'track',
      name: null,
    })
  }

  return noded(rng, grid, edges, villages, projection, riverLines)
}

/** Turns the raster edge set into noded, simplified, split line features. */
function noded(
  rng: Rng,
  grid: TerrainGrid,
  edges: Map<string, EdgeAttributes>,
  villages: readonly RoadVillage[],
  projection: LocalProjection,
  riverLines: readonly Position[][],
): RoadNetwork {
  const count = grid.size * grid.size
  // Two diagonals crossing inside one 2×2 block meet at the block centre: make that a vertex.
  const split = new Map<string, EdgeAttributes>()
  for (const [key, attributes] of edges) {
    const [a, b] = key.split('-').map(Number) as [number, number]
    const ai = a % grid.size
    const aj = Math.floor(a / grid.size)
    const bi = b % grid.size
    const bj = Math.floor(b / grid.size)
    if (ai !== bi && aj !== bj) {
      const i0 = Math.min(ai, bi)
      const j0 = Math.min(aj, bj)
      const otherA = aj * grid.size + bi
      const otherB = bj * grid.size + ai
      const crossing = edges.get(otherA < otherB ? `${otherA}-${otherB}` : `${otherB}-${otherA}`)
      if (crossing) {
        const centre = count + j0 * grid.size + i0
        split.set(`${a}-${centre}`, attributes)
        split.set(`${b}-${centre}`, attributes)
        continue
      }
    }
    split.set(key, attributes)
  }
  const vertexXY = (vertex: number): XY => {
    if (vertex < count) return cellCentre(grid, vertex)
    const [x, y] = cellCentre(grid, vertex - count)
    return [x + grid.cell / 2, y + grid.cell / 2]
  }
  const adjacency = new Map<number, { to: number; attributes: EdgeAttributes }[]>()
  for (const [key, attributes] of split) {
    const [a, b] = key.split('-').map(Number) as [number, number]
    if (!adjacency.has(a)) adjacency.set(a, [])
    if (!adjacency.has(b)) adjacency.set(b, [])
    adjacency.get(a)?.push({ to: b, attributes })
    adjacency.get(b)?.push({ to: a, attributes })
  }
  for (const list of adjacency.values()) list.sort((x, y) => x.to - y.to)
  const forced = new Set(villages.map((village) => village.cell))
  const isNode = (vertex: number): boolean => {
    const list = adjacency.get(vertex) ?? []
    if (list.length !== 2 || forced.has(vertex)) return true
    return list[0]?.attributes !== list[1]?.attributes
  }
  const vertices = [...adjacency.keys()].sort((a, b) => a - b)
  const used = new Set<string>()
  const chains: { vertices: number[]; attributes: EdgeAttributes }[] = []
  const walk = (start: number, first: number, attributes: EdgeAttributes): void => {
    const path = [start, first]
    used.add(edgeId(start, first))
    let previous = start
    let current = first
    while (!isNode(current)) {
      const next = (adjacency.get(current) ?? []).find((edge) => edge.to !== previous)
      if (!next || used.has(edgeId(current, next.to))) break
      used.add(edgeId(current, next.to))
      path.push(next.to)
      previous = current
      current = next.to
    }
    chains.push({ vertices: path, attributes })
  }
  for (const vertex of vertices) {
    if (!isNode(vertex)) continue
    for (const edge of adjacency.get(vertex) ?? []) {
      if (!used.has(edgeId(vertex, edge.to))) walk(vertex, edge.to, edge.attributes)
    }
  }
  // Loops made only of degree-2 vertices cannot occur: every loop touches the network.

  // Three candidate shapes per chain: smoothed, simplified, raw raster path. The first that
  // crosses no other line is kept (the raw paths never cross: they meet only at shared vertices).
  const candidates = chains.map((chain) => {
    const raw = chain.vertices.map(vertexXY)
    const simple = simplify(raw, 9)
    const smooth = smoothLine(simple, 2)
    return [smooth, simple, raw].map((shape) => dedupe(shape.map((xy) => projection.toLonLat(xy))))
  })
  const lines = resolveCrossings(candidates)

  // Split into short segments: at least `minimumSegments` of them, for fine-grained routing and closures.
  const totalLength = lines.reduce((sum, line) => sum + planarLength(line.map((position) => projection.toXY(position))), 0)
  const rivers = new SegmentIndex()
  for (const river of riverLines) rivers.addLine(river)
  let pieceLength = Math.min(150, totalLength / (minimumSegments * 1.1))
  let pieces = lines.map((line) => splitLine(line, projection, pieceLength))
  while (pieces.reduce((sum, list) => sum + list.length, 0) < minimumSegments) {
    pieceLength *= 0.9
    pieces = lines.map((line) => splitLine(line, projection, pieceLength))
  }
  const features: RoadFeature[] = []
  chains.forEach((chain, index) => {
    for (const piece of pieces[index] as Position[][]) {
      // Where a village road or track crosses a river it does so on a ford or a low bridge
      // (过水路面/漫水桥), closed in floods; township roads sometimes, county roads never.
      const crossesRiver = rivers.intersectsLine(piece)
      const cls = chain.attributes.class
      const wet = crossesRiver && (cls === 'village' || cls === 'track' || (cls === 'township' && rng.chance(0.4)))
      features.push({ name: chain.attributes.name, class: cls, passableInFlood: !wet, coordinates: piece })
    }
  })
  const villageNodes = villages.map((village) => projection.toLonLat(cellCentre(grid, village.cell)))
  const villageKeys = new Set(villageNodes.map((position) => position.join(',')))
  const otherNodes: Position[] = []
  const seen = new Set<string>()
  for (const feature of features) {
    for (const end of [feature.coordinates[0] as Position, feature.coordinates[feature.coordinates.length - 1] as Position]) {
      const key = end.join(',')
      if (villageKeys.has(key) || seen.has(key)) continue
      seen.add(key)
      otherNodes.push(end)
    }
  }
  return { features, villageNodes, otherNodes }
}

function edgeId(a: number, b: number): string {
  return a < b ? `${a}-${b}` : `${b}-${a}`
}

/**
 * Picks for each line the first of its candidate shapes that crosses or overlaps no other line
 * except at exactly shared vertices; the last candidate (the raw raster path) is the fallback.
 */
function resolveCrossings(candidates: readonly Position[][][]): Position[][] {
  const choice = candidates.map(() => 0)
  const lines = candidates.map((shapes) => shapes[0] as Position[])
  for (let round = 0; round < 12; round++) {
    const conflicts = findConflicts(lines)
    if (conflicts.size === 0) return lines
    for (const index of conflicts) {
      const shapes = candidates[index] as Position[][]
      choice[index] = Math.min((choice[index] as number) + 1, shapes.length - 1)
      lines[index] = shapes[choice[index] as number] as Position[]
    }
  }
  return candidates.map((shapes) => shapes[shapes.length - 1] as Position[])
}

/** Indices of lines that cross another line anywhere except at exactly shared vertices. */
export function findConflicts(lines: readonly Position[][]): Set<number> {
  const bucket = 0.002
  const segments: { line: number; a: Position; b: Position }[] = []
  const buckets = new Map<string, number[]>()
  lines.forEach((line, lineIndex) => {
    for (let k = 1; k < line.length; k++) {
      const a = line[k - 1] as Position
      const b = line[k] as Position
      const id = segments.length
      segments.push({ line: lineIndex, a, b })
      const i0 = Math.floor(Math.min(a[0], b[0]) / bucket)
      const i1 = Math.floor(Math.max(a[0], b[0]) / bucket)
      const j0 = Math.floor(Math.min(a[1], b[1]) / bucket)
      const j1 = Math.floor(Math.max(a[1], b[1]) / bucket)
      for (let i = i0; i <= i1; i++) {
        for (let j = j0; j <= j1; j++) {
          const key = `${i},${j}`
          const list = buckets.get(key)
          if (list) list.push(id)
          else buckets.set(key, [id])
        }
      }
    }
  })
  const conflicts = new Set<number>()
  const checked = new Set<string>()
  for (const list of buckets.values()) {
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const first = segments[list[x] as number] as { line: number; a: Position; b: Position }
        const second = segments[list[y] as number] as { line: number; a: Position; b: Position }
        const pair = `${list[x]}:${list[y]}`
        if (checked.has(pair)) continue
        checked.add(pair)
        if (segmentsConflict(first, second)) {
          if (first.line === second.line) {
            conflicts.add(first.line)
          } else {
            conflicts.add(first.line)
            conflicts.add(second.line)
          }
        }
      }
    }
  }
  return conflicts
}

const same = (p: Position, q: Position): boolean => p[0] === q[0] && p[1] === q[1]

function segmentsConflict(s: { line: number; a: Position; b: Position }, t: { line: number; a: Position; b: Position }): boolean {
  const shared = [s.a, s.b].filter((p) => same(p, t.a) || same(p, t.b))
  if (shared.length === 2) return true
  if (shared.length === 1) {
    const common = shared[0] as Position
    const sOther = same(s.a, common) ? s.b : s.a
    const tOther = same(t.a, common) ? t.b : t.a
    // Meeting at one shared vertex is fine unless one segment runs back along the other.
    return segmentsIntersect(sOther, sOther, t.a, t.b) || segmentsIntersect(tOther, tOther, s.a, s.b)
  }
  return segmentsIntersect(s.a, s.b, t.a, t.b)
}

/** Splits a line into pieces of about `target` metres, at vertices, adding vertices on long straight runs. */
function splitLine(line: Position[], projection: LocalProjection, target: number): Position[][] {
  const dense: Position[] = [line[0] as Position]
  for (let k = 1; k < line.length; k++) {
    const a = projection.toXY(line[k - 1] as Position)
    const b = projection.toXY(line[k] as Position)
    const steps = Math.floor(Math.hypot(b[0] - a[0], b[1] - a[1]) / (target * 1.2))
    for (let s = 1; s <= steps; s++) {
      const t = s / (steps + 1)
      const point = projection.toLonLat([a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t])
      if (!same(point, dense[dense.length - 1] as Position)) dense.push(point)
    }
    dense.push(line[k] as Position)
  }
  const xy = dense.map((position) => projection.toXY(position))
  const suffix = new Float64Array(dense.length)
  for (let k = dense.length - 2; k >= 0; k--) suffix[k] = (suffix[k + 1] as number) + planarLength([xy[k] as XY, xy[k + 1] as XY])
  const pieces: Position[][] = []
  let current: Position[] = [dense[0] as Position]
  let startLength = suffix[0] as number
  for (let k = 1; k < dense.length; k++) {
    current.push(dense[k] as Position)
    const length = startLength - (suffix[k] as number)
    if (length >= target && (suffix[k] as number) >= target / 3) {
      pieces.push(current)
      current = [dense[k] as Position]
      startLength = suffix[k] as number
    }
  }
  if (current.length > 1) pieces.push(current)
  return pieces
}
