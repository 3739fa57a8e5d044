import { enumLabels, type VulnerablePerson } from '@riskatlas/shared'

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

const csvColumns: readonly [header: string, cell: (person: VulnerablePerson) => unknown][] = [
  ['行政村', (p) => p.adminName],
  ['自然村', (p) => p.naturalVillageName],
  ['类别', (p) => enumLabels[p.category]?.zh ?? p.category],
  ['姓名', (p) => p.name],
  ['电话', (p) => p.phone],
  ['住址', (p) => p.address],
  ['行动需求', (p) => p.mobilityNeeds],
  ['包保责任人', (p) => p.responsibleName],
  ['责任人电话', (p) => p.responsiblePhone],
]

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
