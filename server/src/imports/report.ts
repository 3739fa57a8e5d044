import { importReportWords, type Bilingual, type ImportIssue } from '@riskatlas/shared'

/**
 * A spreadsheet cell that cannot run as a formula: text starting with = + - @ (or a tab / CR)
 * is prefixed with an apostrophe, every cell quoted (OWASP "CSV injection").
 */
export function safeCsvCell(value: unknown): string {
  if (value === null || value === undefined) return '""'
  let text = String(value)
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return `"${text.replace(/"/g, '""')}"`
}

/** The validation report as CSV, UTF-8 with a BOM so Excel opens the Chinese right. */
export function issuesCsv(issues: readonly ImportIssue[]): string {
  const both = (word: Bilingual) => `${word.zh} ${word.en}`
  const w = importReportWords
  const lines = [[w.row, w.column, w.severity, w.reason].map((word) => safeCsvCell(both(word))).join(',')]
  for (const issue of issues)
    lines.push(
      [issue.row, issue.column ?? '', both(issue.severity === 'error' ? w.error : w.warning), issue.reason].map(safeCsvCell).join(','),
    )
  return '\ufeff' + lines.join('\r\n') + '\r\n'
}
