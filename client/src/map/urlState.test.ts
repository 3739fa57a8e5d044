import { describe, expect, it } from 'vitest'
import { formatView, parseUrlState, parseView, toQuery } from './urlState.ts'

const known = ['hazard_points', 'shelters', 'roads']

describe('URL state', () => {
  it('round-trips a view, layers and a selection', () => {
    const query = toQuery({
      view: { center: [104.1234567, 30.7654321], zoom: 13.5 },
      layers: ['hazard_points', 'roads'],
      select: { layerId: 'hazard_points', featureId: '12' },
    })
    expect(query).toEqual({ map: '13.5/30.76543/104.12346', layers: 'hazard_points,roads', select: 'hazard_points/12' })
    const state = parseUrlState(query, known)
    expect(state.layers).toEqual(['hazard_points', 'roads'])
    expect(state.select).toEqual({ layerId: 'hazard_points', featureId: '12' })
    expect(state.view!.zoom).toBe(13.5)
  })

  it('keeps an empty layer list (all layers off) distinct from no list', () => {
    expect(parseUrlState({ layers: '' }, known).layers).toEqual([])
    expect(parseUrlState({}, known).layers).toBeUndefined()
  })

  it('ignores unknown layers and malformed views', () => {
    expect(parseUrlState({ layers: 'roads,nope', map: '13/abc/1' }, known)).toEqual({ layers: ['roads'] })
    expect(parseView('30/91/0')).toBeUndefined()
  })

  it('uses fewer decimals at lower zoom', () => {
    expect(formatView({ center: [104.123456, 30.654321], zoom: 5 })).toBe('5/30.65/104.12')
  })
})
