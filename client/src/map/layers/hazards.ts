import { hazardKinds, warningLevels, type HazardKind, type WarningLevel } from '@riskatlas/shared'
import { translate, translateEnum } from '../../i18n/useI18n.ts'
import type { MessageKey } from '../../i18n/messages.ts'
import { labelPaint, pointLabelLayout } from '../labels.ts'
import { byZoom, isHovered, isSelected, matchBy, pointHighlight, presentOnly, selectedColour, edgeUnderOutline } from './common.ts'
import type { LegendEntry, OverlayStyle } from './types.ts'

export const riskLevels = [1, 2, 3, 4] as const
export type RiskLevel = (typeof riskLevels)[number]

/** Risk as a sequential ramp, low (1) to very high (4): light yellow to dark red. */
export const riskColours: Record<RiskLevel, string> = { 1: '#ffe082', 2: '#ffa000', 3: '#e64a19', 4: '#a50f15' }

export const riskLabelKeys: Record<RiskLevel, MessageKey> = { 1: 'riskLevel1', 2: 'riskLevel2', 3: 'riskLevel3', 4: 'riskLevel4' }

/** Warning colours as China's early-warning system defines them. */
export const warningColours: Record<WarningLevel, string> = { blue: '#1e88e5', yellow: '#fdd835', orange: '#fb8c00', red: '#e53935' }

const riskColour = matchBy('risk_level', riskColours, '#9e9e9e')

export const hazardPointsStyle: OverlayStyle = {
  layers: (source) => [
    pointHighlight(source, 17),
    {
      // The risk ring: a disc in the risk colour behind the kind's shape.
      slot: 'point',
      spec: {
        id: `${source}:risk`,
        type: 'circle',
        source,
        paint: {
          'circle-radius': byZoom(10, 15),
          'circle-color': riskColour,
          'circle-stroke-color': ['case', isHovered, '#212121', '#ffffff'],
          'circle-stroke-width': ['case', isHovered, 2, 1],
        },
      },
    },
    {
      slot: 'point',
      spec: {
        id: source,
        type: 'symbol',
        source,
        layout: {
          'icon-image': ['concat', 'hazard-', ['get', 'kind']],
          'icon-size': byZoom(0.62, 0.95),
          'icon-allow-overlap': true,
          'icon-ignore-placement': true,
          'symbol-sort-key': ['-', 0, ['to-number', ['get', 'risk_level']]],
        },
      },
    },
    {
      slot: 'label',
      spec: {
        id: `${source}:label`,
        type: 'symbol',
        source,
        minzoom: 14,
        layout: pointLabelLayout({ field: 'name', size: 11.5, offsetEms: 1.3 }),
        paint: labelPaint('#7f1d1d'),
      },
    },
  ],
  legend: ({ locale }, present): LegendEntry[] => [
    ...presentOnly(hazardKinds, present, 'kind').map((kind: HazardKind): LegendEntry => ({
      label: translateEnum(locale, kind),
      swatch: { kind: 'icon', icon: `hazard-${kind}` },
    })),
    ...presentOnly(riskLevels, present, 'risk_level').map((level): LegendEntry => ({
      label: translate(locale, riskLabelKeys[level]),
      swatch: { kind: 'circle', colour: riskColours[level], radius: 7, stroke: '#ffffff' },
    })),
  ],
}

export const dangerZonesStyle: OverlayStyle = {
  layers: (source) => [
    {
      slot: 'area',
      spec: {
        id: source,
        type: 'fill',
        source,
        paint: {
          ...edgeUnderOutline,
          'fill-color': riskColour,
          'fill-opacity': ['case', isSelected, 0.45, isHovered, 0.4, 0.3],
        },
      },
    },
    {
      slot: 'area-outline',
      spec: {
        id: `${source}:outline`,
        type: 'line',
        source,
        paint: {
          'line-color': ['case', isSelected, selectedColour, riskColour],
          'line-width': ['case', isSelected, 3.5, 1.5],
          'line-dasharray': [3, 1.5],
        },
      },
    },
  ],
  legend: ({ locale }, present) =>
    presentOnly(riskLevels, present, 'risk_level').map((level): LegendEntry => ({
      label: translate(locale, riskLabelKeys[level]),
      swatch: { kind: 'fill', colour: riskColours[level], opacity: 0.3, outline: riskColours[level], dashed: true },
    })),
}

export const activeWarningsStyle: OverlayStyle = {
  layers: (source) => [
    {
      slot: 'area',
      spec: {
        id: source,
        type: 'fill',
        source,
        paint: {
          ...edgeUnderOutline,
          'fill-color': matchBy('level', warningColours, '#9e9e9e'),
          'fill-opacity': ['case', isSelected, 0.3, isHovered, 0.24, 0.14],
        },
      },
    },
    {
      slot: 'area-outline',
      spec: {
        id: `${source}:outline`,
        type: 'line',
        source,
        paint: {
          'line-color': matchBy('level', warningColours, '#9e9e9e'),
          'line-width': ['case', isSelected, 5, 3],
          'line-opacity': 0.9,
        },
      },
    },
  ],
  legend: ({ locale }, present) =>
    presentOnly(warningLevels, present, 'level').map((level): LegendEntry => ({
      label: `${translateEnum(locale, level)}${locale === 'zh' ? '预警' : ' warning'}`,
      swatch: { kind: 'fill', colour: warningColours[level], opacity: 0.2, outline: warningColours[level] },
    })),
}
