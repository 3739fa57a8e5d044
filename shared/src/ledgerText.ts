import { z } from 'zod'
import { enumLabels } from './enums.ts'
import type { Bilingual } from './i18n.ts'

/**
 * Words the ledger, the four lists and the work summary would otherwise compose on the server:
 * they travel as a code with parameters, and `phraseLedger` words them in zh and en — the client
 * for the screen, the server for an export (.xlsx, .docx), from this one table.
 */
export const ledgerPhraseSchema = z.discriminatedUnion('code', [
  /** An enum value (a hazard or place kind, a status, a reservoir scale), worded by `enumLabels`. */
  z.object({ code: z.literal('enum_value'), params: z.object({ value: z.string() }) }),
  z.object({ code: z.literal('category_hazard_point'), params: z.object({}) }),
  z.object({ code: z.literal('category_key_place'), params: z.object({}) }),
  z.object({ code: z.literal('risk_grade'), params: z.object({ level: z.number().int() }) }),
  z.object({ code: z.literal('problem_overdue'), params: z.object({}) }),
  z.object({ code: z.literal('problem_repeated'), params: z.object({}) }),
  z.object({ code: z.literal('dangers_found_in_year'), params: z.object({ count: z.number().int() }) }),
  z.object({ code: z.literal('village_unlocated'), params: z.object({}) }),
  z.object({ code: z.literal('place_unregistered'), params: z.object({}) }),
  z.object({ code: z.literal('inspection_led_by'), params: z.object({ leader: z.string() }) }),
  z.object({ code: z.literal('enterprise_self_check'), params: z.object({}) }),
  z.object({ code: z.literal('operation_window'), params: z.object({ description: z.string(), from: z.string(), to: z.string() }) }),
  z.object({
    code: z.literal('publicity_counts'),
    params: z.object({ leaflets: z.number().int(), advised: z.number().int(), trained: z.number().int() }),
  }),
  z.object({ code: z.literal('inspector_in_post'), params: z.object({}) }),
  z.object({ code: z.literal('inspector_until'), params: z.object({ date: z.string() }) }),
  z.object({ code: z.literal('drill_of_village'), params: z.object({ village: z.string() }) }),
  z.object({
    code: z.literal('vulnerable_listed'),
    params: z.object({ total: z.number().int(), withoutResponsible: z.number().int() }),
  }),
  z.object({ code: z.literal('town_count'), params: z.object({ count: z.number().int() }) }),
])
export type LedgerPhrase = z.infer<typeof ledgerPhraseSchema>
export type LedgerPhraseCode = LedgerPhrase['code']

/** Text shown as it is when it is a string (a name, a description someone typed), or a phrase to word. */
export const ledgerTextSchema = z.union([z.string(), ledgerPhraseSchema])
export type LedgerText = z.infer<typeof ledgerTextSchema>

/** A phrase built with its code checked against its parameters. */
export function ledgerPhrase<C extends LedgerPhraseCode>(code: C, params: Extract<LedgerPhrase, { code: C }>['params']): LedgerPhrase {
  return { code, params } as LedgerPhrase
}

/** A ledger phrase in both languages. */
export function phraseLedger(phrase: LedgerPhrase): Bilingual {
  switch (phrase.code) {
    case 'enum_value':
      return enumLabels[phrase.params.value] ?? { zh: phrase.params.value, en: phrase.params.value }
    case 'category_hazard_point':
      return { zh: '地质灾害/山洪', en: 'Geological hazard / flash flood' }
    case 'category_key_place':
      return { zh: '重点场所', en: 'Key place' }
    case 'risk_grade':
      return { zh: `${phrase.params.level}级`, en: `Level ${phrase.params.level}` }
    case 'problem_overdue':
      return { zh: '逾期未整改', en: 'Overdue, not rectified' }
    case 'problem_repeated':
      return { zh: '隐患多发', en: 'Repeated dangers' }
    case 'dangers_found_in_year':
      return { zh: `当年发现隐患${phrase.params.count}条`, en: `${phrase.params.count} dangers found in the year` }
    case 'village_unlocated':
      return { zh: '（未定位）', en: '(not located)' }
    case 'place_unregistered':
      return { zh: '（未登记场所）', en: '(no registered place)' }
    case 'inspection_led_by':
      return { zh: `检查（${phrase.params.leader}带队）`, en: `Inspection led by ${phrase.params.leader}` }
    case 'enterprise_self_check':
      return { zh: '企业自查', en: 'Enterprise self-check' }
    case 'operation_window': {
      const p = phrase.params
      return { zh: `${p.description}（${p.from}至${p.to}）`, en: `${p.description} (${p.from} to ${p.to})` }
    }
    case 'publicity_counts': {
      const p = phrase.params
      return {
        zh: `发放资料${p.leaflets}份，咨询${p.advised}人次，培训${p.trained}人次`,
        en: `${p.leaflets} leaflets, ${p.advised} people advised, ${p.trained} people trained`,
      }
    }
    case 'inspector_in_post':
      return { zh: '在岗', en: 'In post' }
    case 'inspector_until':
      return { zh: `至${phrase.params.date}`, en: `Until ${phrase.params.date}` }
    case 'drill_of_village':
      return { zh: `${phrase.params.village}演练`, en: `Drill at ${phrase.params.village}` }
    case 'vulnerable_listed': {
      const p = phrase.params
      return {
        zh: `${p.total}人在册，${p.withoutResponsible}人未落实包保责任人`,
        en: `${p.total} listed, ${p.withoutResponsible} without a responsible person`,
      }
    }
    case 'town_count':
      return { zh: `${phrase.params.count}个乡镇`, en: `${phrase.params.count} towns` }
  }
}

/** Ledger text in one language: a string as it is, a phrase worded. */
export function ledgerTextIn(lang: keyof Bilingual, text: LedgerText): string {
  return typeof text === 'string' ? text : phraseLedger(text)[lang]
}

/**
 * One example of every phrase, so tests can word each code in both languages (a code added
 * to the schema without an example fails the type; one without words fails the test).
 */
export const ledgerPhraseExamples: { [C in LedgerPhraseCode]: Extract<LedgerPhrase, { code: C }>['params'] } = {
  enum_value: { value: 'reservoir' },
  category_hazard_point: {},
  category_key_place: {},
  risk_grade: { level: 3 },
  problem_overdue: {},
  problem_repeated: {},
  dangers_found_in_year: { count: 4 },
  village_unlocated: {},
  place_unregistered: {},
  inspection_led_by: { leader: 'Li' },
  enterprise_self_check: {},
  operation_window: { description: 'hot work', from: '2023-05-01', to: '2023-05-03' },
  publicity_counts: { leaflets: 100, advised: 20, trained: 10 },
  inspector_in_post: {},
  inspector_until: { date: '2023-12-31' },
  drill_of_village: { village: 'Lower Village' },
  vulnerable_listed: { total: 12, withoutResponsible: 2 },
  town_count: { count: 2 },
}
