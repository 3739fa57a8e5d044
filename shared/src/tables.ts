import type {
  AdminLevel,
  DrillScenario,
  DrillStatus,
  FacilityKind,
  HazardKind,
  HazardScale,
  HazardStatus,
  HiddenDangerLevel,
  HiddenDangerSource,
  HiddenDangerStatus,
  HospitalLevel,
  HazardousOperationKind,
  InspectionLead,
  InspectorEmployment,
  PublicityKind,
  SafetyPlaceKind,
  SanctionKind,
  ReservoirScale,
  RiverClass,
  RoadClass,
  RouteSource,
  VulnerableCategory,
  WarningKind,
  WarningLevel,
  WarningStage,
} from './enums.ts'

/**
 * The data columns of each table, in the database's snake_case, declared once: `data/` writes
 * them as GeoJSON properties (adding references by code), `server/` types its Kysely tables
 * with them (adding ids, foreign keys, geometry and timestamps). Enum columns take the shared
 * enum types, so a value the database would refuse does not typecheck either.
 */
export interface TableColumns {
  admin_areas: {
    /** 12-digit 区划代码. */
    code: string
    name: string
    level: AdminLevel
    parent_code: string | null
    population: number | null
    households: number | null
  }
  natural_villages: {
    /** Administrative village code + 3 digits (15 characters). */
    code: string
    name: string
    admin_code: string
    households: number
    population: number
    elevation_m: number | null
  }
  facilities: {
    code: string
    kind: FacilityKind
    name: string
    admin_code: string | null
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
  hazard_points: {
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
  }
  rivers: { name: string; class: RiverClass }
  roads: { name: string | null; class: RoadClass; passable_in_flood: boolean }
  contours: { elevation_m: number }
  evacuation_routes: { length_m: number; walking_minutes: number; source: RouteSource }
  flood_seasons: { year: number; starts_on: string; ends_on: string }
  drills: {
    scenario: DrillScenario
    status: DrillStatus
    planned_on: string | null
    held_on: string | null
    participants: number | null
    vulnerable_moved: number | null
    evacuation_minutes: number | null
    organiser: string | null
    findings: string | null
  }
  /** 特殊人群: personal data. */
  vulnerable_people: {
    category: VulnerableCategory
    name: string
    phone: string | null
    address: string | null
    mobility_needs: string | null
    responsible_name: string | null
    responsible_phone: string | null
  }
  warnings: {
    kind: WarningKind
    level: WarningLevel
    stage: WarningStage
    title: string
    issued_by: string | null
    admin_codes: string[]
  }
  enterprise_self_checks: { checked_on: string }
  hidden_dangers: {
    place_name: string
    found_on: string
    source: HiddenDangerSource
    description: string
    level: HiddenDangerLevel
    status: HiddenDangerStatus
    deadline: string | null
    rectified_on: string | null
    supervised: boolean
    sanction: string | null
  }
  /** 企业/场所 of the safety ledger; responsible person's phone is personal data (people/). */
  safety_places: {
    code: string
    name: string
    kind: SafetyPlaceKind
    admin_code: string | null
    industry: string | null
    responsible_name: string | null
    responsible_phone: string | null
  }
  /** 检查. */
  safety_inspections: {
    code: string | null
    inspected_on: string
    led_by: InspectionLead
    leader: string
    team: string | null
    notes: string | null
  }
  /** 曝光、约谈通报、联合惩戒. */
  safety_sanctions: { imposed_on: string; kind: SanctionKind; note: string | null }
  /** 专兼职安全技术检查员. */
  safety_inspectors: { name: string; employment: InspectorEmployment; active_from: string; active_to: string | null }
  /** 危险作业报备. */
  hazardous_operations: { filed_on: string; kind: HazardousOperationKind; starts_on: string; ends_on: string; description: string }
  /** 督导帮扶. */
  supervisory_visits: { visited_on: string; visited_by: string; notes: string | null }
  /** 宣传咨询、培训. */
  publicity_events: {
    held_on: string
    kind: PublicityKind
    title: string
    location: string
    leaflets: number
    people_advised: number
    people_trained: number
  }
}

export type Columns<T extends keyof TableColumns> = TableColumns[T]
