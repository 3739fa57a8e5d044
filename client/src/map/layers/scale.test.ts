import { describe, expect, it } from 'vitest'
import type { LayerSpecification } from 'maplibre-gl'
import { scaleLayer, scaleValue } from './scale.ts'

describe('scaleValue', () => {
  it('multiplies a plain size', () => {
    expect(scaleValue(13, 2)).toBe(26)
  })

  it('scales the outputs of a zoom interpolation, leaving its stops', () => {
    expect(scaleValue(['interpolate', ['linear'], ['zoom'], 11, 13, 14, 16], 2)).toEqual([
      'interpolate',
      ['linear'],
      ['zoom'],
      11,
      26,
      14,
      32,
    ])
  })

  it('scales step, case and match outputs, never their conditions or labels', () => {
    expect(scaleValue(['step', ['zoom'], 1, 12, 2], 2)).toEqual(['step', ['zoom'], 2, 12, 4])
    expect(scaleValue(['case', ['get', 'selected'], 5, 3], 2)).toEqual(['case', ['get', 'selected'], 10, 6])
    expect(scaleValue(['match', ['get', 'class'], 'county', 4, 'village', 2, 1], 2)).toEqual([
      'match',
      ['get', 'class'],
      'county',
      8,
      'village',
      4,
      2,
    ])
  })

  it('wraps any other expression in a product', () => {
    expect(scaleValue(['get', 'width'], 2)).toEqual(['*', ['get', 'width'], 2])
  })
})

describe('scaleLayer', () => {
  const label = {
    id: 'villages:label',
    type: 'symbol',
    source: 'villages',
    layout: { 'text-field': ['get', 'name'], 'text-size': ['interpolate', ['linear'], ['zoom'], 11, 13, 14, 16] },
    paint: { 'text-halo-width': 1.5, 'text-color': '#333' },
  } as LayerSpecification

  it('scales the pixel sizes and nothing else', () => {
    const scaled = scaleLayer(label, 2) as typeof label & { layout: Record<string, unknown>; paint: Record<string, unknown> }
    expect(scaled.layout['text-size']).toEqual(['interpolate', ['linear'], ['zoom'], 11, 26, 14, 32])
    expect(scaled.layout['text-field']).toEqual(['get', 'name'])
    expect(scaled.paint['text-halo-width']).toBe(3)
    expect(scaled.paint['text-color']).toBe('#333')
  })

  it('leaves the layer untouched at factor 1', () => {
    expect(scaleLayer(label, 1)).toBe(label)
  })
})
