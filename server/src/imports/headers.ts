import type { FieldMapping, ImportField } from '@riskatlas/shared'
import { toHalfWidth } from './text.ts'

/** A header as compared: half-width, lower case, no spaces, no "*" marks, no bracketed units. */
export function normalizeHeader(header: string): string {
  return toHalfWidth(header)
    .toLowerCase()
    .replace(/[(（【[].*?[)）】\]]/g, '')
    .replace(/[\s*＊:：_\-.]/g, '')
}

const normalizedAlias = (alias: string) => normalizeHeader(alias)
/** A field's own key (threatened_people) is one of its spellings too, as GeoJSON from other systems uses it. */
const spellings = (field: ImportField) => [field.key, ...field.aliases]

/**
 * Proposes a mapping from the file's headers to the import fields: exact spellings first (in
 * field order), then the longest alias a header contains (Chinese aliases of two or more
 * characters, or English words of three or more letters). Each header and each field is used once.
 */
export function matchHeaders(headers: readonly string[], fields: readonly ImportField[]): FieldMapping {
  const mapping: FieldMapping = {}
  const used = new Set<string>()
  const normalized = headers.map((header) => ({ header, norm: normalizeHeader(header) }))
  for (const { header, norm } of normalized) {
    if (!norm || used.has(header)) continue
    const field = fields.find(
      (candidate) => !(candidate.key in mapping) && spellings(candidate).some((alias) => normalizedAlias(alias) === norm),
    )
    if (field) {
      mapping[field.key] = header
      used.add(header)
    }
  }
  for (const { header, norm } of normalized) {
    if (!norm || used.has(header)) continue
    let best: { field: ImportField; length: number } | undefined
    for (const field of fields) {
      if (field.key in mapping) continue
      for (const alias of field.aliases.map(normalizedAlias)) {
        const ascii = /^[a-z0-9]+$/.test(alias)
        const usable = ascii
          ? alias.length >= 3 && new RegExp(`(^|[^a-z])${alias}([^a-z]|$)`).test(norm)
          : alias.length >= 2 && norm.includes(alias)
        if (usable && (!best || alias.length > best.length)) best = { field, length: alias.length }
      }
    }
    if (best) {
      mapping[best.field.key] = header
      used.add(header)
    }
  }
  return mapping
}

/** How many of the headers look like known field names: used to find the header row below title rows. */
export function headerScore(cells: readonly string[], fields: readonly ImportField[]): number {
  return Object.keys(matchHeaders(cells, fields)).length
}
