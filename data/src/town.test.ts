import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import area from '@turf/area'
import booleanIntersects from '@turf/boolean-intersects'
import booleanPointInPolygon from '@turf/boolean-point-in-polygon'
import kinks from '@turf/kinks'
import length from '@turf/length'
import polygonClipping from 'polygon-clipping'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  fakePhonePattern,
  generateTown,
  LEDGER_2023,
  LEDGER_BY_YEAR,
  loadTown,
  serializeTown,
  townDir,
  townTables,
  type FeatureCollection,
  type Geometry,
  type MultiPolygon,
  type Position,
  type TownDataset,
} from './index.ts'

// The committed demo town, read the way the seeder reads it.
const town: TownDataset = loadTown()

const byCode = <T extends { code: string }>(features: { properties: T }[]): Map<string, T> =>
  new Map(features.map((feature) => [feature.properties.code, feature.properties]))
const facilitiesOf = (kind: string) => town.facilities.features.filter((feature) => feature.properties.kind === kind)
const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0)
const key = (position: Position): string => `${position[0]},${position[1]}`
const distanceM = (a: Position, b: Position): number =>
  length({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [a, b] } }, { units: 'meters' })

describe('determinism', () => {
  let first: TownDataset
  beforeAll(() => {
    first = generateTown()
  }, 60_000)

  it('generates a deep-equal town twice from the same seed', { timeout: 60_000 }, () => {
    expect(generateTown()).toEqual(first)
  })

  it('serialises byte for byte to the committed files (run `pnpm data:generate` after changing the generator)', () => {
    for (const [fileName, text] of serializeTown(first)) {
      expect(readFileSync(join(townDir, fileName), 'utf8'), fileName).toBe(text)
    }
  })

  it('writes one file per table and nothing else is needed to load them', () => {
    expect(Object.keys(town).sort()).toEqual([...townTables].sort())
  })
})

describe('counts', () => {
  it('has a town of 150–250 km² and 10–14 administrative villages', () => {
    const [townArea, ...villages] = town.admin_areas.features
    expect(townArea?.properties.level).toBe('town')
    expect(area(townArea!.geometry) / 1e6).toBeGreaterThan(150)
    expect(area(townArea!.geometry) / 1e6).toBeLessThan(250)
    expect(villages.length).toBeGreaterThanOrEqual(10)
    expect(villages.length).toBeLessThanOrEqual(14)
    expect(villages.every((village) => village.properties.level === 'village')).toBe(true)
  })

  it('has 80–150 natural villages with about 25,000 people, the admin totals adding up', () => {
    const villages = town.natural_villages.features.map((feature) => feature.properties)
    expect(villages.length).toBeGreaterThanOrEqual(80)
    expect(villages.length).toBeLessThanOrEqual(150)
    const population = sum(villages.map((village) => village.population))
    expect(population).toBeGreaterThan(24_000)
    expect(population).toBeLessThan(26_000)
    for (const admin of town.admin_areas.features.slice(1)) {
      const members = villages.filter((village) => village.admin_code === admin.properties.code)
      expect(members.length, admin.properties.name).toBeGreaterThan(0)
      expect(admin.properties.population).toBe(sum(members.map((village) => village.population)))
      expect(admin.properties.households).toBe(sum(members.map((village) => village.households)))
    }
    expect(town.admin_areas.features[0]?.properties.population).toBe(population)
  })

  it('has the facilities of a mountain township in the asked numbers', () => {
    expect(town.hazard_points.features.length).toBeGreaterThanOrEqual(15)
    expect(town.hazard_points.features.length).toBeLessThanOrEqual(30)
    expect(new Set(town.hazard_points.features.map((f) => f.properties.kind))).toEqual(
      new Set(['landslide', 'collapse', 'debris_flow', 'flash_flood']),
    )
    expect(facilitiesOf('reservoir').length).toBeGreaterThanOrEqual(4)
    expect(facilitiesOf('reservoir').length).toBeLessThanOrEqual(6)
    expect(facilitiesOf('pond').length).toBeGreaterThanOrEqual(20)
    expect(facilitiesOf('pond').length).toBeLessThanOrEqual(40)
    const schools = facilitiesOf('school').length + facilitiesOf('kindergarten').length
    expect(schools).toBeGreaterThanOrEqual(6)
    expect(schools).toBeLessThanOrEqual(10)
    expect(facilitiesOf('nursing_home').length).toBeGreaterThanOrEqual(1)
    expect(facilitiesOf('nursing_home').length).toBeLessThanOrEqual(2)
    expect(facilitiesOf('hospital').filter((f) => f.properties.hospital_level === 'health_centre')).toHaveLength(1)
    expect(facilitiesOf('hospital').filter((f) => f.properties.hospital_level === 'clinic').length).toBeGreaterThan(0)
    expect(facilitiesOf('shelter').length).toBeGreaterThanOrEqual(15)
    expect(facilitiesOf('shelter').length).toBeLessThanOrEqual(25)
    expect(facilitiesOf('broadcast').length).toBeGreaterThanOrEqual(20)
    expect(facilitiesOf('broadcast').length).toBeLessThanOrEqual(40)
    expect(facilitiesOf('rain_gauge').length).toBeGreaterThan(0)
    expect(facilitiesOf('enterprise').length).toBeGreaterThanOrEqual(LEDGER_2023.enterprisesSelfChecked)
    expect(facilitiesOf('construction_site').length).toBeGreaterThan(0)
    expect(facilitiesOf('market').length).toBeGreaterThan(0)
    expect(town.roads.features.length).toBeGreaterThanOrEqual(1000)
    expect(town.danger_zones.features).toHaveLength(town.hazard_points.features.length)
    // The sample warning, and the 2023 flood season's (the work summary counts them).
    expect(town.warnings.features).toHaveLength(9)
    expect(town.flood_seasons.features.map((f) => f.properties.year)).toEqual([2023, 2024, 2025, 2026, 2027])
  })

  it('fills the kind-specific columns of each facility and leaves the others null', () => {
    for (const feature of facilitiesOf('school')) expect(feature.properties.pupils).toBeGreaterThan(0)
    for (const feature of facilitiesOf('shelter')) {
      expect(feature.properties.capacity_persons).toBeGreaterThan(0)
      expect(feature.properties.area_m2).toBeGreaterThan(0)
      expect(feature.properties.pupils).toBeNull()
    }
    for (const feature of facilitiesOf('broadcast')) expect(feature.properties.coverage_radius_m).toBeGreaterThan(0)
    for (const feature of facilitiesOf('nursing_home')) expect(feature.properties.residents).toBeGreaterThan(0)
    for (const feature of [...facilitiesOf('reservoir'), ...facilitiesOf('pond')])
      expect(feature.properties.storage_10k_m3).toBeGreaterThan(0)
    expect(
      facilitiesOf('reservoir').every((f) => f.properties.reservoir_scale === 'small_1' || f.properties.reservoir_scale === 'small_2'),
    ).toBe(true)
    expect(facilitiesOf('pond').every((f) => f.properties.reservoir_scale === 'pond')).toBe(true)
    expect(facilitiesOf('enterprise').every((f) => f.properties.industry !== null && f.properties.capacity_persons === null)).toBe(true)
  })

  it('leaves a few reservoirs or ponds without one of their three responsible persons', () => {
    const water = [...facilitiesOf('reservoir'), ...facilitiesOf('pond')].map((f) => f.properties)
    const incomplete = water.filter((w) => !w.admin_responsible || !w.tech_responsible || !w.patrol_responsible)
    expect(incomplete.length).toBeGreaterThanOrEqual(1)
    expect(incomplete.length).toBeLessThanOrEqual(6)
    expect(incomplete.some((w) => w.kind === 'reservoir')).toBe(true)
    for (const w of water) {
      expect(w.admin_responsible === null).toBe(w.admin_responsible_phone === null)
      expect(w.patrol_responsible === null).toBe(w.patrol_responsible_phone === null)
    }
  })
})

describe('hidden-danger ledger', () => {
  const enterpriseCodes = new Set(facilitiesOf('enterprise').map((f) => f.properties.code))
  const dangers = town.hidden_dangers.features.map((f) => f.properties)
  const checks = town.enterprise_self_checks.features.map((f) => f.properties)

  it('states the 2023 figures of the work summary', () => {
    expect(LEDGER_2023).toEqual({
      enterprisesSelfChecked: 53,
      hiddenDangersFound: 207,
      rectified: 197,
      major: 4,
      supervised: 12,
      enterprisesSanctioned: 5,
    })
  })

  it('reproduces the 2023 figures exactly', () => {
    const found = dangers.filter((danger) => danger.found_on.startsWith('2023-'))
    expect(new Set(checks.filter((check) => check.checked_on.startsWith('2023-')).map((check) => check.facility_code)).size).toBe(53)
    expect(found).toHaveLength(207)
    expect(found.filter((danger) => danger.status === 'rectified' && danger.rectified_on !== null)).toHaveLength(197)
    expect(found.filter((danger) => danger.level === 'major')).toHaveLength(4)
    expect(found.filter((danger) => danger.supervised)).toHaveLength(12)
    const sanctioned = found.filter((danger) => danger.sanction !== null)
    expect(sanctioned.every((danger) => enterpriseCodes.has(danger.facility_code ?? ''))).toBe(true)
    expect(new Set(sanctioned.map((danger) => danger.facility_code)).size).toBe(5)
  })

  it('reproduces every other year of LEDGER_BY_YEAR as well', () => {
    for (const [year, figures] of Object.entries(LEDGER_BY_YEAR)) {
      const found = dangers.filter((danger) => danger.found_on.startsWith(`${year}-`))
      expect(
        {
          enterprisesSelfChecked: new Set(
            checks.filter((check) => check.checked_on.startsWith(`${year}-`)).map((check) => check.facility_code),
          ).size,
          hiddenDangersFound: found.length,
          rectified: found.filter((danger) => danger.status === 'rectified').length,
          major: found.filter((danger) => danger.level === 'major').length,
          supervised: found.filter((danger) => danger.supervised).length,
          enterprisesSanctioned: new Set(found.filter((danger) => danger.sanction !== null).map((danger) => danger.facility_code)).size,
        },
        year,
      ).toEqual(figures)
    }
  })

  it('keeps the ledger self-consistent', () => {
    expect(checks.every((check) => enterpriseCodes.has(check.facility_code))).toBe(true)
    for (const danger of dangers) {
      expect(danger.status === 'rectified').toBe(danger.rectified_on !== null)
      if (danger.rectified_on) expect(danger.rectified_on >= danger.found_on).toBe(true)
      if (danger.deadline) expect(danger.deadline > danger.found_on).toBe(true)
      expect(danger.description).toMatch(/\p{Script=Han}/u)
    }
    // A self-check finds its dangers on the day of the self-check.
    const checkDays = new Set(checks.map((check) => `${check.facility_code} ${check.checked_on}`))
    for (const danger of dangers.filter((d) => d.source === 'self_check'))
      expect(checkDays.has(`${danger.facility_code} ${danger.found_on}`)).toBe(true)
    // Supervised dangers include every major one.
    expect(dangers.filter((d) => d.level === 'major').every((d) => d.supervised)).toBe(true)
    // Rows without a facility carry their own point; rows with one rely on the facility's.
    for (const feature of town.hidden_dangers.features) expect(feature.geometry === null).toBe(feature.properties.facility_code !== null)
  })
})

describe('people', () => {
  it('lists about 4 % of the population as vulnerable, in the five categories', () => {
    const population = sum(town.natural_villages.features.map((f) => f.properties.population))
    const people = town.vulnerable_people.features.map((f) => f.properties)
    expect(people.length / population).toBeGreaterThan(0.037)
    expect(people.length / population).toBeLessThan(0.043)
    expect(new Set(people.map((person) => person.category))).toEqual(new Set(['elderly', 'disabled', 'sick', 'child', 'pregnant']))
  })

  it('leaves some vulnerable people without a responsible person, and gives the others a name and phone', () => {
    const people = town.vulnerable_people.features.map((f) => f.properties)
    const unassigned = people.filter((person) => person.responsible_name === null)
    expect(unassigned.length).toBeGreaterThan(0)
    expect(unassigned.length).toBeLessThan(people.length * 0.1)
    expect(
      people.filter((person) => person.responsible_name !== null).every((person) => fakePhonePattern.test(person.responsible_phone ?? '')),
    ).toBe(true)
  })

  it('uses only obviously fake phone numbers (1380000xxxx) and Chinese names', () => {
    let phones = 0
    for (const table of townTables) {
      for (const feature of (town[table] as unknown as FeatureCollection<Geometry | null, Record<string, unknown>>).features) {
        for (const [column, value] of Object.entries(feature.properties)) {
          if (column.endsWith('phone') && value !== null) {
            phones++
            expect(value, `${table}.${column}`).toMatch(fakePhonePattern)
          }
          if ((column.endsWith('name') || column.endsWith('responsible') || column === 'organiser') && value !== null) {
            expect(value, `${table}.${column}`).toMatch(/^[\p{Script=Han}\p{N}、（）—]+/u)
          }
        }
      }
    }
    expect(phones).toBeGreaterThan(1000)
  })
})

describe('codes and references', () => {
  const admins = byCode(town.admin_areas.features)
  const villages = byCode(town.natural_villages.features)
  const facilities = byCode(town.facilities.features)
  const hazards = byCode(town.hazard_points.features)

  it('uses well-formed 12-digit admin codes and 15-character natural village codes', () => {
    const [townArea, ...adminVillages] = town.admin_areas.features.map((f) => f.properties)
    expect(townArea?.code).toBe('530502199000')
    for (const admin of adminVillages) {
      expect(admin.code).toMatch(/^530502199\d{3}$/)
      expect(admin.parent_code).toBe(townArea?.code)
    }
    for (const village of villages.values()) {
      expect(village.code).toMatch(/^\d{15}$/)
      expect(village.code.startsWith(village.admin_code)).toBe(true)
    }
  })

  it('keeps every code unique', () => {
    const codes = [...town.admin_areas.features.map((f) => f.properties.code), ...villages.keys(), ...facilities.keys(), ...hazards.keys()]
    expect(new Set(codes).size).toBe(codes.length)
    expect([...facilities.keys()].every((code) => /^[A-Z]{2}-530502199-\d{3}$/.test(code))).toBe(true)
    expect([...hazards.keys()].every((code) => /^HZ-530502199-\d{3}$/.test(code))).toBe(true)
  })

  it('resolves every code a feature refers to', () => {
    const has = (map: Map<string, unknown>, code: string | null) => code === null || map.has(code)
    for (const village of villages.values()) expect(admins.has(village.admin_code)).toBe(true)
    for (const facility of facilities.values()) {
      expect(has(admins, facility.admin_code) && has(villages, facility.natural_village_code), facility.code).toBe(true)
    }
    for (const hazard of hazards.values()) {
      expect(has(admins, hazard.admin_code)).toBe(true)
      expect(hazard.threatened_village_codes.every((code) => villages.has(code))).toBe(true)
    }
    for (const zone of town.danger_zones.features) expect(hazards.has(zone.properties.hazard_code)).toBe(true)
    for (const route of town.evacuation_routes.features.map((f) => f.properties)) {
      expect(villages.has(route.natural_village_code)).toBe(true)
      expect(has(hazards, route.hazard_code)).toBe(true)
      expect(facilities.get(route.shelter_code)?.kind).toBe('shelter')
    }
    for (const table of ['drills', 'vulnerable_people'] as const) {
      for (const feature of town[table].features) expect(villages.has(feature.properties.natural_village_code), table).toBe(true)
    }
    for (const danger of town.hidden_dangers.features) expect(has(facilities, danger.properties.facility_code)).toBe(true)
    for (const check of town.enterprise_self_checks.features)
      expect(facilities.get(check.properties.facility_code)?.kind).toBe('enterprise')
    for (const code of town.warnings.features[0]?.properties.admin_codes ?? []) expect(admins.get(code)?.level).toBe('village')
  })

  it('places every point inside the administrative village it names', () => {
    const polygonOf = new Map(town.admin_areas.features.map((f) => [f.properties.code, f.geometry]))
    for (const village of town.natural_villages.features) {
      expect(
        booleanPointInPolygon(village.geometry.coordinates, polygonOf.get(village.properties.admin_code)!),
        village.properties.name,
      ).toBe(true)
    }
    for (const facility of town.facilities.features) {
      expect(
        booleanPointInPolygon(facility.geometry.coordinates, polygonOf.get(facility.properties.admin_code ?? '')!),
        facility.properties.name,
      ).toBe(true)
    }
  })
})

describe('geometry', () => {
  const polygonLayers = ['admin_areas', 'danger_zones', 'warnings'] as const
  const lineLayers = ['rivers', 'roads', 'contours', 'evacuation_routes'] as const

  it('rounds every coordinate to at most 6 decimals', () => {
    for (const table of townTables) {
      const text = JSON.stringify((town[table] as FeatureCollection<Geometry | null, unknown>).features.map((f) => f.geometry))
      expect(text, table).not.toMatch(/\d\.\d{7,}/)
    }
  })

  it('writes polygons as closed, counter-clockwise, non-self-intersecting MultiPolygons', () => {
    for (const table of polygonLayers) {
      for (const feature of (town[table] as FeatureCollection<MultiPolygon, unknown>).features) {
        expect(feature.geometry.type).toBe('MultiPolygon')
        for (const polygon of feature.geometry.coordinates) {
          polygon.forEach((ring, index) => {
            expect(ring.length).toBeGreaterThanOrEqual(4)
            expect(ring[0]).toEqual(ring[ring.length - 1])
            let twiceArea = 0
            for (let k = 1; k < ring.length; k++) twiceArea += ring[k - 1]![0] * ring[k]![1] - ring[k]![0] * ring[k - 1]![1]
            expect(index === 0 ? twiceArea > 0 : twiceArea < 0, `${table} ring ${index} orientation`).toBe(true)
          })
        }
        expect(kinks(feature.geometry).features, table).toHaveLength(0)
      }
    }
  })

  it('writes lines with at least two distinct positions and no repeated vertex in a row', () => {
    for (const table of lineLayers) {
      for (const feature of town[table].features) {
        const line = feature.geometry.coordinates
        expect(feature.geometry.type).toBe('LineString')
        expect(line.length).toBeGreaterThanOrEqual(2)
        for (let k = 1; k < line.length; k++) expect(key(line[k]!) === key(line[k - 1]!), table).toBe(false)
      }
    }
  })

  it('tiles the town with the administrative villages: no overlap, no gap', () => {
    const [townArea, ...villages] = town.admin_areas.features
    const townKm2 = area(townArea!.geometry) / 1e6
    expect(sum(villages.map((village) => area(village.geometry))) / 1e6).toBeCloseTo(townKm2, 2)
    const union = polygonClipping.union(...(villages.map((village) => village.geometry.coordinates) as [polygonClipping.MultiPolygon]))
    const difference = polygonClipping.xor(union, townArea!.geometry.coordinates as polygonClipping.MultiPolygon)
    expect(area({ type: 'MultiPolygon', coordinates: difference })).toBeLessThan(1000)
  })

  it('draws contours every 50 m', () => {
    const levels = new Set(town.contours.features.map((f) => f.properties.elevation_m))
    expect([...levels].every((level) => level % 50 === 0)).toBe(true)
    expect(levels.size).toBeGreaterThan(10)
  })
})

describe('road network', () => {
  const segments = town.roads.features.map((f) => f.geometry.coordinates)
  const ends = segments.flatMap((line) => [key(line[0]!), key(line[line.length - 1]!)])

  it('forms one connected graph through segment ends', () => {
    const parent = new Map<string, string>()
    const find = (node: string): string => {
      let root = node
      while (parent.get(root) !== root) root = parent.get(root)!
      parent.set(node, root)
      return root
    }
    for (const end of ends) if (!parent.has(end)) parent.set(end, end)
    for (let k = 0; k < ends.length; k += 2) parent.set(find(ends[k]!), find(ends[k + 1]!))
    expect(new Set(ends.map(find)).size).toBe(1)
  })

  it('reaches every natural village at a segment end', () => {
    const endSet = new Set(ends)
    for (const village of town.natural_villages.features)
      expect(endSet.has(key(village.geometry.coordinates)), village.properties.name).toBe(true)
  })

  it('is noded: segments touch only at shared end positions', () => {
    const all = segments.flatMap((line, id) => line.slice(1).map((b, k) => ({ id, a: line[k]!, b })))
    const crosses = (p: Position, q: Position, r: Position, s: Position): boolean => {
      const o = (a: Position, b: Position, c: Position) => Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))
      return o(p, q, r) * o(p, q, s) < 0 && o(r, s, p) * o(r, s, q) < 0
    }
    let crossings = 0
    all.sort((x, y) => Math.min(x.a[0], x.b[0]) - Math.min(y.a[0], y.b[0]))
    for (let i = 0; i < all.length; i++) {
      const s = all[i]!
      const maxX = Math.max(s.a[0], s.b[0])
      for (let j = i + 1; j < all.length && Math.min(all[j]!.a[0], all[j]!.b[0]) <= maxX; j++) {
        if (crosses(s.a, s.b, all[j]!.a, all[j]!.b)) crossings++
      }
    }
    expect(crossings).toBe(0)
    // Interior vertices belong to one segment only; junctions are segment ends.
    const interior = new Map<string, number>()
    for (const line of segments)
      for (const position of line.slice(1, -1)) interior.set(key(position), (interior.get(key(position)) ?? 0) + 1)
    const endSet = new Set(ends)
    expect([...interior].filter(([position, count]) => count > 1 || endSet.has(position))).toEqual([])
  })

  it('marks some fords and low bridges impassable in flood', () => {
    const closed = town.roads.features.filter((f) => !f.properties.passable_in_flood)
    expect(closed.length).toBeGreaterThan(0)
    expect(closed.length).toBeLessThan(town.roads.features.length / 5)
  })
})

describe('hazards and danger zones', () => {
  const villages = byCode(town.natural_villages.features)
  const zoneOf = new Map(town.danger_zones.features.map((f) => [f.properties.hazard_code, f.geometry]))

  it('threatens exactly the natural villages inside each danger zone', () => {
    for (const hazard of town.hazard_points.features) {
      const zone = zoneOf.get(hazard.properties.code)!
      const inside = town.natural_villages.features
        .filter((v) => booleanPointInPolygon(v.geometry.coordinates, zone))
        .map((v) => v.properties.code)
      expect(inside.sort(), hazard.properties.name).toEqual([...hazard.properties.threatened_village_codes].sort())
      expect(inside.length).toBeGreaterThan(0)
      expect(booleanPointInPolygon(hazard.geometry.coordinates, zone)).toBe(true)
    }
  })

  it('keeps threatened households and people consistent with the villages', () => {
    for (const hazard of town.hazard_points.features.map((f) => f.properties)) {
      const threatened = hazard.threatened_village_codes.map((code) => villages.get(code)!)
      expect(hazard.threatened_households).toBeGreaterThan(0)
      expect(hazard.threatened_households).toBeLessThanOrEqual(sum(threatened.map((v) => v.households)))
      expect(hazard.threatened_people).toBeGreaterThanOrEqual(hazard.threatened_households)
      expect(hazard.threatened_people).toBeLessThanOrEqual(sum(threatened.map((v) => v.population)))
      expect(hazard.risk_level).toBeGreaterThanOrEqual(1)
      expect(hazard.risk_level).toBeLessThanOrEqual(4)
      expect(hazard.name).toMatch(/(滑坡|崩塌|泥石流|山洪)/u)
    }
  })

  it('keeps danger zones apart, so no village is threatened twice', () => {
    const zones = town.danger_zones.features
    for (let i = 0; i < zones.length; i++) {
      for (let j = i + 1; j < zones.length; j++) expect(booleanIntersects(zones[i]!, zones[j]!)).toBe(false)
    }
  })

  it('leaves a few hazard points without a monitor', () => {
    const unmonitored = town.hazard_points.features.filter((f) => f.properties.monitor_name === null)
    expect(unmonitored.length).toBeGreaterThanOrEqual(1)
    expect(unmonitored.length).toBeLessThanOrEqual(4)
  })
})

describe('evacuation', () => {
  const villages = byCode(town.natural_villages.features)
  const facilities = byCode(town.facilities.features)
  const shelterPositions = new Map(facilitiesOf('shelter').map((f) => [f.properties.code, f.geometry.coordinates]))
  const routes = town.evacuation_routes.features
  const zones = town.danger_zones.features
  const villagePosition = new Map(town.natural_villages.features.map((f) => [f.properties.code, f.geometry.coordinates]))
  const threatenedBy = new Map(
    town.hazard_points.features.flatMap((h) => h.properties.threatened_village_codes.map((code) => [code, h.properties.code])),
  )

  it('runs each route from its village to its shelter, along road segments', () => {
    const roadSteps = new Set(
      town.roads.features.flatMap((f) =>
        f.geometry.coordinates.slice(1).map((b, k) => {
          const a = f.geometry.coordinates[k]!
          return key(a) < key(b) ? `${key(a)} ${key(b)}` : `${key(b)} ${key(a)}`
        }),
      ),
    )
    for (const route of routes) {
      const line = route.geometry.coordinates
      expect(line[0]).toEqual(villagePosition.get(route.properties.natural_village_code))
      expect(line[line.length - 1]).toEqual(shelterPositions.get(route.properties.shelter_code))
      for (let k = 1; k < line.length; k++) {
        const a = key(line[k - 1]!)
        const b = key(line[k]!)
        expect(roadSteps.has(a < b ? `${a} ${b}` : `${b} ${a}`)).toBe(true)
      }
      expect(route.properties.hazard_code).toBe(threatenedBy.get(route.properties.natural_village_code))
      expect(route.properties.source).toBe('drawn')
    }
  })

  it('states each route length and the walking time at 4 km/h', () => {
    for (const route of routes) {
      expect(route.properties.length_m).toBeCloseTo(length(route, { units: 'meters' }), 0)
      expect(route.properties.walking_minutes).toBe(Math.round((route.properties.length_m / (4000 / 60)) * 10) / 10)
    }
  })

  it('has exactly one route through a danger zone other than the one it leaves', () => {
    const crossing = routes.filter((route) => {
      const start = route.geometry.coordinates[0]!
      return zones.some((zone) => !booleanPointInPolygon(start, zone.geometry) && booleanIntersects(route, zone))
    })
    expect(crossing).toHaveLength(1)
  })

  it('leaves a few threatened villages without a route', () => {
    const routed = new Set(routes.map((route) => route.properties.natural_village_code))
    const missing = [...threatenedBy.keys()].filter((code) => !routed.has(code))
    expect(missing.length).toBeGreaterThanOrEqual(2)
    expect(missing.length).toBeLessThanOrEqual(6)
    expect(routed.size).toBeGreaterThan(threatenedBy.size / 2)
  })

  it('puts shelters outside every danger zone, some too small for the villages routed to them', () => {
    for (const shelter of facilitiesOf('shelter')) {
      expect(
        zones.some((zone) => booleanPointInPolygon(shelter.geometry.coordinates, zone.geometry)),
        shelter.properties.name,
      ).toBe(false)
    }
    const routedPeople = new Map<string, number>()
    for (const route of routes) {
      const code = route.properties.shelter_code
      routedPeople.set(code, (routedPeople.get(code) ?? 0) + villages.get(route.properties.natural_village_code)!.population)
    }
    const overfull = [...routedPeople].filter(([code, people]) => people > facilities.get(code)!.capacity_persons!)
    expect(overfull.length).toBeGreaterThanOrEqual(1)
    expect(overfull.length).toBeLessThan(routedPeople.size / 2)
  })

  it('leaves some villages outside the reach of every broadcast speaker', () => {
    const speakers = facilitiesOf('broadcast')
    const outside = town.natural_villages.features.filter((village) =>
      speakers.every(
        (speaker) => distanceM(speaker.geometry.coordinates, village.geometry.coordinates) > speaker.properties.coverage_radius_m!,
      ),
    )
    expect(outside.length).toBeGreaterThan(0)
    expect(outside.length).toBeLessThan(town.natural_villages.features.length / 3)
  })
})

describe('drills and warning', () => {
  const drills = town.drills.features.map((f) => f.properties)
  const threatened = new Set(town.hazard_points.features.flatMap((f) => f.properties.threatened_village_codes))
  const season2026 = (date: string | null) => date !== null && date >= '2026-05-01' && date <= '2026-10-31'

  it('records the 2026 flood season: held, overdue, cancelled, and threatened villages with none', () => {
    const drills2026 = drills.filter((d) => season2026(d.planned_on) || season2026(d.held_on))
    const held = drills2026.filter((d) => d.status === 'held')
    expect(held.length).toBeGreaterThan(threatened.size / 2)
    expect(held.every((d) => season2026(d.held_on) && d.participants! > 0 && d.evacuation_minutes! > 0)).toBe(true)
    const overdue = drills2026.filter((d) => d.status === 'planned' && d.held_on === null)
    expect(overdue.length).toBeGreaterThanOrEqual(2)
    expect(overdue.every((d) => d.planned_on! < '2026-11-28')).toBe(true)
    expect(drills2026.filter((d) => d.status === 'cancelled').length).toBeGreaterThanOrEqual(2)
    const withDrill = new Set(drills2026.map((d) => d.natural_village_code))
    expect([...threatened].filter((code) => !withDrill.has(code)).length).toBeGreaterThanOrEqual(2)
  })

  it('plans drills for the 2027 season', () => {
    const planned2027 = drills.filter((d) => d.status === 'planned' && d.planned_on! >= '2027-05-01' && d.planned_on! <= '2027-10-31')
    expect(planned2027.length).toBeGreaterThan(5)
  })

  it('keeps drill records consistent with the schema', () => {
    for (const drill of drills) {
      expect(drill.planned_on !== null || drill.held_on !== null).toBe(true)
      if (drill.status === 'held') expect(drill.held_on).not.toBeNull()
      else expect(drill.held_on).toBeNull()
    }
  })

  it('issues one orange flash-flood warning over the administrative villages it names', () => {
    const warning = town.warnings.features[0]!
    expect(warning.properties).toMatchObject({ kind: 'flash_flood', level: 'orange', stage: 'prepare' })
    expect(Date.parse(warning.properties.valid_to)).toBeGreaterThan(Date.parse(warning.properties.valid_from))
    const named = town.admin_areas.features.filter((f) => warning.properties.admin_codes.includes(f.properties.code))
    expect(named.length).toBeGreaterThanOrEqual(2)
    expect(area(warning.geometry)).toBeCloseTo(sum(named.map((f) => area(f.geometry))), -4)
  })

  it('keeps the warnings of the 2023 flood season, each over the villages it names and long expired', () => {
    const past = town.warnings.features.slice(1)
    expect(past).toHaveLength(8)
    for (const warning of past) {
      const { valid_from, valid_to, admin_codes } = warning.properties
      expect(valid_from >= '2023-05-01' && valid_from <= '2023-10-31', valid_from).toBe(true)
      expect(Date.parse(valid_to)).toBeGreaterThan(Date.parse(valid_from))
      const named = town.admin_areas.features.filter((f) => admin_codes.includes(f.properties.code))
      expect(named).toHaveLength(admin_codes.length)
      expect(area(warning.geometry)).toBeCloseTo(sum(named.map((f) => area(f.geometry))), -4)
    }
    expect(new Set(past.map((w) => w.properties.kind))).toEqual(new Set(['rainstorm', 'flash_flood', 'geological_hazard']))
  })
})
