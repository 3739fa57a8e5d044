import { enumLabels, peopleCsvColumns, type VulnerablePerson } from '@riskatlas/shared'

/** 张*明 / 张* — keeps the surname and the last character. */
export function maskName(name: string | null): string | null {
  if (!name) return name
  const chars = [...name]
  if (chars.length <= 1) return '*'
  if (chars.length === 2) return `${chars[0]}*`
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`
}

/** 138****1234 — keeps the first three and last four digits. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone
  const digits = phone.replace(/\D/g, '')
  if (digits.length < 7) return '*'.repeat(digits.length)
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`
}

/** Quotes every cell and neutralises spreadsheet formulas (CSV injection). */
export function csvCell(value: unknown): string {
  const text = value == null ? '' : String(value)
  return `"${(/^[=+\-@]/.test(text) ? `'${text}` : text).replace(/"/g, '""')}"`
}

/** Each column's cell; its header is the shared `peopleCsvColumns` word. */
const csvCells: { [K in keyof typeof peopleCsvColumns]: (person: VulnerablePerson) => unknown } = {
  adminName: (p) => p.adminName,
  naturalVillageName: (p) => p.naturalVillageName,
  category: (p) => enumLabels[p.category]?.zh ?? p.category,
  name: (p) => p.name,
  phone: (p) => p.phone,
  address: (p) => p.address,
  mobilityNeeds: (p) => p.mobilityNeeds,
  responsibleName: (p) => p.responsibleName,
  responsiblePhone: (p) => p.responsiblePhone,
}
const csvColumns = (Object.keys(peopleCsvColumns) as (keyof typeof peopleCsvColumns)[]).map(
  (key) => [peopleCsvColumns[key].zh, csvCells[key]] as const,
)

/** The people list as CSV for Excel: UTF-8 with BOM, CRLF, Chinese headers and category labels. */
export function peopleCsv(people: readonly VulnerablePerson[]): string {
  const lines = [
    csvColumns.map(([header]) => csvCell(header)).join(','),
    ...people.map((person) => csvColumns.map(([, cell]) => csvCell(cell(person))).join(',')),
  ]
  return `\uFEFF${lines.join('\r\n')}\r\n`
}

/** The table of vulnerable people, named here so that code outside people/ can refer to it (an event's entity) without naming it. */
export const vulnerablePeopleTable = 'vulnerable_people'
