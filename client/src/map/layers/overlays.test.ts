import { describe, expect, it } from 'vitest'
import { layerCatalogue } from '@riskatlas/shared'
import { catalogueLayerOf, interactiveStyleLayerIds, overlayStyles, styleLayersFor } from './overlays.ts'
import { iconNames } from '../icons.ts'

const context = { locale: 'zh' as const }

describe('overlay styles', () => {
  it('style every catalogue layer', () => {
    for (const layer of layerCatalogue) expect(overlayStyles[layer.id], layer.id).toBeDefined()
  })

  it('draw each layer from its own source with unique style layer ids', () => {
    const ids = layerCatalogue.flatMap((layer) => styleLayersFor(layer.id, context).map(({ spec }) => spec))
    for (const spec of ids) {
      const layerId = catalogueLayerOf(spec.id)
      expect('source' in spec && spec.source).toBe(layerId)
    }
    expect(new Set(ids.map((spec) => spec.id)).size).toBe(ids.length)
  })

  it('put hazard points above schools, and points above areas', () => {
    const order = (id: string) => styleLayersFor(catalogueLayerOf(id), context).find(({ spec }) => spec.id === id)!.order
    expect(order('hazard_points')).toBeGreaterThan(order('schools'))
    expect(order('schools')).toBeGreaterThan(order('danger_zones'))
    expect(order('danger_zones')).toBeGreaterThan(order('roads'))
    expect(order('natural_villages:label')).toBeGreaterThan(order('village_boundaries:label'))
  })

  it('only use icons that exist', () => {
    const layouts = layerCatalogue
      .flatMap((layer) => styleLayersFor(layer.id, context))
      .map(({ spec }) => ('layout' in spec ? spec.layout : undefined))
    const literalIcons = layouts
      .map((layout) => (layout as Record<string, unknown> | undefined)?.['icon-image'])
      .filter((icon): icon is string => typeof icon === 'string')
    for (const icon of literalIcons) expect(iconNames).toContain(icon)
  })

  it('make labels, casings and highlight discs non-interactive', () => {
    expect(interactiveStyleLayerIds('hazard_points', context)).toEqual(['hazard_points:risk', 'hazard_points'])
    expect(interactiveStyleLayerIds('evacuation_routes', context)).toEqual(['evacuation_routes'])
  })

  it('let an online basemap show through the town land', () => {
    const land = (underlay: boolean) =>
      styleLayersFor('town_boundary', { locale: 'zh', underlay }).find(({ spec }) => spec.id === 'town_boundary:land')!.spec
    expect((land(false) as { paint: Record<string, unknown> }).paint['fill-opacity']).toBe(1)
    expect((land(true) as { paint: Record<string, unknown> }).paint['fill-opacity']).toBeLessThan(0.5)
  })
})
