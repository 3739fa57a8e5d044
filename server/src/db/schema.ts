import type { ColumnType, Generated } from 'kysely'
import type { Columns, UserRole } from '@riskatlas/shared'

/**
 * Kysely's view of the tables. Geometry columns are typed `Geometry`: they are only ever read
 * through PostGIS functions (`ST_AsGeoJSON`) and written through `ST_GeomFromGeoJSON`, so their
 * wire format never reaches TypeScript.
 */
export type Geometry = ColumnType<never, string, string>
type DateText = ColumnType<string, string, string>
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>

/*
 * Each table: its data columns from `@riskatlas/shared` (`Columns<table>`, declared once for
 * the demo data and the server, enums typed), plus what only the database has — identity,
 * foreign keys by id, geometry and timestamps. Dates (`date`) are read as `YYYY-MM-DD` text.
 */
type WithDates<T, K extends keyof T> = Omit<T, K> & { [P in K]: null extends T[P] ? DateText | null : DateText }

export type AdminAreaTable = Columns<'admin_areas'> & { geom: Geometry }

export type NaturalVillageTable = Columns<'natural_villages'> & { id: Generated<number>; geom: Geometry; boundary: Geometry | null }

export type FacilityTable = Columns<'facilities'> & {
  id: Generated<number>
  natural_village_id: number | null
  geom: Geometry
  /** A shelter may be closed (migration 2026-12-02T04, evacuation). */
  shelter_open: Generated<boolean>
}

export type HazardPointTable = Columns<'hazard_points'> & { id: Generated<number>; geom: Geometry; danger_zone: Geometry | null }

export interface HazardThreatenedVillageTable {
  hazard_point_id: number
  natural_village_id: number
}

export interface LineTable {
  id: Generated<number>
  geom: Geometry
}

export type RiverTable = LineTable & Columns<'rivers'>
export type RoadTable = LineTable & Columns<'roads'>
export type ContourTable = LineTable & Columns<'contours'>

export type EvacuationRouteTable = LineTable &
  Columns<'evacuation_routes'> & {
    natural_village_id: number
    hazard_point_id: number | null
    shelter_id: number
    /** People the route carries (a computed plan's share); NULL on drawn routes: the whole village. */
    persons: ColumnType<number | null, number | null | undefined, number | null>
    computed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  }

export type FloodSeasonTable = WithDates<Columns<'flood_seasons'>, 'starts_on' | 'ends_on'>

export type DrillTable = WithDates<Columns<'drills'>, 'planned_on' | 'held_on'> & {
  id: Generated<number>
  natural_village_id: number
  created_at: Timestamp
  updated_at: Timestamp
}

/** Personal data: read only through `people/queries.ts`. */
export type VulnerablePersonTable = Columns<'vulnerable_people'> & {
  id: Generated<number>
  natural_village_id: number
  updated_at: Timestamp
}

export type WarningTable = Columns<'warnings'> & {
  id: Generated<number>
  valid_from: Timestamp
  valid_to: Timestamp
  geom: Geometry
  source: string | null
  area_kind: ColumnType<'polygon' | 'villages', 'polygon' | 'villages' | undefined, 'polygon' | 'villages'>
  lifted_at: Timestamp | null
  revision: ColumnType<number, number | undefined, number>
  created_at: Timestamp
  updated_at: Timestamp
}

/** One per change of a warning (issue, update, lift): the history kept. */
export interface WarningRevisionTable {
  warning_id: number
  revision: number
  at: Timestamp
  actor: string
  change: 'issue' | 'update' | 'lift'
  reason: string | null
  snapshot: unknown
}

export type EnterpriseSelfCheckTable = WithDates<Columns<'enterprise_self_checks'>, 'checked_on'> & {
  id: Generated<number>
  facility_id: number
}

export type HiddenDangerTable = WithDates<Columns<'hidden_dangers'>, 'found_on' | 'deadline' | 'rectified_on'> & {
  id: Generated<number>
  facility_id: number | null
  geom: Geometry | null
  place_id: number | null
  inspection_id: number | null
  /** Personal data (a name): masked below editor. */
  responsible_name: string | null
  supervised_by: string | null
  rectifying_on: DateText | null
  created_at: Generated<Date>
  updated_at: Generated<Date>
}

/** Personal data: `responsible_phone` is read only through `people/queries.ts`. */
export type SafetyPlaceTable = Columns<'safety_places'> & {
  id: Generated<number>
  facility_id: number | null
  natural_village_id: number | null
  geom: Geometry
  created_at: Generated<Date>
  updated_at: Generated<Date>
}
export type SafetyInspectionTable = WithDates<Columns<'safety_inspections'>, 'inspected_on'> & { id: Generated<number> }
export interface SafetyInspectionPlaceTable {
  inspection_id: number
  place_id: number
}
export interface HiddenDangerPhotoTable {
  id: Generated<number>
  hidden_danger_id: number
  phase: 'before' | 'after'
  content_type: string
  byte_size: number
  bytes: Buffer
  uploaded_by: string
  uploaded_at: Generated<Date>
}
export type SafetySanctionTable = WithDates<Columns<'safety_sanctions'>, 'imposed_on'> & {
  id: Generated<number>
  place_id: number
  hidden_danger_id: number | null
}
export type SafetyInspectorTable = WithDates<Columns<'safety_inspectors'>, 'active_from' | 'active_to'> & { id: Generated<number> }
export type HazardousOperationTable = WithDates<Columns<'hazardous_operations'>, 'filed_on' | 'starts_on' | 'ends_on'> & {
  id: Generated<number>
  place_id: number
}
export type SupervisoryVisitTable = WithDates<Columns<'supervisory_visits'>, 'visited_on'> & { id: Generated<number>; place_id: number }
export type PublicityEventTable = WithDates<Columns<'publicity_events'>, 'held_on'> & {
  id: Generated<number>
  natural_village_id: number | null
}
export interface SummaryNarrativeTable {
  year: number
  section: string
  body: string
  updated_by: string
  updated_at: Timestamp
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
/** The bounded event history (`events/history.ts`): its ids are the SSE ids, shared by every instance. */
export interface EventLogTable {
  id: ColumnType<string, never, never>
  at: Generated<Date>
  type: string
  payload: unknown
}

export interface EvacuationProgressTable {
  warning_id: number
  natural_village_id: number
  moved: number
  shelter_id: number | null
  staying_refused: number
  staying_unreachable: number
  staying_already_safe: number
  vulnerable_moved: number
  reports: Generated<number>
  updated_at: Generated<Date>
  updated_by: string
}

export interface ShelterCheckinTable {
  warning_id: number
  shelter_id: number
  checked_in: number
  updated_at: Generated<Date>
  updated_by: string
}

export interface InstructionTable {
  id: Generated<number>
  warning_id: number | null
  text: string
  sent_at: Generated<Date>
  sent_by: string
  ack_within_minutes: number
}

export interface InstructionTargetTable {
  instruction_id: number
  admin_code: string
  acknowledged_at: Date | null
  acknowledged_by: string | null
}

export interface DisplaySetupCodeTable {
  code_hash: string
  display_token_id: number
  created_at: Generated<Date>
  expires_at: Date
  used_at: Date | null
}

export interface DisplaySessionTable {
  id_hash: string
  display_token_id: number
  created_at: Generated<Date>
  expires_at: Date
}

export interface Database extends AccountTables {
  event_log: EventLogTable
  evacuation_progress: EvacuationProgressTable
  shelter_checkins: ShelterCheckinTable
  instructions: InstructionTable
  instruction_targets: InstructionTargetTable
  display_setup_codes: DisplaySetupCodeTable
  display_sessions: DisplaySessionTable
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
  warning_revisions: WarningRevisionTable
  enterprise_self_checks: EnterpriseSelfCheckTable
  hidden_dangers: HiddenDangerTable
  safety_places: SafetyPlaceTable
  safety_inspections: SafetyInspectionTable
  safety_inspection_places: SafetyInspectionPlaceTable
  hidden_danger_photos: HiddenDangerPhotoTable
  safety_sanctions: SafetySanctionTable
  safety_inspectors: SafetyInspectorTable
  hazardous_operations: HazardousOperationTable
  supervisory_visits: SupervisoryVisitTable
  publicity_events: PublicityEventTable
  summary_narratives: SummaryNarrativeTable
  audit_log: AuditLogTable
  data_version: DataVersionTable
}

/** One row: raised by a trigger once per transaction that writes a data table. */
export interface DataVersionTable {
  singleton: ColumnType<boolean, never, never>
  version: ColumnType<number, never, never>
  changed_at: ColumnType<Date, never, never>
  changed_by_xact: ColumnType<string | null, never, never>
}

export interface UserTable {
  id: Generated<number>
  username: string
  display_name: string
  role: UserRole
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
