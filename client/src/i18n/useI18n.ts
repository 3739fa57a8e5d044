import { computed, type ComputedRef, type DeepReadonly, type Ref } from 'vue'
import { enumLabels, type Bilingual } from '@riskatlas/shared'
import { defineMessages, locale, setLocale, type Locale, type MessageParams } from './core.ts'
import { en, zh, type MessageKey } from './messages.ts'

export { format, locales, setLocale, type Locale } from './core.ts'

const appText = defineMessages('app', zh, en)

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

/** An app string in a given language (the map's style builders label their legends with it). */
export function translate(lang: Locale, key: MessageKey, params?: MessageParams): string {
  return appText.in(lang, key, params)
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

/** The app's strings and labels in the current locale (see `core.ts`): reactive because every function reads `locale`. */
export function useI18n(): I18n {
  return {
    locale,
    isZh: computed(() => locale.value === 'zh'),
    t: appText,
    bi: (text) => text[locale.value],
    enumLabel: (value, propertyName) => translateEnum(locale.value, value, propertyName),
    setLocale,
    toggleLocale: () => setLocale(locale.value === 'zh' ? 'en' : 'zh'),
  }
}
