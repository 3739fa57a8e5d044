import { describe, expect, it } from 'vitest'
import { accountEn, accountZh } from './accounts.ts'
import { adminEn, adminZh } from './admin.ts'
import { loginEn, loginZh } from './login.ts'
import { peopleEn, peopleZh } from './people.ts'

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort()

describe.each([
  ['account chrome', accountZh, accountEn],
  ['sign-in page', loginZh, loginEn],
  ['vulnerable people', peopleZh, peopleEn],
  ['admin page', adminZh, adminEn],
] as const)('%s strings', (_name, zh, en) => {
  it('has every string in both languages, with the same placeholders', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort())
    for (const key of Object.keys(zh) as (keyof typeof zh & keyof typeof en)[]) {
      expect((en[key] as string).length, key).toBeGreaterThan(0)
      expect(placeholders(en[key] as string), key).toEqual(placeholders(zh[key] as string))
    }
  })

  it('leaves no Chinese in the English strings', () => {
    expect(Object.entries(en).filter(([, text]) => /[\u4e00-\u9fff]/.test(text as string))).toEqual([])
  })
})
