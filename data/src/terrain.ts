import { createNoise2D } from 'simplex-noise'
import type { Rng } from './random.ts'
import type { XY } from './geo.ts'

/**
 * The synthetic terrain: one main valley running across the town, its floor falling gently
 * downstream (about 1,450–1,650 m, like the valley floors around Baoshan), flanks rising to
 * ridges of 2,400–2,700 m, and seeded noise that cuts side valleys into the flanks.
 * Rivers, villages, roads, hazard points and contours are all derived from this one surface.
 */
export interface Terrain {
  /** Elevation in metres at a local position (metres east/north of the town origin). */
  elevation(point: XY): number
  /** Direction of the main valley's axis, radians from east. */
  valleyAngle: number
}

function smoothstep(edge0: number, edge1: number, x: number): number {
  const t = Math.max(0, Math.min(1, (x - edge0) / (edge1 - edge0)))
  return t * t * (3 - 2 * t)
}

export function createTerrain(rng: Rng): Terrain {
  const noise = createNoise2D(rng.next)
  const valleyAngle = rng.range(-0.6, 0.6) + (rng.chance(0.5) ? 0 : Math.PI / 2)
  const cos = Math.cos(valleyAngle)
  const sin = Math.sin(valleyAngle)
  const floorAt = rng.range(1480, 1560)
  const ridgeHeight = rng.range(850, 1050)

  const fbm = (x: number, y: number, octaves: number): number => {
    let sum = 0
    let amplitude = 1
    let frequency = 1
    let norm = 0
    for (let i = 0; i < octaves; i++) {
      sum += amplitude * noise(x * frequency + i * 17.3, y * frequency - i * 9.1)
      norm += amplitude
      amplitude *= 0.5
      frequency *= 2.03
    }
    return sum / norm
  }
  const ridged = (x: number, y: number, octaves: number): number => {
    let sum = 0
    let amplitude = 1
    let frequency = 1
    let norm = 0
    for (let i = 0; i < octaves; i++) {
      sum += amplitude * (1 - Math.abs(noise(x * frequency - i * 31.7, y * frequency + i * 5.9)))
      norm += amplitude
      amplitude *= 0.5
      frequency *= 2.11
    }
    return sum / norm
  }

  function elevation([x, y]: XY): number {
    const u = x * cos + y * sin
    const v = -x * sin + y * cos
    const meander = 1500 * noise(u / 11000, 4.7) + 450 * noise(u / 3500, -2.3)
    const across = Math.abs(v - meander)
    const floor = floorAt - 0.011 * u
    const flank = ridgeHeight * (1 - Math.exp(-((across / 3600) ** 2))) + 0.025 * across
    const rough = smoothstep(150, 1800, across)
    const relief = 330 * fbm(x / 5200, y / 5200, 4) + 260 * (ridged(x / 4200, y / 4200, 3) - 0.5)
    const detail = 5 * noise(x / 260, y / 260)
    return floor + flank + rough * relief + detail
  }

  return { elevation, valleyAngle }
}

/**
 * A square raster over the town's surroundings: cell centres on a regular grid, elevation,
 * slope, and the flow network (D8 on a depression-filled surface).
 */
export interface TerrainGrid {
  size: number
  cell: number
  /** Local position of the centre of cell (0, 0). */
  originXY: XY
  elevation: Float64Array
  /** Slope in degrees. */
  slope: Float64Array
  /** Index of the downstream cell, or -1 at the outlets on the raster edge. */
  downstream: Int32Array
  /** Upstream area in cells. */
  accumulation: Float64Array
}

export const neighbourOffsets: readonly (readonly [number, number])[] = [
  [1, 0],
  [1, 1],
  [0, 1],
  [-1, 1],
  [-1, 0],
  [-1, -1],
  [0, -1],
  [1, -1],
]

export function cellCentre(grid: { size: number; cell: number; originXY: XY }, index: number): XY {
  const i = index % grid.size
  const j = Math.floor(index / grid.size)
  return [grid.originXY[0] + i * grid.cell, grid.originXY[1] + j * grid.cell]
}

export function cellAt(grid: { size: number; cell: number; originXY: XY }, [x, y]: XY): number {
  const i = Math.round((x - grid.originXY[0]) / grid.cell)
  const j = Math.round((y - grid.originXY[1]) / grid.cell)
  if (i < 0 || j < 0 || i >= grid.size || j >= grid.size) return -1
  return j * grid.size + i
}

export function buildGrid(terrain: Terrain, halfExtent: number, cell: number): TerrainGrid {
  const size = Math.round((2 * halfExtent) / cell) + 1
  const originXY: XY = [-halfExtent, -halfExtent]
  const count = size * size
  const elevation = new Float64Array(count)
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      elevation[j * size + i] = terrain.elevation([originXY[0] + i * cell, originXY[1] + j * cell])
    }
  }
  const slope = new Float64Array(count)
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const left = elevation[j * size + Math.max(0, i - 1)] as number
      const right = elevation[j * size + Math.min(size - 1, i + 1)] as number
      const down = elevation[Math.max(0, j - 1) * size + i] as number
      const up = elevation[Math.min(size - 1, j + 1) * size + i] as number
      const dx = (right - left) / (cell * (i > 0 && i < size - 1 ? 2 : 1))
      const dy = (up - down) / (cell * (j > 0 && j < size - 1 ? 2 : 1))
      slope[j * size + i] = (Math.atan(Math.hypot(dx, dy)) * 180) / Math.PI
    }
  }
  const { downstream, order } = routeFlow(elevation, size)
  const accumulation = new Float64Array(count).fill(1)
  for (let k = order.length - 1; k >= 0; k--) {
    const index = order[k] as number
    const next = downstream[index] as number
    if (next >= 0) accumulation[next] = (accumulation[next] as number) + (accumulation[index] as number)
  }
  return { size, cell, originXY, elevation, slope, downstream, accumulation }
}

/**
 * Priority-flood (Barnes et al. 2014): grows inwards from the raster edge, always from the
 * lowest cell reached so far, so every cell drains to the edge, pits included. Returns the
 * downstream cell of each cell and the order cells were reached (outlets first).
 */
function routeFlow(elevation: Float64Array, size: number): { downstream: Int32Array; order: Int32Array } {
  const count = size * size
  const downstream = new Int32Array(count).fill(-1)
  const done = new Uint8Array(count)
  const order = new Int32Array(count)
  let reached = 0
  const heap = new MinHeap(count)
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      if (i !== 0 && j !== 0 && i !== size - 1 && j !== size - 1) continue
      const index = j * size + i
      done[index] = 1
      heap.push(index, elevation[index] as number)
    }
  }
  const filled = Float64Array.from(elevation)
  while (heap.length > 0) {
    const index = heap.pop()
    order[reached++] = index
    const i = index % size
    const j = Math.floor(index / size)
    for (const [di, dj] of neighbourOffsets) {
      const ni = i + di
      const nj = j + dj
      if (ni < 0 || nj < 0 || ni >= size || nj >= size) continue
      const neighbour = nj * size + ni
      if (done[neighbour]) continue
      done[neighbour] = 1
      downstream[neighbour] = index
      filled[neighbour] = Math.max(filled[neighbour] as number, (filled[index] as number) + 1e-3)
      heap.push(neighbour, filled[neighbour] as number)
    }
  }
  return { downstream, order }
}

/** Binary min-heap of integer items keyed by numbers; ties resolved by item for determinism. */
export class MinHeap {
  private items: Int32Array
  private keys: Float64Array
  length = 0

  constructor(capacity: number) {
    this.items = new Int32Array(Math.max(16, capacity))
    this.keys = new Float64Array(Math.max(16, capacity))
  }

  private less(a: number, b: number): boolean {
    const ka = this.keys[a] as number
    const kb = this.keys[b] as number
    return ka < kb || (ka === kb && (this.items[a] as number) < (this.items[b] as number))
  }

  private swap(a: number, b: number): void {
    const item = this.items[a] as number
    const key = this.keys[a] as number
    this.items[a] = this.items[b] as number
    this.keys[a] = this.keys[b] as number
    this.items[b] = item
    this.keys[b] = key
  }

  push(item: number, key: number): void {
    if (this.length === this.items.length) {
      const items = new Int32Array(this.items.length * 2)
      items.set(this.items)
      const keys = new Float64Array(this.keys.length * 2)
      keys.set(this.keys)
      this.items = items
      this.keys = keys
    }
    let at = this.length++
    this.items[at] = item
    this.keys[at] = key
    while (at > 0) {
      const parent = (at - 1) >> 1
      if (!this.less(at, parent)) break
      this.swap(at, parent)
      at = parent
    }
  }

  /** Key of the smallest item; call only when not empty. */
  peekKey(): number {
    return this.keys[0] as number
  }

  pop(): number {
    const top = this.items[0] as number
    this.length--
    if (this.length > 0) {
      this.items[0] = this.items[this.length] as number
      this.keys[0] = this.keys[this.length] as number
      let at = 0
      for (;;) {
        const left = 2 * at + 1
        const right = left + 1
        let smallest = at
        if (left < this.length && this.less(left, smallest)) smallest = left
        if (right < this.length && this.less(right, smallest)) smallest = right
        if (smallest === at) break
        this.swap(at, smallest)
        at = smallest
      }
    }
    return top
  }
}
