import { Delaunay } from 'd3-delaunay'
import polygonClipping from 'polygon-clipping'
import { createNoise2D } from 'simplex-noise'
import { distance, rasterizeRing, signedArea2, type XY } from './geo.ts'
import type { Rng } from './random.ts'
import { cellCentre, type TerrainGrid } from './terrain.ts'

/** The largest distance of the town boundary from its origin; towns whose origins are farther apart than twice this never overlap. */
export const townMaxRadiusM = 12_000

/**
 * The town boundary: a lobed outline around the origin, stretched along the main valley
 * (townships in these mountains are strung along their valley), scaled to the drawn area.
 */
export function townOutline(rng: Rng, valleyAngle: number, areaKm2: number): XY[] {
  const noise = createNoise2D(rng.next)
  const vertices = 180
  const unit: XY[] = []
  for (let k = 0; k < vertices; k++) {
    const theta = (2 * Math.PI * k) / vertices
    const c = Math.cos(theta)
    const s = Math.sin(theta)
    const radius = 1 + 0.17 * noise(c * 1.1, s * 1.1) + 0.07 * noise(c * 3.2 + 5, s * 3.2 - 5) + 0.02 * noise(c * 9 - 3, s * 9 + 3)
    const along = radius * c * 1.14
    const across = radius * s * 0.88
    unit.push([
      along * Math.cos(valleyAngle) - across * Math.sin(valleyAngle),
      along * Math.sin(valleyAngle) + across * Math.cos(valleyAngle),
    ])
  }
  const unitArea = Math.abs(signedArea2(unit)) / 2
  const reach = Math.max(...unit.map(([x, y]) => Math.hypot(x, y)))
  // Keep within the guaranteed extent, at the cost of a slightly smaller town in rare cases.
  const scale = Math.min(Math.sqrt((areaKm2 * 1e6) / unitArea), (townMaxRadiusM - 200) / reach)
  return unit.map(([x, y]) => [x * scale, y * scale])
}

/** Cells whose centre lies inside the outline. */
export function insideMask(grid: TerrainGrid, outline: readonly XY[]): Uint8Array {
  return rasterizeRing(outline, grid.originXY[0], grid.originXY[1], grid.cell, grid.size, grid.size)
}

export interface VillageSite {
  cell: number
  xy: XY
  elevation: number
  slope: number
  /** Distance to the nearest main river or tributary, metres. */
  riverDistance: number
  /** Valley floor (within 700 m of a main river or tributary and gently sloping). */
  valley: boolean
}

/**
 * Sites of the natural villages: mostly on valley floors and terraces near rivers, some up on
 * the slopes, never in a channel or right at the town boundary, spaced like real hamlets.
 */
export function siteVillages(
  rng: Rng,
  grid: TerrainGrid,
  inside: Uint8Array,
  boundaryDistance: Float64Array,
  riverDistance: Float64Array,
  streamDistance: Float64Array,
  target: number,
): VillageSite[] {
  let minElevation = Infinity
  let maxElevation = -Infinity
  for (let index = 0; index < inside.length; index++) {
    if (!inside[index]) continue
    minElevation = Math.min(minElevation, grid.elevation[index] as number)
    maxElevation = Math.max(maxElevation, grid.elevation[index] as number)
  }
  const candidates: number[] = []
  const suitability = new Float64Array(inside.length)
  for (let index = 0; index < inside.length; index++) {
    if (!inside[index] || (boundaryDistance[index] as number) < 450) continue
    const slope = grid.slope[index] as number
    const river = riverDistance[index] as number
    if (slope > 30 || river < 110 || (streamDistance[index] as number) < 70) continue
    const height = ((grid.elevation[index] as number) - minElevation) / (maxElevation - minElevation)
    const flatness = slope < 6 ? 1 : slope < 15 ? 0.75 : slope < 22 ? 0.45 : 0.22
    const nearRiver = river < 700 ? 1 : river < 1800 ? 0.6 : 0.35
    const lowland = height < 0.25 ? 1 : height < 0.5 ? 0.6 : height < 0.7 ? 0.3 : 0.08
    suitability[index] = flatness * nearRiver * lowland
    candidates.push(index)
  }
  const sites: VillageSite[] = []
  const spacingGrid = new Map<string, VillageSite[]>()
  const bucket = 1000
  const tooClose = (xy: XY, spacing: number): boolean => {
    const bi = Math.floor(xy[0] / bucket)
    const bj = Math.floor(xy[1] / bucket)
    for (let di = -1; di <= 1; di++) {
      for (let dj = -1; dj <= 1; dj++) {
        for (const other of spacingGrid.get(`${bi + di},${bj + dj}`) ?? []) if (distance(other.xy, xy) < spacing) return true
      }
    }
    return false
  }
  const order = rng.shuffle(candidates)
  for (let pass = 0; pass < 4 && sites.length < target; pass++) {
    const relax = 1 - pass * 0.15
    for (const index of order) {
      if (sites.length >= target) break
      const xy = cellCentre(grid, index)
      const river = riverDistance[index] as number
      const slope = grid.slope[index] as number
      const valley = river < 700 && slope < 15
      if (!rng.chance((suitability[index] as number) * (pass === 0 ? 0.6 : 1))) continue
      if (tooClose(xy, (valley ? 620 : 820) * relax)) continue
      const site: VillageSite = { cell: index, xy, elevation: grid.elevation[index] as number, slope, riverDistance: river, valley }
      sites.push(site)
      const key = `${Math.floor(xy[0] / bucket)},${Math.floor(xy[1] / bucket)}`
      spacingGrid.set(key, [...(spacingGrid.get(key) ?? []), site])
    }
  }
  return sites
}

/**
 * Groups village sites into administrative villages (k-means, seeded by farthest points so the
 * result does not depend on luck) and returns the cluster centres.
 */
export function clusterSites(sites: readonly VillageSite[], clusters: number, first: number): XY[] {
  const centres: XY[] = [(sites[first] as VillageSite).xy]
  while (centres.length < clusters) {
    let best = 0
    let bestDistance = -1
    sites.forEach((site, index) => {
      const nearest = Math.min(...centres.map((centre) => distance(centre, site.xy)))
      if (nearest > bestDistance) {
        bestDistance = nearest
        best = index
      }
    })
    centres.push((sites[best] as VillageSite).xy)
  }
  for (let iteration = 0; iteration < 30; iteration++) {
    const sums = centres.map(() => [0, 0, 0] as [number, number, number])
    for (const site of sites) {
      const nearest = nearestIndex(centres, site.xy)
      const sum = sums[nearest] as [number, number, number]
      sum[0] += site.xy[0]
      sum[1] += site.xy[1]
      sum[2] += 1
    }
    sums.forEach(([sx, sy, n], k) => {
      if (n > 0) centres[k] = [sx / n, sy / n]
    })
  }
  return centres
}

export function nearestIndex(points: readonly XY[], xy: XY): number {
  let best = 0
  let bestDistance = Infinity
  points.forEach((point, index) => {
    const d = distance(point, xy)
    if (d < bestDistance) {
      bestDistance = d
      best = index
    }
  })
  return best
}

/**
 * Voronoi cells of the centres clipped to the town outline: polygons that tile the town
 * exactly (neighbours share their edges). Each result is a multipolygon in local metres.
 */
export function tileTown(outline: readonly XY[], centres: readonly XY[]): polygonClipping.MultiPolygon[] {
  const extent = 4 * Math.max(...outline.map(([x, y]) => Math.hypot(x, y)))
  const voronoi = Delaunay.from(centres.map(([x, y]) => [x, y] as [number, number])).voronoi([-extent, -extent, extent, extent])
  const town: polygonClipping.Polygon = [
    [...outline.map(([x, y]) => [x, y] as polygonClipping.Pair), [outline[0]?.[0] ?? 0, outline[0]?.[1] ?? 0]],
  ]
  return centres.map((_, index) => {
    const cell = voronoi.cellPolygon(index)
    return polygonClipping.intersection(town, [cell.map(([x, y]) => [x, y] as polygonClipping.Pair)])
  })
}
