/**
 * Small planar and geodesic helpers. The generator works in metres on a local plane around the
 * town's origin and converts to WGS84 degrees (rounded to 6 decimals, about 0.1 m) at the end.
 */

export type XY = [number, number]
export type Position = [number, number]

/** Rounds to 6 decimals, the precision of every coordinate in the dataset. */
export function round6(value: number): number {
  const rounded = Math.round(value * 1e6) / 1e6
  return rounded === 0 ? 0 : rounded
}

export function roundTo(value: number, decimals: number): number {
  const factor = 10 ** decimals
  const rounded = Math.round(value * factor) / factor
  return rounded === 0 ? 0 : rounded
}

/**
 * Equirectangular projection around an origin: good to a few centimetres over a township
 * (±15 km), which is all the generator needs.
 */
export class LocalProjection {
  readonly metresPerDegreeLon: number
  readonly metresPerDegreeLat: number

  constructor(readonly origin: Position) {
    const phi = (origin[1] * Math.PI) / 180
    this.metresPerDegreeLat = 111132.92 - 559.82 * Math.cos(2 * phi) + 1.175 * Math.cos(4 * phi)
    this.metresPerDegreeLon = 111412.84 * Math.cos(phi) - 93.5 * Math.cos(3 * phi)
  }

  /** Local metres to rounded WGS84 degrees. */
  toLonLat([x, y]: XY): Position {
    return [round6(this.origin[0] + x / this.metresPerDegreeLon), round6(this.origin[1] + y / this.metresPerDegreeLat)]
  }

  toXY([lon, lat]: Position): XY {
    return [(lon - this.origin[0]) * this.metresPerDegreeLon, (lat - this.origin[1]) * this.metresPerDegreeLat]
  }
}

export function distance(a: XY, b: XY): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1])
}

/** Great-circle distance in metres (mean earth radius, as Turf uses). */
export function haversine(a: Position, b: Position): number {
  const toRad = Math.PI / 180
  const dLat = (b[1] - a[1]) * toRad
  const dLon = (b[0] - a[0]) * toRad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * toRad) * Math.cos(b[1] * toRad) * Math.sin(dLon / 2) ** 2
  return 2 * 6371008.8 * Math.asin(Math.min(1, Math.sqrt(h)))
}

export function lineLength(line: readonly Position[]): number {
  let total = 0
  for (let i = 1; i < line.length; i++) total += haversine(line[i - 1] as Position, line[i] as Position)
  return total
}

export function planarLength(line: readonly XY[]): number {
  let total = 0
  for (let i = 1; i < line.length; i++) total += distance(line[i - 1] as XY, line[i] as XY)
  return total
}

/** Twice the signed area of a ring (positive when counter-clockwise); closed or open rings. */
export function signedArea2(ring: readonly number[][]): number {
  let sum = 0
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i] as number[]
    const b = ring[(i + 1) % ring.length] as number[]
    sum += (a[0] as number) * (b[1] as number) - (b[0] as number) * (a[1] as number)
  }
  return sum
}

/** Closes a ring (first position repeated last) and orients it: counter-clockwise unless `clockwise`. */
export function closeRing<T extends number[]>(ring: readonly T[], clockwise = false): T[] {
  const open = ring.slice()
  const first = open[0]
  const last = open[open.length - 1]
  if (first && last && first[0] === last[0] && first[1] === last[1]) open.pop()
  const isCcw = signedArea2(open) > 0
  if (isCcw === clockwise) open.reverse()
  open.push(open[0] as T)
  return open
}

/** Drops consecutive duplicate positions (which rounding can create). */
export function dedupe<T extends number[]>(line: readonly T[]): T[] {
  const out: T[] = []
  for (const point of line) {
    const last = out[out.length - 1]
    if (!last || last[0] !== point[0] || last[1] !== point[1]) out.push(point)
  }
  return out
}

/** Even–odd point in ring test; works on open or closed rings. */
export function pointInRing(point: readonly number[], ring: readonly number[][]): boolean {
  const [x, y] = point as [number, number]
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number]
    const [xj, yj] = ring[j] as [number, number]
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

/** Point in a polygon given as rings (exterior first, then holes). */
export function pointInPolygon(point: readonly number[], polygon: readonly (readonly number[][])[]): boolean {
  const [exterior, ...holes] = polygon
  if (!exterior || !pointInRing(point, exterior)) return false
  return !holes.some((hole) => pointInRing(point, hole))
}

export function pointInMultiPolygon(point: readonly number[], polygons: readonly (readonly (readonly number[][])[])[]): boolean {
  return polygons.some((polygon) => pointInPolygon(point, polygon))
}

function orientation(a: readonly number[], b: readonly number[], c: readonly number[]): number {
  const value =
    ((b[0] as number) - (a[0] as number)) * ((c[1] as number) - (a[1] as number)) -
    ((b[1] as number) - (a[1] as number)) * ((c[0] as number) - (a[0] as number))
  return value > 0 ? 1 : value < 0 ? -1 : 0
}

function onSegment(a: readonly number[], b: readonly number[], p: readonly number[]): boolean {
  return (
    Math.min(a[0] as number, b[0] as number) <= (p[0] as number) &&
    (p[0] as number) <= Math.max(a[0] as number, b[0] as number) &&
    Math.min(a[1] as number, b[1] as number) <= (p[1] as number) &&
    (p[1] as number) <= Math.max(a[1] as number, b[1] as number)
  )
}

/** True when segments ab and cd share any point (touching counts). */
export function segmentsIntersect(a: readonly number[], b: readonly number[], c: readonly number[], d: readonly number[]): boolean {
  const o1 = orientation(a, b, c)
  const o2 = orientation(a, b, d)
  const o3 = orientation(c, d, a)
  const o4 = orientation(c, d, b)
  if (o1 !== o2 && o3 !== o4) return true
  if (o1 === 0 && onSegment(a, b, c)) return true
  if (o2 === 0 && onSegment(a, b, d)) return true
  if (o3 === 0 && onSegment(c, d, a)) return true
  if (o4 === 0 && onSegment(c, d, b)) return true
  return false
}

/** True when a segment touches a polygon (an end inside, or crossing any ring edge). */
export function segmentTouchesPolygon(a: readonly number[], b: readonly number[], polygon: readonly (readonly number[][])[]): boolean {
  if (pointInPolygon(a, polygon) || pointInPolygon(b, polygon)) return true
  for (const ring of polygon) {
    for (let i = 1; i < ring.length; i++) {
      if (segmentsIntersect(a, b, ring[i - 1] as number[], ring[i] as number[])) return true
    }
  }
  return false
}

/** Distance from point p to segment ab. */
export function distanceToSegment(p: XY, a: XY, b: XY): number {
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  const lengthSquared = dx * dx + dy * dy
  const t = lengthSquared === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / lengthSquared))
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy))
}

/** Douglas–Peucker simplification; keeps both ends. */
export function simplify(line: readonly XY[], tolerance: number): XY[] {
  if (line.length <= 2) return line.slice()
  const keep = new Uint8Array(line.length)
  keep[0] = 1
  keep[line.length - 1] = 1
  const stack: [number, number][] = [[0, line.length - 1]]
  while (stack.length > 0) {
    const [first, last] = stack.pop() as [number, number]
    let worst = -1
    let worstDistance = tolerance
    for (let i = first + 1; i < last; i++) {
      const d = distanceToSegment(line[i] as XY, line[first] as XY, line[last] as XY)
      if (d > worstDistance) {
        worst = i
        worstDistance = d
      }
    }
    if (worst < 0) continue
    keep[worst] = 1
    stack.push([first, worst], [worst, last])
  }
  return line.filter((_, i) => keep[i] === 1)
}

/**
 * Chaikin corner cutting, `rounds` times, keeping the ends and every vertex listed in `pinned`
 * (confluences) fixed so lines that meet there still meet.
 */
export function smoothLine(line: readonly XY[], rounds: number, pinned: ReadonlySet<number> = new Set()): XY[] {
  const pieces: XY[][] = []
  let start = 0
  for (let i = 1; i < line.length; i++) {
    if (i === line.length - 1 || pinned.has(i)) {
      pieces.push(chaikin(line.slice(start, i + 1), rounds))
      start = i
    }
  }
  const out: XY[] = []
  for (const piece of pieces) out.push(...(out.length === 0 ? piece : piece.slice(1)))
  return out.length > 0 ? out : line.slice()
}

function chaikin(line: XY[], rounds: number): XY[] {
  let current = line
  for (let round = 0; round < rounds && current.length > 2; round++) {
    const next: XY[] = [current[0] as XY]
    for (let i = 0; i < current.length - 1; i++) {
      const a = current[i] as XY
      const b = current[i + 1] as XY
      if (i > 0) next.push([0.75 * a[0] + 0.25 * b[0], 0.75 * a[1] + 0.25 * b[1]])
      if (i < current.length - 2) next.push([0.25 * a[0] + 0.75 * b[0], 0.25 * a[1] + 0.75 * b[1]])
    }
    next.push(current[current.length - 1] as XY)
    current = next
  }
  return current
}

/** A bucket grid over segments (in degrees) for quick "which segments might touch this one" queries. */
export class SegmentIndex {
  private readonly buckets = new Map<string, number[]>()
  readonly segments: [Position, Position][] = []

  constructor(private readonly bucket = 0.002) {}

  private keys(a: Position, b: Position): string[] {
    const keys: string[] = []
    const i0 = Math.floor(Math.min(a[0], b[0]) / this.bucket)
    const i1 = Math.floor(Math.max(a[0], b[0]) / this.bucket)
    const j0 = Math.floor(Math.min(a[1], b[1]) / this.bucket)
    const j1 = Math.floor(Math.max(a[1], b[1]) / this.bucket)
    for (let i = i0; i <= i1; i++) for (let j = j0; j <= j1; j++) keys.push(`${i},${j}`)
    return keys
  }

  addLine(line: readonly Position[]): void {
    for (let k = 1; k < line.length; k++) {
      const id = this.segments.length
      this.segments.push([line[k - 1] as Position, line[k] as Position])
      for (const key of this.keys(line[k - 1] as Position, line[k] as Position)) {
        const list = this.buckets.get(key)
        if (list) list.push(id)
        else this.buckets.set(key, [id])
      }
    }
  }

  /** True when any indexed segment intersects the line. */
  intersectsLine(line: readonly Position[]): boolean {
    for (let k = 1; k < line.length; k++) {
      const a = line[k - 1] as Position
      const b = line[k] as Position
      for (const key of this.keys(a, b)) {
        for (const id of this.buckets.get(key) ?? []) {
          const [c, d] = this.segments[id] as [Position, Position]
          if (segmentsIntersect(a, b, c, d)) return true
        }
      }
    }
    return false
  }
}

/**
 * Rasterises a ring onto a regular grid (cell centres at x0 + i·cell, y0 + j·cell) by scanlines:
 * 1 where the centre is inside. Same answer as {@link pointInRing} per centre, far faster.
 */
export function rasterizeRing(ring: readonly XY[], x0: number, y0: number, cell: number, nx: number, ny: number): Uint8Array {
  const mask = new Uint8Array(nx * ny)
  const crossings: number[] = []
  for (let j = 0; j < ny; j++) {
    const y = y0 + j * cell
    crossings.length = 0
    for (let k = 0, l = ring.length - 1; k < ring.length; l = k++) {
      const [xk, yk] = ring[k] as XY
      const [xl, yl] = ring[l] as XY
      if (yk > y !== yl > y) crossings.push(((xl - xk) * (y - yk)) / (yl - yk) + xk)
    }
    crossings.sort((a, b) => a - b)
    for (let c = 0; c + 1 < crossings.length; c += 2) {
      const from = Math.max(0, Math.ceil(((crossings[c] as number) - x0) / cell))
      const to = Math.min(nx - 1, Math.floor(((crossings[c + 1] as number) - x0) / cell))
      for (let i = from; i <= to; i++) {
        const x = x0 + i * cell
        if (x > (crossings[c] as number) && x < (crossings[c + 1] as number)) mask[j * nx + i] = 1
      }
    }
  }
  return mask
}
