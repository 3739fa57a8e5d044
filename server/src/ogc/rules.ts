import {
  cgcs2000,
  crs84,
  ogcDefaultLimit,
  type Bbox,
  type LayerDefinition,
  type LayerProperty,
  type OgcCrs,
  type OgcItemsQuery,
  type OgcLink,
} from '@riskatlas/shared'
import { Invalid } from '../errors.ts'

/**
 * The pure rules of the OGC API – Features surface: what a collection lets you filter by, how
 * bbox and datetime parameters read, which format a request wants, and the paging links.
 */

/** Property types that take a simple `?name=value` equality filter. */
const queryableTypes = new Set<LayerProperty['type']>(['string', 'enum', 'integer', 'boolean'])

export function queryables(layer: LayerDefinition): LayerProperty[] {
  return layer.properties.filter((property) => queryableTypes.has(property.type))
}

/** The layer's dated properties, start and end, when it has them (a warning's validity). */
export function temporalProperties(layer: LayerDefinition): { start: string; end: string } | undefined {
  const dated = layer.properties.filter((property) => property.type === 'datetime').map((property) => property.name)
  if (dated.length === 0) return undefined
  return { start: dated[0]!, end: dated[1] ?? dated[0]! }
}

/**
 * An OGC `bbox`: four numbers (or six, whose heights are ignored) in the axis order of
 * `bbox-crs` — longitude first for CRS84, latitude first for EPSG:4490 — returned as
 * `[minLon, minLat, maxLon, maxLat]`. CGCS2000 and WGS84 agree to a few centimetres (EPSG's
 * transformation between them is the null one), so only the axis order differs.
 */
export function parseBbox(text: string, bboxCrs: OgcCrs = crs84): Bbox {
  const parts = text.split(',')
  const numbers = parts.map((part) => (part.trim() === '' ? Number.NaN : Number(part)))
  if ((parts.length !== 4 && parts.length !== 6) || numbers.some((n) => !Number.isFinite(n))) {
    throw new Invalid('bbox must be four numbers (or six, with heights)', {
      issues: [{ path: 'bbox', message: 'expected 4 or 6 numbers' }],
    })
  }
  const [a, b, c, d] =
    parts.length === 6 ? [numbers[0]!, numbers[1]!, numbers[3]!, numbers[4]!] : (numbers as [number, number, number, number])
  const [minLon, minLat, maxLon, maxLat] = bboxCrs === cgcs2000 ? [b, a, d, c] : [a, b, c, d]
  const issue = (message: string) => new Invalid(`bbox: ${message}`, { issues: [{ path: 'bbox', message }] })
  if ([minLon, maxLon].some((lon) => lon < -180 || lon > 180) || [minLat, maxLat].some((lat) => lat < -90 || lat > 90)) {
    throw issue('out of range: longitudes within ±180, latitudes within ±90')
  }
  if (minLat > maxLat) throw issue('the lower corner is north of the upper corner')
  if (minLon > maxLon) throw issue('a box across the antimeridian is not supported')
  return [minLon, minLat, maxLon, maxLat]
}

export interface Interval {
  start?: string | undefined
  end?: string | undefined
}

const instant = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/

/** `datetime`: an instant, or an interval `start/end` with `..` (or nothing) for an open end. */
export function parseDatetime(text: string): Interval {
  const parts = text.split('/')
  const bad = () =>
    new Invalid('datetime must be an RFC 3339 instant or an interval start/end (.. for open)', {
      issues: [{ path: 'datetime', message: 'not an instant or an interval' }],
    })
  const read = (part: string): string | undefined => {
    if (part === '..' || part === '') return undefined
    if (!instant.test(part) || Number.isNaN(Date.parse(part))) throw bad()
    return part
  }
  if (parts.length === 1) {
    const at = read(parts[0]!)
    if (!at) throw bad()
    return { start: at, end: at }
  }
  if (parts.length !== 2) throw bad()
  const interval = { start: read(parts[0]!), end: read(parts[1]!) }
  if (interval.start && interval.end && Date.parse(interval.start) > Date.parse(interval.end)) throw bad()
  return interval
}

export type PropertyFilter = { name: string; type: LayerProperty['type']; value: string | number | boolean }

const reserved = new Set(['f', 'bbox', 'bbox-crs', 'crs', 'limit', 'offset', 'datetime'])

/** The `?name=value` filters of a request, each on a declared queryable; anything else is a 400. */
export function propertyFilters(layer: LayerDefinition, query: OgcItemsQuery): PropertyFilter[] {
  const declared = new Map(queryables(layer).map((property) => [property.name, property]))
  const filters: PropertyFilter[] = []
  const issues: { path: string; message: string }[] = []
  for (const [name, raw] of Object.entries(query)) {
    if (reserved.has(name) || raw === undefined) continue
    const property = declared.get(name)
    if (!property) {
      issues.push({ path: name, message: `unknown parameter; queryables of ${layer.id}: ${[...declared.keys()].join(', ')}` })
      continue
    }
    const text = String(raw)
    if (property.type === 'integer') {
      if (!/^-?\d+$/.test(text)) issues.push({ path: name, message: 'must be a whole number' })
      else filters.push({ name, type: property.type, value: Number(text) })
    } else if (property.type === 'boolean') {
      if (text !== 'true' && text !== 'false') issues.push({ path: name, message: 'must be true or false' })
      else filters.push({ name, type: property.type, value: text === 'true' })
    } else filters.push({ name, type: property.type, value: text })
  }
  if (issues.length)
    throw new Invalid(`Invalid request: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`, { issues })
  return filters
}

/** JSON or HTML: `f=` wins, else the Accept header (a browser asks for text/html first). */
export function wantsHtml(f: 'json' | 'html' | undefined, accept: string | undefined): boolean {
  if (f) return f === 'html'
  if (!accept) return false
  const types = accept.split(',').map((part) => part.split(';')[0]!.trim().toLowerCase())
  const html = types.indexOf('text/html')
  if (html < 0) return false
  const json = types.findIndex((type) => type.endsWith('json'))
  return json < 0 || html < json
}

/** The paging links of an items answer (offset paging, limit kept), absolute. */
export function pagingLinks(itemsUrl: URL, page: { offset: number; limit: number; returned: number; matched: number }): OgcLink[] {
  const at = (offset: number, f?: string) => {
    const url = new URL(itemsUrl)
    url.searchParams.set('limit', String(page.limit))
    if (offset > 0) url.searchParams.set('offset', String(offset))
    else url.searchParams.delete('offset')
    if (f) url.searchParams.set('f', f)
    else url.searchParams.delete('f')
    return url.toString()
  }
  const links: OgcLink[] = [
    { href: at(page.offset, 'json'), rel: 'self', type: 'application/geo+json', title: 'This page' },
    { href: at(page.offset, 'html'), rel: 'alternate', type: 'text/html', title: 'This page as HTML' },
  ]
  if (page.offset + page.returned < page.matched)
    links.push({ href: at(page.offset + page.limit, 'json'), rel: 'next', type: 'application/geo+json', title: 'Next page' })
  if (page.offset > 0)
    links.push({
      href: at(Math.max(0, page.offset - page.limit), 'json'),
      rel: 'prev',
      type: 'application/geo+json',
      title: 'Previous page',
    })
  return links
}

export const defaultLimit = ogcDefaultLimit
