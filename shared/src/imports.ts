import { z } from 'zod'
import { facilityKinds, hazardKinds, hazardScales, hazardStatuses, vulnerableCategories } from './enums.ts'
import type { Bilingual } from './i18n.ts'
import {
  importFileProblemCodes,
  importFileWarningCodes,
  importIssueCodes,
  importParamsSchema,
  type ImportIssueCode,
  type ImportParams,
} from './importWords.ts'

/**
 * What can be imported, field by field: the vocabulary the server's parsers, the header
 * matcher, the templates and the `/data` view share. Each field lists the header spellings real
 * spreadsheets use (Chinese first); matching is done on normalised text (half-width, no spaces,
 * lower case), exact spellings before "contains".
 */
export const importLayers = ['hazard_points', 'facilities', 'natural_villages', 'danger_zones', 'vulnerable_people'] as const
export type ImportLayer = (typeof importLayers)[number]

export type ImportFieldType = 'text' | 'integer' | 'number' | 'enum' | 'phone' | 'date' | 'longitude' | 'latitude'

export interface ImportField {
  key: string
  label: Bilingual
  type: ImportFieldType
  required?: boolean
  /** Allowed values (English codes); Chinese labels from `enumLabels` are accepted too. */
  values?: readonly string[]
  /** Header spellings that map to this field. */
  aliases: readonly string[]
  /** An example value for the template's example row. */
  example: string
  /** A note for the template's notes row. */
  note?: string
}

export interface ImportTarget {
  layer: ImportLayer
  title: Bilingual
  /** Where the geometry comes from: two coordinate columns, a geometry in the file, or none. */
  geometry: 'point' | 'polygon' | 'none'
  fields: readonly ImportField[]
  /** Personal data: imported only by editors, within their villages, through `people/`. */
  personal?: boolean
  /** The commit modes the layer takes (the server refuses others; the `/data` view offers only these). */
  modes: readonly ImportMode[]
}

const f = (
  key: string,
  zh: string,
  en: string,
  type: ImportFieldType,
  aliases: readonly string[],
  example: string,
  extra: Partial<ImportField> = {},
): ImportField => ({ key, label: { zh, en }, type, aliases, example, ...extra })

const lon = f(
  'lon',
  '经度',
  'Longitude',
  'longitude',
  ['经度', '东经', 'lon', 'lng', 'long', 'longitude', 'x', 'x坐标', '经度坐标'],
  '99°10′12.5″E',
  {
    note: '十进制度或度分秒，如 99.1701 或 99°10′12.5″',
  },
)
const lat = f('lat', '纬度', 'Latitude', 'latitude', ['纬度', '北纬', 'lat', 'latitude', 'y', 'y坐标', '纬度坐标'], '25°05′30″N', {
  note: '十进制度或度分秒，如 25.0917 或 25°05′30″',
})
const code = (example: string) =>
  f('code', '编号', 'Code', 'text', ['编号', '编码', '代码', '统一编号', 'code', 'id', 'no'], example, {
    required: true,
    note: '唯一，用于更新和关联',
  })
const name = (example: string) =>
  f('name', '名称', 'Name', 'text', ['名称', '名字', '点名', '隐患点名称', 'name'], example, { required: true })
const adminCode = f(
  'admin_code',
  '行政村代码',
  'Administrative village code',
  'text',
  ['行政村代码', '村代码', '行政区划代码', '区划代码', 'admin_code', 'admincode'],
  '530502199207',
  {
    note: '12 位区划代码',
  },
)

const allModes = ['append', 'replace', 'upsert'] as const

export const importTargets: Record<ImportLayer, ImportTarget> = {
  hazard_points: {
    layer: 'hazard_points',
    title: { zh: '地质灾害/山洪隐患点', en: 'Hazard points' },
    geometry: 'point',
    modes: allModes,
    fields: [
      code('HZ-530502199-101'),
      name('小河山洪沟'),
      f('kind', '类型', 'Kind', 'enum', ['类型', '灾害类型', '隐患类型', 'kind', 'type'], '滑坡', {
        required: true,
        values: hazardKinds,
        note: '滑坡/崩塌/泥石流/山洪/内涝',
      }),
      f('scale', '规模', 'Scale', 'enum', ['规模', '规模等级', 'scale'], '中型', {
        values: hazardScales,
        note: '小型/中型/大型/特大型，默认小型',
      }),
      f('risk_level', '风险等级', 'Risk level', 'integer', ['风险等级', '险情等级', '危险等级', 'risk_level', 'risk'], '3', {
        note: '1（低）至 4（极高），默认 2',
      }),
      adminCode,
      f('threatened_households', '威胁户数', 'Threatened households', 'integer', ['威胁户数', '受威胁户数', '户数', 'households'], '32'),
      f(
        'threatened_people',
        '威胁人数',
        'Threatened people',
        'integer',
        ['威胁人数', '受威胁人数', '威胁人口', '人数', 'people', 'population'],
        '127',
      ),
      f(
        'threatened_property_10k_yuan',
        '威胁财产（万元）',
        'Threatened property (10k yuan)',
        'number',
        ['威胁财产', '威胁财产万元', '财产', 'property'],
        '376.1',
      ),
      f('monitor_name', '监测员', 'Monitor', 'text', ['监测员', '监测人', '群测群防员', 'monitor'], '闫凤'),
      f('monitor_phone', '联系电话', 'Monitor phone', 'phone', ['联系电话', '监测员电话', '电话', '手机', 'phone', 'tel'], '13800009077'),
      f('responsible_name', '责任人', 'Responsible person', 'text', ['责任人', '防灾责任人', 'responsible'], '陈秀'),
      f(
        'responsible_phone',
        '责任人电话',
        'Responsible person phone',
        'phone',
        ['责任人电话', '责任人联系电话', 'responsible_phone'],
        '13800007289',
      ),
      f('status', '状态', 'Status', 'enum', ['状态', 'status'], '在册', { values: hazardStatuses, note: '在册/已治理/已核销，默认在册' }),
      lon,
      lat,
    ],
  },
  facilities: {
    layer: 'facilities',
    title: { zh: '重点设施', en: 'Facilities' },
    geometry: 'point',
    modes: allModes,
    fields: [
      code('SH-530502199-101'),
      name('中心小学避险点'),
      f('kind', '类型', 'Kind', 'enum', ['类型', '设施类型', 'kind', 'type'], '避险安置点', { required: true, values: facilityKinds }),
      adminCode,
      f('address', '地址', 'Address', 'text', ['地址', '位置', 'address'], '云岭镇中心村'),
      f('capacity_persons', '容纳人数', 'Capacity (persons)', 'integer', ['容纳人数', '可容纳人数', 'capacity'], '300'),
      f('contact_name', '联系人', 'Contact', 'text', ['联系人', '负责人', 'contact'], '李明'),
      f('contact_phone', '联系电话', 'Contact phone', 'phone', ['联系电话', '电话', '手机', 'phone', 'tel'], '13800001234'),
      lon,
      lat,
    ],
  },
  natural_villages: {
    layer: 'natural_villages',
    title: { zh: '自然村', en: 'Natural villages' },
    geometry: 'point',
    // No replace: deleting a natural village would delete its people and drills with it.
    modes: ['append', 'upsert'],
    fields: [
      code('530502199207101'),
      name('新寨'),
      { ...adminCode, required: true },
      f('households', '户数', 'Households', 'integer', ['户数', '总户数', 'households'], '45'),
      f('population', '人口', 'Population', 'integer', ['人口', '人数', '总人口', 'population'], '180'),
      f('elevation_m', '海拔（米）', 'Elevation (m)', 'number', ['海拔', '高程', 'elevation'], '1820'),
      lon,
      lat,
    ],
  },
  danger_zones: {
    layer: 'danger_zones',
    title: { zh: '隐患点危险区（面）', en: 'Hazard danger zones (polygons)' },
    geometry: 'polygon',
    // Zones are written onto the hazard point with the same code: there is nothing to append.
    modes: ['upsert'],
    fields: [
      f('code', '隐患点编号', 'Hazard point code', 'text', ['隐患点编号', '编号', '编码', 'code', 'hazard_code'], 'HZ-530502199-001', {
        required: true,
        note: '与隐患点编号一致',
      }),
    ],
  },
  vulnerable_people: {
    layer: 'vulnerable_people',
    title: { zh: '特殊人群', en: 'Vulnerable people' },
    geometry: 'none',
    // No upsert: people have no code to match by.
    modes: ['append', 'replace'],
    personal: true,
    fields: [
      f(
        'village_code',
        '自然村编号',
        'Natural village code',
        'text',
        ['自然村编号', '自然村代码', '村组编号', 'village_code'],
        '530502199207002',
        { required: true },
      ),
      f('category', '类别', 'Category', 'enum', ['类别', '人员类别', '类型', 'category'], '老年人', {
        required: true,
        values: vulnerableCategories,
        note: '老年人/残疾人/重病患者/留守儿童/孕产妇',
      }),
      f('name', '姓名', 'Name', 'text', ['姓名', '名字', 'name'], '张三', { required: true }),
      f('phone', '联系电话', 'Phone', 'phone', ['联系电话', '电话', '手机', 'phone'], '13800001111'),
      f('address', '住址', 'Address', 'text', ['住址', '地址', '家庭住址', 'address'], '新寨 12 号'),
      f('mobility_needs', '转移需求', 'Mobility needs', 'text', ['转移需求', '行动能力', '需求', 'mobility'], '需担架'),
      f('responsible_name', '帮扶责任人', 'Responsible person', 'text', ['帮扶责任人', '责任人', '结对人', 'responsible'], '李四'),
      f(
        'responsible_phone',
        '责任人电话',
        'Responsible person phone',
        'phone',
        ['责任人电话', '帮扶人电话', 'responsible_phone'],
        '13800002222',
      ),
    ],
  },
}

/** Coordinate systems a table or GeoJSON file's longitude/latitude may be in. */
export const coordinateSystems = ['wgs84', 'cgcs2000', 'gcj02', 'bd09'] as const
export type CoordinateSystem = (typeof coordinateSystems)[number]

export const coordinateSystemLabels: Record<CoordinateSystem, Bilingual> = {
  wgs84: { zh: 'WGS84（GPS）', en: 'WGS84 (GPS)' },
  cgcs2000: { zh: 'CGCS2000（国家大地坐标系）', en: 'CGCS2000' },
  gcj02: { zh: 'GCJ-02（高德、腾讯、微信）', en: 'GCJ-02 (Amap, Tencent, WeChat)' },
  bd09: { zh: 'BD-09（百度）', en: 'BD-09 (Baidu)' },
}

/** A field mapping: import field key → the file's column header. */
export type FieldMapping = Record<string, string>

export interface ImportIssue {
  /** 1-based row number as the user sees it in the file (the spreadsheet row, or the feature's position). */
  row: number
  /** The file's column header, as written in the file. */
  column?: string
  /** The import field (`importTargets` key, or `geometry`) when the issue is about one. */
  field?: string
  /** What is wrong, worded by `phraseImportIssue` (`importIssueWords`). */
  code: ImportIssueCode
  params?: ImportParams
  /** A warning does not stop the row; an error does. */
  severity: 'error' | 'warning'
}

// ------------------------------------------------------------------ API payloads

export const importModes = ['append', 'replace', 'upsert'] as const
export type ImportMode = (typeof importModes)[number]
export const importModeLabels: Record<ImportMode, Bilingual> = {
  append: { zh: '追加（编号已存在则报错）', en: 'Append (existing codes refused)' },
  replace: { zh: '替换（删除文件中没有的记录）', en: 'Replace (records not in the file are deleted)' },
  upsert: { zh: '按编号更新或新增', en: 'Update or add by code' },
}
export const importStatuses = ['uploaded', 'committed', 'undone'] as const

export const importUploadQuerySchema = z
  .object({
    layer: z.enum(importLayers),
    fileName: z.string().min(1).max(255),
  })
  .strict()

/** How to read the file: which sheet, which columns, which coordinate system. */
export const importOptionsSchema = z
  .object({
    sheet: z.string().max(100).optional(),
    mapping: z.record(z.string().max(64), z.string().max(200)).optional(),
    coordinateSystem: z.enum(coordinateSystems).optional(),
    swapCoordinates: z.boolean().optional(),
    /** For a Shapefile without a .prj: 'geographic', 'gk3:<zone>', 'gk6:<zone>', 'gk3cm:<meridian>', 'gk6cm:<meridian>'. */
    crs: z
      .string()
      .regex(/^(geographic|gk(3|6)(cm)?:\d{1,3})$/)
      .optional(),
  })
  .strict()
export type ImportOptions = z.infer<typeof importOptionsSchema>

export const importCommitSchema = z
  .object({
    mode: z.enum(importModes),
    /** A retried commit with the same key answers the first commit's result and writes nothing again. */
    idempotencyKey: z.string().min(8).max(100),
  })
  .strict()

export const importIssueSchema = z.object({
  row: z.number().int(),
  column: z.string().optional(),
  field: z.string().optional(),
  code: z.enum(importIssueCodes),
  params: importParamsSchema.optional(),
  severity: z.enum(['error', 'warning']),
})

export const importCountsSchema = z.object({
  inserted: z.number().int(),
  updated: z.number().int(),
  deleted: z.number().int(),
  repaired: z.number().int(),
})
export type ImportCounts = z.infer<typeof importCountsSchema>

export const importSummarySchema = z.object({
  id: z.number().int(),
  layer: z.enum(importLayers),
  fileName: z.string(),
  fileFormat: z.enum(['csv', 'xlsx', 'geojson', 'shapefile']),
  fileBytes: z.number().int(),
  status: z.enum(importStatuses),
  mode: z.enum(importModes).nullable(),
  counts: importCountsSchema.nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  committedBy: z.string().nullable(),
  committedAt: z.string().nullable(),
  undoneBy: z.string().nullable(),
  undoneAt: z.string().nullable(),
  /** Whether an undo would be accepted now (committed, and no newer change touched its rows). */
  undoable: z.boolean().optional(),
})
export type ImportSummary = z.infer<typeof importSummarySchema>

export const importPreviewSchema = z.object({
  import: importSummarySchema,
  /** A problem with the file as a whole (unreadable, no .prj …); rows are then empty. */
  fileProblem: z
    .object({
      /** The kind: `crs_required` asks for a Shapefile's coordinate system (`options.crs`). */
      code: z.enum(['unreadable', 'crs_required', 'unsupported_crs', 'too_many_rows']),
      /** Why, worded by `phraseImportProblem` (`importFileProblemWords`). */
      reason: z.enum(importFileProblemCodes),
      params: importParamsSchema.optional(),
    })
    .nullable(),
  encoding: z.string().nullable(),
  crs: z.string().nullable(),
  sheets: z.array(z.object({ name: z.string(), columns: z.array(z.string()), rows: z.number().int() })),
  sheet: z.string().nullable(),
  columns: z.array(z.string()),
  /** The first rows as read (cells as text), for the table. */
  sample: z.array(z.object({ row: z.number().int(), values: z.record(z.string(), z.string().nullable()) })),
  options: importOptionsSchema,
  mapping: z.record(z.string(), z.string()),
  swapSuggested: z.boolean(),
  totals: z.object({ rows: z.number().int(), valid: z.number().int(), errors: z.number().int(), warnings: z.number().int() }),
  issues: z.array(importIssueSchema),
  /** Up to 2,000 valid rows as a GeoJSON FeatureCollection (WGS84), for the map. */
  features: z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) }),
  warnings: z.array(z.object({ reason: z.enum(importFileWarningCodes), params: importParamsSchema.optional() })),
})
export type ImportPreview = z.infer<typeof importPreviewSchema>

export const importCommitResultSchema = z.object({ import: importSummarySchema, issues: z.array(importIssueSchema) })
export const importListSchema = z.object({ imports: z.array(importSummarySchema) })
