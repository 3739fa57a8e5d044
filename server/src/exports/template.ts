import ExcelJS from 'exceljs'
import { enumLabels, importTargets, type ImportField, type ImportLayer } from '@riskatlas/shared'

/** The layers a spreadsheet can fill: everything but danger zones, whose polygons come from a GeoJSON or Shapefile. */
export const templateLayers = (Object.keys(importTargets) as ImportLayer[]).filter((layer) => importTargets[layer].geometry !== 'polygon')
export type TemplateLayer = (typeof templateLayers)[number]

const typeNotes: Record<ImportField['type'], string> = {
  text: '文本',
  integer: '整数',
  number: '数字',
  enum: '选填下列之一',
  phone: '手机或座机号码',
  date: '日期，如 2026-05-01',
  longitude: '',
  latitude: '',
}

/**
 * A field's note for the notes row: required or not, then its own note (or the kind of value
 * and, for a choice, the allowed Chinese words).
 */
export function fieldNote(field: ImportField): string {
  const parts = [field.required ? '必填' : '选填']
  if (field.note) parts.push(field.note)
  else if (field.type === 'enum' && field.values) parts.push(field.values.map((value) => enumLabels[value]?.zh ?? value).join('/'))
  else if (typeNotes[field.type]) parts.push(typeNotes[field.type])
  return parts.join('；')
}

const exampleCell = (field: ImportField): string | number =>
  (field.type === 'integer' || field.type === 'number') && Number.isFinite(Number(field.example)) ? Number(field.example) : field.example

/**
 * The import template of one layer as an .xlsx workbook: row 1 the notes (above the header, so
 * the import's header search passes over it and a filled-in template imports as it is), row 2 the
 * Chinese headers the import matches exactly, row 3 an example row to overwrite. Choice columns
 * carry a drop-down of their Chinese words; codes and phones are text cells, so leading zeros
 * and 12-digit codes survive Excel.
 */
export async function importTemplate(layer: TemplateLayer): Promise<Uint8Array<ArrayBuffer>> {
  const target = importTargets[layer]
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'RiskAtlas'
  const sheet = workbook.addWorksheet(sheetName(target.title.zh), { views: [{ state: 'frozen', ySplit: 2 }] })
  const notes = sheet.addRow(target.fields.map(fieldNote))
  const header = sheet.addRow(target.fields.map((field) => field.label.zh))
  const example = sheet.addRow(target.fields.map(exampleCell))
  notes.height = 48
  notes.eachCell((cell) => {
    cell.font = { italic: true, color: { argb: 'FF666666' }, size: 9 }
    cell.alignment = { wrapText: true, vertical: 'top' }
  })
  header.eachCell((cell, column) => {
    const field = target.fields[column - 1]!
    cell.font = { bold: true, color: { argb: field.required ? 'FFB00020' : 'FF000000' } }
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } }
  })
  example.font = { color: { argb: 'FF1F4E79' } }
  target.fields.forEach((field, index) => {
    const column = sheet.getColumn(index + 1)
    column.width = Math.max(12, Math.min(28, field.label.zh.length * 2 + 6))
    if (field.type === 'text' || field.type === 'phone') column.numFmt = '@'
    if (field.type === 'enum' && field.values) {
      const words = field.values.map((value) => enumLabels[value]?.zh ?? value).join(',')
      // One validation per cell; exceljs squeezes alike ones into a single range when it writes.
      for (let row = 3; row <= 500; row++)
        sheet.getCell(row, index + 1).dataValidation = { type: 'list', allowBlank: !field.required, formulae: [`"${words}"`] }
    }
  })
  return new Uint8Array(await workbook.xlsx.writeBuffer())
}

/** A worksheet name Excel accepts: none of * ? : \ / [ ], at most 31 characters. */
export const sheetName = (title: string) => title.replace(/[*?:\\/[\]]/g, '、').slice(0, 31)
