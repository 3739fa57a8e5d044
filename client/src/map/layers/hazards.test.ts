import { describe, expect, it } from 'vitest'
import { hazardKinds } from '@riskatlas/shared'
import { activeWarningsStyle, hazardPointsStyle, riskColours, warningColours } from './hazards.ts'
import { hazardKindSymbols } from '../icons.ts'
import type { ValuesPresent } from './types.ts'

const nothingLoaded: ValuesPresent = () => undefined
const loaded =
  (values: Record<string, unknown[]>): ValuesPresent =>
  (property) =>
    new Set(values[property] ?? [])

describe('hazard symbology', () => {
  it('gives every hazard kind its own shape and its own colour', () => {
    const symbols = hazardKinds.map((kind) => hazardKindSymbols[kind])
    expect(new Set(symbols.map((s) => s.path)).size).toBe(hazardKinds.length)
    expect(new Set(symbols.map((s) => s.colour)).size).toBe(hazardKinds.length)
  })

  it('draws the hazard kind as an icon chosen by the kind property', () => {
    const symbol = hazardPointsStyle.layers('hazard_points', { locale: 'zh' }).find(({ spec }) => spec.id === 'hazard_points')!.spec
    expect(symbol.type).toBe('symbol')
    expect((symbol as { layout: Record<string, unknown> }).layout['icon-image']).toEqual(['concat', 'hazard-', ['get', 'kind']])
  })

  it('colours risk levels on a ramp from light to dark', () => {
    const luminance = (hex: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
    }
    const ramp = [1, 2, 3, 4].map((level) => luminance(riskColours[level as 1 | 2 | 3 | 4]))
    expect([...ramp].sort((a, b) => b - a)).toEqual(ramp)
  })

  it('lists every kind and level in the legend before the data arrives', () => {
    const legend = hazardPointsStyle.legend({ locale: 'zh' }, nothingLoaded)
    expect(legend.map((entry) => entry.label)).toEqual(['滑坡', '崩塌', '泥石流', '山洪', '内涝', '低风险', '中风险', '高风险', '极高风险'])
  })

  it('lists only the kinds and levels present once loaded', () => {
    const legend = hazardPointsStyle.legend({ locale: 'en' }, loaded({ kind: ['landslide', 'flash_flood'], risk_level: [3] }))
    expect(legend.map((entry) => entry.label)).toEqual(['Landslide', 'Flash flood', 'High'])
  })

  it('shows warnings in the official blue, yellow, orange and red', () => {
    const legend = activeWarningsStyle.legend({ locale: 'zh' }, loaded({ level: ['red', 'blue'] }))
    expect(legend).toEqual([
      { label: '蓝色预警', swatch: expect.objectContaining({ colour: warningColours.blue }) },
      { label: '红色预警', swatch: expect.objectContaining({ colour: warningColours.red }) },
    ])
  })
})
