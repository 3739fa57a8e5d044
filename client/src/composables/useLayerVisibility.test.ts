import { describe, expect, it } from 'vitest'
import { defaultVisibleLayers, initialVisibleLayers } from './useLayerVisibility.ts'

const known = ['hazard_points', 'shelters', 'roads']

describe('initialVisibleLayers', () => {
  it('lets a shared URL win over what this browser showed last', () => {
    expect(initialVisibleLayers(['roads'], ['shelters'], known)).toEqual(['roads'])
  })

  it('restores the last session when the URL says nothing', () => {
    expect(initialVisibleLayers(undefined, ['shelters', 'gone_layer'], known)).toEqual(['shelters'])
  })

  it('falls back to the catalogue defaults, which leave broadcast reach off', () => {
    expect(defaultVisibleLayers).toContain('hazard_points')
    expect(defaultVisibleLayers).not.toContain('broadcast_reach')
    expect(initialVisibleLayers(undefined, undefined, known)).toEqual(['hazard_points', 'shelters', 'roads'])
  })
})
