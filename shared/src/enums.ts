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

export const hiddenDangerSources = ['self_check', 'inspection'] as const
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
}
