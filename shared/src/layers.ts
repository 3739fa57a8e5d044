import type { Bilingual } from './i18n.ts'

/** The five groups of the layer panel, the way a township emergency office thinks. */
export const layerGroups = ['hazards', 'exposure', 'water', 'response', 'base'] as const
export type LayerGroup = (typeof layerGroups)[number]

export const layerGroupTitles: Record<LayerGroup, Bilingual> = {
  hazards: { zh: '危险源', en: 'Hazards' },
  exposure: { zh: '承灾体', en: 'Exposure' },
  water: { zh: '水利', en: 'Water' },
  response: { zh: '应急', en: 'Response' },
  base: { zh: '底图', en: 'Base' },
}

export type GeometryType = 'Point' | 'LineString' | 'MultiPolygon'

export type PropertyType = 'string' | 'integer' | 'number' | 'boolean' | 'enum' | 'string[]' | 'datetime'

/** One public attribute of a layer: safe for anyone, never personal data. */
export interface LayerProperty {
  name: string
  type: PropertyType
  title: Bilingual
  unit?: string
}

export interface LayerDefinition {
  id: string
  title: Bilingual
  group: LayerGroup
  geometryType: GeometryType
  /** Shown when the workspace first opens. */
  visibleByDefault: boolean
  properties: LayerProperty[]
}

const p = (name: string, type: PropertyType, zh: string, en: string, unit?: string): LayerProperty =>
  unit ? { name, type, title: { zh, en }, unit } : { name, type, title: { zh, en } }

const code = p('code', 'string', '编号', 'Code')
const name = p('name', 'string', '名称', 'Name')
const adminName = p('admin_name', 'string', '所属行政村', 'Administrative village')

const facilityBase = [code, name, adminName, p('address', 'string', '地址', 'Address')]

/**
 * The public layer catalogue. Property lists are the whole public surface of each layer:
 * the server selects exactly these and nothing else, so personal data (vulnerable people,
 * phone numbers) cannot reach a layer by accident.
 */
export const layerCatalogue: readonly LayerDefinition[] = [
  {
    id: 'hazard_points',
    title: { zh: '地质灾害/山洪隐患点', en: 'Hazard points' },
    group: 'hazards',
    geometryType: 'Point',
    visibleByDefault: true,
    properties: [
      code,
      name,
      adminName,
      p('kind', 'enum', '类型', 'Kind'),
      p('scale', 'enum', '规模', 'Scale'),
      p('risk_level', 'integer', '风险等级', 'Risk level'),
      p('threatened_households', 'integer', '威胁户数', 'Threatened households', '户'),
      p('threatened_people', 'integer', '威胁人数', 'Threatened people', '人'),
      p('threatened_property_10k_yuan', 'number', '威胁财产', 'Threatened property', '万元'),
      p('monitor_name', 'string', '监测员', 'Monitor'),
      p('responsible_name', 'string', '责任人', 'Responsible person'),
      p('status', 'enum', '状态', 'Status'),
      p('threatened_villages', 'string[]', '威胁自然村', 'Threatened natural villages'),
      p('threatened_village_codes', 'string[]', '威胁自然村编号', 'Threatened village codes'),
    ],
  },
  {
    id: 'danger_zones',
    title: { zh: '危险区', en: 'Danger zones' },
    group: 'hazards',
    geometryType: 'MultiPolygon',
    visibleByDefault: true,
    properties: [
      p('hazard_code', 'string', '隐患点编号', 'Hazard code'),
      p('hazard_name', 'string', '隐患点名称', 'Hazard name'),
      p('kind', 'enum', '类型', 'Kind'),
      p('risk_level', 'integer', '风险等级', 'Risk level'),
    ],
  },
  {
    id: 'active_warnings',
    title: { zh: '生效预警', en: 'Active warnings' },
    group: 'hazards',
    geometryType: 'MultiPolygon',
    visibleByDefault: true,
    properties: [
      p('title', 'string', '标题', 'Title'),
      p('kind', 'enum', '预警类型', 'Kind'),
      p('level', 'enum', '预警等级', 'Level'),
      p('stage', 'enum', '转移阶段', 'Stage'),
      p('issued_by', 'string', '发布单位', 'Issued by'),
      p('valid_from', 'datetime', '生效时间', 'Valid from'),
      p('valid_to', 'datetime', '失效时间', 'Valid to'),
    ],
  },
  {
    id: 'natural_villages',
    title: { zh: '自然村', en: 'Natural villages' },
    group: 'exposure',
    geometryType: 'Point',
    visibleByDefault: true,
    properties: [
      code,
      name,
      adminName,
      p('households', 'integer', '户数', 'Households', '户'),
      p('population', 'integer', '人口', 'Population', '人'),
      p('vulnerable_count', 'integer', '特殊人群', 'Vulnerable people', '人'),
      p('hazard_count', 'integer', '威胁隐患点', 'Threatening hazards', '处'),
      p('elevation_m', 'number', '海拔', 'Elevation', 'm'),
    ],
  },
  {
    id: 'schools',
    title: { zh: '学校', en: 'Schools' },
    group: 'exposure',
    geometryType: 'Point',
    visibleByDefault: true,
    properties: [
      ...facilityBase,
      p('pupils', 'integer', '在校学生', 'Pupils', '人'),
      p('boarders', 'integer', '寄宿学生', 'Boarders', '人'),
    ],
  },
  {
    id: 'kindergartens',
    title: { zh: '幼儿园', en: 'Kindergartens' },
    group: 'exposure',
    geometryType: 'Point',
    visibleByDefault: true,
    properties: [...facilityBase, p('pupils', 'integer', '在园幼儿', 'Children', '人')],
  },
  {
    id: 'nursing_homes',
    title: { zh: '敬老院', en: 'Nursing homes' },
    group: 'exposure',
    geometryType: 'Point',
    visibleByDefault: true,
    properties: [...facilityBase, p('residents', 'integer', '入住老人', 'Residents', '人'), p('beds', 'integer', '床位', 'Beds', '张')],
  },
  {
    id: 'hospitals',
    title: { zh: '卫生院/卫生室', en: 'Health centres and clinics' },
    group: 'exposure',
    geometryType: 'Point',
    visibleByDefault: true,
    properties: [...facilityBase, p('hospital_level', 'enum', '级别', 'Level'), p('beds', 'integer', '床位', 'Beds', '张')],
  },
  {
    id: 'reservoirs',
    title: { zh: '水库', en: 'Reservoirs' },
    group: 'water',
    geometryType: 'Point',
    visibleByDefault: true,
    properties: [
      ...facilityBase,
      p('reservoir_scale', 'enum', '规模', 'Scale'),
      p('storage_10k_m3', 'number', '库容', 'Storage', '万m³'),
      p('dam_height_m', 'number', '坝高', 'Dam height', 'm'),
      p('admin_responsible', 'string', '行政责任人', 'Administrative responsible'),
      p('tech_responsible', 'string', '技术责任人', 'Technical responsible'),
      p('patrol_responsible', 'string', '巡查责任人', 'Patrol responsible'),
    ],
  },
  {
    id: 'ponds',
    title: { zh: '塘坝', en: 'Ponds' },
    group: 'water',
    geometryType: 'Point',
    visibleByDefault: true,
    properties: [
      ...facilityBase,
      p('storage_10k_m3', 'number', '库容', 'Storage', '万m³'),
      p('dam_height_m', 'number', '坝高', 'Dam height', 'm'),
      p('admin_responsible', 'string', '行政责任人', 'Administrative responsible'),
      p('tech_responsible', 'string', '技术责任人', 'Technical responsible'),
      p('patrol_responsible', 'string', '巡查责任人', 'Patrol responsible'),
    ],
  },
  {
    id: 'rivers',
    title: { zh: '河流', en: 'Rivers' },
    group: 'water',
    geometryType: 'LineString',
    visibleByDefault: true,
    properties: [name, p('class', 'enum', '等级', 'Class')],
  },
  {
    id: 'shelters',
    title: { zh: '避险安置点', en: 'Shelters' },
    group: 'response',
    geometryType: 'Point',
    visibleByDefault: true,
    properties: [
      ...facilityBase,
      p('capacity_persons', 'integer', '容纳人数', 'Capacity', '人'),
      p('area_m2', 'number', '面积', 'Area', 'm²'),
      p('assigned_villages', 'string[]', '安置自然村', 'Assigned natural villages'),
      p('assigned_village_codes', 'string[]', '安置自然村编号', 'Assigned village codes'),
      p('assigned_people', 'integer', '安置人数', 'Assigned people', '人'),
    ],
  },
  {
    id: 'evacuation_routes',
    title: { zh: '转移路线', en: 'Evacuation routes' },
    group: 'response',
    geometryType: 'LineString',
    visibleByDefault: true,
    properties: [
      p('village_name', 'string', '自然村', 'Natural village'),
      p('village_code', 'string', '自然村编号', 'Village code'),
      p('shelter_name', 'string', '安置点', 'Shelter'),
      p('shelter_code', 'string', '安置点编号', 'Shelter code'),
      p('hazard_code', 'string', '隐患点编号', 'Hazard code'),
      p('length_m', 'number', '长度', 'Length', 'm'),
      p('walking_minutes', 'number', '步行时间', 'Walking time', '分钟'),
      p('source', 'enum', '来源', 'Source'),
    ],
  },
  {
    id: 'broadcast_speakers',
    title: { zh: '应急广播', en: 'Broadcast speakers' },
    group: 'response',
    geometryType: 'Point',
    visibleByDefault: false,
    properties: [...facilityBase, p('coverage_radius_m', 'number', '覆盖半径', 'Coverage radius', 'm')],
  },
  {
    id: 'broadcast_reach',
    title: { zh: '广播覆盖范围', en: 'Broadcast reach' },
    group: 'response',
    geometryType: 'MultiPolygon',
    visibleByDefault: false,
    properties: [code, name, p('coverage_radius_m', 'number', '覆盖半径', 'Coverage radius', 'm')],
  },
  {
    id: 'rain_gauges',
    title: { zh: '雨量站', en: 'Rain gauges' },
    group: 'response',
    geometryType: 'Point',
    visibleByDefault: false,
    properties: facilityBase,
  },
  {
    id: 'town_boundary',
    title: { zh: '乡镇界', en: 'Township boundary' },
    group: 'base',
    geometryType: 'MultiPolygon',
    visibleByDefault: true,
    properties: [code, name, p('population', 'integer', '人口', 'Population', '人')],
  },
  {
    id: 'village_boundaries',
    title: { zh: '行政村界', en: 'Village boundaries' },
    group: 'base',
    geometryType: 'MultiPolygon',
    visibleByDefault: true,
    properties: [
      code,
      name,
      p('population', 'integer', '人口', 'Population', '人'),
      p('households', 'integer', '户数', 'Households', '户'),
    ],
  },
  {
    id: 'roads',
    title: { zh: '道路', en: 'Roads' },
    group: 'base',
    geometryType: 'LineString',
    visibleByDefault: true,
    properties: [name, p('class', 'enum', '等级', 'Class'), p('passable_in_flood', 'boolean', '汛期可通行', 'Passable in flood')],
  },
  {
    id: 'contours',
    title: { zh: '等高线', en: 'Contours' },
    group: 'base',
    geometryType: 'LineString',
    visibleByDefault: true,
    properties: [p('elevation_m', 'integer', '高程', 'Elevation', 'm')],
  },
]

export const layerIds = layerCatalogue.map((layer) => layer.id)

export function findLayer(id: string): LayerDefinition | undefined {
  return layerCatalogue.find((layer) => layer.id === id)
}
