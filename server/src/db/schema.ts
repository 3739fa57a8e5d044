import type { ColumnType, Generated } from 'kysely'

/**
 * Kysely's view of the tables. Geometry columns are typed `Geometry`: they are only ever read
 * through PostGIS functions (`ST_AsGeoJSON`) and written through `ST_GeomFromGeoJSON`, so their
 * wire format never reaches TypeScript.
 */
export type Geometry = ColumnType<never, string, string>
type DateText = ColumnType<string, string, string>
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>

export interface AdminAreaTable {
  code: string
  name: string
  level: 'town' | 'village'
  parent_code: string | null
  population: number | null
  households: number | null
  geom: Geometry
}

export interface NaturalVillageTable {
  id: Generated<number>
  code: string
  name: string
  admin_code: string
  households: number
  population: number
  elevation_m: number | null
  geom: Geometry
  boundary: Geometry | null
}

export interface FacilityTable {
  id: Generated<number>
  code: string
  kind: string
  name: string
  admin_code: string | null
  natural_village_id: number | null
  address: string | null
  reservoir_scale: string | null
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
  hospital_level: string | null
  capacity_persons: number | null
  area_m2: number | null
  coverage_radius_m: number | null
  industry: string | null
  contact_name: string | null
  contact_phone: string | null
  geom: Geometry
}

export interface HazardPointTable {
  id: Generated<number>
  code: string
  name: string
  kind: string
  scale: string
  risk_level: number
  admin_code: string | null
  threatened_households: number
  threatened_people: number
  threatened_property_10k_yuan: number
  monitor_name: string | null
  monitor_phone: string | null
  responsible_name: string | null
  responsible_phone: string | null
  status: string
  geom: Geometry
  danger_zone: Geometry | null
}

export interface HazardThreatenedVillageTable {
  hazard_point_id: number
  natural_village_id: number
}

export interface LineTable {
  id: Generated<number>
  geom: Geometry
}

export interface RiverTable extends LineTable {
  name: string
  class: string
}

export interface RoadTable extends LineTable {
  name: string | null
  class: string
  passable_in_flood: boolean
}

export interface ContourTable extends LineTable {
  elevation_m: number
}

export interface EvacuationRouteTable extends LineTable {
  natural_village_id: number
  hazard_point_id: number | null
  shelter_id: number
  length_m: number
  walking_minutes: number
  source: string
}

export interface FloodSeasonTable {
  year: number
  starts_on: DateText
  ends_on: DateText
}

export interface DrillTable {
  id: Generated<number>
  natural_village_id: number
  scenario: string
  status: string
  planned_on: DateText | null
  held_on: DateText | null
  participants: number | null
  vulnerable_moved: number | null
  evacuation_minutes: number | null
  organiser: string | null
  findings: string | null
  created_at: Timestamp
  updated_at: Timestamp
}

export interface VulnerablePersonTable {
  id: Generated<number>
  natural_village_id: number
  category: string
  name: string
  phone: string | null
  address: string | null
  mobility_needs: string | null
  responsible_name: string | null
  responsible_phone: string | null
  updated_at: Timestamp
}

export interface WarningTable {
  id: Generated<number>
  kind: string
  level: string
  stage: string
  title: string
  issued_by: string | null
  valid_from: Timestamp
  valid_to: Timestamp
  admin_codes: string[]
  geom: Geometry
}

export interface EnterpriseSelfCheckTable {
  id: Generated<number>
  facility_id: number
  checked_on: DateText
}

export interface HiddenDangerTable {
  id: Generated<number>
  facility_id: number | null
  place_name: string
  found_on: DateText
  source: string
  description: string
  level: string
  status: string
  deadline: DateText | null
  rectified_on: DateText | null
  supervised: boolean
  sanction: string | null
  geom: Geometry | null
}

export interface AuditLogTable {
  id: ColumnType<number, never, never>
  at: Timestamp
  actor: string
  action: string
  entity: string
  entity_id: string | null
  reason: string | null
  details: unknown
}

/** Every table of DESIGN.md section 2, plus accounts. */
export interface Database extends AccountTables {
  admin_areas: AdminAreaTable
  natural_villages: NaturalVillageTable
  facilities: FacilityTable
  hazard_points: HazardPointTable
  hazard_threatened_villages: HazardThreatenedVillageTable
  rivers: RiverTable
  roads: RoadTable
  contours: ContourTable
  evacuation_routes: EvacuationRouteTable
  flood_seasons: FloodSeasonTable
  drills: DrillTable
  vulnerable_people: VulnerablePersonTable
  warnings: WarningTable
  enterprise_self_checks: EnterpriseSelfCheckTable
  hidden_dangers: HiddenDangerTable
  audit_log: AuditLogTable
}

export interface UserTable {
  id: Generated<number>
  username: string
  display_name: string
  role: 'admin' | 'editor' | 'viewer'
  village_scope: string[] | null
  password_hash: string
  disabled: ColumnType<boolean, boolean | undefined, boolean>
  created_at: Timestamp
}

export interface SessionTable {
  id_hash: string
  user_id: number
  csrf_token: string
  created_at: Timestamp
  expires_at: Timestamp
}

export interface DisplayTokenTable {
  id: Generated<number>
  name: string
  token_hash: string
  created_by: number | null
  created_at: Timestamp
  revoked_at: Timestamp | null
}

export interface AccountTables {
  users: UserTable
  sessions: SessionTable
  display_tokens: DisplayTokenTable
}
