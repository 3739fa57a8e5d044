import {
  importFieldLabel,
  importReportWords,
  importTargets,
  phraseImportIssue,
  type Bilingual,
  type ImportIssue,
  type ImportLayer,
} from '@riskatlas/shared'

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

/**
 * The validation report as CSV, UTF-8 with a BOM so Excel opens the Chinese right. Each reason
 * is worded from the issue's code in both languages (`phraseImportIssue`, the same table the
 * `/data` view words it with); the column is the file's header, else the field's Chinese label.
 */
export function issuesCsv(layer: ImportLayer, issues: readonly ImportIssue[]): string {
  const both = (word: Bilingual) => `${word.zh} ${word.en}`
  const w = importReportWords
  const target = importTargets[layer]
  const lines = [[w.row, w.column, w.severity, w.reason].map((word) => safeCsvCell(both(word))).join(',')]
  for (const issue of issues) {
    const column = issue.column ?? (issue.field ? importFieldLabel(target, issue.field, 'zh') : '')
    const reason = `${phraseImportIssue(issue, target, 'zh')} — ${phraseImportIssue(issue, target, 'en')}`
    lines.push([issue.row, column, both(issue.severity === 'error' ? w.error : w.warning), reason].map(safeCsvCell).join(','))
  }
  return '\ufeff' + lines.join('\r\n') + '\r\n'
}
