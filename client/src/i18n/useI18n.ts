import { computed, readonly, ref, type ComputedRef, type DeepReadonly, type Ref } from 'vue'
import { enumLabels, type Bilingual } from '@riskatlas/shared'
import { messages, type MessageKey } from './messages.ts'

export type Locale = keyof typeof messages

export const locales: readonly Locale[] = ['zh', 'en']

const storageKey = 'riskatlas.locale'

function initialLocale(): Locale {
  try {
    const stored = globalThis.localStorage?.getItem(storageKey)
    if (stored === 'zh' || stored === 'en') return stored
  } catch {
    // Storage can be disabled (private mode); Chinese is the default anyway.
  }
  return 'zh'
}

/** One locale for the whole app: switching it re-renders every `t()` and map label. */
const locale = ref<Locale>(initialLocale())

/**
 * Labels for enum values whose meaning depends on the property (the shared table keys by
 * value alone, and `village` is both an admin level and a road class), plus values the
 * shared table does not cover yet.
 */
const propertyEnumOverrides: Record<string, Record<string, MessageKey>> = {
  class: { village: 'enumVillageRoad' },
  source: { drawn: 'enumDrawn', computed: 'enumComputed' },
}

/** The catalogue's units are Chinese; English readers get these instead. */
const englishUnits: Record<string, string> = {
  人: 'people',
  户: 'households',
  万元: '×10k yuan',
  '万m³': '×10⁴ m³',
  张: 'beds',
  处: '',
  分钟: 'min',
}

/** A catalogue unit in a language (metric symbols stay as they are). */
export function translateUnit(lang: Locale, unit: string): string {
  return lang === 'zh' ? unit : (englishUnits[unit] ?? unit)
}

export function setLocale(next: Locale): void {
  locale.value = next
  try {
    globalThis.localStorage?.setItem(storageKey, next)
  } catch {
    // Not persisted; the choice still holds for this page.
  }
  if (typeof document !== 'undefined') document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en'
}

/** Fills `{name}` placeholders. */
export function format(template: string, params?: Record<string, string | number>): string {
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

export function translate(lang: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  return format(messages[lang][key], params)
}

/** The label of an enum value (raw API value) in a language; unknown values show as they are. */
export function translateEnum(lang: Locale, value: string, propertyName?: string): string {
  const override = propertyName ? propertyEnumOverrides[propertyName]?.[value] : undefined
  if (override) return translate(lang, override)
  return enumLabels[value]?.[lang] ?? value
}

export interface I18n {
  locale: DeepReadonly<Ref<Locale>>
  isZh: ComputedRef<boolean>
  t: (key: MessageKey, params?: Record<string, string | number>) => string
  /** Picks the current language from a catalogue title. */
  bi: (text: Bilingual) => string
  enumLabel: (value: string, propertyName?: string) => string
  setLocale: (next: Locale) => void
  toggleLocale: () => void
}

/** The app's small typed i18n: reactive because every function reads `locale`. */
export function useI18n(): I18n {
  return {
    locale: readonly(locale),
    isZh: computed(() => locale.value === 'zh'),
    t: (key, params) => translate(locale.value, key, params),
    bi: (text) => text[locale.value],
    enumLabel: (value, propertyName) => translateEnum(locale.value, value, propertyName),
    setLocale,
    toggleLocale: () => setLocale(locale.value === 'zh' ? 'en' : 'zh'),
  }
}
