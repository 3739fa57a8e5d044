import type { HazardKind, HazardScale } from '@riskatlas/shared'
import {
  closeRing,
  dedupe,
  distance,
  distanceToSegment,
  pointInRing,
  pointInPolygon,
  segmentsIntersect,
  type Position,
  type XY,
} from './geo.ts'
import { placeStem } from './names.ts'
import type { Rng } from './random.ts'
import { cellCentre } from './terrain.ts'
import type { Village, World } from './world.ts'

export interface Hazard {
  name: string
  kind: HazardKind
  scale: HazardScale
  riskLevel: number
  xy: XY
  position: Position
  /** The danger zone (危险区) outline in local metres (open ring) and as a WGS84 polygon. */
  zoneXY: XY[]
  zone: Position[][]
  /** Indices of the natural villages inside the danger zone. */
  villages: number[]
  /** Threatened households and people per threatened village (same order as `villages`). */
  householdsByVillage: number[]
  peopleByVillage: number[]
  property10kYuan: number
  mitigated: boolean
}

const suffixOf: Record<HazardKind, readonly string[]> = {
  landslide: ['滑坡', '后山滑坡', '大田滑坡'],
  collapse: ['崩塌', '岩脚崩塌', '后山崩塌'],
  debris_flow: ['泥石流沟', '大沟泥石流', '小沟泥石流'],
  flash_flood: ['山洪沟', '河段山洪', '沟口山洪'],
  waterlogging: ['内涝点'],
}

/** Keeps danger zones apart and away from villages' exact positions, so "inside" never hinges on a rounding. */
const zoneGapM = 60
const villageMarginM = 30

/**
 * Hazard points on steep slopes and in gullies above villages, each with a danger zone that
 * reaches down over the village(s) it threatens. Zones do not overlap each other, so each
 * natural village is threatened by at most one hazard point.
 */
export function placeHazards(rng: Rng, world: World, target: number): Hazard[] {
  const { villages } = world
  const hazards: Hazard[] = []
  const taken = new Set<number>()
  const order = rng.shuffle(villages.map((_, index) => index))
  const plan: HazardKind[] = []
  for (let k = 0; k < target * 3; k++) {
    plan.push(
      rng.weighted<HazardKind>([
        ['landslide', 0.42],
        ['collapse', 0.14],
        ['debris_flow', 0.24],
        ['flash_flood', 0.2],
      ]),
    )
  }
  let planIndex = 0
  for (let round = 0; round < 3 && hazards.length < target; round++) {
    for (const villageIndex of order) {
      if (hazards.length >= target) break
      if (taken.has(villageIndex)) continue
      const village = villages[villageIndex] as Village
      const kind = plan[planIndex % plan.length] as HazardKind
      const attempt = round === 0 ? kind : rng.pick<HazardKind>(['landslide', 'debris_flow', 'flash_flood', 'collapse'])
      const source = findSource(rng, world, village, attempt)
      if (!source) continue
      const zoneXY = zoneOutline(rng, source, village.site.xy, attempt, world)
      const hazard = validate(world, hazards, zoneXY, source, villageIndex)
      if (!hazard) continue
      planIndex++
      const threatened = hazard.villages
      const householdsByVillage = threatened.map((index) => {
        const v = villages[index] as Village
        return v.population < 160 ? v.households : Math.max(3, Math.round(v.households * rng.range(0.25, 0.8)))
      })
      const peopleByVillage = threatened.map((index, k) => {
        const v = villages[index] as Village
        return Math.min(v.population, Math.round(((householdsByVillage[k] as number) * v.population) / v.households))
      })
      const people = peopleByVillage.reduce((sum, value) => sum + value, 0)
      const scale: HazardScale = people > 400 && attempt !== 'collapse' ? 'large' : people > 120 || rng.chance(0.2) ? 'medium' : 'small'
      const riskLevel = Math.min(
        4,
        Math.max(1, (people >= 300 ? 4 : people >= 100 ? 3 : people >= 30 ? 2 : 1) + (rng.chance(0.2) ? -1 : 0)),
      )
      const stem = placeStem(village.name)
      hazards.push({
        name: world.names.derived(stem, suffixOf[attempt]),
        kind: attempt,
        scale,
        riskLevel,
        xy: source,
        position: world.projection.toLonLat(source),
        zoneXY,
        zone: hazard.zone,
        villages: threatened,
        householdsByVillage,
        peopleByVillage,
        property10kYuan: Math.round(people * rng.range(2.5, 6.5) * 10) / 10,
        mitigated: false,
      })
      for (const index of threatened) taken.add(index)
    }
  }
  return hazards
}

/** Where the hazard starts: a steep slope or a gully above the village, or the river beside it. */
function findSource(rng: Rng, world: World, village: Village, kind: HazardKind): XY | null {
  const { grid, channel } = world
  const home = village.site
  const candidates: { xy: XY; score: number }[] = []
  const reach = kind === 'debris_flow' ? 1400 : kind === 'flash_flood' ? 450 : 650
  const radius = Math.ceil(reach / grid.cell)
  const ci = home.cell % grid.size
  const cj = Math.floor(home.cell / grid.size)
  for (let dj = -radius; dj <= radius; dj++) {
    for (let di = -radius; di <= radius; di++) {
      const i = ci + di
      const j = cj + dj
      if (i < 0 || j < 0 || i >= grid.size || j >= grid.size) continue
      const index = j * grid.size + i
      if (!world.inside[index]) continue
      const xy = cellCentre(grid, index)
      const d = distance(xy, home.xy)
      const rise = (grid.elevation[index] as number) - home.elevation
      const slope = grid.slope[index] as number
      const catchment = ((grid.accumulation[index] as number) * grid.cell * grid.cell) / 1e6
      if (kind === 'landslide' && d > 180 && d < reach && slope > 22 && rise > 25) candidates.push({ xy, score: slope + rng.range(0, 8) })
      if (kind === 'collapse' && d > 150 && d < reach && slope > 30 && rise > 30) candidates.push({ xy, score: slope + rng.range(0, 5) })
      if (kind === 'debris_flow' && d > 450 && d < reach && channel[index] === 1 && rise > 80 && catchment < 5)
        candidates.push({ xy, score: rise / 10 + rng.range(0, 10) })
      if (kind === 'flash_flood' && d > 100 && d < reach && channel[index] === 2) candidates.push({ xy, score: -d + rng.range(0, 100) })
    }
  }
  candidates.sort((a, b) => b.score - a.score || a.xy[0] - b.xy[0] || a.xy[1] - b.xy[1])
  return candidates[0]?.xy ?? null
}

/** A lobed ellipse from the source down over the village (and a little beyond it). */
function zoneOutline(rng: Rng, source: XY, target: XY, kind: HazardKind, world: World): XY[] {
  const dx = target[0] - source[0]
  const dy = target[1] - source[1]
  const length = Math.hypot(dx, dy)
  const ux = dx / length
  const uy = dy / length
  let centre: XY
  let semiMajor: number
  let semiMinor: number
  let angle: number
  if (kind === 'flash_flood') {
    // Along the river, wide enough to reach the village on its bank.
    const along = riverDirection(world, source)
    centre = [source[0] + dx * 0.45, source[1] + dy * 0.45]
    semiMajor = rng.range(420, 700)
    const offset = Math.abs(-along[1] * (target[0] - centre[0]) + along[0] * (target[1] - centre[1]))
    semiMinor = Math.max(offset + rng.range(110, 170), 150)
    angle = Math.atan2(along[1], along[0])
  } else {
    const beyond = kind === 'debris_flow' ? rng.range(150, 260) : rng.range(90, 160)
    const far: XY = [target[0] + ux * beyond, target[1] + uy * beyond]
    const near: XY = [source[0] - ux * 60, source[1] - uy * 60]
    centre = [(near[0] + far[0]) / 2, (near[1] + far[1]) / 2]
    semiMajor = distance(near, far) / 2
    semiMinor = kind === 'debris_flow' ? rng.range(150, 240) : kind === 'collapse' ? rng.range(110, 170) : rng.range(150, 260)
    angle = Math.atan2(uy, ux)
  }
  const phase1 = rng.range(0, 2 * Math.PI)
  const phase2 = rng.range(0, 2 * Math.PI)
  const points: XY[] = []
  const vertices = 40
  for (let k = 0; k < vertices; k++) {
    const t = (2 * Math.PI * k) / vertices
    const wobble = 1 + 0.08 * Math.sin(3 * t + phase1) + 0.05 * Math.sin(5 * t + phase2)
    const ex = semiMajor * Math.cos(t) * wobble
    const ey = semiMinor * Math.sin(t) * wobble
    points.push([centre[0] + ex * Math.cos(angle) - ey * Math.sin(angle), centre[1] + ex * Math.sin(angle) + ey * Math.cos(angle)])
  }
  return points
}

function riverDirection(world: World, near: XY): XY {
  let best: XY = [1, 0]
  let bestDistance = Infinity
  for (const river of world.rivers) {
    if (river.class === 'stream') continue
    const cells = river.trace.cells
    for (let k = 1; k < cells.length; k++) {
      const a = cellCentre(world.grid, cells[k - 1] as number)
      const b = cellCentre(world.grid, cells[Math.min(cells.length - 1, k + 2)] as number)
      const d = distance(a, near)
      if (d < bestDistance && distance(a, b) > 0) {
        bestDistance = d
        best = [(b[0] - a[0]) / distance(a, b), (b[1] - a[1]) / distance(a, b)]
      }
    }
  }
  return best
}

/**
 * Accepts a zone when it lies inside the town, keeps its distance from other zones, contains its
 * own village and the source, holds at most three villages, and no village sits near its edge.
 */
function validate(
  world: World,
  hazards: readonly Hazard[],
  zoneXY: XY[],
  source: XY,
  villageIndex: number,
): { zone: Position[][]; villages: number[] } | null {
  const outline = world.town.outline
  if (zoneXY.some((point) => !pointInRing(point, outline))) return null
  if (!pointInRing(source, zoneXY)) return null
  for (const other of hazards) {
    if (polygonsNear(zoneXY, other.zoneXY, zoneGapM)) return null
  }
  const zone = [closeRing(dedupe(zoneXY.map((point) => world.projection.toLonLat(point))))]
  const inside: number[] = []
  for (const [index, village] of world.villages.entries()) {
    if (distance(village.site.xy, source) > 3000) continue
    const edgeDistance = ringDistance(village.site.xy, zoneXY)
    if (edgeDistance < villageMarginM) return null
    if (pointInPolygon(village.position, zone)) inside.push(index)
  }
  if (!inside.includes(villageIndex) || inside.length > 3) return null
  return { zone, villages: inside }
}

function ringDistance(point: XY, ring: readonly XY[]): number {
  let best = Infinity
  for (let k = 0; k < ring.length; k++) best = Math.min(best, distanceToSegment(point, ring[k] as XY, ring[(k + 1) % ring.length] as XY))
  return best
}

/** True when two rings overlap or come within `gap` metres of each other. */
export function polygonsNear(a: readonly XY[], b: readonly XY[], gap: number): boolean {
  if (pointInRing(a[0] as XY, b) || pointInRing(b[0] as XY, a)) return true
  for (let i = 0; i < a.length; i++) {
    const a0 = a[i] as XY
    const a1 = a[(i + 1) % a.length] as XY
    for (let j = 0; j < b.length; j++) {
      const b0 = b[j] as XY
      const b1 = b[(j + 1) % b.length] as XY
      if (segmentsIntersect(a0, a1, b0, b1)) return true
      if (distanceToSegment(a0, b0, b1) < gap || distanceToSegment(b0, a0, a1) < gap) return true
    }
  }
  return false
}
