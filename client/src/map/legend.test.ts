import { describe, expect, it } from 'vitest'
import { findLayer } from '@riskatlas/shared'
import { buildLegend } from './legend.ts'

const layer = (id: string) => findLayer(id)!

describe('buildLegend', () => {
  it('has one section per visible layer, in the order given, titled in the locale', () => {
    const sections = buildLegend([layer('hazard_points'), layer('shelters')], { locale: 'en' }, () => () => undefined)
    expect(sections.map((s) => [s.layerId, s.title])).toEqual([
      ['hazard_points', 'Hazard points'],
      ['shelters', 'Shelters'],
    ])
  })

  it('draws nothing for layers that are hidden', () => {
    expect(buildLegend([], { locale: 'zh' }, () => () => undefined)).toEqual([])
  })

  it('sizes shelter swatches by capacity like the map does', () => {
    const [shelters] = buildLegend([layer('shelters')], { locale: 'zh' }, () => () => undefined)
    const scales = shelters!.entries.map((entry) => (entry.swatch.kind === 'icon' ? entry.swatch.scale : undefined))
    expect(scales).toEqual([0.85, 1.25, 1.75])
    expect(shelters!.entries[0]!.label).toBe('避险安置点 · ≤100 人')
  })

  it('omits road classes that are absent from the data', () => {
    const present = (property: string) => (property === 'class' ? new Set(['county']) : new Set([true]))
    const [roads] = buildLegend([layer('roads')], { locale: 'zh' }, () => present)
    expect(roads!.entries.map((e) => e.label)).toEqual(['县道'])
  })

  it('names village roads 村道, not 行政村', () => {
    const [roads] = buildLegend([layer('roads')], { locale: 'zh' }, () => (p) => (p === 'class' ? new Set(['village']) : undefined))
    expect(roads!.entries[0]!.label).toBe('村道')
  })
})
