import { roadClasses, type RoadClass } from '@riskatlas/shared'
import type { ExpressionSpecification } from 'maplibre-gl'
import { translate, translateEnum } from '../../i18n/useI18n.ts'
import { fontStack, labelPaint, lineLabelLayout } from '../labels.ts'
import { isHovered, isSelected, matchBy, presentOnly, selectedColour, edgeUnderOutline } from './common.ts'
import { catalogueTitle } from './exposure.ts'
import type { LegendEntry, OverlayStyle } from './types.ts'

export const landColour = '#fbf9f3'
export const townBoundaryColour = '#6d4c41'
export const villageBoundaryColour = '#a1887f'

/** 乡镇界 as a dash-dot line, the cartographic convention for a township boundary. */
const townBoundaryDash = [4, 1.5, 1, 1.5]

export const townBoundaryStyle: OverlayStyle = {
  layers: (source, { underlay }) => [
    {
      // The town's land is lighter than the world around it, so the town reads at a glance.
      slot: 'base-fill',
      spec: { id: `${source}:land`, type: 'fill', source, paint: { 'fill-color': landColour, 'fill-opacity': underlay ? 0.12 : 1 } },
    },
    {
      slot: 'area-outline',
      spec: {
        id: source,
        type: 'line',
        source,
        paint: {
          'line-color': ['case', isSelected, selectedColour, townBoundaryColour],
          'line-width': ['interpolate', ['linear'], ['zoom'], 10, 2.2, 15, 4],
          'line-dasharray': townBoundaryDash,
        },
      },
    },
  ],
  legend: ({ locale }) => [
    {
      label: catalogueTitle('town_boundary')[locale],
      swatch: { kind: 'line', colour: townBoundaryColour, width: 3, dash: townBoundaryDash },
    },
  ],
}

export const villageBoundariesStyle: OverlayStyle = {
  layers: (source) => [
    {
      // An invisible fill so a click inside a village area can open its card.
      slot: 'base-fill',
      spec: {
        id: `${source}:fill`,
        type: 'fill',
        source,
        paint: { ...edgeUnderOutline, 'fill-color': '#8d6e63', 'fill-opacity': ['case', isSelected, 0.12, isHovered, 0.06, 0] },
      },
    },
    {
      slot: 'area-outline',
      spec: {
        id: source,
        type: 'line',
        source,
        paint: {
          'line-color': ['case', isSelected, selectedColour, villageBoundaryColour],
          'line-width': ['interpolate', ['linear'], ['zoom'], 11, 1, 15, 2],
          'line-dasharray': [3, 2],
        },
      },
    },
    {
      // Administrative village names: spaced, lighter and placed after natural villages, so
      // they give way when space is short.
      slot: 'label',
      spec: {
        id: `${source}:label`,
        type: 'symbol',
        source,
        maxzoom: 15,
        layout: {
          'text-field': ['to-string', ['coalesce', ['get', 'name'], '']],
          'text-font': fontStack,
          'text-size': ['interpolate', ['linear'], ['zoom'], 11, 13, 14, 16],
          'text-letter-spacing': 0.25,
          'text-padding': 8,
          'text-optional': true,
        },
        paint: { ...labelPaint('#8d6e63', 1.5), 'text-opacity': 0.85 },
      },
    },
  ],
  legend: ({ locale }) => [
    {
      label: catalogueTitle('village_boundaries')[locale],
      swatch: { kind: 'line', colour: villageBoundaryColour, width: 1.5, dash: [3, 2] },
    },
  ],
}

export const roadColours: Record<RoadClass, string> = { county: '#f4a300', township: '#f6d365', village: '#ffffff', track: '#bcaaa4' }
export const roadWidths: Record<RoadClass, number> = { county: 3.2, township: 2.4, village: 1.6, track: 1 }
export const impassableColour = '#c62828'

const roadWidth = (extra: number): ExpressionSpecification => [
  'interpolate',
  ['linear'],
  ['zoom'],
  11,
  ['+', extra, matchBy('class', roadWidths, 1)],
  16,
  ['+', extra * 1.5, ['*', 3, matchBy('class', roadWidths, 1)]],
]

export const roadsStyle: OverlayStyle = {
  layers: (source) => [
    {
      slot: 'road',
      spec: {
        id: `${source}:casing`,
        type: 'line',
        source,
        filter: ['!=', ['get', 'class'], 'track'],
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: { 'line-color': ['case', isSelected, selectedColour, isHovered, '#424242', '#9e8e7e'], 'line-width': roadWidth(1.6) },
      },
    },
    {
      slot: 'road',
      spec: {
        id: source,
        type: 'line',
        source,
        layout: { 'line-cap': 'round', 'line-join': 'round' },
        paint: {
          'line-color': matchBy('class', roadColours, '#ffffff'),
          'line-width': roadWidth(0),
        },
      },
    },
    {
      // Roads cut in a flood: a red dashed line over the road, because evacuation must avoid them.
      slot: 'road',
      spec: {
        id: `${source}:impassable`,
        type: 'line',
        source,
        filter: ['==', ['get', 'passable_in_flood'], false],
        paint: { 'line-color': impassableColour, 'line-width': 1.6, 'line-dasharray': [1.5, 1.5] },
      },
    },
    {
      slot: 'label',
      spec: {
        id: `${source}:label`,
        type: 'symbol',
        source,
        minzoom: 13,
        filter: ['has', 'name'],
        layout: lineLabelLayout(['to-string', ['coalesce', ['get', 'name'], '']], 11.5, 350),
        paint: labelPaint('#5d4037', 1.6),
      },
    },
  ],
  legend: ({ locale }, present) => {
    const entries = presentOnly(roadClasses, present, 'class').map((roadClass): LegendEntry => ({
      label: translateEnum(locale, roadClass, 'class'),
      swatch: {
        kind: 'line',
        colour: roadColours[roadClass],
        width: roadWidths[roadClass] + 1,
        casing: roadClass === 'track' ? undefined : '#9e8e7e',
      },
    }))
    const impassable = present('passable_in_flood')
    if (!impassable || impassable.has(false)) {
      entries.push({
        label: translate(locale, 'impassableInFlood'),
        swatch: { kind: 'line', colour: impassableColour, width: 2, dash: [1.5, 1.5] },
      })
    }
    return entries
  },
}

export const contourColour = '#b9935a'

/** Every fifth contour at 100 m multiples is an index contour (计曲线): thicker and labelled. */
export const isIndexContour: ExpressionSpecification = ['==', ['%', ['to-number', ['get', 'elevation_m']], 100], 0]

export const contoursStyle: OverlayStyle = {
  layers: (source) => [
    {
      slot: 'terrain',
      spec: {
        id: source,
        type: 'line',
        source,
        paint: {
          'line-color': contourColour,
          'line-width': ['case', isIndexContour, 1.1, 0.55],
          'line-opacity': ['case', isIndexContour, 0.75, 0.5],
        },
      },
    },
    {
      slot: 'terrain',
      spec: {
        id: `${source}:label`,
        type: 'symbol',
        source,
        minzoom: 12.5,
        filter: isIndexContour,
        layout: { ...lineLabelLayout(['concat', ['to-string', ['get', 'elevation_m']], ' m'], 10, 300), 'text-padding': 2 },
        paint: labelPaint('#8d6e3f', 1.2),
      },
    },
  ],
  legend: ({ locale }) => [
    { label: translate(locale, 'indexContour'), swatch: { kind: 'line', colour: contourColour, width: 1.1 } },
    { label: translate(locale, 'intermediateContour'), swatch: { kind: 'line', colour: contourColour, width: 0.6 } },
  ],
}
