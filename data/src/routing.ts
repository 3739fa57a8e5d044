import { lineLength, type Position } from './geo.ts'
import { MinHeap } from './terrain.ts'

/** A road network as a graph: nodes are segment end positions, matched exactly. */
export class RoadGraph {
  readonly nodes: Position[] = []
  private readonly nodeIndex = new Map<string, number>()
  /** For each node: the segments leaving it, as (segment index, other node, length). */
  readonly adjacency: { segment: number; to: number; length: number }[][] = []

  constructor(readonly segments: readonly Position[][]) {
    segments.forEach((line, segment) => {
      const from = this.node(line[0] as Position)
      const to = this.node(line[line.length - 1] as Position)
      const length = lineLength(line)
      this.adjacency[from]?.push({ segment, to, length })
      this.adjacency[to]?.push({ segment, to: from, length })
    })
  }

  private node(position: Position): number {
    const key = `${position[0]},${position[1]}`
    const found = this.nodeIndex.get(key)
    if (found !== undefined) return found
    const index = this.nodes.length
    this.nodes.push(position)
    this.nodeIndex.set(key, index)
    this.adjacency.push([])
    return index
  }

  find(position: Position): number | undefined {
    return this.nodeIndex.get(`${position[0]},${position[1]}`)
  }

  /** Sizes of connected components, largest first. */
  components(): number[] {
    const seen = new Int32Array(this.nodes.length).fill(-1)
    const sizes: number[] = []
    for (let start = 0; start < this.nodes.length; start++) {
      if (seen[start] !== -1) continue
      const stack = [start]
      seen[start] = sizes.length
      let size = 0
      while (stack.length > 0) {
        const node = stack.pop() as number
        size++
        for (const edge of this.adjacency[node] ?? []) {
          if (seen[edge.to] === -1) {
            seen[edge.to] = sizes.length
            stack.push(edge.to)
          }
        }
      }
      sizes.push(size)
    }
    return sizes.sort((a, b) => b - a)
  }

  /**
   * Shortest path from `from` to the nearest of `targets`, skipping segments for which
   * `blocked` is true. Returns the route's positions, or null when no target can be reached.
   */
  shortestPath(
    from: number,
    targets: ReadonlySet<number>,
    blocked: (segment: number) => boolean = () => false,
  ): { target: number; line: Position[] } | null {
    const count = this.nodes.length
    const cost = new Float64Array(count).fill(Number.POSITIVE_INFINITY)
    const via = new Int32Array(count).fill(-1)
    const previous = new Int32Array(count).fill(-1)
    const heap = new MinHeap(256)
    cost[from] = 0
    heap.push(from, 0)
    while (heap.length > 0) {
      const key = heap.peekKey()
      const node = heap.pop()
      if (key > (cost[node] as number)) continue
      if (targets.has(node)) return { target: node, line: this.trace(from, node, via, previous) }
      for (const edge of this.adjacency[node] ?? []) {
        if (blocked(edge.segment)) continue
        const candidate = key + edge.length
        if (candidate < (cost[edge.to] as number)) {
          cost[edge.to] = candidate
          via[edge.to] = edge.segment
          previous[edge.to] = node
          heap.push(edge.to, candidate)
        }
      }
    }
    return null
  }

  private trace(from: number, to: number, via: Int32Array, previous: Int32Array): Position[] {
    const pieces: Position[][] = []
    let node = to
    while (node !== from) {
      const segment = this.segments[via[node] as number] as Position[]
      const start = this.nodes[previous[node] as number] as Position
      const forward = (segment[0] as Position)[0] === start[0] && (segment[0] as Position)[1] === start[1]
      pieces.push(forward ? segment : segment.slice().reverse())
      node = previous[node] as number
    }
    const line: Position[] = [this.nodes[from] as Position]
    for (const piece of pieces.reverse()) line.push(...piece.slice(1))
    return line
  }
}

/** Metres walked per minute at the 4 km/h assumed for an evacuation on foot. */
export const walkingMetresPerMinute = 4000 / 60

export function walkingMinutes(lengthM: number): number {
  return Math.round((lengthM / walkingMetresPerMinute) * 10) / 10
}
