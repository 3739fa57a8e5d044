import ExcelJS from 'exceljs'
import type { ImportField } from '@riskatlas/shared'
import { sheetFromGrid } from './table.ts'
import { UnreadableFile, type Cell, type ParsedFile } from './types.ts'

/** Excel's serial day 0 is 1899-12-30 (with the 1900 leap-year bug folded in). */
export function excelSerialToDate(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2958465) return undefined
  const ms = Math.round((serial - 25569) * 86400 * 1000)
  return new Date(ms).toISOString().slice(0, 10)
}

function cellValue(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value
  if (value instanceof Date) return value
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('')
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: unknown }).result
      if (result === undefined || result === null || typeof result === 'object') return result instanceof Date ? result : null
      return result as string | number | boolean
    }
    if ('text' in value) return String((value as { text: unknown }).text)
    if ('error' in value) return null
  }
  return String(value)
}

/**
 * Reads every worksheet of an .xlsx workbook. Merged cells give their value to the whole range
 * (a merged title row above the header then reads as one repeated value and is skipped by the
 * header search); hidden sheets are read too but named as such.
 */
export async function readXlsx(bytes: Uint8Array, fields: readonly ImportField[]): Promise<ParsedFile> {
  const workbook = new ExcelJS.Workbook()
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer)
  } catch {
    throw new UnreadableFile('xlsx_unreadable')
  }
  const sheets = []
  for (const worksheet of workbook.worksheets) {
    const grid: Cell[][] = []
    worksheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
      const cells: Cell[] = []
      row.eachCell({ includeEmpty: true }, (cell, column) => {
        cells[column - 1] = cellValue(cell.isMerged && cell.master !== cell ? cell.master.value : cell.value)
      })
      grid[rowNumber - 1] = cells
    })
    for (let i = 0; i < grid.length; i++) grid[i] ??= []
    const sheet = sheetFromGrid(worksheet.name, grid, fields)
    if (sheet.columns.length > 0) sheets.push(sheet)
  }
  if (sheets.length === 0) throw new UnreadableFile('xlsx_empty')
  return { format: 'xlsx', sheets, spatial: false, warnings: [] }
}
