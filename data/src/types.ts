import type { Columns, HazardStatus, HiddenDangerLevel, HiddenDangerSource, HiddenDangerStatus, HospitalLevel } from '@riskatlas/shared'

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

/*
 * Properties of each file: the table's data columns as declared once in `@riskatlas/shared`
 * (`Columns<table>`), plus references by code where the table holds an id, narrowed where the
 * generator always fills a column the database allows to be empty.
 */

/** 行政区划: the town and its administrative villages (行政村/社区). */
export type AdminAreaProperties = Columns<'admin_areas'> & { population: number; households: number }

/** 自然村: the unit of drills and evacuation. */
export type NaturalVillageProperties = Columns<'natural_villages'> & { elevation_m: number }

export type { HospitalLevel, HazardStatus, HiddenDangerSource, HiddenDangerLevel, HiddenDangerStatus }

/** One row of `facilities`: every column present, `null` where it does not apply to the kind. */
export type FacilityProperties = Columns<'facilities'> & { natural_village_code: string | null }

/** 地质灾害/山洪隐患点. */
export type HazardPointProperties = Columns<'hazard_points'> & { threatened_village_codes: string[] }

/** 危险区 of one hazard point. */
export interface DangerZoneProperties {
  hazard_code: string
}

export type RiverProperties = Columns<'rivers'>
export type RoadProperties = Columns<'roads'>
export type ContourProperties = Columns<'contours'>

/** 转移路线. */
export type EvacuationRouteProperties = Columns<'evacuation_routes'> & {
  natural_village_code: string
  hazard_code: string | null
  shelter_code: string
}

/** 预警. */
export type WarningProperties = Columns<'warnings'> & {
  /** ISO 8601 date-time with offset (Beijing time, +08:00). */
  valid_from: string
  valid_to: string
}

/** 演练. */
export type DrillProperties = Columns<'drills'> & { natural_village_code: string }

/** 特殊人群 (personal data: fictitious here, but handled as if real). */
export type VulnerablePersonProperties = Columns<'vulnerable_people'> & { natural_village_code: string }

/** 隐患台账. */
export type HiddenDangerProperties = Columns<'hidden_dangers'> & { facility_code: string | null }

/** 企业自查. */
export type EnterpriseSelfCheckProperties = Columns<'enterprise_self_checks'> & { facility_code: string }

/** 安全生产台账: 企业/场所 (facility-backed places carry the facility's code as theirs). */
export type SafetyPlaceProperties = Columns<'safety_places'> & { facility_code: string | null; natural_village_code: string | null }
/** 检查, with the places inspected. */
export type SafetyInspectionProperties = Columns<'safety_inspections'> & { place_codes: string[] }
export type SafetySanctionProperties = Columns<'safety_sanctions'> & { place_code: string }
export type SafetyInspectorProperties = Columns<'safety_inspectors'>
export type HazardousOperationProperties = Columns<'hazardous_operations'> & { place_code: string }
export type SupervisoryVisitProperties = Columns<'supervisory_visits'> & { place_code: string }
export type PublicityEventProperties = Columns<'publicity_events'> & { natural_village_code: string | null }

/** The safety-ledger files (`safety.ts`), derived from the town. */
export interface SafetyDataset {
  safety_places: FeatureCollection<Point, SafetyPlaceProperties>
  safety_inspections: FeatureCollection<null, SafetyInspectionProperties>
  safety_sanctions: FeatureCollection<null, SafetySanctionProperties>
  safety_inspectors: FeatureCollection<null, SafetyInspectorProperties>
  hazardous_operations: FeatureCollection<null, HazardousOperationProperties>
  supervisory_visits: FeatureCollection<null, SupervisoryVisitProperties>
  publicity_events: FeatureCollection<null, PublicityEventProperties>
}

/** 汛期. */
export type FloodSeasonProperties = Columns<'flood_seasons'>

/** The whole demo town: one feature collection per database table, keyed by table name. */
export interface TownDataset extends SafetyDataset {
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
  'safety_places',
  'safety_inspectors',
  'safety_inspections',
  'safety_sanctions',
  'hazardous_operations',
  'supervisory_visits',
  'publicity_events',
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
