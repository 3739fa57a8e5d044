/**
 * RFC 4180 CSV (quoted fields, doubled quotes, CR/LF/CRLF line ends, newlines inside quotes),
 * with the delimiter sniffed from the first lines: comma, semicolon, tab or the full-width comma.
 * Pure and synchronous; returns the rows as strings, empty trailing lines dropped.
 */
export function parseCsv(text: string, delimiter = sniffDelimiter(text)): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  // A field is what was taken of it so far plus the run of plain characters from `start` to `i`:
  // runs are sliced out whole, not added a character at a time (50,000 rows make millions of
  // cells' worth of garbage strings otherwise — time, and the worker's memory).
  let field = ''
  let start = 0
  let quoted = false
  let i = 0
  const n = text.length
  const separator = delimiter.charCodeAt(0)
  while (i < n) {
    const ch = text.charCodeAt(i)
    if (quoted) {
      if (ch === quote) {
        field += text.slice(start, i)
        if (text.charCodeAt(i + 1) === quote) {
          field += '"'
          i += 2
        } else {
          quoted = false
          i++
        }
        start = i
      } else i++
      continue
    }
    if (ch === quote && field === '' && start === i) {
      quoted = true
      start = ++i
    } else if (ch === separator) {
      row.push(field + text.slice(start, i))
      field = ''
      start = ++i
    } else if (ch === carriageReturn || ch === lineFeed) {
      row.push(field + text.slice(start, i))
      rows.push(row)
      row = []
      field = ''
      i += ch === carriageReturn && text.charCodeAt(i + 1) === lineFeed ? 2 : 1
      start = i
    } else i++
  }
  field += text.slice(start, n)
  if (field !== '' || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  while (rows.length > 0 && rows[rows.length - 1]!.every((cell) => cell.trim() === '')) rows.pop()
  return rows
}

const quote = 0x22
const carriageReturn = 0x0d
const lineFeed = 0x0a

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
