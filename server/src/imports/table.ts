import type { ImportField } from '@riskatlas/shared'
import { headerScore } from './headers.ts'
import type { Cell, ParsedSheet, SourceRecord } from './types.ts'

const isBlank = (cell: Cell | undefined) => cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '')

const headerText = (cell: Cell | undefined): string => {
  if (cell === null || cell === undefined) return ''
  if (cell instanceof Date) return cell.toISOString().slice(0, 10)
  return String(cell).replace(/\s+/g, ' ').trim()
}

/**
 * Turns a grid of cells into a sheet: the header is the row among the first 30 that names the
 * most known fields (so merged title rows and notes above it are skipped), ties going to the row
 * with the most filled cells; empty rows below it are dropped; row numbers stay the file's own.
 * Columns without a header are named "列N"; repeated headers get "_2", "_3".
 */
export function sheetFromGrid(name: string, grid: readonly (readonly Cell[])[], fields: readonly ImportField[]): ParsedSheet {
  let headerIndex = -1
  let bestScore = -1
  let bestFilled = -1
  for (let index = 0; index < Math.min(grid.length, 30); index++) {
    const row = grid[index] ?? []
    const cells = row.map(headerText)
    const distinct = new Set(cells.filter(Boolean))
    if (distinct.size === 0) continue
    const score = headerScore([...distinct], fields)
    // A merged title row repeats one value across its cells: count distinct values only.
    if (score > bestScore || (score === bestScore && distinct.size > bestFilled)) {
      headerIndex = index
      bestScore = score
      bestFilled = distinct.size
    }
  }
  if (headerIndex < 0) return { name, headerRow: 0, columns: [], records: [] }
  const headerCells = grid[headerIndex]!
  const width = Math.max(...grid.slice(headerIndex).map((row) => row.length))
  const columns: string[] = []
  const seen = new Map<string, number>()
  for (let column = 0; column < width; column++) {
    let header = headerText(headerCells[column]) || `列${column + 1}`
    const count = (seen.get(header) ?? 0) + 1
    seen.set(header, count)
    if (count > 1) header = `${header}_${count}`
    columns.push(header)
  }
  const records: SourceRecord[] = []
  for (let index = headerIndex + 1; index < grid.length; index++) {
    const row = grid[index] ?? []
    if (row.every(isBlank)) continue
    const values: Record<string, Cell> = {}
    columns.forEach((column, i) => {
      const cell = row[i]
      values[column] = isBlank(cell) ? null : (cell ?? null)
    })
    records.push({ row: index + 1, values })
  }
  return { name, headerRow: headerIndex + 1, columns, records }
}
