import { dedupe, planarLength, rasterizeRing, simplify, type LocalProjection, type Position, type XY } from './geo.ts'
import type { Terrain } from './terrain.ts'

export interface ContourLine {
  elevation: number
  coordinates: Position[]
}

/**
 * Contour lines of the terrain inside the town (marching squares on a `cell`-metre sample grid,
 * lines stitched across cells through shared edge crossings, then simplified) for the offline
 * basemap. Closed contours come out as closed line strings.
 */
export function traceContours(
  terrain: Terrain,
  outline: readonly XY[],
  projection: LocalProjection,
  interval: number,
  cell: number,
  tolerance: number,
): ContourLine[] {
  const xs = outline.map(([x]) => x)
  const ys = outline.map(([, y]) => y)
  const x0 = Math.floor(Math.min(...xs) / cell) * cell
  const y0 = Math.floor(Math.min(...ys) / cell) * cell
  const nx = Math.ceil((Math.max(...xs) - x0) / cell) + 1
  const ny = Math.ceil((Math.max(...ys) - y0) / cell) + 1
  const value = new Float64Array(nx * ny)
  const inside = rasterizeRing(outline, x0, y0, cell, nx, ny)
  let min = Infinity
  let max = -Infinity
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const xy: XY = [x0 + i * cell, y0 + j * cell]
      const index = j * nx + i
      value[index] = terrain.elevation(xy)
      if (inside[index]) {
        min = Math.min(min, value[index] as number)
        max = Math.max(max, value[index] as number)
      }
    }
  }
  const at = (i: number, j: number): number => value[j * nx + i] as number
  // Edge ids: horizontal edge from (i, j) to (i+1, j) is 2k, vertical edge from (i, j) to (i, j+1) is 2k+1.
  const crossing = (edge: number, level: number): XY => {
    const k = edge >> 1
    const i = k % nx
    const j = Math.floor(k / nx)
    const a = at(i, j)
    const b = edge & 1 ? at(i, j + 1) : at(i + 1, j)
    const t = (level - a) / (b - a)
    return edge & 1 ? [x0 + i * cell, y0 + (j + t) * cell] : [x0 + (i + t) * cell, y0 + j * cell]
  }
  const lines: ContourLine[] = []
  for (let level = Math.ceil(min / interval) * interval; level <= max; level += interval) {
    const links = new Map<number, number[]>()
    const link = (a: number, b: number): void => {
      const fromA = links.get(a)
      if (fromA) fromA.push(b)
      else links.set(a, [b])
      const fromB = links.get(b)
      if (fromB) fromB.push(a)
      else links.set(b, [a])
    }
    for (let j = 0; j < ny - 1; j++) {
      for (let i = 0; i < nx - 1; i++) {
        if (!inside[j * nx + i] || !inside[j * nx + i + 1] || !inside[(j + 1) * nx + i] || !inside[(j + 1) * nx + i + 1]) continue
        const bottom = 2 * (j * nx + i)
        const top = 2 * ((j + 1) * nx + i)
        const left = 2 * (j * nx + i) + 1
        const right = 2 * (j * nx + i + 1) + 1
        const code =
          (at(i, j) >= level ? 1 : 0) |
          (at(i + 1, j) >= level ? 2 : 0) |
          (at(i + 1, j + 1) >= level ? 4 : 0) |
          (at(i, j + 1) >= level ? 8 : 0)
        switch (code) {
          case 1:
          case 14:
            link(left, bottom)
            break
          case 2:
          case 13:
            link(bottom, right)
            break
          case 3:
          case 12:
            link(left, right)
            break
          case 4:
          case 11:
            link(right, top)
            break
          case 6:
          case 9:
            link(bottom, top)
            break
          case 7:
          case 8:
            link(left, top)
            break
          case 5:
          case 10: {
            const centreHigh = (at(i, j) + at(i + 1, j) + at(i + 1, j + 1) + at(i, j + 1)) / 4 >= level
            if ((code === 5) === centreHigh) {
              link(left, top)
              link(bottom, right)
            } else {
              link(left, bottom)
              link(right, top)
            }
            break
          }
          default:
            break
        }
      }
    }
    const visited = new Set<number>()
    const edges = [...links.keys()].sort((a, b) => a - b)
    const walk = (start: number): number[] => {
      const path = [start]
      visited.add(start)
      let current = start
      for (;;) {
        const next = (links.get(current) ?? []).find((edge) => !visited.has(edge))
        if (next === undefined) break
        visited.add(next)
        path.push(next)
        current = next
      }
      return path
    }
    // Open lines first (from their ends), then the closed loops left over.
    for (const pass of ['open', 'closed'] as const) {
      for (const edge of edges) {
        if (visited.has(edge)) continue
        const degree = (links.get(edge) ?? []).length
        if (pass === 'open' && degree !== 1) continue
        const path = walk(edge)
        const closed = pass === 'closed' && (links.get(path[path.length - 1] as number) ?? []).includes(edge)
        const xy = path.map((id) => crossing(id, level))
        if (closed) xy.push(xy[0] as XY)
        if (planarLength(xy) < 250) continue
        const simplified = simplify(xy, tolerance)
        const coordinates = dedupe(simplified.map((point) => projection.toLonLat(point)))
        if (coordinates.length < (closed ? 4 : 2)) continue
        lines.push({ elevation: level, coordinates })
      }
    }
  }
  return lines
}
