import { afterEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { layerCatalogue } from '@riskatlas/shared'
import type { CatalogueLayer } from '../../api/layers.ts'
import LayerPanel from './LayerPanel.vue'
import { setLocale } from '../../i18n/useI18n.ts'

const summaries: CatalogueLayer[] = layerCatalogue.map((layer, index) => ({ ...layer, count: index + 1, bbox: null }))

afterEach(() => setLocale('zh'))

describe('LayerPanel', () => {
  it('groups layers the way the office thinks, in Chinese', () => {
    const panel = mount(LayerPanel, { props: { layers: summaries, visible: [] } })
    expect(panel.findAll('.group-title').map((title) => title.text())).toEqual(['危险源', '承灾体', '水利', '应急', '底图'])
    expect(panel.find('[data-group="water"]').text()).toContain('水库')
  })

  it('shows each layer with its feature count', () => {
    const panel = mount(LayerPanel, { props: { layers: summaries, visible: ['hazard_points'] } })
    const hazards = panel.find('[data-layer="hazard_points"]')
    expect(hazards.text()).toContain('地质灾害/山洪隐患点')
    expect(hazards.find('.count').text()).toBe('1 个')
    expect((hazards.find('input').element as HTMLInputElement).checked).toBe(true)
  })

  it('says so where the map holds fewer features than the layer has (the county’s roads)', () => {
    const layers = summaries.map((layer) => (layer.id === 'roads' ? { ...layer, count: 25_761 } : layer))
    const panel = mount(LayerPanel, {
      props: { layers, visible: ['roads', 'shelters'], shown: { roads: 10_000, shelters: layers.find((l) => l.id === 'shelters')!.count } },
    })
    const roads = panel.find('[data-layer="roads"] .count')
    expect(roads.classes()).toContain('partial')
    expect(roads.text()).toBe('10000 / 25761 个')
    expect(roads.attributes('title')).toContain('仅显示 10000 个')
    // A layer held whole keeps its plain count.
    expect(panel.find('[data-layer="shelters"] .count').classes()).not.toContain('partial')
    expect(panel.findAll('[data-testid="partial-count"]')).toHaveLength(1)
  })

  it('asks to toggle a layer and a whole group', async () => {
    const panel = mount(LayerPanel, { props: { layers: summaries, visible: ['hazard_points'] } })
    await panel.find('[data-layer="shelters"] input').setValue(true)
    expect(panel.emitted('toggle')).toEqual([['shelters', true]])
    await panel.find('[data-group="water"] .group-header input').setValue(true)
    expect(panel.emitted('toggleGroup')).toEqual([[['reservoirs', 'ponds', 'rivers'], true]])
  })

  it('switches to English', async () => {
    setLocale('en')
    const panel = mount(LayerPanel, { props: { layers: summaries, visible: [] } })
    expect(panel.find('.group-title').text()).toBe('Hazards')
  })
})
