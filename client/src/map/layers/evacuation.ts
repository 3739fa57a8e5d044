import type { AuditResponse, ExposureResponse, PlanResponse } from '@riskatlas/shared'
import type { LayerSpecification } from 'maplibre-gl'
import type { FeatureCollection } from 'geojson'
import { slots } from './types.ts'

/** The evacuation view's own map layers: plan assignments, shelters by load, overflow, audited routes, an exposure area. */
export const planLinesSourceId = 'evacuation-plan-lines'
export const planSheltersSourceId = 'evacuation-plan-shelters'
export const overflowSourceId = 'evacuation-overflow'
export const auditRoutesSourceId = 'evacuation-audit-routes'
export const highlightSourceId = 'evacuation-highlight'

const routeOrder = slots.indexOf('route') * 10_000 + 9_000
const pointOrder = slots.indexOf('point') * 10_000 + 9_500

/** Load colours: room to spare, filling up, full. */
export const loadColours = { low: '#2e7d32', mid: '#f9a825', high: '#c62828' } as const
export const auditColours = { ok: '#2e7d32', problem: '#c62828' } as const

export function loadBand(fillRatio: number): keyof typeof loadColours {
  return fillRatio >= 0.95 ? 'high' : fillRatio >= 0.7 ? 'mid' : 'low'
}

/** One line per assignment (village → shelter), coloured by the shelter's load. */
export function planLineFeatures(plan: PlanResponse | undefined): FeatureCollection {
  if (!plan) return { type: 'FeatureCollection', features: [] }
  const load = new Map(plan.shelters.map((s) => [s.shelterId, s.fillRatio]))
  return {
    type: 'FeatureCollection',
    features: plan.assignments.map((a, i) => ({
      type: 'Feature',
      id: i,
      geometry: a.geometry,
      properties: {
        villageId: a.villageId,
        shelterId: a.shelterId,
        persons: a.persons,
        colour: loadColours[loadBand(load.get(a.shelterId) ?? 0)],
      },
    })),
  }
}

/** Shelters sized by effective capacity, coloured by fill ratio; unusable ones hollow grey. */
export function planShelterFeatures(plan: PlanResponse | undefined): FeatureCollection {
  if (!plan) return { type: 'FeatureCollection', features: [] }
  return {
    type: 'FeatureCollection',
    features: plan.shelters.map((s) => ({
      type: 'Feature',
      id: s.shelterId,
      geometry: { type: 'Point', coordinates: s.location },
      properties: {
        shelterId: s.shelterId,
        name: s.name,
        capacity: s.capacity,
        usable: s.usable,
        fill: s.fillRatio,
        label: `${Math.round(s.fillRatio * 100)}%`,
        colour: s.usable ? loadColours[loadBand(s.fillRatio)] : '#9e9e9e',
      },
    })),
  }
}

/** Villages with people left without a place. */
export function overflowFeatures(plan: PlanResponse | undefined): FeatureCollection {
  if (!plan) return { type: 'FeatureCollection', features: [] }
  const villages = new Map(plan.villages.map((v) => [v.villageId, v]))
  return {
    type: 'FeatureCollection',
    features: plan.overflow.map((o) => ({
      type: 'Feature',
      id: o.villageId,
      geometry: { type: 'Point', coordinates: villages.get(o.villageId)!.location },
      properties: { villageId: o.villageId, unplaced: o.unplaced },
    })),
  }
}

/** Stored routes, coloured by the audit. */
export function auditRouteFeatures(audit: AuditResponse | undefined): FeatureCollection {
  if (!audit) return { type: 'FeatureCollection', features: [] }
  return {
    type: 'FeatureCollection',
    features: audit.routes.map((r) => ({
      type: 'Feature',
      id: r.routeId,
      geometry: r.geometry,
      properties: { routeId: r.routeId, ok: r.ok, source: r.source, colour: r.ok ? auditColours.ok : auditColours.problem },
    })),
  }
}

/** The exposure's routes and shelter for one village (clicked in the list), or all of them. */
export function exposureRouteFeatures(exposure: ExposureResponse | undefined, villageId: number | null): FeatureCollection {
  if (!exposure) return { type: 'FeatureCollection', features: [] }
  const entries = exposure.evacuationList.filter((e) => villageId === null || e.villageId === villageId)
  return {
    type: 'FeatureCollection',
    features: entries.flatMap((e) =>
      e.destinations.map((d) => ({
        type: 'Feature' as const,
        geometry: d.geometry,
        properties: { villageId: e.villageId, shelterId: d.shelterId, selected: villageId !== null },
      })),
    ),
  }
}

const lineWidth = ['interpolate', ['linear'], ['zoom'], 11, 2.5, 16, 6] as const

export function planLineLayers(): LayerSpecification[] {
  return [
    {
      id: planLinesSourceId,
      type: 'line',
      source: planLinesSourceId,
      metadata: { order: routeOrder },
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': ['get', 'colour'], 'line-width': [...lineWidth] as never, 'line-opacity': 0.85 },
    },
    arrows(planLinesSourceId, routeOrder + 1),
  ]
}

export function auditRouteLayers(): LayerSpecification[] {
  return [
    {
      id: `${auditRoutesSourceId}:casing`,
      type: 'line',
      source: auditRoutesSourceId,
      metadata: { order: routeOrder - 2 },
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 5, 16, 10] },
    },
    {
      id: auditRoutesSourceId,
      type: 'line',
      source: auditRoutesSourceId,
      metadata: { order: routeOrder - 1 },
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': ['get', 'colour'], 'line-width': [...lineWidth] as never },
    },
    arrows(auditRoutesSourceId, routeOrder),
  ]
}

export function highlightLayers(): LayerSpecification[] {
  return [
    {
      id: highlightSourceId,
      type: 'line',
      source: highlightSourceId,
      metadata: { order: routeOrder + 5 },
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': '#1565c0', 'line-width': ['interpolate', ['linear'], ['zoom'], 11, 4, 16, 9] },
    },
    arrows(highlightSourceId, routeOrder + 6),
  ]
}

function arrows(source: string, order: number): LayerSpecification {
  return {
    id: `${source}:arrows`,
    type: 'symbol',
    source,
    metadata: { order },
    layout: {
      'symbol-placement': 'line',
      'symbol-spacing': ['interpolate', ['linear'], ['zoom'], 11, 40, 16, 90],
      'icon-image': 'route-arrow',
      'icon-size': ['interpolate', ['linear'], ['zoom'], 11, 0.5, 16, 0.85],
      'icon-allow-overlap': true,
      'icon-ignore-placement': true,
      'icon-rotation-alignment': 'map',
    },
  }
}

export function planShelterLayers(): LayerSpecification[] {
  return [
    {
      id: planSheltersSourceId,
      type: 'circle',
      source: planSheltersSourceId,
      metadata: { order: pointOrder },
      paint: {
        // Sized by effective capacity: √ so the area grows with the places.
        'circle-radius': ['interpolate', ['linear'], ['sqrt', ['max', ['get', 'capacity'], 1]], 0, 4, 10, 8, 30, 18],
        'circle-color': ['get', 'colour'],
        'circle-opacity': ['case', ['get', 'usable'], 0.75, 0.15],
        'circle-stroke-color': ['case', ['get', 'usable'], '#ffffff', '#616161'],
        'circle-stroke-width': 2,
      },
    },
  ]
}

export function overflowLayers(): LayerSpecification[] {
  return [
    {
      id: overflowSourceId,
      type: 'circle',
      source: overflowSourceId,
      metadata: { order: pointOrder + 1 },
      paint: {
        'circle-radius': 11,
        'circle-color': 'rgba(0,0,0,0)',
        'circle-stroke-color': '#c62828',
        'circle-stroke-width': 3,
      },
    },
  ]
}
