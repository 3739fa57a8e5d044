import { riverClasses, reservoirScales, type ReservoirScale, type RiverClass } from '@riskatlas/shared'
import type { ExpressionSpecification } from 'maplibre-gl'
import { translateEnum } from '../../i18n/useI18n.ts'
import { labelPaint, lineLabelLayout } from '../labels.ts'
import { byZoom, scaledByZoom, isHovered, isSelected, matchBy, presentOnly, selectedColour } from './common.ts'
import { catalogueTitle } from './exposure.ts'
import { facilityStyle } from './facility.ts'
import type { LegendEntry, OverlayStyle } from './types.ts'

export const waterColour = '#3f8ed8'

/** Reservoir badges grow with the dam's class: 中型 > 小(一)型 > 小(二)型. */
export const reservoirScaleSizes: Record<ReservoirScale, number> = { medium: 1.3, small_1: 1.05, small_2: 0.85, pond: 0.75 }

const reservoirBase = facilityStyle({
  icon: 'reservoir',
  title: catalogueTitle('reservoirs'),
  size: scaledByZoom(matchBy('reservoir_scale', reservoirScaleSizes, 0.9)),
  labelMinZoom: 12.5,
})

export const reservoirsStyle: OverlayStyle = {
  layers: reservoirBase.layers,
  legend: ({ locale }, present) =>
    presentOnly(reservoirScales, present, 'reservoir_scale').map((scale): LegendEntry => ({
      label: `${catalogueTitle('reservoirs')[locale]} · ${translateEnum(locale, scale)}`,
      swatch: { kind: 'icon', icon: 'reservoir', scale: reservoirScaleSizes[scale] },
    })),
}

export const pondsStyle = facilityStyle({ icon: 'pond', title: catalogueTitle('ponds'), size: byZoom(0.65, 0.9) })

/** River widths by class, in pixels at town zoom. */
export const riverWidths: Record<RiverClass, number> = { main: 4, tributary: 2.2, stream: 1.2 }

const riverWidth: ExpressionSpecification = [
  'interpolate',
  ['linear'],
  ['zoom'],
  11,
  matchBy('class', riverWidths, 1),
  16,
  ['*', 2.5, matchBy('class', riverWidths, 1)],
]

export const riversStyle: OverlayStyle = {
  layers: (source) => [
    {
      slot: 'water',
      spec: {
        id: source,
        type: 'line',
        source,
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: {
          'line-color': ['case', isSelected, selectedColour, isHovered, '#0d47a1', waterColour],
          'line-width': riverWidth,
        },
      },
    },
    {
      slot: 'label',
      spec: {
        id: `${source}:label`,
        type: 'symbol',
        source,
        minzoom: 11.5,
        filter: ['!=', ['get', 'class'], 'stream'],
        layout: lineLabelLayout(['to-string', ['coalesce', ['get', 'name'], '']], 12.5, 400),
        paint: labelPaint('#0d47a1', 1.4),
      },
    },
  ],
  legend: ({ locale }, present) =>
    presentOnly(riverClasses, present, 'class').map((riverClass): LegendEntry => ({
      label: translateEnum(locale, riverClass, 'class'),
      swatch: { kind: 'line', colour: waterColour, width: riverWidths[riverClass] },
    })),
}
