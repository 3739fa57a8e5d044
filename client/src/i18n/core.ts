import { readonly } from 'vue'
import { useLocalStorage } from '@vueuse/core'

/**
 * The client's one i18n mechanism: one reactive locale for the whole app, and typed message
 * catalogues — Chinese the source of keys, English required to carry the same ones — each
 * defined with `defineMessages` in the module of the views that use it, so a view's strings
 * load with its chunk. Every translator reads `locale`, so switching re-renders everything.
 */
export type Locale = 'zh' | 'en'

export const locales: readonly Locale[] = ['zh', 'en']

/** Remembered in this browser (VueUse storage); anything unreadable there means Chinese, the default. */
const current = useLocalStorage<Locale>('riskatlas.locale', 'zh', {
  serializer: { read: (text) => (text === 'en' ? 'en' : 'zh'), write: (value) => value },
  writeDefaults: false,
  flush: 'sync',
})

/** The app's locale (read-only: change it with `setLocale`). */
export const locale = readonly(current)

export function setLocale(next: Locale): void {
  current.value = next
  if (typeof document !== 'undefined') document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en'
}

export type MessageParams = Record<string, string | number>

/** Fills `{name}` placeholders. */
export function format(template: string, params?: MessageParams): string {
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

/** A catalogue's strings in the current locale (`t(key)`) or a given one (`t.in(lang, key)`). */
export interface Translator<K extends string> {
  (key: K, params?: MessageParams): string
  in(lang: Locale, key: K, params?: MessageParams): string
}

export interface MessageCatalogue {
  name: string
  zh: Readonly<Record<string, string>>
  en: Readonly<Record<string, string>>
}

const catalogues = new Map<string, MessageCatalogue>()

/** Every catalogue defined so far (the parity test checks each one). */
export function messageCatalogues(): MessageCatalogue[] {
  return [...catalogues.values()]
}

/** Defines a catalogue: the Chinese strings (the keys) and their English, which must match key for key. */
export function defineMessages<const Z extends Record<string, string>>(
  name: string,
  zh: Z,
  en: Record<keyof Z & string, string>,
): Translator<keyof Z & string> {
  catalogues.set(name, { name, zh, en })
  const translateIn = (lang: Locale, key: keyof Z & string, params?: MessageParams) => format((lang === 'zh' ? zh : en)[key], params)
  const translator = (key: keyof Z & string, params?: MessageParams) => translateIn(current.value, key, params)
  translator.in = translateIn
  return translator
}
