/** A string in both UI languages. zh-CN is the default; English is switchable. */
export interface Bilingual {
  zh: string
  en: string
}
