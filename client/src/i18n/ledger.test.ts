import { describe, expect, it } from 'vitest'
import {
  fourListColumnKeys,
  fourListColumnTitles,
  fourListDefinitions,
  fourListIds,
  fourListTitle,
  ledgerPhraseExamples,
  ledgerPhraseSchema,
  type LedgerPhrase,
} from '@riskatlas/shared'
import { sayLedger } from './ledger.ts'

const chinese = /[\u4e00-\u9fff]/
const codes = ledgerPhraseSchema.options.map((option) => option.shape.code.value)
const examples = codes.map((code) => ledgerPhraseSchema.parse({ code, params: ledgerPhraseExamples[code] }) as LedgerPhrase)

describe('ledger phrases (codes the server sends for the ledger, the summary and the four lists)', () => {
  it('has an example for every code of the schema', () => {
    expect(Object.keys(ledgerPhraseExamples).sort()).toEqual([...codes].sort())
  })

  it.each(examples.map((phrase) => [phrase.code, phrase] as const))('words %s in Chinese and in English', (_code, phrase) => {
    const zh = sayLedger('zh', phrase)
    const en = sayLedger('en', phrase)
    expect(zh).toMatch(chinese)
    expect(en.length).toBeGreaterThan(0)
    expect(en).not.toMatch(chinese)
    for (const value of Object.values(phrase.params)) {
      expect(zh).toContain(String(value) === 'reservoir' ? '水库' : String(value))
      expect(en).toContain(String(value) === 'reservoir' ? 'Reservoir' : String(value))
    }
  })

  it('shows data (a string) as it is, and nothing for an empty cell', () => {
    expect(sayLedger('en', '上村')).toBe('上村')
    expect(sayLedger('zh', null)).toBe('')
  })

  it('words the four lists’ titles, rules and every column in both languages', () => {
    for (const list of fourListIds) {
      const { title, rule } = fourListDefinitions[list]
      for (const text of [title, rule, fourListTitle(list, 2023)]) {
        expect(text.zh).toMatch(chinese)
        expect(text.en).not.toMatch(chinese)
      }
    }
    expect(fourListTitle('major_dangers', 2023).zh).toBe('2023年重大隐患清单')
    for (const key of fourListColumnKeys) {
      expect(fourListColumnTitles[key].zh, key).toMatch(chinese)
      expect(fourListColumnTitles[key].en, key).not.toMatch(chinese)
    }
  })
})
