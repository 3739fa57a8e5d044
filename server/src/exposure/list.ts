import ExcelJS from 'exceljs'
import {
  enumLabels,
  evacuationListColumns,
  evacuationListWords,
  evacuationPeopleColumns,
  fillWords,
  phraseReason,
  vulnerableCategories,
  type EvacuationListEntry,
  type ExposureResponse,
} from '@riskatlas/shared'

/**
 * The evacuation list (转移名单) as files: CSV, Excel and a printable A4 page per
 * administrative village. Pure formatting of an exposure answer; names appear only where the
 * answer carries them (the reader was allowed them).
 */

/** A cell a spreadsheet will not run: text starting with = + - @ or a tab / carriage return gets a leading quote. */
export function safeCell(value: unknown): string {
  const text = value == null ? '' : String(value)
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
}

const csvCell = (value: unknown) => `"${safeCell(value).replace(/"/g, '""')}"`

const categoryLabel = (category: string) => (enumLabels as Record<string, { zh: string } | undefined>)[category]?.zh ?? category
const countsText = (counts: Record<string, number>) =>
  vulnerableCategories
    .filter((c) => (counts[c] ?? 0) > 0)
    .map((c) => `${categoryLabel(c)}${counts[c]}`)
    .join('、')
/** The files are the town's documents: their words are the shared tables' Chinese. */
const words = Object.fromEntries(Object.entries(evacuationListWords).map(([key, text]) => [key, text.zh])) as {
  [K in keyof typeof evacuationListWords]: string
}
const contactsText = (entry: EvacuationListEntry) =>
  entry.contacts
    .map((c) => `${c.role === 'monitor' ? words.monitor : words.responsible} ${c.name}${c.phone ? ` ${c.phone}` : ''}`)
    .join('；')
const peopleText = (entry: EvacuationListEntry) =>
  entry.people === null
    ? ''
    : entry.people
        .map((p) =>
          fillWords(words.personLine, {
            name: p.name,
            category: categoryLabel(p.category),
            responsible: p.responsibleName ?? words.notAssigned,
          }),
        )
        .join('；')

const headers = evacuationListColumns.map((column) => column.zh)

/** One row per village and destination (a village with no place: one row saying why). */
export function listRows(exposure: ExposureResponse): (string | number)[][] {
  const rows: (string | number)[][] = []
  for (const entry of exposure.evacuationList) {
    const common = (i: number) => [entry.adminName, entry.name, i === 0 ? entry.moving : '', i === 0 ? entry.households : '']
    const tail = (i: number) => [
      i === 0 ? entry.unplaced : '',
      i === 0 && entry.reason ? phraseReason(entry.reason).zh : '',
      i === 0 ? contactsText(entry) : '',
      i === 0 ? countsText(entry.vulnerableByCategory) : '',
      i === 0 ? peopleText(entry) : '',
    ]
    if (entry.destinations.length === 0) rows.push([...common(0), '', '', '', '', ...tail(0)])
    entry.destinations.forEach((d, i) =>
      rows.push([...common(i), d.shelterName, d.persons, Math.round(d.lengthM), d.walkingMinutes, ...tail(i)]),
    )
  }
  return rows
}

/** CSV for Excel: UTF-8 with BOM, CRLF, every cell quoted and formula-safe. */
export function listCsv(exposure: ExposureResponse): string {
  const lines = [headers.map(csvCell).join(','), ...listRows(exposure).map((row) => row.map(csvCell).join(','))]
  return `\uFEFF${lines.join('\r\n')}\r\n`
}

/** An .xlsx workbook: the list, and the vulnerable people by name when the answer names them. */
export async function listXlsx(exposure: ExposureResponse): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'RiskAtlas'
  const sheet = workbook.addWorksheet(words.sheetList)
  sheet.addRow([...headers])
  sheet.getRow(1).font = { bold: true }
  for (const row of listRows(exposure)) sheet.addRow(row.map((cell) => (typeof cell === 'number' ? cell : safeCell(cell))))
  sheet.columns.forEach((column, i) => (column.width = [12, 12, 10, 8, 24, 10, 14, 12, 12, 30, 40, 24, 60][i] ?? 12))
  if (exposure.named) {
    const people = workbook.addWorksheet(words.sheetPeople)
    people.addRow(evacuationPeopleColumns.map((column) => column.zh))
    people.getRow(1).font = { bold: true }
    for (const entry of exposure.evacuationList)
      for (const p of entry.people ?? [])
        people.addRow(
          [entry.adminName, entry.name, categoryLabel(p.category), p.name, p.mobilityNeeds, p.responsibleName, p.responsiblePhone].map(
            safeCell,
          ),
        )
  }
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

const escape = (value: unknown) =>
  String(value ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!)

/** A printable page (A4, one administrative village a page) of the list. */
export function listPrintPage(exposure: ExposureResponse, printedAt: string): string {
  const byAdmin = new Map<string, EvacuationListEntry[]>()
  for (const entry of exposure.evacuationList) byAdmin.set(entry.adminName, [...(byAdmin.get(entry.adminName) ?? []), entry])
  const pages = [...byAdmin].map(([admin, entries]) => {
    const rows = entries
      .map((entry) => {
        const destinations = entry.destinations.length
          ? entry.destinations
              .map((d) =>
                fillWords(words.destination, {
                  shelter: escape(d.shelterName),
                  persons: d.persons,
                  metres: Math.round(d.lengthM),
                  minutes: d.walkingMinutes,
                }),
              )
              .join('<br>')
          : '—'
        const note = entry.reason ? `<div class="warn">${escape(phraseReason(entry.reason).zh)}</div>` : ''
        const people =
          entry.people === null ? escape(countsText(entry.vulnerableByCategory) || words.none) : escape(peopleText(entry) || words.none)
        return `<tr><td>${escape(entry.name)}</td><td class="n">${entry.moving}</td><td class="n">${entry.households}</td><td>${destinations}${note}</td><td>${escape(contactsText(entry) || '—')}</td><td>${people}</td></tr>`
      })
      .join('')
    const moving = entries.reduce((s, e) => s + e.moving, 0)
    const head = [
      words.pageVillage,
      words.pageMoving,
      words.pageHouseholds,
      words.pageDestinations,
      words.pageResponsible,
      words.pagePeople,
    ]
    return `<section class="page"><h1>${fillWords(words.pageTitle, { admin: escape(admin) })}</h1>
<p class="meta">${fillWords(words.pageMeta, { moving, villages: entries.length, printedAt: escape(printedAt) })}</p>
<table><thead><tr>${head.map((title) => `<th>${title}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>
<p class="sign">${words.pageSignature}</p></section>`
  })
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${words.sheetList}</title><style>
@page { size: A4; margin: 14mm; }
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; font-size: 10.5pt; color: #111; margin: 0; }
.page { page-break-after: always; break-after: page; }
.page:last-child { page-break-after: auto; break-after: auto; }
h1 { font-size: 16pt; margin: 0 0 4px; }
.meta { margin: 0 0 8px; color: #444; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 1px solid #444; padding: 4px 5px; vertical-align: top; text-align: left; }
th { background: #eee; }
td.n { text-align: right; white-space: nowrap; }
tr { break-inside: avoid; }
.warn { color: #b00020; margin-top: 2px; }
.sign { margin-top: 18px; }
</style></head><body>${pages.join('\n') || `<p>${words.pageEmpty}</p>`}</body></html>`
}
