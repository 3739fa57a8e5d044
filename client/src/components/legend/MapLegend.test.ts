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
