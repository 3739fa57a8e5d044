import { datasetAsOf, day, isoDate } from './dates.ts'
import { pointInMultiPolygon, type Position } from './geo.ts'
import { personName } from './names.ts'
import type { Rng } from './random.ts'
import type {
  Feature,
  HazardousOperationProperties,
  Point,
  PublicityEventProperties,
  SafetyDataset,
  SafetyInspectionProperties,
  SafetyInspectorProperties,
  SafetyPlaceProperties,
  SafetySanctionProperties,
  SupervisoryVisitProperties,
  TownDataset,
} from './types.ts'
import type { HazardousOperationKind, InspectionLead, SafetyPlaceKind, SanctionKind } from '@riskatlas/shared'

/**
 * The rest of the safety-production ledger (安全生产台账), built from the town's facilities and
 * its hidden-danger ledger (`ledger.ts`): the places the ledger records, inspections (from the
 * inspection-found dangers, grouped by day), sanctions (from the enterprises the ledger
 * sanctioned), technical inspectors, hazardous-operation filings, supervisory-help visits and
 * publicity/training events. Row by row — the annual summary counts them; no total is stored.
 *
 * The per-year numbers below are how many ROWS the generator writes. With the ledger's own
 * figures they make the town's 2023 work summary come out exactly: 主要负责人带队检查 3,
 * 督导帮扶 10 places, 危险作业 13, 约谈通报 1, technical inspectors 2, leaflets 970, people advised 80.
 */
export const SAFETY_ROWS_BY_YEAR: Readonly<
  Record<number, { principalLedInspections: number; helpedPlaces: number; hazardousOperations: number; interviews: number }>
> = Object.freeze({
  2023: { principalLedInspections: 3, helpedPlaces: 10, hazardousOperations: 13, interviews: 1 },
  2024: { principalLedInspections: 4, helpedPlaces: 11, hazardousOperations: 15, interviews: 1 },
  2025: { principalLedInspections: 3, helpedPlaces: 9, hazardousOperations: 12, interviews: 2 },
  2026: { principalLedInspections: 2, helpedPlaces: 8, hazardousOperations: 11, interviews: 0 },
})

/** Safety-month (安全生产月, June) stalls and the year's trainings: one row per event. */
const publicityByYear: Readonly<Record<number, { leaflets: number[]; advised: number[]; trained: number[] }>> = Object.freeze({
  2023: { leaflets: [420, 350, 200], advised: [35, 27, 18], trained: [46, 62] },
  2024: { leaflets: [460, 380, 240], advised: [41, 30, 22], trained: [55, 48] },
  2025: { leaflets: [400, 330, 260], advised: [38, 26, 25], trained: [60, 52, 40] },
  2026: { leaflets: [450, 300, 210], advised: [36, 24, 20], trained: [58] },
})

const facilityPlaceKinds: readonly SafetyPlaceKind[] = [
  'enterprise',
  'construction_site',
  'market',
  'school',
  'kindergarten',
  'hospital',
  'nursing_home',
  'reservoir',
  'pond',
  'shelter',
]

const operationsByIndustry: Record<string, readonly HazardousOperationKind[]> = {
  非煤矿山: ['blasting', 'work_at_height', 'hot_work'],
  建材: ['hot_work', 'confined_space', 'lifting'],
  危化品经营: ['hot_work', 'confined_space', 'temporary_power'],
  水力发电: ['confined_space', 'work_at_height', 'lifting'],
  construction_site: ['work_at_height', 'lifting', 'temporary_power', 'hot_work'],
}
const operationText: Record<HazardousOperationKind, string> = {
  hot_work: '设备检修动火焊接',
  confined_space: '储罐（池）清理进入有限空间',
  work_at_height: '厂房（楼层）外立面高处作业',
  lifting: '设备吊装就位',
  temporary_power: '检修期间临时用电',
  blasting: '采场中深孔爆破',
}

/** Obviously fake phone numbers (1380000xxxx) not yet used anywhere in the town. */
function phoneAllocator(rng: Rng, used: Set<string>): () => string {
  let serial = rng.int(0, 9999)
  return () => {
    for (let tries = 0; tries < 10000; tries++) {
      serial = (serial + 7919) % 10000
      const phone = `1380000${String(serial).padStart(4, '0')}`
      if (!used.has(phone)) {
        used.add(phone)
        return phone
      }
    }
    throw new Error('no fake phone number left')
  }
}

function usedPhones(town: Omit<TownDataset, keyof SafetyDataset>): Set<string> {
  const used = new Set<string>()
  for (const collection of Object.values(town) as { features: { properties: Record<string, unknown> }[] }[]) {
    for (const feature of collection.features) {
      for (const [column, value] of Object.entries(feature.properties))
        if (column.endsWith('phone') && typeof value === 'string') used.add(value)
    }
  }
  return used
}

const feature = <P>(properties: P, geometry: Point | null = null): Feature<Point | null, P> => ({ type: 'Feature', properties, geometry })

export function writeSafetyLedger(rng: Rng, town: Omit<TownDataset, keyof SafetyDataset>): SafetyDataset {
  const nextPhone = phoneAllocator(rng, usedPhones(town))
  const facilities = town.facilities.features
  const townCode = town.admin_areas.features.find((area) => area.properties.level === 'town')?.properties.code ?? ''
  const prefix = townCode.slice(0, 9)

  // ---------------------------------------------------------------- places
  const places: Feature<Point, SafetyPlaceProperties>[] = []
  for (const facility of facilities) {
    const f = facility.properties
    if (!(facilityPlaceKinds as readonly string[]).includes(f.kind)) continue
    let responsible: { name: string | null; phone: string | null }
    if (f.kind === 'enterprise' || f.kind === 'construction_site') responsible = { name: f.contact_name, phone: f.contact_phone }
    else if (f.kind === 'reservoir' || f.kind === 'pond') responsible = { name: f.admin_responsible, phone: f.admin_responsible_phone }
    else responsible = { name: personName(rng), phone: nextPhone() }
    places.push({
      type: 'Feature',
      geometry: facility.geometry,
      properties: {
        code: f.code,
        name: f.name,
        kind: f.kind as SafetyPlaceKind,
        facility_code: f.code,
        admin_code: f.admin_code,
        natural_village_code: f.natural_village_code,
        industry: f.industry,
        responsible_name: responsible.name,
        responsible_phone: responsible.phone,
      },
    })
  }
  const villageAdmins = town.admin_areas.features.filter((area) => area.properties.level === 'village')
  const bare = new Map<string, Position>()
  for (const danger of town.hidden_dangers.features) {
    if (danger.geometry && !bare.has(danger.properties.place_name)) bare.set(danger.properties.place_name, danger.geometry.coordinates)
  }
  let serial = 0
  for (const [name, position] of [...bare].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const admin = villageAdmins.find((area) => pointInMultiPolygon(position, area.geometry.coordinates))
    const villages = town.natural_villages.features.filter((v) => v.properties.admin_code === admin?.properties.code)
    const nearest = villages.reduce<(typeof villages)[number] | null>((best, v) => {
      const d = (v.geometry.coordinates[0] - position[0]) ** 2 + (v.geometry.coordinates[1] - position[1]) ** 2
      const b = best ? (best.geometry.coordinates[0] - position[0]) ** 2 + (best.geometry.coordinates[1] - position[1]) ** 2 : Infinity
      return d < b ? v : best
    }, null)
    const kind: SafetyPlaceKind = name.includes('自建房') ? 'house' : name.includes('边坡') ? 'slope' : 'river'
    places.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: position },
      properties: {
        code: `SP-${prefix}-${String(++serial).padStart(3, '0')}`,
        name,
        kind,
        facility_code: null,
        admin_code: admin?.properties.code ?? null,
        natural_village_code: nearest?.properties.code ?? null,
        industry: null,
        responsible_name: personName(rng),
        responsible_phone: nextPhone(),
      },
    })
  }
  const placeOf = (danger: { facility_code: string | null; place_name: string }): SafetyPlaceProperties => {
    const place = places.find((p) =>
      danger.facility_code
        ? p.properties.facility_code === danger.facility_code
        : p.properties.facility_code === null && p.properties.name === danger.place_name,
    )
    if (!place) throw new Error(`no ledger place for ${danger.place_name}`)
    return place.properties
  }

  // ---------------------------------------------------------------- inspectors
  const inspectorNames = [personName(rng), personName(rng), personName(rng)]
  const inspectors: SafetyInspectorProperties[] = [
    { name: inspectorNames[0]!, employment: 'full_time', active_from: '2021-03-01', active_to: null },
    { name: inspectorNames[1]!, employment: 'part_time', active_from: '2022-04-01', active_to: '2024-06-30' },
    { name: inspectorNames[2]!, employment: 'part_time', active_from: '2024-07-01', active_to: null },
  ]
  const principal = personName(rng)
  const members = [personName(rng), personName(rng), personName(rng)]

  // ---------------------------------------------------------------- per year
  const inspections: SafetyInspectionProperties[] = []
  const sanctions: SafetySanctionProperties[] = []
  const operations: HazardousOperationProperties[] = []
  const visits: SupervisoryVisitProperties[] = []
  const publicity: PublicityEventProperties[] = []
  const lastDay = (year: number): number => Math.min(day(year, 12, 28), datasetAsOf)
  const dangers = town.hidden_dangers.features.map((f) => f.properties)
  const villages = town.natural_villages.features.map((f) => f.properties)
  const seat = villages[0]

  for (const [yearText, rows] of Object.entries(SAFETY_ROWS_BY_YEAR)) {
    const year = Number(yearText)
    const inYear = dangers.filter((d) => d.found_on.startsWith(`${year}-`))

    // Inspections: one per day on which inspections found dangers, with the places visited.
    const byDay = new Map<string, Set<string>>()
    for (const danger of inYear.filter((d) => d.source === 'inspection')) {
      const set = byDay.get(danger.found_on) ?? new Set<string>()
      set.add(placeOf(danger).code)
      byDay.set(danger.found_on, set)
    }
    const days = [...byDay.keys()].sort()
    const led = new Set(rng.shuffle(days).slice(0, rows.principalLedInspections))
    for (const on of days) {
      const activeInspectors = inspectors.filter((i) => i.active_from <= on && (i.active_to === null || i.active_to >= on))
      const lead: InspectionLead = led.has(on) ? 'principal_leader' : rng.chance(0.4) ? 'member' : 'inspector'
      const leader = lead === 'principal_leader' ? principal : lead === 'member' ? rng.pick(members) : rng.pick(activeInspectors).name
      inspections.push({
        code: null,
        inspected_on: on,
        led_by: lead,
        leader,
        team: activeInspectors.map((i) => i.name).join('、'),
        notes: lead === 'principal_leader' ? '主要负责人带队开展安全生产大检查' : null,
        place_codes: [...(byDay.get(on) as Set<string>)].sort(),
      })
    }

    // Sanctions: one per enterprise the ledger sanctioned over a danger found this year.
    const sanctioned = new Map<string, string>()
    for (const danger of inYear) {
      if (danger.sanction === null || danger.facility_code === null) continue
      const first = sanctioned.get(danger.facility_code)
      if (!first || danger.found_on < first) sanctioned.set(danger.facility_code, danger.found_on)
    }
    const sanctionedCodes = [...sanctioned.keys()].sort()
    const interviewed = new Set(rng.shuffle(sanctionedCodes).slice(0, rows.interviews))
    sanctionedCodes.forEach((code, index) => {
      const found = day(...(sanctioned.get(code)!.split('-').map(Number) as [number, number, number]))
      const kind: SanctionKind = interviewed.has(code) ? 'interview' : index % 2 === 0 ? 'exposure' : 'joint_punishment'
      sanctions.push({
        place_code: code,
        imposed_on: isoDate(Math.min(found + rng.int(5, 20), day(year, 12, 31), datasetAsOf)),
        kind,
        note:
          kind === 'interview'
            ? '约谈企业主要负责人并通报'
            : kind === 'exposure'
              ? '隐患整改不力，予以公开曝光'
              : '纳入安全生产失信联合惩戒',
      })
    })

    // Hazardous-operation filings at enterprises of risky industries and construction sites.
    const risky = places.filter(
      (p) =>
        p.properties.kind === 'construction_site' || ['非煤矿山', '建材', '危化品经营', '水力发电'].includes(p.properties.industry ?? ''),
    )
    for (let k = 0; k < rows.hazardousOperations; k++) {
      const place = rng.pick(risky).properties
      const kinds: readonly HazardousOperationKind[] = operationsByIndustry[
        place.kind === 'construction_site' ? 'construction_site' : (place.industry ?? '')
      ] ?? ['hot_work']
      const kind = rng.pick(kinds)
      const filed = rng.int(day(year, 1, 10), lastDay(year) - 6)
      const starts = filed + rng.int(1, 3)
      operations.push({
        place_code: place.code,
        filed_on: isoDate(filed),
        kind,
        starts_on: isoDate(starts),
        ends_on: isoDate(starts + rng.int(0, 4)),
        description: `${place.name}${operationText[kind]}`,
      })
    }

    // Supervisory help: distinct places helped this year, two of them visited twice.
    const helped = rng
      .shuffle(places.filter((p) => ['enterprise', 'construction_site', 'market', 'nursing_home', 'school'].includes(p.properties.kind)))
      .slice(0, rows.helpedPlaces)
      .map((p) => p.properties.code)
    for (const [index, code] of [...helped, ...helped.slice(0, 2)].entries()) {
      visits.push({
        place_code: code,
        visited_on: isoDate(rng.int(day(year, 3, 1), lastDay(year))),
        visited_by: index % 3 === 0 ? '区应急管理局' : '镇安全生产委员会办公室',
        notes: index >= helped.length ? '回头看，复核整改落实情况' : '督导帮扶企业落实主体责任、完善隐患排查制度',
      })
    }

    // Publicity (安全生产月 stalls in June) and trainings.
    const plan = publicityByYear[year]!
    plan.leaflets.forEach((leaflets, index) => {
      const village = index === 0 ? seat : rng.pick(villages)
      publicity.push({
        natural_village_code: village?.code ?? null,
        held_on: isoDate(day(year, 6, 8 + index * 7)),
        kind: index === 0 ? 'publicity' : 'consultation',
        title: index === 0 ? `${year}年“安全生产月”集中宣传咨询日` : '安全生产月宣传咨询',
        location: `${village?.name ?? ''}集市`,
        leaflets,
        people_advised: plan.advised[index]!,
        people_trained: 0,
      })
    })
    plan.trained.forEach((trained, index) => {
      publicity.push({
        natural_village_code: seat?.code ?? null,
        held_on: isoDate(Math.min(day(year, 4 + index * 4, 18), lastDay(year))),
        kind: 'training',
        title: index === 0 ? '企业主要负责人和安全管理人员培训' : '村（社区）安全员、网格员培训',
        location: '镇政府会议室',
        leaflets: 0,
        people_advised: 0,
        people_trained: trained,
      })
    })
  }

  inspections.sort((a, b) => (a.inspected_on < b.inspected_on ? -1 : a.inspected_on > b.inspected_on ? 1 : 0))
  inspections.forEach((row, index) => (row.code = `IN-${prefix}-${String(index + 1).padStart(4, '0')}`))
  const byKey =
    <T>(key: (row: T) => string) =>
    (a: T, b: T) =>
      key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0
  return {
    safety_places: { type: 'FeatureCollection', features: places },
    safety_inspectors: {
      type: 'FeatureCollection',
      features: inspectors.map((row) => feature(row)) as Feature<null, SafetyInspectorProperties>[],
    },
    safety_inspections: {
      type: 'FeatureCollection',
      features: inspections.sort(byKey((r) => r.inspected_on)).map((row) => feature(row)) as Feature<null, SafetyInspectionProperties>[],
    },
    safety_sanctions: {
      type: 'FeatureCollection',
      features: sanctions.sort(byKey((r) => r.imposed_on + r.place_code)).map((row) => feature(row)) as Feature<
        null,
        SafetySanctionProperties
      >[],
    },
    hazardous_operations: {
      type: 'FeatureCollection',
      features: operations.sort(byKey((r) => r.filed_on + r.place_code)).map((row) => feature(row)) as Feature<
        null,
        HazardousOperationProperties
      >[],
    },
    supervisory_visits: {
      type: 'FeatureCollection',
      features: visits.sort(byKey((r) => r.visited_on + r.place_code)).map((row) => feature(row)) as Feature<
        null,
        SupervisoryVisitProperties
      >[],
    },
    publicity_events: {
      type: 'FeatureCollection',
      features: publicity.sort(byKey((r) => r.held_on)).map((row) => feature(row)) as Feature<null, PublicityEventProperties>[],
    },
  }
}
