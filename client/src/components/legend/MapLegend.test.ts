import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import { findLayer } from '@riskatlas/shared'
import MapLegend from './MapLegend.vue'
import { buildLegend } from '../../map/legend.ts'

describe('MapLegend', () => {
  it('renders every entry of the built legend with its swatch', () => {
    const sections = buildLegend([findLayer('hazard_points')!, findLayer('evacuation_routes')!], { locale: 'zh' }, () => () => undefined)
    const legend = mount(MapLegend, { props: { sections } })
    expect(legend.findAll('[data-legend-layer]').map((s) => s.attributes('data-legend-layer'))).toEqual([
      'hazard_points',
      'evacuation_routes',
    ])
    const hazardImages = legend.findAll('[data-legend-layer="hazard_points"] img')
    expect(hazardImages).toHaveLength(5)
    expect(hazardImages[0]!.attributes('src')).toMatch(/^data:image\/svg\+xml/)
    expect(legend.find('[data-legend-layer="evacuation_routes"] path').exists()).toBe(true)
  })

  it('says so when nothing is shown', () => {
    expect(mount(MapLegend, { props: { sections: [] } }).text()).toBe('未显示任何图层')
  })
})

describe('MapLegend headings', () => {
  it('gives a one-entry layer that is not named after itself its own heading (橙色预警 is not a 危险区)', () => {
    const present = (layerId: string) => (property: string) =>
      layerId === 'active_warnings' && property === 'level' ? new Set(['orange']) : layerId === 'danger_zones' ? new Set([2, 3]) : undefined
    const sections = buildLegend([findLayer('danger_zones')!, findLayer('active_warnings')!], { locale: 'zh' }, present)
    const legend = mount(MapLegend, { props: { sections } })
    expect(legend.find('[data-legend-layer="danger_zones"] h4').text()).toBe('危险区')
    const warnings = legend.find('[data-legend-layer="active_warnings"]')
    expect(warnings.find('h4').exists()).toBe(true)
    expect(warnings.find('h4').text()).toBe('生效预警')
    expect(warnings.find('li').text()).toBe('橙色预警')
  })
})
