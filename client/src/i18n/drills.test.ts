import { describe, expect, it } from 'vitest'
import { drillEn, drillZh } from './drills.ts'

describe('drill view strings', () => {
  it('has every string in both languages, with the same placeholders', () => {
    expect(Object.keys(drillEn).sort()).toEqual(Object.keys(drillZh).sort())
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort()
    for (const key of Object.keys(drillZh) as (keyof typeof drillZh)[]) {
      expect(drillEn[key].length, key).toBeGreaterThan(0)
      expect(placeholders(drillEn[key]), key).toEqual(placeholders(drillZh[key]))
    }
  })

  it('leaves no Chinese in the English strings', () => {
    expect(Object.entries(drillEn).filter(([, text]) => /[\u4e00-\u9fff]/.test(text))).toEqual([])
  })
})
