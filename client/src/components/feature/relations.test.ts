import { afterEach, describe, expect, it } from 'vitest'
import { putLayer, resetFeatureStore } from '../../composables/useFeatureStore.ts'
import { relationsOf } from './relations.ts'

const feature = (id: string, geometry: GeoJSON.Geometry, properties: Record<string, unknown>) => ({
  type: 'Feature' as const,
  id,
  geometry,
  properties,
})
const point: GeoJSON.Point = { type: 'Point', coordinates: [99.1, 25.1] }
const line: GeoJSON.LineString = {
  type: 'LineString',
  coordinates: [
    [99.1, 25.1],
    [99.2, 25.2],
  ],
}

afterEach(() => resetFeatureStore())

describe('relationsOf', () => {
  it('links a hazard point to its danger zone and the villages it threatens', () => {
    putLayer('danger_zones', {
      type: 'FeatureCollection',
      features: [feature('z1', point, { hazard_code: 'HZ-2' }), feature('z2', point, { hazard_code: 'HZ-1' })],
    })
    putLayer('natural_villages', { type: 'FeatureCollection', features: [feature('v1', point, { name: '梅子寨', code: 'NV-9' })] })
    const relations = relationsOf('hazard_points', {
      code: 'HZ-1',
      threatened_villages: ['梅子寨', '不在图上'],
      threatened_village_codes: ['NV-9', 'NV-404'],
    })
    expect(relations.highlighted).toEqual([{ layerId: 'danger_zones', mapId: 1, label: 'HZ-1' }])
    expect(relations.lists[0]!.items.map((item) => [item.label, item.mapId])).toEqual([
      ['梅子寨', 0],
      ['不在图上', -1],
    ])
  })

  it('links a village to the hazards that threaten it and its evacuation routes', () => {
    putLayer('hazard_points', {
      type: 'FeatureCollection',
      features: [
        feature('h1', point, { name: '梅子滑坡', code: 'HZ-6', threatened_villages: ['梅子寨'], threatened_village_codes: ['NV-9'] }),
      ],
    })
    putLayer('evacuation_routes', {
      type: 'FeatureCollection',
      features: [feature('r1', line, { village_code: 'NV-9', village_name: '梅子寨', shelter_name: '小学', walking_minutes: 12.4 })],
    })
    const relations = relationsOf('natural_villages', { name: '梅子寨', code: 'NV-9' })
    expect(relations.lists.map((list) => [list.heading, list.items.map((item) => item.label)])).toEqual([
      ['threatsToVillage', ['梅子滑坡']],
      ['routesFromVillage', ['小学']],
    ])
    expect(relations.highlighted).toEqual([{ layerId: 'evacuation_routes', mapId: 0, label: '小学', detail: '12′' }])
  })

  it('matches by code, never by name: a namesake village elsewhere is not linked', () => {
    putLayer('natural_villages', {
      type: 'FeatureCollection',
      features: [feature('v1', point, { name: '大村', code: 'NV-1' }), feature('v2', point, { name: '大村', code: 'NV-2' })],
    })
    putLayer('hazard_points', {
      type: 'FeatureCollection',
      features: [
        feature('h1', point, { name: '后山滑坡', code: 'HZ-3', threatened_villages: ['大村'], threatened_village_codes: ['NV-2'] }),
      ],
    })
    putLayer('evacuation_routes', {
      type: 'FeatureCollection',
      features: [
        feature('r1', line, { village_code: 'NV-1', village_name: '大村', shelter_name: '中学', shelter_code: 'SH-2' }),
        feature('r2', line, { village_code: 'NV-2', village_name: '大村', shelter_name: '中学', shelter_code: 'SH-1' }),
      ],
    })
    const hazard = relationsOf('hazard_points', { code: 'HZ-3', threatened_villages: ['大村'], threatened_village_codes: ['NV-2'] })
    expect(hazard.lists[0]!.items.map((item) => item.mapId)).toEqual([1])
    const first = relationsOf('natural_villages', { name: '大村', code: 'NV-1' })
    expect(first.lists.map((list) => list.items.length)).toEqual([0, 1])
    expect(first.highlighted.map((item) => item.mapId)).toEqual([0])
    const shelter = relationsOf('shelters', { name: '中学', code: 'SH-1', assigned_villages: ['大村'], assigned_village_codes: ['NV-2'] })
    expect(shelter.highlighted.map((item) => item.mapId)).toEqual([1])
    expect(shelter.lists[0]!.items.map((item) => item.mapId)).toEqual([1])
  })
})
