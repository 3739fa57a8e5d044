import type { LayerProperty } from '@riskatlas/shared'
import { translate, translateEnum, translateUnit, type Locale } from '../../i18n/useI18n.ts'

/** One row of a feature card: the catalogue's title, the value as a reader wants it. */
export interface CardRow {
  name: string
  title: string
  /** A single formatted value, or a list (string[] properties) shown as chips. */
  value: string | string[]
}

/** string[] properties travel as JSON arrays; MapLibre or older servers may hand over JSON text. */
export function asStringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String)
  if (typeof value === 'string' && value.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(value)
      if (Array.isArray(parsed)) return parsed.map(String)
    } catch {
      // Not JSON after all; fall through to a single item.
    }
  }
  return typeof value === 'string' && value !== '' ? [value] : []
}

export function formatValue(property: LayerProperty, value: unknown, locale: Locale): string | string[] | undefined {
  if (value === null || value === undefined || value === '') return undefined
  const numberLocale = locale === 'zh' ? 'zh-CN' : 'en-GB'
  const unit = property.unit ? translateUnit(locale, property.unit) : ''
  const withUnit = (text: string) => (unit ? `${text} ${unit}` : text)
  switch (property.type) {
    case 'enum':
      return translateEnum(locale, String(value), property.name)
    case 'string[]': {
      const list = asStringList(value)
      return list.length > 0 ? list : undefined
    }
    case 'integer':
    case 'number': {
      const number = typeof value === 'number' ? value : Number(value)
      if (!Number.isFinite(number)) return String(value)
      if (property.name === 'risk_level' && number >= 1 && number <= 4) {
        return `${number} · ${translate(locale, `riskLevel${number as 1 | 2 | 3 | 4}`)}`
      }
      return withUnit(number.toLocaleString(numberLocale, { maximumFractionDigits: 2 }))
    }
    case 'boolean':
      return translate(locale, value === true || value === 'true' ? 'yes' : 'no')
    case 'datetime': {
      const date = new Date(String(value))
      return Number.isNaN(date.getTime())
        ? String(value)
        : date.toLocaleString(numberLocale, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
    }
    default:
      return String(value)
  }
}

/** The card's rows in catalogue order, skipping empty values and the name shown as its heading. */
export function cardRows(
  properties: readonly LayerProperty[],
  values: Record<string, unknown>,
  locale: Locale,
  skip: readonly string[] = ['name'],
): CardRow[] {
  return properties.flatMap((property) => {
    if (skip.includes(property.name)) return []
    const value = formatValue(property, values[property.name], locale)
    return value === undefined ? [] : [{ name: property.name, title: property.title[locale], value }]
  })
}
