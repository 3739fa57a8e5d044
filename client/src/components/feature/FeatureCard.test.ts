import { afterEach, describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import FeatureCard from './FeatureCard.vue'
import { setLocale } from '../../i18n/useI18n.ts'

const hazard = {
  code: 'HP-007',
  name: '后山滑坡',
  admin_name: '石桥村',
  kind: 'landslide',
  scale: 'medium',
  risk_level: 3,
  threatened_households: 12,
  threatened_people: 46,
  monitor_name: '王建国',
  threatened_villages: ['上湾', '下湾'],
  status: 'active',
}

afterEach(() => setLocale('zh'))

const value = (card: ReturnType<typeof mount>, property: string) => card.find(`[data-property="${property}"]`).text()

describe('FeatureCard', () => {
  it('shows a hazard point under the catalogue’s Chinese labels', () => {
    const card = mount(FeatureCard, { props: { layerId: 'hazard_points', properties: hazard } })
    expect(card.find('h2').text()).toBe('后山滑坡')
    const titles = card.findAll('dt').map((dt) => dt.text())
    expect(titles).toEqual(expect.arrayContaining(['编号', '类型', '规模', '风险等级', '威胁户数', '威胁人数', '监测员', '威胁自然村']))
    expect(value(card, 'kind')).toBe('滑坡')
    expect(value(card, 'scale')).toBe('中型')
    expect(value(card, 'threatened_people')).toBe('46 人')
    expect(value(card, 'risk_level')).toBe('3 · 高风险')
    expect(card.findAll('[data-property="threatened_villages"] .chip').map((chip) => chip.text())).toEqual(['上湾', '下湾'])
  })

  it('shows a reservoir’s three responsible persons and its capacity', () => {
    const card = mount(FeatureCard, {
      props: {
        layerId: 'reservoirs',
        properties: {
          name: '青龙水库',
          reservoir_scale: 'small_1',
          storage_10k_m3: 125.5,
          dam_height_m: 18,
          admin_responsible: '李镇长',
          tech_responsible: '张工',
          patrol_responsible: '赵师傅',
        },
      },
    })
    expect(value(card, 'reservoir_scale')).toBe('小(一)型')
    expect(value(card, 'storage_10k_m3')).toBe('125.5 万m³')
    expect(card.findAll('dt').map((dt) => dt.text())).toEqual(expect.arrayContaining(['行政责任人', '技术责任人', '巡查责任人']))
  })

  it('leaves empty attributes out and translates to English', () => {
    setLocale('en')
    const card = mount(FeatureCard, { props: { layerId: 'hazard_points', properties: { ...hazard, monitor_name: null } } })
    expect(card.find('[data-property="monitor_name"]').exists()).toBe(false)
    expect(value(card, 'kind')).toBe('Landslide')
    expect(card.findAll('dt').map((dt) => dt.text())).toContain('Threatened people')
    expect(value(card, 'threatened_people')).toBe('46 people')
  })

  it('lists related features as links and closes', async () => {
    const card = mount(FeatureCard, {
      props: {
        layerId: 'natural_villages',
        properties: { name: '上湾', population: 230 },
        relations: {
          lists: [{ heading: 'threatsToVillage', items: [{ layerId: 'hazard_points', mapId: 4, label: '后山滑坡', detail: 'HP-007' }] }],
          highlighted: [],
        },
      },
    })
    expect(card.find('.related h3').text()).toBe('威胁本村的隐患点')
    await card.find('.related button').trigger('click')
    expect(card.emitted('open')?.[0]?.[0]).toMatchObject({ layerId: 'hazard_points', mapId: 4 })
    await card.find('.close').trigger('click')
    expect(card.emitted('close')).toHaveLength(1)
  })
})
