import { afterEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import SearchBox from './SearchBox.vue'
import { putLayer, resetFeatureStore } from '../../composables/useFeatureStore.ts'
import { matchScore } from '../../composables/useFeatureSearch.ts'

const point = (coordinates: [number, number], properties: Record<string, unknown>, id: string) => ({
  type: 'Feature' as const,
  id,
  geometry: { type: 'Point' as const, coordinates },
  properties,
})

afterEach(() => resetFeatureStore())

describe('SearchBox', () => {
  it('finds villages and hazard points by name or code and reports the choice', async () => {
    putLayer('natural_villages', {
      type: 'FeatureCollection',
      features: [point([104, 30], { name: '上湾', code: 'NV-01' }, 'a'), point([104.1, 30.1], { name: '下湾', code: 'NV-02' }, 'b')],
    })
    putLayer('hazard_points', { type: 'FeatureCollection', features: [point([104, 30], { name: '上湾滑坡', code: 'HP-001' }, 'h1')] })
    const box = mount(SearchBox)
    await box.find('input').setValue('上湾')
    await box.find('input').trigger('input')
    const options = box.findAll('[role="option"]')
    expect(options.map((o) => o.find('.name').text())).toEqual(['上湾', '上湾滑坡'])
    await options[1]!.trigger('mousedown')
    expect(box.emitted('choose')?.[0]?.[0]).toMatchObject({ layerId: 'hazard_points', mapId: 0, code: 'HP-001' })
  })

  it('says when nothing matches', async () => {
    const box = mount(SearchBox)
    await box.find('input').setValue('不存在')
    await box.find('input').trigger('input')
    expect(box.find('.none').text()).toBe('没有找到匹配项')
  })

  it('ranks an exact code above a partial name', () => {
    expect(matchScore('hp-001', '某滑坡', 'HP-001')).toBeGreaterThan(matchScore('滑坡', '某滑坡', 'HP-001'))
    expect(matchScore('x', '上湾', 'NV-01')).toBe(0)
  })
})
