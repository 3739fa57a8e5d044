import type { Geometry, Position } from 'geojson'

export type Bbox = [minLon: number, minLat: number, maxLon: number, maxLat: number]

export interface InsetProjection {
  width: number
  height: number
  /** lon/lat → SVG user units, north up, metres the same on both axes. */
  project: (position: Position) => [number, number]
  /** Ground metres per SVG unit, for the scale bar. */
  metresPerUnit: number
}

const metresPerDegreeLat = 110_574

/**
 * A local equirectangular projection of a small area into a `width`×`height` box: longitude is
 * shrunk by cos(latitude) so shapes keep their proportions, the bbox is centred and fitted.
 * Good to a few metres over a village's few kilometres — all a printed card needs.
 */
export function insetProjection(bbox: Bbox, width: number, height: number): InsetProjection {
  const [minLon, minLat, maxLon, maxLat] = bbox
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180)
  const spanX = Math.max((maxLon - minLon) * kx, 1e-9)
  const spanY = Math.max(maxLat - minLat, 1e-9)
  const scale = Math.min(width / spanX, height / spanY)
  const offsetX = (width - spanX * scale) / 2
  const offsetY = (height - spanY * scale) / 2
  return {
    width,
    height,
    project: ([lon = 0, lat = 0]) => [offsetX + (lon - minLon) * kx * scale, offsetY + (maxLat - lat) * scale],
    metresPerUnit: metresPerDegreeLat / scale,
  }
}

const round = (n: number) => Math.round(n * 10) / 10

function ring(positions: Position[], project: InsetProjection['project'], close: boolean): string {
  if (positions.length === 0) return ''
  const points = positions.map((position) => project(position).map(round).join(' '))
  return `M${points.join('L')}${close ? 'Z' : ''}`
}

/** An SVG path `d` for a line or polygon geometry (points give nothing: they are drawn as symbols). */
export function svgPath(geometry: Geometry | null | undefined, projection: InsetProjection): string {
  if (!geometry) return ''
  const { project } = projection
  switch (geometry.type) {
    case 'LineString':
      return ring(geometry.coordinates, project, false)
    case 'MultiLineString':
      return geometry.coordinates.map((line) => ring(line, project, false)).join('')
    case 'Polygon':
      return geometry.coordinates.map((line) => ring(line, project, true)).join('')
    case 'MultiPolygon':
      return geometry.coordinates.flatMap((polygon) => polygon.map((line) => ring(line, project, true))).join('')
    case 'GeometryCollection':
      return geometry.geometries.map((part) => svgPath(part, projection)).join('')
    default:
      return ''
  }
}

/** A round scale-bar length (50, 100, 200, 500 m, 1 km …) about a quarter of the inset's width. */
export function scaleBar(projection: InsetProjection): { metres: number; units: number } {
  const target = (projection.width / 4) * projection.metresPerUnit
  const steps = [50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000]
  const metres = steps.reduce((best, step) => (Math.abs(step - target) < Math.abs(best - target) ? step : best), steps[0]!)
  return { metres, units: metres / projection.metresPerUnit }
}

/** A rectangle in SVG units, `x`/`y` its top-left corner. */
export interface Box {
  x: number
  y: number
  width: number
  height: number
}

/** Rings (outer and holes) of the polygons of a geometry, projected into SVG units. */
export function projectedRings(geometry: Geometry | null | undefined, projection: InsetProjection): [number, number][][] {
  if (!geometry) return []
  switch (geometry.type) {
    case 'Polygon':
      return geometry.coordinates.map((ring) => ring.map(projection.project))
    case 'MultiPolygon':
      return geometry.coordinates.flatMap((polygon) => polygon.map((ring) => ring.map(projection.project)))
    case 'GeometryCollection':
      return geometry.geometries.flatMap((part) => projectedRings(part, projection))
    default:
      return []
  }
}

/** Even-odd point in polygon over all rings (holes count as outside). */
export function insideRings([x, y]: [number, number], rings: readonly [number, number][][]): boolean {
  let inside = false
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!
      const [xj, yj] = ring[j]!
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside
    }
  }
  return inside
}

function segmentsCross(a: [number, number], b: [number, number], c: [number, number], d: [number, number]): boolean {
  const cross = (p: [number, number], q: [number, number], r: [number, number]) =>
    (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
  const d1 = cross(c, d, a)
  const d2 = cross(c, d, b)
  const d3 = cross(a, b, c)
  const d4 = cross(a, b, d)
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))
}

/** True when a box and the polygons share any area: a corner inside, a vertex inside the box, or crossing edges. */
export function boxTouchesRings(box: Box, rings: readonly [number, number][][]): boolean {
  const corners: [number, number][] = [
    [box.x, box.y],
    [box.x + box.width, box.y],
    [box.x + box.width, box.y + box.height],
    [box.x, box.y + box.height],
  ]
  if (corners.some((corner) => insideRings(corner, rings))) return true
  if (insideRings([box.x + box.width / 2, box.y + box.height / 2], rings)) return true
  for (const ring of rings) {
    for (let i = 0; i < ring.length - 1; i++) {
      const [x, y] = ring[i]!
      if (x > box.x && x < box.x + box.width && y > box.y && y < box.y + box.height) return true
      for (let k = 0; k < 4; k++) if (segmentsCross(ring[i]!, ring[i + 1]!, corners[k]!, corners[(k + 1) % 4]!)) return true
    }
  }
  return false
}

const boxesOverlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

/** The width of a label in SVG units: CJK characters one em wide, others about 0.6 em. */
export function labelWidth(text: string, fontSize: number): number {
  let ems = 0
  for (const character of text) ems += /[\u2e80-\u9fff\uff00-\uffef]/.test(character) ? 1 : 0.6
  return ems * fontSize
}

export interface PlacedLabel {
  /** Where the text is drawn: `x` is its start (`text-anchor: start`), `y` the first line's baseline. */
  x: number
  y: number
  /** One line, or two when one would not fit beside the symbol. */
  lines: string[]
  lineHeight: number
  box: Box
  /** False when every place around the symbol was taken or in a danger zone (the least bad one is used). */
  clear: boolean
}

/** Two lines for a long name: before its 避险安置点/安置点 suffix when it has one, else in the middle. */
export function splitLabel(text: string): [string, string] {
  const characters = [...text]
  const suffix = /(避险安置点|安置点|避险点)$/.exec(text)
  const at = suffix && suffix.index > 0 ? [...text.slice(0, suffix.index)].length : Math.ceil(characters.length / 2)
  return [characters.slice(0, at).join(''), characters.slice(at).join('')]
}

/** Places around a symbol for a box of a size: beside, above, below, the diagonals, then slid along the top and bottom. */
function candidateBoxes([sx, sy]: [number, number], width: number, height: number, g: number): Box[] {
  const beside: Box[] = [
    { x: sx + g, y: sy - height / 2, width, height },
    { x: sx - g - width, y: sy - height / 2, width, height },
    { x: sx - width / 2, y: sy - g - height, width, height },
    { x: sx - width / 2, y: sy + g, width, height },
    { x: sx + g * 0.7, y: sy - g * 0.7 - height, width, height },
    { x: sx - g * 0.7 - width, y: sy - g * 0.7 - height, width, height },
    { x: sx + g * 0.7, y: sy + g * 0.7, width, height },
    { x: sx - g * 0.7 - width, y: sy + g * 0.7, width, height },
  ]
  const slid = [0.15, 0.3, 0.7, 0.85].flatMap((share) => [
    { x: sx - width * share, y: sy - g - height, width, height },
    { x: sx - width * share, y: sy + g, width, height },
  ])
  return [...beside, ...slid]
}

/**
 * Places a label beside its symbol: right, left, above, below, the diagonals, slid along the top
 * and bottom — the first place that stays inside the frame, off every danger zone and off the
 * labels already placed; a long name that fits nowhere on one line is tried on two. When none is
 * clear, a place off every danger zone (else the first inside the frame) wins.
 */
export function placeLabel(
  symbol: [number, number],
  text: string,
  options: {
    fontSize: number
    gap: number
    frame: { width: number; height: number }
    avoid: readonly [number, number][][]
    taken: readonly Box[]
  },
): PlacedLabel {
  const lineHeight = options.fontSize * 1.2
  const layouts: string[][] = [[text]]
  if ([...text].length >= 5) layouts.push(splitLabel(text))
  const inFrame = (box: Box) =>
    box.x >= 0 && box.y >= 0 && box.x + box.width <= options.frame.width && box.y + box.height <= options.frame.height
  const offZones = (box: Box) => !boxTouchesRings(box, options.avoid)
  const free = (box: Box) => !options.taken.some((other) => boxesOverlap(box, other))
  const tried = layouts.map((lines) => {
    const width = Math.max(...lines.map((line) => labelWidth(line, options.fontSize)))
    return { lines, boxes: candidateBoxes(symbol, width, lineHeight * lines.length, options.gap) }
  })
  const first = (test: (box: Box) => boolean) => {
    for (const { lines, boxes } of tried) {
      const box = boxes.find(test)
      if (box) return { lines, box }
    }
    return undefined
  }
  const pick = first((box) => inFrame(box) && offZones(box) && free(box)) ??
    first((box) => inFrame(box) && offZones(box)) ??
    first(inFrame) ?? { lines: tried[0]!.lines, box: tried[0]!.boxes[0]! }
  const clear = inFrame(pick.box) && offZones(pick.box) && free(pick.box)
  // The baseline sits about a fifth of a line above the line's bottom.
  return { x: pick.box.x, y: pick.box.y + lineHeight * 0.8, lines: pick.lines, lineHeight, box: pick.box, clear }
}
