import type { Bilingual } from './i18n.ts'

export const adminLevels = ['town', 'village'] as const
export type AdminLevel = (typeof adminLevels)[number]

export const facilityKinds = [
  'reservoir',
  'pond',
  'school',
  'kindergarten',
  'nursing_home',
  'hospital',
  'shelter',
  'enterprise',
  'construction_site',
  'market',
  'broadcast',
  'rain_gauge',
] as const
export type FacilityKind = (typeof facilityKinds)[number]

export const hazardKinds = ['landslide', 'collapse', 'debris_flow', 'flash_flood', 'waterlogging'] as const
export type HazardKind = (typeof hazardKinds)[number]

export const hazardStatuses = ['active', 'mitigated', 'closed'] as const
export type HazardStatus = (typeof hazardStatuses)[number]

export const hospitalLevels = ['health_centre', 'clinic'] as const
export type HospitalLevel = (typeof hospitalLevels)[number]

export const routeSources = ['drawn', 'computed'] as const
export type RouteSource = (typeof routeSources)[number]

export const hiddenDangerSources = ['self_check', 'inspection', 'report'] as const
export type HiddenDangerSource = (typeof hiddenDangerSources)[number]
export const hiddenDangerLevels = ['general', 'major'] as const
export type HiddenDangerLevel = (typeof hiddenDangerLevels)[number]
export const hiddenDangerStatuses = ['open', 'rectifying', 'rectified'] as const
export type HiddenDangerStatus = (typeof hiddenDangerStatuses)[number]

export const hazardScales = ['small', 'medium', 'large', 'huge'] as const
export type HazardScale = (typeof hazardScales)[number]

export const reservoirScales = ['medium', 'small_1', 'small_2', 'pond'] as const
export type ReservoirScale = (typeof reservoirScales)[number]

export const drillScenarios = ['flood', 'flash_flood', 'landslide', 'debris_flow', 'earthquake', 'fire'] as const
export type DrillScenario = (typeof drillScenarios)[number]

export const drillStatuses = ['planned', 'held', 'cancelled'] as const
export type DrillStatus = (typeof drillStatuses)[number]

export const vulnerableCategories = ['elderly', 'disabled', 'sick', 'child', 'pregnant'] as const
export type VulnerableCategory = (typeof vulnerableCategories)[number]

export const warningKinds = ['rainstorm', 'flash_flood', 'geological_hazard'] as const
export type WarningKind = (typeof warningKinds)[number]

export const warningLevels = ['blue', 'yellow', 'orange', 'red'] as const
export type WarningLevel = (typeof warningLevels)[number]

export const warningStages = ['prepare', 'move_now'] as const
export type WarningStage = (typeof warningStages)[number]

export const roadClasses = ['county', 'township', 'village', 'track'] as const
export type RoadClass = (typeof roadClasses)[number]

export const riverClasses = ['main', 'tributary', 'stream'] as const
export type RiverClass = (typeof riverClasses)[number]

/** Kinds of place the safety ledger (安全生产台账) records: facility kinds plus bare places. */
export const safetyPlaceKinds = [
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
  'house',
  'slope',
  'river',
] as const
export type SafetyPlaceKind = (typeof safetyPlaceKinds)[number]

/** Who led an inspection (检查带队): the principal leader 主要负责人, a team member 班子成员, an inspector 安全员. */
export const inspectionLeads = ['principal_leader', 'member', 'inspector'] as const
export type InspectionLead = (typeof inspectionLeads)[number]

/** Sanctions on an enterprise: exposure 曝光, interview with notice 约谈通报, joint punishment 联合惩戒. */
export const sanctionKinds = ['exposure', 'interview', 'joint_punishment'] as const
export type SanctionKind = (typeof sanctionKinds)[number]

export const inspectorEmployments = ['full_time', 'part_time'] as const
export type InspectorEmployment = (typeof inspectorEmployments)[number]

/** Hazardous operations that must be filed (危险作业报备). */
export const hazardousOperationKinds = ['hot_work', 'confined_space', 'work_at_height', 'lifting', 'temporary_power', 'blasting'] as const
export type HazardousOperationKind = (typeof hazardousOperationKinds)[number]

export const publicityKinds = ['publicity', 'consultation', 'training'] as const
export type PublicityKind = (typeof publicityKinds)[number]

export const photoPhases = ['before', 'after'] as const
export type PhotoPhase = (typeof photoPhases)[number]

/** Chinese and English names of every enum value, for labels, legends and cards. */
export const enumLabels: Record<string, Bilingual> = {
  town: { zh: '乡镇', en: 'Township' },
  village: { zh: '行政村', en: 'Administrative village' },
  reservoir: { zh: '水库', en: 'Reservoir' },
  pond: { zh: '塘坝', en: 'Pond' },
  school: { zh: '学校', en: 'School' },
  kindergarten: { zh: '幼儿园', en: 'Kindergarten' },
  nursing_home: { zh: '敬老院', en: 'Nursing home' },
  hospital: { zh: '卫生院/卫生室', en: 'Health centre / clinic' },
  shelter: { zh: '避险安置点', en: 'Shelter' },
  enterprise: { zh: '企业', en: 'Enterprise' },
  construction_site: { zh: '建筑工地', en: 'Construction site' },
  market: { zh: '集贸市场', en: 'Market' },
  broadcast: { zh: '应急广播', en: 'Broadcast speaker' },
  rain_gauge: { zh: '雨量站', en: 'Rain gauge' },
  landslide: { zh: '滑坡', en: 'Landslide' },
  collapse: { zh: '崩塌', en: 'Rock fall / collapse' },
  debris_flow: { zh: '泥石流', en: 'Debris flow' },
  flash_flood: { zh: '山洪', en: 'Flash flood' },
  waterlogging: { zh: '内涝', en: 'Waterlogging' },
  small: { zh: '小型', en: 'Small' },
  medium: { zh: '中型', en: 'Medium' },
  large: { zh: '大型', en: 'Large' },
  huge: { zh: '特大型', en: 'Huge' },
  small_1: { zh: '小(一)型', en: 'Small (I)' },
  small_2: { zh: '小(二)型', en: 'Small (II)' },
  flood: { zh: '洪涝', en: 'Flood' },
  earthquake: { zh: '地震', en: 'Earthquake' },
  fire: { zh: '火灾', en: 'Fire' },
  planned: { zh: '已计划', en: 'Planned' },
  held: { zh: '已开展', en: 'Held' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
  elderly: { zh: '老年人', en: 'Elderly' },
  disabled: { zh: '残疾人', en: 'Disabled' },
  sick: { zh: '重病患者', en: 'Seriously ill' },
  child: { zh: '留守儿童', en: 'Child' },
  pregnant: { zh: '孕产妇', en: 'Pregnant' },
  rainstorm: { zh: '暴雨', en: 'Rainstorm' },
  geological_hazard: { zh: '地质灾害', en: 'Geological hazard' },
  blue: { zh: '蓝色', en: 'Blue' },
  yellow: { zh: '黄色', en: 'Yellow' },
  orange: { zh: '橙色', en: 'Orange' },
  red: { zh: '红色', en: 'Red' },
  prepare: { zh: '准备转移', en: 'Prepare to move' },
  move_now: { zh: '立即转移', en: 'Move now' },
  county: { zh: '县道', en: 'County road' },
  township: { zh: '乡道', en: 'Township road' },
  track: { zh: '便道', en: 'Track' },
  main: { zh: '干流', en: 'Main river' },
  tributary: { zh: '支流', en: 'Tributary' },
  stream: { zh: '溪沟', en: 'Stream' },
  active: { zh: '在册', en: 'Active' },
  mitigated: { zh: '已治理', en: 'Mitigated' },
  closed: { zh: '已核销', en: 'Closed' },
  health_centre: { zh: '卫生院', en: 'Health centre' },
  clinic: { zh: '卫生室', en: 'Clinic' },
  self_check: { zh: '自查', en: 'Self-check' },
  inspection: { zh: '检查', en: 'Inspection' },
  report: { zh: '举报', en: 'Report' },
  general: { zh: '一般', en: 'General' },
  major: { zh: '重大', en: 'Major' },
  open: { zh: '待整改', en: 'Open' },
  rectifying: { zh: '整改中', en: 'Rectifying' },
  rectified: { zh: '已整改', en: 'Rectified' },
  house: { zh: '房屋', en: 'House' },
  slope: { zh: '边坡', en: 'Slope' },
  river: { zh: '河段', en: 'River reach' },
  principal_leader: { zh: '主要负责人', en: 'Principal leader' },
  member: { zh: '班子成员', en: 'Team member' },
  inspector: { zh: '安全员', en: 'Inspector' },
  exposure: { zh: '曝光', en: 'Exposure' },
  interview: { zh: '约谈通报', en: 'Interview and notice' },
  joint_punishment: { zh: '联合惩戒', en: 'Joint punishment' },
  full_time: { zh: '专职', en: 'Full-time' },
  part_time: { zh: '兼职', en: 'Part-time' },
  hot_work: { zh: '动火作业', en: 'Hot work' },
  confined_space: { zh: '有限空间作业', en: 'Confined space' },
  work_at_height: { zh: '高处作业', en: 'Work at height' },
  lifting: { zh: '吊装作业', en: 'Lifting' },
  temporary_power: { zh: '临时用电', en: 'Temporary power' },
  blasting: { zh: '爆破作业', en: 'Blasting' },
  publicity: { zh: '宣传', en: 'Publicity' },
  consultation: { zh: '咨询', en: 'Consultation' },
  training: { zh: '培训', en: 'Training' },
  before: { zh: '整改前', en: 'Before' },
  after: { zh: '整改后', en: 'After' },
}
