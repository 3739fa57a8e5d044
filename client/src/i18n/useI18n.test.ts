import { afterEach, describe, expect, it } from 'vitest'
import { format, setLocale, translateEnum, useI18n } from './useI18n.ts'

afterEach(() => setLocale('zh'))

describe('i18n', () => {
  it('is Chinese by default and switches to English', () => {
    const { t, toggleLocale } = useI18n()
    expect(t('layers')).toBe('图层')
    toggleLocale()
    expect(t('layers')).toBe('Layers')
    expect(localStorage.getItem('riskatlas.locale')).toBe('en')
  })

  it('fills placeholders', () => {
    expect(format('{count} 人', { count: 12 })).toBe('12 人')
  })

  it('labels enum values by property where the shared table is ambiguous', () => {
    expect(translateEnum('zh', 'village', 'class')).toBe('村道')
    expect(translateEnum('zh', 'village')).toBe('行政村')
    expect(translateEnum('en', 'computed', 'source')).toBe('Computed')
    expect(translateEnum('zh', 'unknown_value')).toBe('unknown_value')
  })
})
