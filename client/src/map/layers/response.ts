import type { ExpressionSpecification } from 'maplibre-gl'
import { translate } from '../../i18n/useI18n.ts'
import { byZoom, scaledByZoom, isHovered, isSelected, selectedColour, edgeUnderOutline } from './common.ts'
import { catalogueTitle } from './exposure.ts'
import { facilityStyle } from './facility.ts'
import type { LegendEntry, OverlayStyle } from './types.ts'

/** Shelter badge size by capacity in persons: the legend shows the same stops. */
export const shelterCapacityStops: readonly [persons: number, size: number][] = [
  [100, 0.85],
  [500, 1.25],
  [1500, 1.75],
]

export const shelterSize: ExpressionSpecification = [
  'interpolate',
  ['linear'],
  ['to-number', ['coalesce', ['get', 'capacity_persons'], 0]],
  ...shelterCapacityStops.flat(),
] as unknown as ExpressionSpecification

const shelterBase = facilityStyle({ icon: 'shelter', title: catalogueTitle('shelters'), size: scaledByZoom(shelterSize), labelMinZoom: 13 })

export const sheltersStyle: OverlayStyle = {
  layers: shelterBase.layers,
  legend: ({ locale }) =>
    shelterCapacityStops.map(([persons, size], index): LegendEntry => ({
      label: `${catalogueTitle('shelters')[locale]} · ${index === 0 ? '≤' : index === shelterCapacityStops.length - 1 ? '≥' : ''}${translate(locale, 'capacityPersons', { count: persons })}`,
      swatch: { kind: 'icon', icon: 'shelter', scale: size },
    })),
}

export const routeColour = '#2e7d32'

export const evacuationRoutesStyle: OverlayStyle = {
  layers: (source) => [
    {
      slot: 'route',
      spec: {
        id: `${source}:casing`,
        type: 'line',
        source,
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: {
          'line-color': ['case', isSelected, selectedColour, '#ffffff'],
          'line-width': ['interpolate', ['linear'], ['zoom'], 11, 6, 16, 11],
        },
      },
    },
    {
      slot: 'route',
      spec: {
        id: source,
        type: 'line',
        source,
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: {
          'line-color': ['case', isHovered, '#1b5e20', routeColour],
          'line-width': ['interpolate', ['linear'], ['zoom'], 11, 3.5, 16, 7],
        },
      },
    },
    {
      // Arrows along the line: routes are stored from the village towards the shelter.
      slot: 'route',
      spec: {
        id: `${source}:arrows`,
        type: 'symbol',
        source,
        layout: {
          'symbol-placement': 'line',
          'symbol-spacing': ['interpolate', ['linear'], ['zoom'], 11, 40, 16, 90],
          'icon-image': 'route-arrow',
          'icon-size': ['interpolate', ['linear'], ['zoom'], 11, 0.5, 16, 0.85],
          'icon-allow-overlap': true,
          'icon-ignore-placement': true,
          'icon-rotation-alignment': 'map',
        },
      },
    },
  ],
  legend: ({ locale }) => [
    {
      label: `${catalogueTitle('evacuation_routes')[locale]} (${translate(locale, 'routeDirection')})`,
      swatch: { kind: 'line', colour: routeColour, width: 4, casing: '#ffffff', arrows: true },
    },
  ],
}

export const broadcastSpeakersStyle = facilityStyle({
  icon: 'broadcast',
  title: catalogueTitle('broadcast_speakers'),
  size: byZoom(0.7, 0.9),
})

export const broadcastColour = '#ef6c00'

export const broadcastReachStyle: OverlayStyle = {
  layers: (source) => [
    {
      slot: 'area',
      spec: {
        id: source,
        type: 'fill',
        source,
        paint: { ...edgeUnderOutline, 'fill-color': broadcastColour, 'fill-opacity': ['case', isSelected, 0.25, isHovered, 0.18, 0.08] },
      },
    },
    {
      slot: 'area-outline',
      spec: {
        id: `${source}:outline`,
        type: 'line',
        source,
        paint: { 'line-color': broadcastColour, 'line-width': 1, 'line-dasharray': [2, 2], 'line-opacity': 0.7 },
      },
    },
  ],
  legend: ({ locale }) => [
    {
      label: catalogueTitle('broadcast_reach')[locale],
      swatch: { kind: 'fill', colour: broadcastColour, opacity: 0.08, outline: broadcastColour, dashed: true },
    },
  ],
}

export const rainGaugesStyle = facilityStyle({ icon: 'rain-gauge', title: catalogueTitle('rain_gauges'), size: byZoom(0.7, 0.9) })
