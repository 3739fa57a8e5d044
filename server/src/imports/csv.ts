/**
 * RFC 4180 CSV (quoted fields, doubled quotes, CR/LF/CRLF line ends, newlines inside quotes),
 * with the delimiter sniffed from the first lines: comma, semicolon, tab or the full-width comma.
 * Pure and synchronous; returns the rows as strings, empty trailing lines dropped.
 */
export function parseCsv(text: string, delimiter = sniffDelimiter(text)): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  let i = 0
  const n = text.length
  while (i < n) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
        i++
        continue
      }
      field += ch
      i++
      continue
    }
    if (ch === '"' && field === '') {
      quoted = true
      i++
    } else if (ch === delimiter) {
      row.push(field)
      field = ''
      i++
    } else if (ch === '\r' || ch === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1
    } else {
      field += ch
      i++
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  while (rows.length > 0 && rows[rows.length - 1]!.every((cell) => cell.trim() === '')) rows.pop()
  return rows
}

function sniffDelimiter(text: string): string {
  const sample = text.slice(0, 4096).split(/\r?\n/).slice(0, 10)
  let best = ','
  let bestScore = 0
  for (const candidate of [',', '\t', ';', '，']) {
    const counts = sample.map((line) => line.split(candidate).length - 1).filter((count) => count > 0)
    const score = counts.length === 0 ? 0 : counts.reduce((a, b) => a + b, 0)
    if (score > bestScore) {
      best = candidate
      bestScore = score
    }
  }
  return best
}
