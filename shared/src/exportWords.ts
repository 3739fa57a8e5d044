import type { Bilingual } from './i18n.ts'

/**
 * The fixed words of the files the server writes — the evacuation list (CSV, Excel, the A4
 * page), the vulnerable-people CSV, an import's problem report — in both languages. The files
 * are the town's documents and use `zh`; the words live here, beside the other shared tables,
 * rather than as strings in the writers.
 */

/** The evacuation list's columns (CSV and the first Excel sheet), in order. */
export const evacuationListColumns = [
  { zh: '行政村', en: 'Administrative village' },
  { zh: '自然村', en: 'Natural village' },
  { zh: '转移人数', en: 'People to move' },
  { zh: '户数', en: 'Households' },
  { zh: '安置点', en: 'Shelter' },
  { zh: '分配人数', en: 'People assigned' },
  { zh: '路线长度（米）', en: 'Route length (m)' },
  { zh: '步行（分钟）', en: 'Walking (min)' },
  { zh: '未安置人数', en: 'People not placed' },
  { zh: '说明', en: 'Note' },
  { zh: '责任人', en: 'Responsible persons' },
  { zh: '特殊人群', en: 'Vulnerable people' },
  { zh: '特殊人群名单', en: 'Vulnerable people by name' },
] as const satisfies readonly Bilingual[]

/** The vulnerable-people columns (the Excel sheet of the evacuation list). */
export const evacuationPeopleColumns = [
  { zh: '行政村', en: 'Administrative village' },
  { zh: '自然村', en: 'Natural village' },
  { zh: '类别', en: 'Category' },
  { zh: '姓名', en: 'Name' },
  { zh: '行动需求', en: 'Mobility needs' },
  { zh: '包保责任人', en: 'Responsible person' },
  { zh: '责任人电话', en: 'Responsible person’s phone' },
] as const satisfies readonly Bilingual[]

/** The other words of the evacuation list's files; `{name}` placeholders are filled by `fillWords`. */
export const evacuationListWords = {
  sheetList: { zh: '转移名单', en: 'Evacuation list' },
  sheetPeople: { zh: '特殊人群', en: 'Vulnerable people' },
  monitor: { zh: '监测员', en: 'Monitor' },
  responsible: { zh: '责任人', en: 'Responsible' },
  personLine: { zh: '{name}（{category}；包保：{responsible}）', en: '{name} ({category}; responsible: {responsible})' },
  notAssigned: { zh: '未落实', en: 'none' },
  destination: {
    zh: '{shelter}：{persons} 人，{metres} 米，步行 {minutes} 分钟',
    en: '{shelter}: {persons} people, {metres} m, {minutes} min on foot',
  },
  none: { zh: '无', en: 'none' },
  pageTitle: { zh: '{admin} 转移名单', en: 'Evacuation list of {admin}' },
  pageMeta: {
    zh: '转移 {moving} 人 · {villages} 个自然村 · 打印于 {printedAt}',
    en: '{moving} people to move · {villages} natural villages · printed {printedAt}',
  },
  pageVillage: { zh: '自然村', en: 'Natural village' },
  pageMoving: { zh: '转移人数', en: 'People to move' },
  pageHouseholds: { zh: '户数', en: 'Households' },
  pageDestinations: { zh: '安置点与路线', en: 'Shelters and routes' },
  pageResponsible: { zh: '责任人', en: 'Responsible persons' },
  pagePeople: { zh: '特殊人群', en: 'Vulnerable people' },
  pageSignature: {
    zh: '村（居）委会负责人签字：__________　　日期：__________',
    en: 'Signed for the village committee: __________    Date: __________',
  },
  pageEmpty: { zh: '区域内没有需要转移的自然村。', en: 'No natural village in the area needs to move.' },
} as const satisfies Record<string, Bilingual>

/** The vulnerable-people CSV's columns (`GET /api/vulnerable-people/export.csv`), in order. */
export const peopleCsvColumns = {
  adminName: { zh: '行政村', en: 'Administrative village' },
  naturalVillageName: { zh: '自然村', en: 'Natural village' },
  category: { zh: '类别', en: 'Category' },
  name: { zh: '姓名', en: 'Name' },
  phone: { zh: '电话', en: 'Phone' },
  address: { zh: '住址', en: 'Address' },
  mobilityNeeds: { zh: '行动需求', en: 'Mobility needs' },
  responsibleName: { zh: '包保责任人', en: 'Responsible person' },
  responsiblePhone: { zh: '责任人电话', en: 'Responsible person’s phone' },
} as const satisfies Record<string, Bilingual>

/** An import's problem report (`GET /api/imports/:id/report.csv`): for whoever fixes the file, each word in both languages. */
export const importReportWords = {
  row: { zh: '行号', en: 'row' },
  column: { zh: '列', en: 'column' },
  severity: { zh: '级别', en: 'severity' },
  reason: { zh: '原因', en: 'reason' },
  error: { zh: '错误', en: 'error' },
  warning: { zh: '提示', en: 'warning' },
} as const satisfies Record<string, Bilingual>

/** Fills `{name}` placeholders of a word from `evacuationListWords`. */
export function fillWords(text: string, params: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole))
}

/** The files a public layer downloads as: `GET /api/exports/layers/{layer}.{format}` (docs/EXPORTS.md). */
export const layerExportFormats = ['geojson', 'csv', 'xlsx', 'shp.zip'] as const
export type LayerExportFormat = (typeof layerExportFormats)[number]

/**
 * The columns a layer export adds to the catalogue's properties (`GET /api/exports/layers/{layer}.csv|xlsx`):
 * the feature id, then longitude/latitude for point layers or the WKT geometry for lines and polygons.
 */
export const layerExportColumns = {
  id: { zh: '要素ID', en: 'Feature id' },
  longitude: { zh: '经度', en: 'Longitude' },
  latitude: { zh: '纬度', en: 'Latitude' },
  wkt: { zh: '几何（WKT）', en: 'Geometry (WKT)' },
} as const satisfies Record<string, Bilingual>

/** How a list value (threatened villages, assigned villages) is joined in one spreadsheet or .dbf cell. */
export const layerExportListSeparator = '、'
