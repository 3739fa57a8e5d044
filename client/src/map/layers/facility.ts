import type { Bilingual } from '@riskatlas/shared'
import type { ExpressionSpecification } from 'maplibre-gl'
import type { IconName } from '../icons.ts'
import { labelPaint, pointLabelLayout } from '../labels.ts'
import { byZoom, pointHighlight } from './common.ts'
import type { OverlayStyle } from './types.ts'

export interface FacilityStyleOptions {
  icon: IconName
  title: Bilingual
  /** Icon size; an expression scales by an attribute (shelter capacity, reservoir scale). */
  size?: ExpressionSpecification | number
  labelMinZoom?: number
}

/**
 * A point facility drawn as one recognisable badge (学, 幼, 老, ✚, 库 …), always shown (never
 * dropped by collision), with its name from street zoom on.
 */
export function facilityStyle({ icon, title, size, labelMinZoom = 14 }: FacilityStyleOptions): OverlayStyle {
  return {
    layers: (source) => [
      pointHighlight(source),
      {
        slot: 'point',
        spec: {
          id: source,
          type: 'symbol',
          source,
          layout: {
            'icon-image': icon,
            'icon-size': size ?? byZoom(0.8, 1.05),
            'icon-allow-overlap': true,
            'icon-ignore-placement': true,
          },
        },
      },
      {
        slot: 'label',
        spec: {
          id: `${source}:label`,
          type: 'symbol',
          source,
          minzoom: labelMinZoom,
          layout: pointLabelLayout({ field: 'name', size: 11.5, offsetEms: 1.2 }),
          paint: labelPaint('#37474f'),
        },
      },
    ],
    legend: ({ locale }) => [{ label: title[locale], swatch: { kind: 'icon', icon } }],
  }
}
