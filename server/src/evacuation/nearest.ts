import type { LonLat } from './geo.ts'
import { sliceEdge, type RoadGraph, type Snap } from './graph.ts'
import { MinHeap } from './heap.ts'
import { edgeIsFree, type Constraints } from './search.ts'

/** A snapped point this close to a node is at the node (as in search.ts). */
const AT_NODE_M = 0.01

/**
 * For every road node, the nearest target still open (a shelter with room), kept current as
 * targets close: closing one re-labels only the nodes it was nearest to, from their neighbours
 * (decremental multi-source Dijkstra), so a county's plan walks each region a few times in all
 * instead of once per village. Walks roads free under the constraints only, like NearestTargets.
 */
export class NearestOpenTarget {
  private readonly dist: Float64Array
  private readonly label: Int32Array
  private readonly prevNode: Int32Array
  private readonly prevEdge: Int32Array
  private readonly open: Uint8Array
  /** Seeds per node: the targets on a road piece ending there, with the distance to it. */
  private readonly seeds = new Map<number, { target: number; d: number; edge: number }[]>()
  /** Targets per road piece, for a start on the same piece. */
  private readonly onEdge = new Map<number, number[]>()
  /** Nodes that have carried each label (some may have been re-labelled since). */
  private readonly nodesOf: number[][]
  private readonly heap = new MinHeap(1024)

  constructor(
    private readonly graph: RoadGraph,
    private readonly targets: readonly Snap[],
    isOpen: (target: number) => boolean,
    private readonly constraints: Constraints,
    private readonly maxLengthM = Infinity,
  ) {
    const n = graph.nodeCount
    this.dist = new Float64Array(n).fill(Infinity)
    this.label = new Int32Array(n).fill(-1)
    this.prevNode = new Int32Array(n).fill(-1)
    this.prevEdge = new Int32Array(n).fill(-1)
    this.open = new Uint8Array(targets.length)
    this.nodesOf = targets.map(() => [])
    targets.forEach((t, i) => {
      let list = this.onEdge.get(t.edge)
      if (!list) this.onEdge.set(t.edge, (list = []))
      list.push(i)
      const free = edgeIsFree(graph, t.edge, constraints)
      const len = graph.edgeLength[t.edge]!
      for (const [node, d] of [
        [graph.edgeFrom[t.edge]!, t.offsetM],
        [graph.edgeTo[t.edge]!, len - t.offsetM],
      ] as const) {
        if (!free && d >= AT_NODE_M) continue
        let seeds = this.seeds.get(node)
        if (!seeds) this.seeds.set(node, (seeds = []))
        seeds.push({ target: i, d, edge: t.edge })
      }
      if (isOpen(i)) this.open[i] = 1
    })
    for (const [node, seeds] of this.seeds) for (const s of seeds) if (this.open[s.target]) this.relax(node, s.d, s.target, -1, s.edge)
    this.run()
  }

  private relax(node: number, d: number, target: number, from: number, edge: number): void {
    if (d > this.maxLengthM || d >= this.dist[node]!) return
    this.dist[node] = d
    if (this.label[node] !== target) this.nodesOf[target]!.push(node)
    this.label[node] = target
    this.prevNode[node] = from
    this.prevEdge[node] = edge
    this.heap.push(d, node)
  }

  private run(): void {
    const { graph, heap } = this
    while (heap.size > 0) {
      const node = heap.pop()
      const d = heap.lastKey
      if (d > this.dist[node]!) continue // stale entry
      const target = this.label[node]!
      for (let a = graph.adjStart[node]!; a < graph.adjStart[node + 1]!; a++) {
        const e = graph.adjEdge[a]!
        if (edgeIsFree(graph, e, this.constraints)) this.relax(graph.adjNode[a]!, d + graph.edgeLength[e]!, target, node, e)
      }
    }
  }

  /** Closes a target (its shelter is full): the nodes it was nearest to take their next nearest open one. */
  close(target: number): void {
    if (!this.open[target]) return
    this.open[target] = 0
    const { graph } = this
    const region = this.nodesOf[target]!.filter((node) => this.label[node] === target)
    this.nodesOf[target] = []
    for (const node of region) {
      this.dist[node] = Infinity
      this.label[node] = -1
    }
    for (const node of region) {
      for (const s of this.seeds.get(node) ?? []) if (this.open[s.target]) this.relax(node, s.d, s.target, -1, s.edge)
      for (let a = graph.adjStart[node]!; a < graph.adjStart[node + 1]!; a++) {
        const m = graph.adjNode[a]!
        const e = graph.adjEdge[a]!
        if (this.label[m]! >= 0 && edgeIsFree(graph, e, this.constraints))
          this.relax(node, this.dist[m]! + graph.edgeLength[e]!, this.label[m]!, m, e)
      }
    }
    this.run()
  }

  /**
   * The nearest open target of a start, or undefined when none is in reach. A start on a road
   * piece that may not be walked leaves only from an end it sits at (as `searchFrom` does).
   */
  nearestOf(start: Snap): { target: number; lengthM: number; via: number } | undefined {
    const { graph } = this
    const e = start.edge
    const free = edgeIsFree(graph, e, this.constraints)
    let best: { target: number; lengthM: number; via: number } | undefined
    const offer = (target: number, lengthM: number, via: number) => {
      if (lengthM > this.maxLengthM) return
      if (!best || lengthM < best.lengthM || (lengthM === best.lengthM && target < best.target)) best = { target, lengthM, via }
    }
    for (const [end, partM] of [
      [graph.edgeFrom[e]!, start.offsetM],
      [graph.edgeTo[e]!, graph.edgeLength[e]! - start.offsetM],
    ] as const)
      if (this.label[end]! >= 0 && (free || partM < AT_NODE_M)) offer(this.label[end]!, this.dist[end]! + partM, end)
    if (free) for (const t of this.onEdge.get(e) ?? []) if (this.open[t]) offer(t, Math.abs(this.targets[t]!.offsetM - start.offsetM), -1)
    return best
  }

  /** The walking line from a start to the target `nearestOf` gave (read it before closing that target). */
  path(start: Snap, target: number, via: number): LonLat[] {
    const { graph } = this
    const goal = this.targets[target]!
    if (via < 0) return sliceEdge(graph, start.edge, start.offsetM, goal.offsetM)
    const line: LonLat[] = [
      ...sliceEdge(graph, start.edge, start.offsetM, via === graph.edgeFrom[start.edge] ? 0 : graph.edgeLength[start.edge]!),
    ]
    for (let node = via; ;) {
      const edge = this.prevEdge[node]!
      const from = this.prevNode[node]!
      if (from < 0) {
        line.push(...sliceEdge(graph, edge, node === graph.edgeFrom[edge] ? 0 : graph.edgeLength[edge]!, goal.offsetM).slice(1))
        return line
      }
      const coords = graph.edgeCoordinates[edge]!
      line.push(...(graph.edgeFrom[edge] === node ? coords : [...coords].reverse()).slice(1))
      node = from
    }
  }
}
