import { findLayer } from '@riskatlas/shared'
import type { ExpressionSpecification } from 'maplibre-gl'
import { translate } from '../../i18n/useI18n.ts'
import { labelPaint, pointLabelLayout } from '../labels.ts'
import { highlightColour, isHovered, isSelected, selectedColour } from './common.ts'
import { facilityStyle } from './facility.ts'
import type { OverlayStyle } from './types.ts'

export const villageColour = '#37474f'
/**
 * Village names from the zoom at which a township fills a phone's screen (a town is ≈ 9.9 on a
 * phone, 11.4 on a desk). Over a whole county (≈ 8.4) the thousands of names could not be read,
 * and placing them would cost the map more than drawing everything else.
 */
export const villageLabelMinZoom = 9.5

/** Village dots grow with population: 100 people → 3.5 px, 2000 → 8 px at town zoom. */
const villageRadius = (factor: number): ExpressionSpecification => [
  'interpolate',
  ['linear'],
  ['to-number', ['get', 'population'], 0],
  0,
  3.5 * factor,
  300,
  5 * factor,
  2000,
  8 * factor,
]

export const naturalVillagesStyle: OverlayStyle = {
  layers: (source) => [
    {
      slot: 'point',
      spec: {
        id: source,
        type: 'circle',
        source,
        paint: {
          'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, villageRadius(0.6), 11.5, villageRadius(1), 16, villageRadius(1.6)],
          'circle-color': ['case', isSelected, selectedColour, isHovered, '#000000', villageColour],
          'circle-stroke-color': ['case', isHovered, highlightColour, '#ffffff'],
          'circle-stroke-width': ['case', isSelected, 3, isHovered, 3, 1.5],
        },
      },
    },
    {
      // Names, not codes: a cadre reads the map by village name. Collision and population
      // priority keep them legible at town zoom.
      slot: 'label',
      spec: {
        id: `${source}:label`,
        type: 'symbol',
        source,
        minzoom: villageLabelMinZoom,
        layout: pointLabelLayout({
          field: 'name',
          priorityBy: 'population',
          size: ['interpolate', ['linear'], ['zoom'], 10, 10.5, 11.5, 12, 15, 15],
          bold: true,
        }),
        paint: labelPaint('#1b2631', 1.8),
      },
    },
  ],
  legend: ({ locale }) => [
    {
      label: translate(locale, 'villageDot'),
      swatch: { kind: 'circle', colour: villageColour, radius: 5, stroke: '#ffffff', strokeWidth: 1.5 },
    },
  ],
}

function title(id: string) {
  const layer = findLayer(id)
  if (!layer) throw new Error(`unknown layer ${id}`)
  return layer.title
}

export const schoolsStyle = facilityStyle({ icon: 'school', title: title('schools') })
export const kindergartensStyle = facilityStyle({ icon: 'kindergarten', title: title('kindergartens') })
export const nursingHomesStyle = facilityStyle({ icon: 'nursing-home', title: title('nursing_homes') })
export const hospitalsStyle = facilityStyle({ icon: 'hospital', title: title('hospitals') })

export { title as catalogueTitle }
