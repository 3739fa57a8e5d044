import type { FacilityKind } from '@riskatlas/shared'
import { distance, pointInPolygon, pointInRing, type Position, type XY } from './geo.ts'
import type { Hazard } from './hazards.ts'
import { streamKm2 } from './hydrology.ts'
import { nearestIndex } from './layout.ts'
import { placeStem, type Contact } from './names.ts'
import type { Rosters } from './people.ts'
import type { Rng } from './random.ts'
import { cellCentre } from './terrain.ts'
import type { FacilityProperties } from './types.ts'
import type { Village, World } from './world.ts'

/** Kind-specific columns of a facility; everything not given is null. */
export type FacilityDetails = Partial<
  Omit<FacilityProperties, 'code' | 'kind' | 'name' | 'admin_code' | 'natural_village_code' | 'address'>
>

export interface FacilityDraft {
  kind: FacilityKind
  name: string
  position: Position
  /** Index of the natural village it belongs to, or null (reservoirs, hillside gauges). */
  village: number | null
  address: string
  details: FacilityDetails
}

/** Facility code prefixes, one per kind: `<prefix>-<9-digit town prefix>-<serial>`. */
export const facilityCodePrefix: Record<FacilityKind, string> = {
  reservoir: 'RS',
  pond: 'PD',
  school: 'SC',
  kindergarten: 'KG',
  nursing_home: 'NH',
  hospital: 'HC',
  shelter: 'SH',
  enterprise: 'EN',
  construction_site: 'CS',
  market: 'MK',
  broadcast: 'BC',
  rain_gauge: 'RG',
}

const responsibleColumns = (admin: Contact | null, tech: Contact | null, patrol: Contact | null): FacilityDetails => ({
  admin_responsible: admin?.name ?? null,
  admin_responsible_phone: admin?.phone ?? null,
  tech_responsible: tech?.name ?? null,
  tech_responsible_phone: tech?.phone ?? null,
  patrol_responsible: patrol?.name ?? null,
  patrol_responsible_phone: patrol?.phone ?? null,
})

export class FacilityPlanner {
  readonly drafts: FacilityDraft[] = []

  constructor(
    private readonly rng: Rng,
    private readonly world: World,
    private readonly hazards: readonly Hazard[],
    private readonly rosters: Rosters,
  ) {}

  address(village: number): string {
    const v = this.world.villages[village] as Village
    return `${this.world.town.name}${(this.world.admins[v.admin] as { name: string }).name}${v.name}`
  }

  inDangerZone(position: Position): boolean {
    return this.hazards.some((hazard) => pointInPolygon(position, hazard.zone))
  }

  /** A spot 40–`max` m from the village, inside the town and, if asked, outside every danger zone. */
  near(village: number, max: number, avoidZones: boolean): Position {
    const v = this.world.villages[village] as Village
    for (let attempt = 0; attempt < 30; attempt++) {
      const angle = this.rng.range(0, 2 * Math.PI)
      const r = this.rng.range(40, max)
      const xy: XY = [v.site.xy[0] + r * Math.cos(angle), v.site.xy[1] + r * Math.sin(angle)]
      if (!pointInRing(xy, this.world.town.outline)) continue
      const position = this.world.projection.toLonLat(xy)
      if (avoidZones && this.inDangerZone(position)) continue
      if (!(this.world.admins[v.admin]?.polygon ?? []).some((polygon) => pointInPolygon(position, polygon))) continue
      return position
    }
    return this.world.projection.toLonLat([v.site.xy[0] + 15, v.site.xy[1] + 15])
  }

  add(
    kind: FacilityKind,
    name: string,
    position: Position,
    village: number | null,
    details: FacilityDetails,
    address?: string,
  ): FacilityDraft {
    const draft: FacilityDraft = {
      kind,
      name,
      position,
      village,
      address: address ?? (village === null ? this.world.town.name : this.address(village)),
      details,
    }
    this.drafts.push(draft)
    return draft
  }

  get seat(): number {
    return this.world.villages.findIndex((village) => village.seat)
  }

  /** Schools, kindergartens, nursing homes, the health centre and clinics, markets. */
  services(): void {
    const { rng, world } = this
    const seat = this.seat
    const seatName = (world.villages[seat] as Village).name
    const town = world.town.name
    this.add('school', `${town}中心完小`, this.near(seat, 260, true), seat, { pupils: rng.int(620, 880), boarders: rng.int(180, 320) })
    this.add('school', `${town}中学`, this.near(seat, 300, true), seat, { pupils: rng.int(720, 980), boarders: rng.int(420, 640) })
    this.add('kindergarten', `${town}中心幼儿园`, this.near(seat, 200, true), seat, { pupils: rng.int(160, 240), boarders: 0 })
    const centres = rng.shuffle(world.admins.map((admin) => admin.centre).filter((index) => index !== seat))
    const primaryCount = rng.int(3, 5)
    centres.slice(0, primaryCount).forEach((village) => {
      const name = (world.villages[village] as Village).name
      // Village schools sit in the village, threatened or not: exposure analysis should find them.
      this.add('school', `${name}小学`, this.near(village, 180, false), village, { pupils: rng.int(70, 260), boarders: rng.int(0, 60) })
    })
    centres.slice(primaryCount, primaryCount + rng.int(1, 2)).forEach((village) => {
      const name = (world.villages[village] as Village).name
      this.add('kindergarten', `${name}幼儿园`, this.near(village, 180, false), village, { pupils: rng.int(28, 75), boarders: 0 })
    })
    this.add('nursing_home', `${town}敬老院`, this.near(seat, 500, true), seat, { residents: rng.int(26, 44), beds: rng.int(48, 60) })
    if (rng.chance(0.7)) {
      const village = centres[centres.length - 1] as number
      this.add('nursing_home', `${(world.villages[village] as Village).name}互助养老服务站`, this.near(village, 150, false), village, {
        residents: rng.int(9, 18),
        beds: 20,
      })
    }
    this.add('hospital', `${town}卫生院`, this.near(seat, 250, true), seat, { beds: rng.int(24, 40), hospital_level: 'health_centre' })
    world.admins.forEach((admin) => {
      if (admin.centre === seat) return
      this.add('hospital', `${admin.name}卫生室`, this.near(admin.centre, 150, false), admin.centre, {
        beds: rng.int(0, 2),
        hospital_level: 'clinic',
      })
    })
    this.add('market', `${seatName}农贸市场`, this.near(seat, 250, false), seat, {})
    const marketVillage = centres[0] as number
    this.add(
      'market',
      `${(world.villages[marketVillage] as Village).name}集贸市场`,
      this.near(marketVillage, 150, false),
      marketVillage,
      {},
    )
  }

  /** Small reservoirs (水库) and ponds (塘坝) on streams, each with its three responsible persons. */
  water(): void {
    const { rng, world, rosters } = this
    const { grid } = world
    const cellKm2 = (grid.cell * grid.cell) / 1e6
    const reservoirSites: number[] = []
    const pondSites: number[] = []
    const cells = rng.shuffle(Array.from({ length: grid.size * grid.size }, (_, index) => index).filter((index) => world.inside[index]))
    const villageXY = world.villages.map((village) => village.site.xy)
    const spaced = (sites: number[], xy: XY, gap: number): boolean => sites.every((other) => distance(cellCentre(grid, other), xy) >= gap)
    const reservoirTarget = rng.int(4, 6)
    const pondTarget = rng.int(24, 36)
    for (const index of cells) {
      const catchment = (grid.accumulation[index] as number) * cellKm2
      if (catchment < 0.15 || catchment > 9) continue
      const xy = cellCentre(grid, index)
      const nearestVillage = distance(villageXY[nearestIndex(villageXY, xy)] as XY, xy)
      const position = world.projection.toLonLat(xy)
      if (this.inDangerZone(position)) continue
      if (
        reservoirSites.length < reservoirTarget &&
        catchment > 1.2 &&
        catchment < 9 &&
        world.channel[index] &&
        nearestVillage > 450 &&
        spaced(reservoirSites, xy, 2500)
      ) {
        reservoirSites.push(index)
      } else if (
        pondSites.length < pondTarget &&
        catchment > 0.15 &&
        catchment < streamKm2 &&
        nearestVillage > 150 &&
        nearestVillage < 1200 &&
        spaced([...pondSites, ...reservoirSites], xy, 650)
      ) {
        pondSites.push(index)
      }
      if (reservoirSites.length >= reservoirTarget && pondSites.length >= pondTarget) break
    }
    // A few with a responsible person missing (a coverage gap the office should find).
    const total = reservoirSites.length + pondSites.length
    const gaps = new Map<number, 'admin' | 'tech' | 'patrol'>()
    // At least one of them a reservoir, the rest anywhere.
    const firstGap = rng.int(0, reservoirSites.length - 1)
    const otherGaps = rng.shuffle(Array.from({ length: total }, (_, i) => i).filter((i) => i !== firstGap)).slice(0, rng.int(2, 4))
    for (const k of [firstGap, ...otherGaps]) {
      gaps.set(
        k,
        rng.weighted<'admin' | 'tech' | 'patrol'>([
          ['admin', 1],
          ['tech', 2],
          ['patrol', 3],
        ]),
      )
    }
    const scales = rng.shuffle(['small_1', 'small_2', 'small_2', 'small_2', 'small_1', 'small_2'] as const)
    ;[...reservoirSites, ...pondSites].forEach((index, k) => {
      const xy = cellCentre(grid, index)
      const village = nearestIndex(villageXY, xy)
      const v = world.villages[village] as Village
      const isReservoir = k < reservoirSites.length
      const gap = gaps.get(k)
      const admin = gap === 'admin' ? null : isReservoir ? rosters.official(k) : rosters.director(v.admin)
      const tech = gap === 'tech' ? null : rosters.technician(k)
      const patrol = gap === 'patrol' ? null : rosters.groupLeader(village)
      const stem = placeStem(v.name)
      if (isReservoir) {
        const scale = scales[k % scales.length] as 'small_1' | 'small_2'
        this.add(
          'reservoir',
          world.names.derived(stem, ['水库', '大坝水库', '箐水库']),
          world.projection.toLonLat(xy),
          null,
          {
            reservoir_scale: scale,
            storage_10k_m3: scale === 'small_1' ? Math.round(rng.range(110, 620) * 10) / 10 : Math.round(rng.range(12, 95) * 10) / 10,
            dam_height_m: scale === 'small_1' ? Math.round(rng.range(22, 38) * 10) / 10 : Math.round(rng.range(11, 24) * 10) / 10,
            ...responsibleColumns(admin, tech, patrol),
          },
          this.address(village),
        )
      } else {
        this.add('pond', world.names.derived(stem, ['塘坝', '坝塘', '小坝塘']), world.projection.toLonLat(xy), village, {
          reservoir_scale: 'pond',
          storage_10k_m3: Math.round(rng.range(0.6, 9.5) * 10) / 10,
          dam_height_m: Math.round(rng.range(3, 12) * 10) / 10,
          ...responsibleColumns(admin, tech, patrol),
        })
      }
    })
  }

  /** Enterprises (企业) along the valleys, a few construction sites. */
  enterprises(count: number): void {
    const { rng, world, rosters } = this
    const industries: readonly (readonly [readonly [string, string], number])[] = [
      [['茶厂', '茶叶加工'], 6],
      [['咖啡初加工厂', '咖啡加工'], 5],
      [['砖厂', '建材'], 3],
      [['石料厂', '非煤矿山'], 3],
      [['木材加工厂', '木材加工'], 3],
      [['加油站', '危化品经营'], 1.5],
      [['养殖场', '畜禽养殖'], 5],
      [['小水电站', '水力发电'], 1.5],
      [['酒坊', '食品加工'], 3],
      [['核桃加工厂', '农产品加工'], 4],
      [['汽修厂', '机动车维修'], 2],
      [['宾馆', '住宿餐饮'], 2],
      [['农家乐', '住宿餐饮'], 3],
      [['商砼站', '建材'], 1],
      [['液化气站', '危化品经营'], 1],
      [['超市', '商贸零售'], 3],
    ]
    const hosts = world.villages
      .map((village, index) => ({ index, weight: village.site.valley ? village.population : village.population * 0.3 }))
      .filter(({ weight }) => weight > 0)
    for (let k = 0; k < count; k++) {
      const village = rng.weighted(hosts.map(({ index, weight }) => [index, weight] as const))
      const [label, industry] = rng.weighted(industries)
      const v = world.villages[village] as Village
      const name = world.names.derived(placeStem(v.name), [label, `新${label}`, `第二${label}`])
      const boss = rosters.person()
      this.add('enterprise', name, this.near(village, 600, false), village, {
        industry,
        contact_name: boss.name,
        contact_phone: boss.phone,
      })
    }
    const countyRoad = world.roads.features.find((road) => road.class === 'county')?.name ?? '县道'
    const seat = this.seat
    const projects = [
      [`${countyRoad}改扩建工程`, '公路工程'],
      [`${(world.villages[seat] as Village).name}易地搬迁安置点建设项目`, '房屋建筑'],
      [`${world.rivers.find((river) => river.class === 'main')?.name ?? ''}防洪堤加固工程`, '水利工程'],
    ] as const
    projects.slice(0, rng.int(2, 3)).forEach(([name, industry], k) => {
      const village =
        k === 1 ? seat : rng.pick(world.villages.map((_, index) => index).filter((index) => (world.villages[index] as Village).site.valley))
      const boss = rosters.person()
      this.add('construction_site', name, this.near(village, 400, false), village, {
        industry,
        contact_name: boss.name,
        contact_phone: boss.phone,
      })
    })
  }

  /**
   * Emergency broadcast speakers (应急广播), placed greedily where they reach the most villages
   * not yet covered, stopping short of full coverage: some hamlets stay out of reach.
   */
  broadcast(): void {
    const { rng, world } = this
    const radii = [700, 800, 1000, 1200, 1500]
    const villages = world.villages
    const covered = new Set<number>()
    const target = rng.int(30, 38)
    const coverageGoal = rng.range(0.8, 0.88)
    const reach = (centre: number, radius: number): number[] =>
      villages
        .map((_, index) => index)
        .filter((index) => distance((villages[index] as Village).site.xy, (villages[centre] as Village).site.xy) <= radius - 60)
    while (this.drafts.filter((draft) => draft.kind === 'broadcast').length < target && covered.size < villages.length * coverageGoal) {
      let best = -1
      let bestRadius = 0
      let bestGain = 0
      villages.forEach((village, index) => {
        if (covered.has(index) && !village.adminCentre) return
        const radius = radii[(index * 7 + village.population) % radii.length] as number
        const gain = reach(index, radius).filter((other) => !covered.has(other)).length
        if (gain > bestGain) {
          best = index
          bestGain = gain
          bestRadius = radius
        }
      })
      if (best < 0) break
      for (const index of reach(best, bestRadius)) covered.add(index)
      const v = villages[best] as Village
      this.add('broadcast', world.names.derived(v.name, ['应急广播', '应急广播2号', '应急广播3号']), this.nearExactly(best, 50), best, {
        coverage_radius_m: bestRadius,
      })
    }
  }

  /** A spot exactly `offset` metres east of the village (a speaker on the village square). */
  nearExactly(village: number, offset: number): Position {
    const v = this.world.villages[village] as Village
    return this.world.projection.toLonLat([v.site.xy[0] + offset, v.site.xy[1]])
  }

  /** Automatic rain gauges (自动雨量站): at some committees and above the debris-flow gullies. */
  rainGauges(): void {
    const { rng, world } = this
    const sites: { village: number | null; position: Position; name: string }[] = []
    for (const hazard of this.hazards) {
      if (hazard.kind !== 'debris_flow' && hazard.kind !== 'flash_flood') continue
      const position = world.projection.toLonLat([hazard.xy[0] + 70, hazard.xy[1] + 40])
      sites.push({ village: hazard.villages[0] ?? null, position, name: `${hazard.name}雨量站` })
    }
    for (const admin of rng.shuffle(world.admins)) {
      if (sites.length >= 11) break
      sites.push({
        village: admin.centre,
        position: this.near(admin.centre, 200, false),
        name: `${(world.villages[admin.centre] as Village).name}雨量站`,
      })
    }
    for (const site of sites.slice(0, Math.max(8, Math.min(12, sites.length)))) {
      this.add('rain_gauge', site.name, site.position, site.village, {})
    }
  }
}
