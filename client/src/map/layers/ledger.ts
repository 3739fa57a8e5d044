import type { LayerSpecification } from 'maplibre-gl'
import { slots } from './types.ts'

/**
 * The ledger's map layer for signed-in staff (GET /api/ledger/map): open and rectifying hidden
 * dangers as circles — the fill says the status, the size the level (major larger), a red ring
 * marks one past its deadline.
 */
export const dangerSourceId = 'ledger-dangers'
export const dangerCircleLayerId = 'ledger-dangers-circle'

const order = slots.indexOf('point') * 10_000 + 9_800

export const dangerColours = { open: '#ef6c00', rectifying: '#1565c0', overdue: '#b71c1c' } as const

export function dangerLayers(): LayerSpecification[] {
  return [
    {
      id: dangerCircleLayerId,
      type: 'circle',
      source: dangerSourceId,
      metadata: { order },
      paint: {
        'circle-color': ['match', ['get', 'status'], 'rectifying', dangerColours.rectifying, dangerColours.open],
        'circle-radius': [
          'interpolate',
          ['linear'],
          ['zoom'],
          10,
          ['case', ['==', ['get', 'level'], 'major'], 6, 3.5],
          15,
          ['case', ['==', ['get', 'level'], 'major'], 11, 7],
        ],
        'circle-stroke-color': ['case', ['get', 'overdue'], dangerColours.overdue, '#ffffff'],
        'circle-stroke-width': ['case', ['get', 'overdue'], 2.5, 1],
        'circle-opacity': 0.9,
      },
    },
  ]
}
