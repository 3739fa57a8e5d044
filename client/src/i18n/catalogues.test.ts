import { describe, expect, it } from 'vitest'
import { messageCatalogues } from './core.ts'

// Every catalogue module of the client (each registers itself when imported), found by its
// source rather than listed by hand, so a new catalogue is checked without anyone adding it here.
const sources = import.meta.glob<string>(['../**/*.ts', '!../**/*.test.ts', '!../test/**'], {
  query: '?raw',
  import: 'default',
  eager: true,
})
const definers = Object.entries(sources).filter(([, text]) => /\bdefineMessages\(\s*'/.test(text))
const declaredNames = definers.flatMap(([, text]) => [...text.matchAll(/\bdefineMessages\(\s*'([\w-]+)'/g)].map((match) => match[1]!))
await Promise.all(definers.map(([file]) => import(/* @vite-ignore */ file)))

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort()

describe('message catalogues', () => {
  it('are all defined through one mechanism, and each is checked below', () => {
    expect(declaredNames.length).toBeGreaterThanOrEqual(6)
    expect(
      messageCatalogues()
        .map((catalogue) => catalogue.name)
        .sort(),
    ).toEqual([...declaredNames].sort())
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
