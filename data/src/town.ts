import { facilityKinds, type FacilityKind } from '@riskatlas/shared'
import polygonClipping from 'polygon-clipping'
import { traceContours } from './contours.ts'
import { isoDate, floodSeason } from './dates.ts'
import { recordDrills } from './drills.ts'
import { planEvacuation } from './evacuation.ts'
import { FacilityPlanner, facilityCodePrefix, type FacilityDraft } from './facilities.ts'
import { closeRing, dedupe, lineLength, pointInMultiPolygon, round6, type Position } from './geo.ts'
import { placeHazards, type Hazard } from './hazards.ts'
import { writeLedger, type LedgerFacility, type LedgerPlace } from './ledger.ts'
import { Rosters } from './people.ts'
import { writeSafetyLedger } from './safety.ts'
import { Rng } from './random.ts'
import { walkingMinutes } from './routing.ts'
import type {
  AdminAreaProperties,
  EvacuationRouteProperties,
  DrillProperties,
  WarningProperties,
  Feature,
  FacilityProperties,
  FeatureCollection,
  Geometry,
  HazardPointProperties,
  LineString,
  MultiPolygon,
  Point,
  TownDataset,
} from './types.ts'
import { listVulnerablePeople } from './vulnerable.ts'
import { buildWorld, type Village, type World } from './world.ts'

export interface GenerateTownOptions {
  /** Seed of every random choice; the same seed always yields the same town. */
  seed?: number
  /** `[longitude, latitude]` of the town's centre. */
  origin?: [number, number]
  /** 9 digits: province, prefecture, county and town parts of the 区划代码. */
  codePrefix?: string
  /** Inserted into the town's name (云岭 + suffix + 镇) to tell generated towns apart. */
  nameSuffix?: string
}

export const defaultTownOptions = Object.freeze({
  seed: 20230501,
  origin: Object.freeze([99.1, 25.1]) as readonly [number, number],
  codePrefix: '530502199',
  nameSuffix: '',
})

/** Contour interval of the basemap, metres. */
export const contourIntervalM = 50

const point = (coordinates: Position): Point => ({ type: 'Point', coordinates })
const line = (coordinates: Position[]): LineString => ({ type: 'LineString', coordinates })
const multiPolygon = (coordinates: Position[][][]): MultiPolygon => ({ type: 'MultiPolygon', coordinates })
const feature = <G extends Geometry | null, P>(properties: P, geometry: G): Feature<G, P> => ({ type: 'Feature', properties, geometry })
const collection = <G extends Geometry | null, P>(features: Feature<G, P>[]): FeatureCollection<G, P> => ({
  type: 'FeatureCollection',
  features,
})

/**
 * Generates the fictional demo township (default: 云岭镇, Longyang District, Baoshan, Yunnan)
 * from a seeded synthetic terrain. Pure and deterministic: the same options give a deep-equal
 * dataset, so a county can be built by calling it with several seeds, origins and prefixes.
 */
export function generateTown(options: GenerateTownOptions = {}): TownDataset {
  const seed = options.seed ?? defaultTownOptions.seed
  const origin: Position = [...(options.origin ?? defaultTownOptions.origin)] as Position
  const codePrefix = options.codePrefix ?? defaultTownOptions.codePrefix
  const nameSuffix = options.nameSuffix ?? defaultTownOptions.nameSuffix
  if (!/^\d{9}$/.test(codePrefix)) throw new Error(`codePrefix must be 9 digits, got "${codePrefix}"`)
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`)

  const rng = new Rng(seed)
  const world = buildWorld(rng, origin, codePrefix, nameSuffix)
  const rosters = new Rosters(rng.fork('people'))
  const hazardRng = rng.fork('hazards')
  const hazards = placeHazards(hazardRng, world, hazardRng.int(18, 26))
  const planner = new FacilityPlanner(rng.fork('facilities'), world, hazards, rosters)
  planner.services()
  planner.water()
  planner.enterprises(rng.fork('enterprise-count').int(64, 70))
  const evacuation = planEvacuation(rng.fork('evacuation'), world, hazards, planner)
  planner.broadcast()
  planner.rainGauges()

  const facilities = facilityFeatures(world, planner.drafts, codePrefix)
  const facilityCode = new Map(facilities.map((f, index) => [facilityOrder(planner.drafts)[index] as FacilityDraft, f.properties.code]))
  const hazardCodes = hazards.map((_, index) => `HZ-${codePrefix}-${String(index + 1).padStart(3, '0')}`)

  const vulnerablePeople = listVulnerablePeople(rng.fork('vulnerable'), world, rosters)
  const vulnerableCounts = world.villages.map(
    (village) => vulnerablePeople.filter((person) => person.natural_village_code === village.code).length,
  )
  const { drills } = recordDrills(rng.fork('drills'), { world, hazards, vulnerableCounts })

  const ledgerRng = rng.fork('ledger')
  const ledgerFacility = (draft: FacilityDraft): LedgerFacility => ({
    code: facilityCode.get(draft) as string,
    kind: draft.kind,
    name: draft.name,
    industry: draft.details.industry ?? null,
  })
  const enterprises = planner.drafts.filter((draft) => draft.kind === 'enterprise').map(ledgerFacility)
  const others = planner.drafts
    .filter((draft) =>
      ['construction_site', 'market', 'school', 'kindergarten', 'nursing_home', 'hospital', 'reservoir', 'pond', 'shelter'].includes(
        draft.kind,
      ),
    )
    .map(ledgerFacility)
  const { dangers, checks } = writeLedger(ledgerRng, enterprises, others, ledgerPlaces(ledgerRng, world, planner))

  const contours = traceContours(world.terrain, world.town.outline, world.projection, contourIntervalM, 50, 8)

  const base = {
    admin_areas: collection(adminFeatures(world)),
    natural_villages: collection(
      world.villages.map((village) =>
        feature(
          {
            code: village.code,
            name: village.name,
            admin_code: (world.admins[village.admin] as { code: string }).code,
            households: village.households,
            population: village.population,
            elevation_m: Math.round(village.site.elevation),
          },
          point(village.position),
        ),
      ),
    ),
    facilities: collection(facilities),
    hazard_points: collection(hazardFeatures(rng.fork('hazard-people'), world, hazards, hazardCodes, rosters)),
    danger_zones: collection(
      hazards.map((hazard, index) => feature({ hazard_code: hazardCodes[index] as string }, multiPolygon([hazard.zone]))),
    ),
    rivers: collection(world.rivers.map((river) => feature({ name: river.name, class: river.class }, line(river.coordinates)))),
    roads: collection(
      world.roads.features.map((road) =>
        feature({ name: road.name, class: road.class, passable_in_flood: road.passableInFlood }, line(road.coordinates)),
      ),
    ),
    contours: collection(contours.map((contour) => feature({ elevation_m: contour.elevation }, line(contour.coordinates)))),
    evacuation_routes: collection(
      evacuation.routes.map((route) => {
        const coordinates = dedupe(route.line)
        const lengthM = Math.round(lineLength(coordinates) * 10) / 10
        const properties: EvacuationRouteProperties = {
          natural_village_code: (world.villages[route.village] as Village).code,
          hazard_code: hazardCodes[route.hazard] as string,
          shelter_code: facilityCode.get((evacuation.shelters[route.shelter] as { draft: FacilityDraft }).draft) as string,
          length_m: lengthM,
          walking_minutes: walkingMinutes(lengthM),
          source: 'drawn',
        }
        return feature(properties, line(coordinates))
      }),
    ),
    warnings: collection([sampleWarning(world, hazards), ...floodSeasonWarnings(world, hazards, 2023)]),
    drills: collection([...pastSeasonDrills(rng.fork('drills-past'), drills), ...drills].map((drill) => feature(drill, null))),
    vulnerable_people: collection(vulnerablePeople.map((person) => feature(person, null))),
    hidden_dangers: collection(dangers.map(({ properties, position }) => feature(properties, position ? point(position) : null))),
    enterprise_self_checks: collection(checks.map((check) => feature(check, null))),
    flood_seasons: collection(
      [2023, 2024, 2025, 2026, 2027].map((year) => {
        const season = floodSeason(year)
        return feature({ year, starts_on: isoDate(season.start), ends_on: isoDate(season.end) }, null)
      }),
    ),
  }
  return { ...base, ...writeSafetyLedger(rng.fork('safety'), base) }
}

/**
 * The drills held before the 2023–2025 flood seasons, by natural village (the work summaries of
 * those years count them): most villages under threat drilled once in April or May, each with
 * its own scenario and turnout. A fork of its own, so the 2026 records stay as they were.
 */
function pastSeasonDrills(rng: Rng, current: readonly DrillProperties[]): DrillProperties[] {
  const villages = new Map<string, DrillProperties>()
  for (const drill of current)
    if (['landslide', 'debris_flow', 'flash_flood', 'flood'].includes(drill.scenario) && !villages.has(drill.natural_village_code))
      villages.set(drill.natural_village_code, drill)
  const past: DrillProperties[] = []
  for (const year of [2023, 2024, 2025])
    for (const template of [...villages.values()].sort((a, b) => a.natural_village_code.localeCompare(b.natural_village_code))) {
      if (!rng.chance(0.8)) continue
      const month = rng.pick([4, 5])
      const dayOfMonth = rng.int(3, 28)
      const heldOn = `${year}-${String(month).padStart(2, '0')}-${String(dayOfMonth).padStart(2, '0')}`
      past.push({
        ...template,
        status: 'held',
        planned_on: heldOn,
        held_on: heldOn,
        participants: Math.max(20, Math.round((template.participants ?? 80) * rng.range(0.7, 1.2))),
        vulnerable_moved: template.vulnerable_moved ?? rng.int(2, 9),
        evacuation_minutes: Math.round(rng.range(6, 18) * 10) / 10,
      })
    }
  return past.sort((a, b) => `${a.held_on} ${a.natural_village_code}`.localeCompare(`${b.held_on} ${b.natural_village_code}`))
}

function adminFeatures(world: World): Feature<MultiPolygon, AdminAreaProperties>[] {
  const totals = world.admins.map((_, index) => {
    const members = world.villages.filter((village) => village.admin === index)
    return {
      population: members.reduce((sum, village) => sum + village.population, 0),
      households: members.reduce((sum, village) => sum + village.households, 0),
    }
  })
  const town = feature<MultiPolygon, AdminAreaProperties>(
    {
      code: world.town.code,
      name: world.town.name,
      level: 'town',
      parent_code: null,
      population: totals.reduce((sum, total) => sum + total.population, 0),
      households: totals.reduce((sum, total) => sum + total.households, 0),
    },
    multiPolygon(world.town.polygon),
  )
  return [
    town,
    ...world.admins.map((admin, index) =>
      feature<MultiPolygon, AdminAreaProperties>(
        {
          code: admin.code,
          name: admin.name,
          level: 'village',
          parent_code: world.town.code,
          population: (totals[index] as { population: number }).population,
          households: (totals[index] as { households: number }).households,
        },
        multiPolygon(admin.polygon),
      ),
    ),
  ]
}

/** Facilities grouped by kind (in the schema's order), then in the order they were placed. */
function facilityOrder(drafts: readonly FacilityDraft[]): FacilityDraft[] {
  return facilityKinds.flatMap((kind) => drafts.filter((draft) => draft.kind === kind))
}

function facilityFeatures(world: World, drafts: readonly FacilityDraft[], codePrefix: string): Feature<Point, FacilityProperties>[] {
  const serial = new Map<FacilityKind, number>()
  return facilityOrder(drafts).map((draft) => {
    const number = (serial.get(draft.kind) ?? 0) + 1
    serial.set(draft.kind, number)
    const admin = world.admins.find((candidate) => pointInMultiPolygon(draft.position, candidate.polygon))
    const d = draft.details
    const properties: FacilityProperties = {
      code: `${facilityCodePrefix[draft.kind]}-${codePrefix}-${String(number).padStart(3, '0')}`,
      kind: draft.kind,
      name: draft.name,
      admin_code: admin?.code ?? null,
      natural_village_code: draft.village === null ? null : (world.villages[draft.village] as Village).code,
      address: draft.address,
      reservoir_scale: d.reservoir_scale ?? null,
      storage_10k_m3: d.storage_10k_m3 ?? null,
      dam_height_m: d.dam_height_m ?? null,
      admin_responsible: d.admin_responsible ?? null,
      admin_responsible_phone: d.admin_responsible_phone ?? null,
      tech_responsible: d.tech_responsible ?? null,
      tech_responsible_phone: d.tech_responsible_phone ?? null,
      patrol_responsible: d.patrol_responsible ?? null,
      patrol_responsible_phone: d.patrol_responsible_phone ?? null,
      pupils: d.pupils ?? null,
      boarders: d.boarders ?? null,
      residents: d.residents ?? null,
      beds: d.beds ?? null,
      hospital_level: d.hospital_level ?? null,
      capacity_persons: d.capacity_persons ?? null,
      area_m2: d.area_m2 ?? null,
      coverage_radius_m: d.coverage_radius_m ?? null,
      industry: d.industry ?? null,
      contact_name: d.contact_name ?? null,
      contact_phone: d.contact_phone ?? null,
    }
    return feature(properties, point(draft.position))
  })
}

function hazardFeatures(
  rng: Rng,
  world: World,
  hazards: readonly Hazard[],
  codes: readonly string[],
  rosters: Rosters,
): Feature<Point, HazardPointProperties>[] {
  // A few hazard points have no monitor (监测员) yet; the smallest one has been mitigated (治理).
  const unmonitored = new Set(rng.shuffle(hazards.map((_, index) => index)).slice(0, rng.int(2, 3)))
  const people = hazards.map((hazard) => hazard.peopleByVillage.reduce((sum, value) => sum + value, 0))
  const mitigated = people.indexOf(Math.min(...people))
  return hazards.map((hazard, index) => {
    const admin = world.admins.find((candidate) => pointInMultiPolygon(hazard.position, candidate.polygon))
    const firstVillage = hazard.villages[0] as number
    const adminIndex = admin ? world.admins.indexOf(admin) : (world.villages[firstVillage] as Village).admin
    const monitor = unmonitored.has(index) ? null : (rosters.cadres(firstVillage)[1] ?? rosters.person())
    const responsible = rosters.director(adminIndex)
    return feature<Point, HazardPointProperties>(
      {
        code: codes[index] as string,
        name: hazard.name,
        kind: hazard.kind,
        scale: hazard.scale,
        risk_level: hazard.riskLevel,
        admin_code: admin?.code ?? null,
        threatened_households: hazard.householdsByVillage.reduce((sum, value) => sum + value, 0),
        threatened_people: people[index] as number,
        threatened_property_10k_yuan: hazard.property10kYuan,
        monitor_name: monitor?.name ?? null,
        monitor_phone: monitor?.phone ?? null,
        responsible_name: responsible.name,
        responsible_phone: responsible.phone,
        status: index === mitigated ? 'mitigated' : 'active',
        threatened_village_codes: hazard.villages.map((village) => (world.villages[village] as Village).code),
      },
      point(hazard.position),
    )
  })
}

/** Bare places an inspection can record a hidden danger at: houses, road cuttings, river reaches. */
function ledgerPlaces(rng: Rng, world: World, planner: FacilityPlanner): LedgerPlace[] {
  const countyRoad = world.roads.features.find((road) => road.class === 'county')?.name ?? '县道'
  const mainRiver = world.rivers.find((river) => river.class === 'main')?.name ?? '河道'
  return rng
    .shuffle(world.villages.map((_, index) => index))
    .slice(0, 24)
    .map((villageIndex, k) => {
      const village = world.villages[villageIndex] as Village
      const kind = (['house', 'slope', 'river'] as const)[k % 3] as LedgerPlace['kind']
      const name =
        kind === 'house'
          ? `${village.name}村民自建房`
          : kind === 'slope'
            ? `${countyRoad}${village.name}段边坡`
            : `${mainRiver}${village.name}段`
      return { name, kind, position: planner.near(villageIndex, 250, false) }
    })
}

/**
 * The sample warning: a flash-flood orange warning, stage "prepare to move", over the
 * administrative villages with the most flash-flood and debris-flow hazard points.
 */
function sampleWarning(world: World, hazards: readonly Hazard[]): Feature<MultiPolygon, WarningProperties> {
  const score = world.admins.map(
    (admin, index) =>
      hazards.filter(
        (hazard) =>
          (hazard.kind === 'flash_flood' || hazard.kind === 'debris_flow') &&
          hazard.villages.some((v) => (world.villages[v] as Village).admin === index),
      ).length *
        10 +
      hazards.filter((hazard) => hazard.villages.some((v) => (world.villages[v] as Village).admin === index)).length +
      (admin.community ? 0 : 0.5),
  )
  const first = score.indexOf(Math.max(...score))
  const vertexKeys = (index: number): Set<string> =>
    new Set((world.admins[index]?.polygon ?? []).flat(2).map((position) => position.join(',')))
  const firstKeys = vertexKeys(first)
  const neighbours = world.admins
    .map((_, index) => index)
    .filter((index) => index !== first && [...vertexKeys(index)].some((key) => firstKeys.has(key)))
    .sort((a, b) => (score[b] as number) - (score[a] as number) || a - b)
    .slice(0, 2)
  const chosen = [first, ...neighbours].sort((a, b) => a - b)
  const names = chosen.map((index) => world.admins[index]?.name ?? '').join('、')
  return feature(
    {
      kind: 'flash_flood',
      level: 'orange',
      stage: 'prepare',
      title: `${world.town.name}${names}山洪灾害橙色预警（准备转移）`,
      issued_by: `${world.town.name}防汛抗旱指挥部`,
      valid_from: '2026-07-18T20:00:00+08:00',
      valid_to: '2026-07-19T20:00:00+08:00',
      admin_codes: chosen.map((index) => world.admins[index]?.code ?? ''),
    },
    multiPolygon(adminUnion(world, chosen)),
  )
}

/** The union of administrative villages' polygons, rounded and closed as the layer stores it. */
function adminUnion(world: World, indices: readonly number[]): Position[][][] {
  const [firstArea, ...otherAreas] = indices.map((index) => (world.admins[index]?.polygon ?? []) as polygonClipping.MultiPolygon)
  const union = polygonClipping.union(firstArea as polygonClipping.MultiPolygon, ...otherAreas)
  return union.map((polygon) =>
    polygon.map((ring, k) => closeRing(dedupe(ring.map(([x, y]) => [round6(x), round6(y)] as Position)), k > 0)),
  )
}

/**
 * The warnings the town's command issued in a past flood season (the work summary counts them):
 * a rainstorm blue and yellow at its start, flash-flood and geological-hazard warnings in the
 * July–August rains over the villages with the most such hazard points, all expired long ago.
 */
function floodSeasonWarnings(world: World, hazards: readonly Hazard[], year: number): Feature<MultiPolygon, WarningProperties>[] {
  const everyVillage = world.admins.map((_, index) => index)
  const hazardCount = (index: number, kinds: readonly Hazard['kind'][]) =>
    hazards.filter((hazard) => kinds.includes(hazard.kind) && hazard.villages.some((v) => (world.villages[v] as Village).admin === index))
      .length
  const mostExposed = (kinds: readonly Hazard['kind'][], count: number) =>
    [...everyVillage]
      .sort((a, b) => hazardCount(b, kinds) - hazardCount(a, kinds) || a - b)
      .slice(0, count)
      .sort((a, b) => a - b)
  const flood = ['flash_flood', 'debris_flow'] as const
  const slope = ['landslide', 'collapse'] as const
  const schedule: {
    day: string
    hours: number
    kind: WarningProperties['kind']
    level: WarningProperties['level']
    stage: WarningProperties['stage']
    villages: number[]
  }[] = [
    { day: '06-12', hours: 24, kind: 'rainstorm', level: 'blue', stage: 'prepare', villages: everyVillage },
    { day: '06-27', hours: 24, kind: 'rainstorm', level: 'yellow', stage: 'prepare', villages: everyVillage },
    { day: '07-09', hours: 12, kind: 'flash_flood', level: 'yellow', stage: 'prepare', villages: mostExposed(flood, 3) },
    { day: '07-21', hours: 24, kind: 'geological_hazard', level: 'yellow', stage: 'prepare', villages: mostExposed(slope, 3) },
    { day: '07-30', hours: 12, kind: 'flash_flood', level: 'orange', stage: 'move_now', villages: mostExposed(flood, 2) },
    { day: '08-05', hours: 24, kind: 'rainstorm', level: 'orange', stage: 'prepare', villages: everyVillage },
    { day: '08-17', hours: 24, kind: 'geological_hazard', level: 'orange', stage: 'prepare', villages: mostExposed(slope, 2) },
    { day: '09-03', hours: 12, kind: 'rainstorm', level: 'blue', stage: 'prepare', villages: everyVillage },
  ]
  const kindWords: Record<WarningProperties['kind'], string> = { rainstorm: '暴雨', flash_flood: '山洪灾害', geological_hazard: '地质灾害' }
  const levelWords: Record<WarningProperties['level'], string> = { blue: '蓝色', yellow: '黄色', orange: '橙色', red: '红色' }
  const stageWords: Record<WarningProperties['stage'], string> = { prepare: '准备转移', move_now: '立即转移' }
  return schedule.map(({ day, hours, kind, level, stage, villages }) => {
    const ends = new Date(Date.parse(`${year}-${day}T18:00:00+08:00`) + (hours + 8) * 3_600_000)
    const where = villages.length === world.admins.length ? '' : villages.map((index) => world.admins[index]?.name ?? '').join('、')
    return feature(
      {
        kind,
        level,
        stage,
        title: `${world.town.name}${where}${kindWords[kind]}${levelWords[level]}预警${kind === 'rainstorm' ? '' : `（${stageWords[stage]}）`}`,
        issued_by: `${world.town.name}防汛抗旱指挥部`,
        valid_from: `${year}-${day}T18:00:00+08:00`,
        valid_to: `${ends.toISOString().slice(0, 19)}+08:00`,
        admin_codes: villages.map((index) => world.admins[index]?.code ?? ''),
      },
      multiPolygon(adminUnion(world, villages)),
    )
  })
}
