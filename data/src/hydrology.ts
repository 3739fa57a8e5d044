import type { RiverClass } from '@riskatlas/shared'
import type { TerrainGrid } from './terrain.ts'

/** One river as a chain of raster cells from its source (first) to its mouth or exit (last). */
export interface RiverTrace {
  cells: number[]
  class: RiverClass
  /** Index of the river it flows into, or -1 (main river, or leaving the town). */
  parent: number
  /** Upstream area at its lowest cell, km². */
  catchmentKm2: number
}

/** Upstream area (km²) from which a line counts as a tributary (支流) or a stream (溪沟). */
export const tributaryKm2 = 6
export const streamKm2 = 1.6

/**
 * The river network of the town: the main river (the stem that drains most of the town), the
 * branches that join it, recursively, and streams leaving the town on their own. Only cells
 * inside the town count; every branch ends on the cell of the river it joins.
 */
export function extractRivers(grid: TerrainGrid, inside: Uint8Array): RiverTrace[] {
  const count = grid.size * grid.size
  const cellKm2 = (grid.cell * grid.cell) / 1e6
  const streamCells = streamKm2 / cellKm2
  const childStart = new Int32Array(count + 1)
  for (let index = 0; index < count; index++) {
    const next = grid.downstream[index] as number
    if (next >= 0) childStart[next + 1] = (childStart[next + 1] as number) + 1
  }
  for (let index = 0; index < count; index++) childStart[index + 1] = (childStart[index + 1] as number) + (childStart[index] as number)
  const children = new Int32Array(childStart[count] as number)
  const fill = childStart.slice(0, count)
  for (let index = 0; index < count; index++) {
    const next = grid.downstream[index] as number
    if (next < 0) continue
    children[fill[next] as number] = index
    fill[next] = (fill[next] as number) + 1
  }
  const riverChildren = (cell: number): number[] => {
    const out: number[] = []
    for (let k = childStart[cell] as number; k < (childStart[cell + 1] as number); k++) {
      const child = children[k] as number
      if (inside[child] && (grid.accumulation[child] as number) >= streamCells) out.push(child)
    }
    return out.sort((a, b) => (grid.accumulation[b] as number) - (grid.accumulation[a] as number) || a - b)
  }
  /** Follows the largest upstream branch from `mouth` to a source; returns source → mouth. */
  const traceStem = (mouth: number): number[] => {
    const cells = [mouth]
    let current = mouth
    for (;;) {
      const [next] = riverChildren(current)
      if (next === undefined) break
      cells.push(next)
      current = next
    }
    return cells.reverse()
  }

  const outlets: number[] = []
  for (let index = 0; index < count; index++) {
    if (!inside[index] || (grid.accumulation[index] as number) < streamCells) continue
    const next = grid.downstream[index] as number
    if (next < 0 || !inside[next]) outlets.push(index)
  }
  outlets.sort((a, b) => (grid.accumulation[b] as number) - (grid.accumulation[a] as number) || a - b)

  const rivers: RiverTrace[] = []
  const classify = (catchmentKm2: number, isMain: boolean): RiverClass =>
    isMain ? 'main' : catchmentKm2 >= tributaryKm2 ? 'tributary' : 'stream'
  const queue: number[] = []
  for (const outlet of outlets) {
    const cells = traceStem(outlet)
    if (cells.length < 8) continue
    const catchmentKm2 = (grid.accumulation[outlet] as number) * cellKm2
    rivers.push({ cells, class: classify(catchmentKm2, rivers.length === 0), parent: -1, catchmentKm2 })
    queue.push(rivers.length - 1)
    while (queue.length > 0) {
      const riverIndex = queue.shift() as number
      const river = rivers[riverIndex] as RiverTrace
      const stem = river.cells
      // A branch's last cell is its mouth on the parent river, whose other branches are the parent's.
      const ownCells = river.parent < 0 ? stem.length : stem.length - 1
      for (let k = 1; k < ownCells; k++) {
        const cell = stem[k] as number
        const upstreamOnStem = stem[k - 1] as number
        for (const branchHead of riverChildren(cell)) {
          if (branchHead === upstreamOnStem) continue
          const branch = traceStem(branchHead)
          if (branch.length < 6) continue
          const branchKm2 = (grid.accumulation[branchHead] as number) * cellKm2
          rivers.push({ cells: [...branch, cell], class: classify(branchKm2, false), parent: riverIndex, catchmentKm2: branchKm2 })
          queue.push(rivers.length - 1)
        }
      }
    }
  }
  return rivers
}

/**
 * Approximate Euclidean distance (metres) from every cell to the nearest marked cell:
 * a two-pass chamfer transform, plenty for siting villages and roads.
 */
export function distanceFrom(size: number, cell: number, marked: Uint8Array): Float64Array {
  const distance = new Float64Array(size * size).fill(Number.POSITIVE_INFINITY)
  for (let index = 0; index < marked.length; index++) if (marked[index]) distance[index] = 0
  const straight = cell
  const diagonal = cell * Math.SQRT2
  const relax = (index: number, i: number, j: number, di: number, dj: number, step: number): void => {
    const ni = i + di
    const nj = j + dj
    if (ni < 0 || nj < 0 || ni >= size || nj >= size) return
    const candidate = (distance[nj * size + ni] as number) + step
    if (candidate < (distance[index] as number)) distance[index] = candidate
  }
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const index = j * size + i
      relax(index, i, j, -1, 0, straight)
      relax(index, i, j, 0, -1, straight)
      relax(index, i, j, -1, -1, diagonal)
      relax(index, i, j, 1, -1, diagonal)
    }
  }
  for (let j = size - 1; j >= 0; j--) {
    for (let i = size - 1; i >= 0; i--) {
      const index = j * size + i
      relax(index, i, j, 1, 0, straight)
      relax(index, i, j, 0, 1, straight)
      relax(index, i, j, 1, 1, diagonal)
      relax(index, i, j, -1, 1, diagonal)
    }
  }
  return distance
}
