import { describe, expect, it } from 'vitest'
import { naturalVillagesStyle } from './layers/exposure.ts'
import { localIdeographFontFamily, pointLabelLayout } from './labels.ts'

describe('labels', () => {
  it('let MapLibre drop colliding labels instead of overlapping them', () => {
    const layout = pointLabelLayout()
    expect(layout['text-allow-overlap']).toBe(false)
    expect(layout['text-optional']).toBe(true)
    expect((layout['text-variable-anchor'] as string[]).length).toBeGreaterThan(2)
  })

  it('give populous villages first claim on label space', () => {
    const label = naturalVillagesStyle
      .layers('natural_villages', { locale: 'zh' })
      .find(({ spec }) => spec.id === 'natural_villages:label')!.spec
    const layout = (label as { layout: Record<string, unknown> }).layout
    expect(layout['symbol-sort-key']).toEqual(['-', 0, ['to-number', ['coalesce', ['get', 'population'], 0]]])
    expect(layout['text-field']).toEqual(['to-string', ['coalesce', ['get', 'name'], '']])
  })

  it('name local CJK fonts as a CSS family list', () => {
    expect(localIdeographFontFamily).toMatch(/^'Noto Sans CJK SC', .*sans-serif$/)
  })
})
