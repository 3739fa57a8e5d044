import { describe, expect, it } from 'vitest'
import { messageCatalogues } from './core.ts'
// Every module that defines a catalogue, so each registers itself.
import './useI18n.ts'
import './accounts.ts'
import './admin.ts'
import './drills.ts'
import './login.ts'
import './people.ts'

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort()

describe('message catalogues', () => {
  it('are all defined through one mechanism', () => {
    expect(
      messageCatalogues()
        .map((catalogue) => catalogue.name)
        .sort(),
    ).toEqual(['accounts', 'admin', 'app', 'drills', 'login', 'people'])
  })

  describe.each(messageCatalogues().map((catalogue) => [catalogue.name, catalogue] as const))('%s', (_name, { zh, en }) => {
    it('has every string in both languages, with the same placeholders', () => {
      expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort())
      for (const key of Object.keys(zh)) {
        expect(en[key]!.length, key).toBeGreaterThan(0)
        expect(placeholders(en[key]!), key).toEqual(placeholders(zh[key]!))
      }
    })

    it('leaves no Chinese in the English strings (but the switch back to Chinese, which says 中文)', () => {
      expect(Object.entries(en).filter(([key, text]) => key !== 'language' && /[\u4e00-\u9fff]/.test(text))).toEqual([])
    })
  })
})
