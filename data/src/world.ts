import { closeRing, dedupe, distance, LocalProjection, pointInMultiPolygon, simplify, smoothLine, type Position, type XY } from './geo.ts'
import { distanceFrom, extractRivers, type RiverTrace } from './hydrology.ts'
import { clusterSites, insideMask, nearestIndex, siteVillages, tileTown, townMaxRadiusM, townOutline, type VillageSite } from './layout.ts'
import { mainRiverNames, PlaceNames, placeStem } from './names.ts'
import type { Rng } from './random.ts'
import { buildRoads, type RoadNetwork } from './roads.ts'
import { buildGrid, cellCentre, type Terrain, type TerrainGrid, createTerrain } from './terrain.ts'
import type { RiverClass } from '@riskatlas/shared'

/** The physical town and its settlements, in local metres and in WGS84: what every later layer is placed on. */
export interface World {
  projection: LocalProjection
  terrain: Terrain
  grid: TerrainGrid
  inside: Uint8Array
  /** 2 on main river and tributary cells, 1 on stream cells. */
  channel: Uint8Array
  /** Metres to the nearest main river or tributary cell. */
  riverDistance: Float64Array
  town: { code: string; name: string; outline: XY[]; polygon: Position[][][] }
  admins: AdminVillage[]
  villages: Village[]
  rivers: River[]
  roads: RoadNetwork
  names: PlaceNames
}

export interface AdminVillage {
  code: string
  name: string
  /** A 社区 (residents' committee) at the town seat, otherwise a 村委会. */
  community: boolean
  polygon: Position[][][]
  /** Index in `villages` of its 村委会驻地. */
  centre: number
}

export interface Village {
  code: string
  name: string
  admin: number
  site: VillageSite
  position: Position
  population: number
  households: number
  seat: boolean
  adminCentre: boolean
}

export interface River {
  name: string
  class: RiverClass
  trace: RiverTrace
  coordinates: Position[]
}

export const gridHalfExtentM = townMaxRadiusM + 600
export const gridCellM = 60

function toMultiPolygon(projection: LocalProjection, polygons: readonly (readonly (readonly [number, number])[][])[]): Position[][][] {
  return polygons
    .map((polygon) =>
      polygon
        .map((ring, k) => closeRing(dedupe(ring.map(([x, y]) => projection.toLonLat([x, y]))), k > 0))
        .filter((ring) => ring.length >= 4),
    )
    .filter((polygon) => polygon.length > 0)
}

export function buildWorld(rng: Rng, origin: Position, codePrefix: string, nameSuffix: string): World {
  const projection = new LocalProjection(origin)
  const terrain = createTerrain(rng.fork('terrain'))
  const grid = buildGrid(terrain, gridHalfExtentM, gridCellM)
  const outline = townOutline(rng.fork('outline'), terrain.valleyAngle, rng.fork('area').range(170, 215))
  const inside = insideMask(grid, outline)
  const traces = extractRivers(grid, inside)
  const count = grid.size * grid.size
  const channel = new Uint8Array(count)
  const riverCells = new Uint8Array(count)
  const streamCells = new Uint8Array(count)
  for (const trace of traces) {
    for (const cell of trace.cells) {
      const major = trace.class !== 'stream'
      channel[cell] = Math.max(channel[cell] as number, major ? 2 : 1)
      if (major) riverCells[cell] = 1
      else streamCells[cell] = 1
    }
  }
  const outside = new Uint8Array(count)
  for (let index = 0; index < count; index++) outside[index] = inside[index] ? 0 : 1
  const boundaryDistance = distanceFrom(grid.size, grid.cell, outside)
  const riverDistance = distanceFrom(grid.size, grid.cell, riverCells)
  const streamDistance = distanceFrom(grid.size, grid.cell, streamCells)

  const siteRng = rng.fork('villages')
  const sites = siteVillages(siteRng, grid, inside, boundaryDistance, riverDistance, streamDistance, siteRng.int(100, 128))
  const seatIndex = nearestIndex(
    sites.map((site) => (site.valley && site.slope < 12 ? site.xy : ([1e9, 1e9] as XY))),
    [0, 0],
  )

  // Administrative villages: clusters of natural villages, tiled by clipped Voronoi cells.
  const adminRng = rng.fork('admin')
  const centres = clusterSites(sites, adminRng.int(10, 14), seatIndex)
  const along = (xy: XY): number => xy[0] * Math.cos(terrain.valleyAngle) + xy[1] * Math.sin(terrain.valleyAngle)
  const centreOrder = centres.map((_, k) => k)
  const seatCluster = nearestIndex(centres, (sites[seatIndex] as VillageSite).xy)
  centreOrder.sort((a, b) => (a === seatCluster ? -1 : b === seatCluster ? 1 : along(centres[a] as XY) - along(centres[b] as XY)))
  const orderedCentres = centreOrder.map((k) => centres[k] as XY)
  const cells = tileTown(outline, orderedCentres)
  const adminPolygons = cells.map((cell) => toMultiPolygon(projection, cell))
  const townPolygon = toMultiPolygon(projection, [[outline.map(([x, y]) => [x, y] as [number, number])]])

  const siteAdmin = sites.map((site) => {
    const position = projection.toLonLat(site.xy)
    const found = adminPolygons.findIndex((polygon) => pointInMultiPolygon(position, polygon))
    return found >= 0 ? found : nearestIndex(orderedCentres, site.xy)
  })

  const names = new PlaceNames(rng.fork('names'))
  const townName = `云岭${nameSuffix}镇`
  const villageNames = sites.map(() => names.naturalVillage())
  const adminCentres = orderedCentres.map((centre, adminIndex) => {
    if (adminIndex === 0) return seatIndex
    let best = -1
    let bestScore = Infinity
    sites.forEach((site, index) => {
      if (siteAdmin[index] !== adminIndex) return
      const score = distance(site.xy, centre) - (site.valley ? 400 : 0) + site.slope * 10
      if (score < bestScore) {
        bestScore = score
        best = index
      }
    })
    return best
  })

  // Populations: about 25,000 people, the seat and the committee villages larger.
  const popRng = rng.fork('population')
  const total = popRng.int(24600, 25400)
  const seatPopulation = popRng.int(1500, 1900)
  const weights = sites.map((site, index) => {
    if (index === seatIndex) return 0
    const base = adminCentres.includes(index) ? 2.2 : site.valley ? 1.3 : 0.75
    return base * Math.exp(0.45 * popRng.normal())
  })
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0)
  const populations = weights.map((weight, index) =>
    index === seatIndex ? seatPopulation : Math.max(28, Math.round((weight / weightSum) * (total - seatPopulation))),
  )
  const largest = populations.indexOf(Math.max(...populations.filter((_, index) => index !== seatIndex)))
  populations[largest] = (populations[largest] as number) + total - populations.reduce((sum, value) => sum + value, 0)

  // Codes: the community at the seat is 001, village committees 201… in order along the valley.
  const admins: AdminVillage[] = orderedCentres.map((_, adminIndex) => {
    const centreName = villageNames[adminCentres[adminIndex] as number] as string
    const community = adminIndex === 0
    const name = community ? `${centreName}社区` : centreName.endsWith('村') ? centreName : `${centreName}村`
    names.reserve(name)
    return {
      code: `${codePrefix}${community ? '001' : String(200 + adminIndex).padStart(3, '0')}`,
      name,
      community,
      polygon: adminPolygons[adminIndex] as Position[][][],
      centre: adminCentres[adminIndex] as number,
    }
  })
  const villageOrder = sites
    .map((_, index) => index)
    .sort((a, b) => {
      const adminA = siteAdmin[a] as number
      const adminB = siteAdmin[b] as number
      if (adminA !== adminB) return adminA - adminB
      const centre = (sites[adminCentres[adminA] as number] as VillageSite).xy
      return distance((sites[a] as VillageSite).xy, centre) - distance((sites[b] as VillageSite).xy, centre) || a - b
    })
  const serial = new Map<number, number>()
  const villages: Village[] = villageOrder.map((index) => {
    const site = sites[index] as VillageSite
    const adminIndex = siteAdmin[index] as number
    const number = (serial.get(adminIndex) ?? 0) + 1
    serial.set(adminIndex, number)
    const population = populations[index] as number
    return {
      code: `${(admins[adminIndex] as AdminVillage).code}${String(number).padStart(3, '0')}`,
      name: villageNames[index] as string,
      admin: adminIndex,
      site,
      position: projection.toLonLat(site.xy),
      population,
      households: Math.max(6, Math.round(population / popRng.range(3.3, 4.1))),
      seat: index === seatIndex,
      adminCentre: adminCentres.includes(index),
    }
  })
  for (const admin of admins) admin.centre = villageOrder.indexOf(admin.centre)

  const rivers = nameRivers(rng.fork('rivers'), projection, grid, traces, villages, names)
  const mainRiver = rivers.find((river) => river.class === 'main') as River
  const roads = buildRoads(
    rng.fork('roads'),
    grid,
    inside,
    channel,
    mainRiver.trace.cells,
    villages.map((village) => ({
      cell: village.site.cell,
      name: village.name,
      population: village.population,
      adminCentre: village.adminCentre,
      seat: village.seat,
    })),
    projection,
    {
      county: `县道X${rng.fork('road-number').int(201, 289)}`,
      township: (village) => `${(villages.find((v) => v.seat) as Village).name}至${village.name}公路`,
      village: (village) => `${village.name}进村路`,
    },
    rivers.filter((river) => river.class !== 'stream').map((river) => river.coordinates),
  )
  return {
    projection,
    terrain,
    grid,
    inside,
    channel,
    riverDistance,
    town: { code: `${codePrefix}000`, name: townName, outline, polygon: townPolygon },
    admins,
    villages,
    rivers,
    roads,
    names,
  }
}

/** Names rivers after the village nearest their source: 龙潭河 (tributary), 龙潭箐 / 龙潭沟 (stream). */
function nameRivers(
  rng: Rng,
  projection: LocalProjection,
  grid: TerrainGrid,
  traces: RiverTrace[],
  villages: Village[],
  names: PlaceNames,
): River[] {
  const mainName = rng.pick(mainRiverNames)
  names.reserve(mainName)
  const confluences = new Map<number, Set<number>>()
  traces.forEach((trace) => {
    if (trace.parent < 0) return
    const parent = traces[trace.parent] as RiverTrace
    const mouth = trace.cells[trace.cells.length - 1] as number
    const at = parent.cells.indexOf(mouth)
    if (!confluences.has(trace.parent)) confluences.set(trace.parent, new Set())
    confluences.get(trace.parent)?.add(at)
  })
  return traces.map((trace, index) => {
    const xy = trace.cells.map((cell) => cellCentre(grid, cell))
    const pinned = confluences.get(index) ?? new Set<number>()
    const coordinates = dedupe(simplifyKeeping(smoothLine(xy, 2, pinned), xy, pinned).map((point) => projection.toLonLat(point)))
    if (trace.class === 'main') return { name: mainName, class: trace.class, trace, coordinates }
    const source = xy[Math.floor(xy.length / 3)] as XY
    const village = villages[
      nearestIndex(
        villages.map((v) => v.site.xy),
        source,
      )
    ] as Village
    const suffixes = trace.class === 'tributary' ? ['河', '大河', '小河'] : rng.chance(0.5) ? ['箐', '沟', '小箐'] : ['沟', '箐', '小沟']
    return { name: names.derived(placeStem(village.name), suffixes), class: trace.class, trace, coordinates }
  })
}

/**
 * Simplifies a smoothed river (2 m tolerance) while keeping the confluence vertices, where
 * tributaries end, exactly in place.
 */
function simplifyKeeping(smooth: XY[], original: readonly XY[], pinned: ReadonlySet<number>): XY[] {
  const keep = new Set([...pinned].map((index) => `${(original[index] as XY)[0]},${(original[index] as XY)[1]}`))
  const out: XY[] = []
  let start = 0
  for (let k = 1; k < smooth.length; k++) {
    const point = smooth[k] as XY
    if (k === smooth.length - 1 || keep.has(`${point[0]},${point[1]}`)) {
      const piece = simplify(smooth.slice(start, k + 1), 2)
      out.push(...(out.length === 0 ? piece : piece.slice(1)))
      start = k
    }
  }
  return out.length > 0 ? out : smooth
}
