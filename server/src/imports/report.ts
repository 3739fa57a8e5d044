import type { ImportIssue } from '@riskatlas/shared'

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
  const lines = [['行号 row', '列 column', '级别 severity', '原因 reason'].map(safeCsvCell).join(',')]
  for (const issue of issues)
    lines.push(
      [issue.row, issue.column ?? '', issue.severity === 'error' ? '错误 error' : '提示 warning', issue.reason].map(safeCsvCell).join(','),
    )
  return '\ufeff' + lines.join('\r\n') + '\r\n'
}
