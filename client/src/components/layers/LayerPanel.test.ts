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

  it('offers each layer with features as GeoJSON, CSV, Excel and a zipped Shapefile, as plain download links', () => {
    const layers = summaries.map((layer) => (layer.id === 'active_warnings' ? { ...layer, count: 0 } : layer))
    const panel = mount(LayerPanel, { props: { layers, visible: [] } })
    const menu = panel.find('[data-export="roads"]')
    expect(menu.find('summary').text()).toBe('导出')
    expect(menu.find('summary').attributes('title')).toContain('道路')
    const links = menu.findAll('a')
    expect(links.map((link) => [link.text(), link.attributes('href')])).toEqual([
      ['GeoJSON', '/api/exports/layers/roads.geojson'],
      ['CSV（Excel 可打开）', '/api/exports/layers/roads.csv'],
      ['Excel 表格', '/api/exports/layers/roads.xlsx'],
      ['Shapefile（GBK 编码）', '/api/exports/layers/roads.shp.zip'],
    ])
    expect(links.every((link) => link.attributes('download') !== undefined)).toBe(true)
    // Nothing to download from a layer with no feature (no active warning).
    expect(panel.find('[data-export="active_warnings"]').exists()).toBe(false)
    expect(panel.findAll('details.export')).toHaveLength(layers.length - 1)
  })

  it('closes the download menu once a format is chosen, without toggling the layer', async () => {
    const panel = mount(LayerPanel, { props: { layers: summaries, visible: [] }, attachTo: document.body })
    const menu = panel.find('[data-export="shelters"]')
    ;(menu.element as HTMLDetailsElement).open = true
    await menu.find('a[data-format="xlsx"]').trigger('click')
    expect((menu.element as HTMLDetailsElement).open).toBe(false)
    expect(panel.emitted('toggle')).toBeUndefined()
    panel.unmount()
  })

  it('closes an open download menu on a click elsewhere or Escape, and keeps it open for a click inside', async () => {
    const panel = mount(LayerPanel, { props: { layers: summaries, visible: [] }, attachTo: document.body })
    const menu = panel.find('[data-export="roads"]').element as HTMLDetailsElement
    menu.open = true
    menu.querySelector('ul')!.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    expect(menu.open).toBe(true)
    document.body.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    expect(menu.open).toBe(false)
    menu.open = true
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }))
    expect(menu.open).toBe(false)
    panel.unmount()
  })

  it('switches to English', async () => {
    setLocale('en')
    const panel = mount(LayerPanel, { props: { layers: summaries, visible: [] } })
    expect(panel.find('.group-title').text()).toBe('Hazards')
    expect(panel.find('[data-export="hazard_points"] summary').text()).toBe('Export')
  })
})
