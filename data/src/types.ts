import type {
  AdminLevel,
  DrillScenario,
  DrillStatus,
  FacilityKind,
  HazardKind,
  HazardScale,
  ReservoirScale,
  RiverClass,
  RoadClass,
  VulnerableCategory,
  WarningKind,
  WarningLevel,
  WarningStage,
} from '@riskatlas/shared'

/** `[longitude, latitude]` in WGS84 degrees, 6 decimals. */
export type Position = [number, number]

export interface Point {
  type: 'Point'
  coordinates: Position
}
export interface LineString {
  type: 'LineString'
  coordinates: Position[]
}
/** Exterior rings counter-clockwise, holes clockwise, every ring closed (RFC 7946). */
export interface MultiPolygon {
  type: 'MultiPolygon'
  coordinates: Position[][][]
}
export type Geometry = Point | LineString | MultiPolygon

export interface Feature<G extends Geometry | null, P> {
  type: 'Feature'
  properties: P
  geometry: G
}

export interface FeatureCollection<G extends Geometry | null, P> {
  type: 'FeatureCollection'
  features: Feature<G, P>[]
}

/** ISO date `YYYY-MM-DD`. */
export type IsoDate = string

/** 行政区划: the town and its administrative villages (行政村/社区). */
export interface AdminAreaProperties {
  /** 12-digit 区划代码. */
  code: string
  name: string
  level: AdminLevel
  parent_code: string | null
  population: number
  households: number
}

/** 自然村: the unit of drills and evacuation. */
export interface NaturalVillageProperties {
  /** Administrative village code + 3 digits (15 characters). */
  code: string
  name: string
  admin_code: string
  households: number
  population: number
  elevation_m: number
}

export type HospitalLevel = 'health_centre' | 'clinic'

/** One row of `facilities`: every column present, `null` where it does not apply to the kind. */
export interface FacilityProperties {
  code: string
  kind: FacilityKind
  name: string
  admin_code: string | null
  natural_village_code: string | null
  address: string | null
  reservoir_scale: ReservoirScale | null
  storage_10k_m3: number | null
  dam_height_m: number | null
  admin_responsible: string | null
  admin_responsible_phone: string | null
  tech_responsible: string | null
  tech_responsible_phone: string | null
  patrol_responsible: string | null
  patrol_responsible_phone: string | null
  pupils: number | null
  boarders: number | null
  residents: number | null
  beds: number | null
  hospital_level: HospitalLevel | null
  capacity_persons: number | null
  area_m2: number | null
  coverage_radius_m: number | null
  industry: string | null
  contact_name: string | null
  contact_phone: string | null
}

export type HazardStatus = 'active' | 'mitigated' | 'closed'

/** 地质灾害/山洪隐患点. */
export interface HazardPointProperties {
  code: string
  name: string
  kind: HazardKind
  scale: HazardScale
  /** 1 (low 低) … 4 (very high 极高). */
  risk_level: number
  admin_code: string | null
  threatened_households: number
  threatened_people: number
  threatened_property_10k_yuan: number
  monitor_name: string | null
  monitor_phone: string | null
  responsible_name: string | null
  responsible_phone: string | null
  status: HazardStatus
  threatened_village_codes: string[]
}

/** 危险区 of one hazard point. */
export interface DangerZoneProperties {
  hazard_code: string
}

export interface RiverProperties {
  name: string
  class: RiverClass
}

export interface RoadProperties {
  name: string | null
  class: RoadClass
  passable_in_flood: boolean
}

export interface ContourProperties {
  elevation_m: number
}

/** 转移路线. */
export interface EvacuationRouteProperties {
  natural_village_code: string
  hazard_code: string | null
  shelter_code: string
  length_m: number
  walking_minutes: number
  source: 'drawn' | 'computed'
}

/** 预警. */
export interface WarningProperties {
  kind: WarningKind
  level: WarningLevel
  stage: WarningStage
  title: string
  issued_by: string | null
  /** ISO 8601 date-time with offset (Beijing time, +08:00). */
  valid_from: string
  valid_to: string
  admin_codes: string[]
}

/** 演练. */
export interface DrillProperties {
  natural_village_code: string
  scenario: DrillScenario
  status: DrillStatus
  planned_on: IsoDate | null
  held_on: IsoDate | null
  participants: number | null
  vulnerable_moved: number | null
  evacuation_minutes: number | null
  organiser: string | null
  findings: string | null
}

/** 特殊人群 (personal data: fictitious here, but handled as if real). */
export interface VulnerablePersonProperties {
  natural_village_code: string
  category: VulnerableCategory
  name: string
  phone: string | null
  address: string | null
  mobility_needs: string | null
  responsible_name: string | null
  responsible_phone: string | null
}

export type HiddenDangerSource = 'self_check' | 'inspection'
export type HiddenDangerLevel = 'general' | 'major'
export type HiddenDangerStatus = 'open' | 'rectifying' | 'rectified'

/** 隐患台账. */
export interface HiddenDangerProperties {
  facility_code: string | null
  place_name: string
  found_on: IsoDate
  source: HiddenDangerSource
  description: string
  level: HiddenDangerLevel
  status: HiddenDangerStatus
  deadline: IsoDate | null
  rectified_on: IsoDate | null
  supervised: boolean
  sanction: string | null
}

/** 企业自查. */
export interface EnterpriseSelfCheckProperties {
  facility_code: string
  checked_on: IsoDate
}

/** 汛期. */
export interface FloodSeasonProperties {
  year: number
  starts_on: IsoDate
  ends_on: IsoDate
}

/** The whole demo town: one feature collection per database table, keyed by table name. */
export interface TownDataset {
  admin_areas: FeatureCollection<MultiPolygon, AdminAreaProperties>
  natural_villages: FeatureCollection<Point, NaturalVillageProperties>
  facilities: FeatureCollection<Point, FacilityProperties>
  hazard_points: FeatureCollection<Point, HazardPointProperties>
  danger_zones: FeatureCollection<MultiPolygon, DangerZoneProperties>
  rivers: FeatureCollection<LineString, RiverProperties>
  roads: FeatureCollection<LineString, RoadProperties>
  contours: FeatureCollection<LineString, ContourProperties>
  evacuation_routes: FeatureCollection<LineString, EvacuationRouteProperties>
  warnings: FeatureCollection<MultiPolygon, WarningProperties>
  drills: FeatureCollection<null, DrillProperties>
  vulnerable_people: FeatureCollection<null, VulnerablePersonProperties>
  hidden_dangers: FeatureCollection<Point | null, HiddenDangerProperties>
  enterprise_self_checks: FeatureCollection<null, EnterpriseSelfCheckProperties>
  flood_seasons: FeatureCollection<null, FloodSeasonProperties>
}

export type TownTable = keyof TownDataset

/**
 * Every table of the dataset, in an order that lets a seeder insert them one after another
 * (a table's references point only to tables before it).
 */
export const townTables = [
  'flood_seasons',
  'admin_areas',
  'natural_villages',
  'facilities',
  'hazard_points',
  'danger_zones',
  'rivers',
  'roads',
  'contours',
  'evacuation_routes',
  'warnings',
  'drills',
  'vulnerable_people',
  'enterprise_self_checks',
  'hidden_dangers',
] as const satisfies readonly TownTable[]

/** The figures of one year's hidden-danger ledger (隐患排查整改). */
export interface LedgerFigures {
  /** Distinct enterprises with a self-check (企业自查) dated that year. */
  enterprisesSelfChecked: number
  /** Hidden dangers found that year (排查隐患). */
  hiddenDangersFound: number
  /** Of those, rectified (已整改) by the dataset's date. */
  rectified: number
  /** Of those, major (重大隐患). */
  major: number
  /** Of those, listed for supervision (挂牌督办). */
  supervised: number
  /** Distinct enterprises sanctioned over a danger found that year (处罚). */
  enterprisesSanctioned: number
}
