import { z } from 'zod'
import { enumLabels } from './enums.ts'
import { fillWords } from './exportWords.ts'
import type { Bilingual } from './i18n.ts'
import type { ImportTarget } from './imports.ts'

/**
 * An import's problems travel as codes with parameters; this table words them in zh and en —
 * for the `/data` view on screen and for the server's `report.csv`. `{field}` names an import
 * field (worded from the layer's `importTargets` labels, passed in), `{allowed}` a field's allowed values
 * (worded from `enumLabels`); the other parameters are the file's own text or numbers.
 */
export const importIssueWords = {
  column_missing: { zh: '文件中没有列 “{column}”', en: 'the file has no column “{column}”' },
  coordinates_unmapped: { zh: '未指定经度、纬度列', en: 'map the longitude and latitude columns' },
  field_unmapped: { zh: '未指定必填字段 “{field}” 的列', en: 'map a column to the required field {field}' },
  note_row_skipped: { zh: '只有一个单元格的备注行，已跳过', en: 'a note row with a single cell, skipped' },
  not_phone: { zh: '电话号码格式错误：{value}', en: 'not a phone number: {value}' },
  not_integer: { zh: '不是整数：{value}', en: 'not a whole number: {value}' },
  not_number: { zh: '不是数字：{value}', en: 'not a number: {value}' },
  negative: { zh: '不能为负数：{value}', en: 'must not be negative: {value}' },
  not_allowed: { zh: '取值无效 “{value}”，应为 {allowed}', en: '“{value}” is not one of {allowed}' },
  not_date: { zh: '日期格式错误：{value}', en: 'not a date: {value}' },
  not_coordinate: { zh: '无法识别的坐标 “{value}”（应为十进制度或度分秒）', en: 'not a coordinate: “{value}” (decimal degrees or DMS)' },
  required: { zh: '{field}不能为空', en: '{field} is required' },
  risk_level_range: { zh: '风险等级应为 1–4：{value}', en: 'the risk level must be 1 to 4: {value}' },
  admin_code_format: { zh: '行政村代码应为 12 位数字：{value}', en: 'the administrative code must be 12 digits: {value}' },
  admin_code_required: { zh: '行政村代码不能为空', en: 'the administrative village code is required' },
  admin_village_unknown: { zh: '没有行政村 {value}', en: 'no administrative village {value}' },
  hazard_code_unknown: { zh: '没有编号为 {value} 的隐患点', en: 'no hazard point has the code {value}' },
  natural_village_unknown: { zh: '没有编号为 {value} 的自然村', en: 'no natural village has the code {value}' },
  coordinate_empty: { zh: '坐标为空', en: 'the coordinate is empty' },
  coordinate_out_of_range: {
    zh: '坐标超出范围 ({lon}, {lat})，经纬度是否颠倒？',
    en: 'outside the valid range ({lon}, {lat}): are longitude and latitude swapped?',
  },
  far_from_town: { zh: '位置距镇域约 {km} 公里，请核对', en: 'about {km} km outside the town: check it' },
  geometry_empty: { zh: '几何为空', en: 'empty geometry' },
  geometry_not_object: { zh: '几何格式错误', en: 'the geometry is not an object' },
  geometry_collection: { zh: '不支持几何集合', en: 'GeometryCollection is not supported' },
  geometry_unknown_type: { zh: '未知几何类型 {type}', en: 'unknown geometry type {type}' },
  geometry_malformed: {
    zh: '{type} 坐标格式错误（环须闭合，数值须有限）',
    en: 'malformed {type} coordinates (rings must be closed, numbers finite)',
  },
  geometry_outside_degrees: {
    zh: '坐标超出经纬度范围（文件是否为投影坐标？）',
    en: 'coordinates outside the longitude/latitude range (is the file projected?)',
  },
  geometry_not_point: { zh: '应为点，实为 {type}', en: 'a point layer needs Point geometries, not {type}' },
  geometry_not_polygon: { zh: '应为面，实为 {type}', en: 'a polygon layer needs Polygon geometries, not {type}' },
  polygon_repaired: { zh: '面自相交，已用 ST_MakeValid 修复', en: 'the polygon was invalid and is repaired with ST_MakeValid' },
  polygon_unrepairable: { zh: '面无法修复（{detail}）', en: 'the polygon cannot be repaired: {detail}' },
  geometry_unchecked: { zh: '几何无法检查', en: 'the geometry could not be checked' },
  outside_scope: { zh: '不在您负责的行政村范围内', en: 'outside your administrative villages' },
  duplicate_code: { zh: '文件中编号 {value} 重复', en: 'the code {value} appears twice in the file' },
  code_exists: {
    zh: '编号 {value} 已存在（追加模式），如需更新请选“按编号更新”',
    en: 'the code {value} exists already: choose upsert to update it',
  },
  existing_outside_scope: { zh: '编号 {value} 属于您范围外的行政村', en: 'the existing record {value} is outside your villages' },
  mode_unsupported: { zh: '此图层不支持“{mode}”模式', en: 'this layer does not take the mode “{mode}”' },
} as const satisfies Record<string, Bilingual>

export const importIssueCodes = Object.keys(importIssueWords) as [keyof typeof importIssueWords, ...(keyof typeof importIssueWords)[]]
export type ImportIssueCode = keyof typeof importIssueWords

/** Why a whole file cannot be read (the preview's `fileProblem.reason`, the 415/422 answers' `details.reason`). */
export const importFileProblemWords = {
  unreadable: { zh: '文件无法读取', en: 'the file could not be read' },
  empty_file: { zh: '文件为空', en: 'the file is empty' },
  unsupported_type: {
    zh: '不支持的文件类型，请上传 CSV、Excel (.xlsx)、GeoJSON 或压缩的 Shapefile (.zip)',
    en: 'unsupported file type: upload CSV, Excel (.xlsx), GeoJSON or a zipped Shapefile',
  },
  xlsx_not_workbook: { zh: '文件扩展名为 .xlsx，但内容不是 Excel 工作簿', en: 'named .xlsx but not a workbook' },
  xls_old: { zh: '不支持旧版 .xls，请在 Excel 中另存为 .xlsx', en: 'old .xls files are not read: save as .xlsx' },
  xlsx_unreadable: { zh: '不是有效的 Excel (.xlsx) 文件', en: 'not a readable .xlsx workbook' },
  xlsx_empty: { zh: '工作簿中没有数据', en: 'the workbook has no sheet with data' },
  zip_invalid: { zh: '不是有效的 ZIP 文件', en: 'not a readable .zip archive' },
  zip_not_shapefile: {
    zh: '请将 .shp、.dbf、.shx、.prj、.cpg 一起压缩为 .zip 上传',
    en: 'zip the .shp with its .dbf, .shx, .prj and .cpg',
  },
  shp_missing: { zh: '压缩包中没有 .shp 文件', en: 'the archive holds no .shp file' },
  shp_unreadable: { zh: '无法读取 Shapefile', en: 'the .shp/.dbf could not be read' },
  shp_record_damaged: { zh: 'Shapefile 第 {row} 条记录损坏', en: 'record {row} of the Shapefile is damaged' },
  prj_missing: { zh: '缺少 .prj 文件，请选择坐标系', en: 'the Shapefile has no .prj: choose its coordinate system' },
  prj_not_wkt: { zh: '无法识别的 .prj 文件', en: 'the .prj file is not a WKT coordinate system' },
  prj_geographic_unsupported: { zh: '不支持 .prj 中的地理坐标系', en: 'unsupported geographic coordinate system in the .prj' },
  prj_projection_unsupported: { zh: '无法使用 .prj 中的投影 {name}', en: 'the projection {name} in the .prj cannot be used' },
  crs_choice_unknown: { zh: '未知坐标系选项 {choice}', en: 'unknown coordinate system choice {choice}' },
  crs_zone_outside_china: {
    zh: '{choice} 不在中国范围（中央经线 {meridian}°）',
    en: '{choice} is outside China (central meridian {meridian}°)',
  },
  geojson_syntax: { zh: '不是有效的 GeoJSON（JSON 语法错误）', en: 'not valid JSON' },
  geojson_not_object: { zh: '不是 GeoJSON 对象', en: 'not a GeoJSON object' },
  geojson_no_features: { zh: 'FeatureCollection 缺少 features 数组', en: 'a FeatureCollection without a features array' },
  geojson_not_collection: { zh: '不是 GeoJSON 要素集合', en: 'not a GeoJSON FeatureCollection, Feature or geometry' },
  geojson_crs: {
    zh: '不支持的坐标系 {crs}，请导出为 WGS84/CGCS2000 经纬度',
    en: 'unsupported crs {crs}: export as WGS84/CGCS2000 longitude/latitude',
  },
  too_many_rows: { zh: '文件行数 {rows} 超过上限 {max}，请拆分文件', en: 'more than {max} rows ({rows}): split the file' },
  parse_timeout: { zh: '文件解析超时（{seconds} 秒）', en: 'reading the file took longer than {seconds} s' },
  no_such_sheet: { zh: '工作簿中没有工作表 “{sheet}”', en: 'no sheet “{sheet}” in the workbook' },
} as const satisfies Record<string, Bilingual>
export const importFileProblemCodes = Object.keys(importFileProblemWords) as [
  keyof typeof importFileProblemWords,
  ...(keyof typeof importFileProblemWords)[],
]
export type ImportFileProblemCode = keyof typeof importFileProblemWords

/** A note about the file as a whole that does not stop it (the preview's `warnings`). */
export const importFileWarningWords = {
  several_layers: { zh: '压缩包中有多个图层，只读取 {read}', en: 'several layers in the archive; only {read} was read' },
} as const satisfies Record<string, Bilingual>
export const importFileWarningCodes = Object.keys(importFileWarningWords) as [
  keyof typeof importFileWarningWords,
  ...(keyof typeof importFileWarningWords)[],
]

/** Why an import cannot be committed or undone (the 409 answers' `details.reason`). */
export const importRefusalWords = {
  key_used_elsewhere: { zh: '此幂等键已用于另一次导入', en: 'this idempotency key belongs to another import' },
  already_committed: { zh: '此导入已提交', en: 'this import is committed already' },
  already_undone: { zh: '此导入已撤销', en: 'this import is undone already' },
  not_committed: { zh: '只能撤销已提交的导入', en: 'only a committed import can be undone' },
  rows_changed: {
    zh: '导入后已有 {touched} 条记录被修改，无法撤销',
    en: '{touched} of this import’s rows were changed since: it can no longer be undone',
  },
  still_referenced: {
    zh: '其他记录仍引用将被删除的数据（如避险路线、演练），请改用“按编号更新”',
    en: 'other records still refer to rows this import would delete (routes, drills …): use upsert instead',
  },
  rows_with_errors: { zh: '{rows} 行有错误，数据库未作任何修改', en: '{rows} rows have errors: nothing was imported' },
} as const satisfies Record<string, Bilingual>
export const importRefusalCodes = Object.keys(importRefusalWords) as [
  keyof typeof importRefusalWords,
  ...(keyof typeof importRefusalWords)[],
]
export type ImportRefusalCode = keyof typeof importRefusalWords

/** Parameters of a phrase: the file's own text, numbers, a field key or enum codes. */
export const importParamsSchema = z.record(z.string(), z.union([z.string(), z.number()]))
export type ImportParams = z.infer<typeof importParamsSchema>

const geometryField: Bilingual = { zh: '几何', en: 'geometry' }

/** The label of an import field (`geometry` included) in a language; the key itself when unknown. */
export function importFieldLabel(target: ImportTarget | undefined, key: string, lang: keyof Bilingual): string {
  if (key === 'geometry') return geometryField[lang]
  return target?.fields.find((field) => field.key === key)?.label[lang] ?? key
}

function phraseWith(word: Bilingual, params: ImportParams | undefined, target: ImportTarget | undefined, lang: keyof Bilingual): string {
  const filled: Record<string, string | number> = { ...params }
  if (typeof filled.field === 'string') filled.field = importFieldLabel(target, filled.field, lang)
  if (typeof filled.allowed === 'string')
    filled.allowed = filled.allowed
      .split(',')
      .map((code) => enumLabels[code as keyof typeof enumLabels]?.[lang] ?? code)
      .join('/')
  return fillWords(word[lang], filled)
}

/** An issue of an import, worded in a language. */
export function phraseImportIssue(
  issue: { code: string; params?: ImportParams },
  target: ImportTarget | undefined,
  lang: keyof Bilingual,
): string {
  const word = (importIssueWords as Record<string, Bilingual>)[issue.code]
  return word ? phraseWith(word, issue.params, target, lang) : issue.code
}

/** A file problem, warning or refusal of an import, worded in a language. */
export function phraseImportProblem(
  problem: { reason: string; params?: ImportParams },
  lang: keyof Bilingual,
  target?: ImportTarget,
): string {
  const word = ({ ...importFileProblemWords, ...importFileWarningWords, ...importRefusalWords } as Record<string, Bilingual>)[
    problem.reason
  ]
  return word ? phraseWith(word, problem.params, target, lang) : problem.reason
}
