import { coverageStatuses, type CoverageStatus, type VillageCoverage } from '@riskatlas/shared'
import type { ExpressionSpecification, FilterSpecification, LayerSpecification } from 'maplibre-gl'
import type { Feature, FeatureCollection, Point } from 'geojson'
import { labelPaint, pointLabelLayout } from '../labels.ts'
import { byZoom, highlightColour, isHovered, isSelected, matchBy, selectedColour } from './common.ts'
import { slots } from './types.ts'

/**
 * Drill status colours: the two that need action (missing, overdue) in alarm red and orange,
 * planned in blue, drilled in green, not required in a quiet grey that recedes.
 */
export const coverageStatusColours: Record<CoverageStatus, string> = {
  missing: '#d32f2f',
  overdue: '#ef6c00',
  planned: '#1e88e5',
  drilled: '#2e7d32',
  not_required: '#9e9e9e',
}

export const coverageSourceId = 'coverage-villages'
export const gapMarkerSourceId = 'coverage-gap-marker'

/** Above every catalogue point, below every label: the coverage dots must not hide under a school. */
export const coverageDrawOrder = slots.indexOf('point') * 10_000 + 9_000
export const coverageLabelDrawOrder = slots.indexOf('label') * 10_000 + 9_000

export interface CoverageFeatureProperties {
  villageId: number
  name: string
  adminCode: string
  status: CoverageStatus
  required: boolean
  peopleAtRisk: number
  population: number
  /** 1 = first in line; 0 for villages that require no drill. */
  priority: number
}

/** The coverage as GeoJSON for MapLibre: one point per natural village, id = village id. */
export function coverageFeatures(villages: readonly VillageCoverage[]): FeatureCollection<Point, CoverageFeatureProperties> {
  return {
    type: 'FeatureCollection',
    features: villages.map((village): Feature<Point, CoverageFeatureProperties> => ({
      type: 'Feature',
      id: village.id,
      geometry: { type: 'Point', coordinates: village.location },
      properties: {
        villageId: village.id,
        name: village.name,
        adminCode: village.adminCode,
        status: village.status,
        required: village.required,
        peopleAtRisk: village.peopleAtRisk,
        population: village.population,
        priority: village.priority ?? 0,
      },
    })),
  }
}

/** Which villages the map shows: the statuses ticked, and one administrative village or all. */
export function coverageFilter(statuses: readonly CoverageStatus[], adminCode?: string | null): FilterSpecification {
  const byStatus: ExpressionSpecification = ['in', ['get', 'status'], ['literal', [...statuses]]]
  return (adminCode ? ['all', byStatus, ['==', ['get', 'adminCode'], adminCode]] : byStatus) as FilterSpecification
}

const statusColour = matchBy('status', coverageStatusColours, '#9e9e9e')

/** Dots grow with population; villages that need a drill are drawn larger than the rest. */
const radius = (factor: number): ExpressionSpecification => [
  '*',
  ['case', ['get', 'required'], 1, 0.7],
  ['interpolate', ['linear'], ['to-number', ['get', 'population'], 0], 0, 5 * factor, 300, 7 * factor, 2000, 11 * factor],
]

/** The coverage map's style layers: status dots and village names (pure: testable without WebGL). */
export function coverageVillageLayers(filter: FilterSpecification): LayerSpecification[] {
  return [
    {
      id: `${coverageSourceId}:dots`,
      type: 'circle',
      source: coverageSourceId,
      filter,
      metadata: { order: coverageDrawOrder },
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 11, radius(1), 16, radius(1.6)],
        'circle-color': statusColour,
        'circle-opacity': ['case', ['get', 'required'], 0.95, 0.75],
        'circle-stroke-color': ['case', isSelected, selectedColour, isHovered, highlightColour, '#ffffff'],
        'circle-stroke-width': ['case', isSelected, 4, isHovered, 3, 1.5],
      },
    },
    {
      id: `${coverageSourceId}:label`,
      type: 'symbol',
      source: coverageSourceId,
      filter,
      metadata: { order: coverageLabelDrawOrder },
      layout: pointLabelLayout({
        field: 'name',
        priorityBy: 'peopleAtRisk',
        size: ['interpolate', ['linear'], ['zoom'], 11, 12, 15, 15],
        bold: true,
      }),
      paint: labelPaint('#1b2631', 1.8),
    },
  ]
}

/** A ring that marks the gap the user clicked in the list. */
export function gapMarkerLayers(): LayerSpecification[] {
  return [
    {
      id: `${gapMarkerSourceId}:ring`,
      type: 'circle',
      source: gapMarkerSourceId,
      metadata: { order: coverageDrawOrder + 1 },
      paint: {
        'circle-radius': byZoom(18, 26),
        'circle-color': 'rgba(0,0,0,0)',
        'circle-stroke-color': selectedColour,
        'circle-stroke-width': 3,
      },
    },
  ]
}

export { coverageStatuses }
