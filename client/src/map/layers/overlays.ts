import { layerCatalogue } from '@riskatlas/shared'
import { dangerZonesStyle, activeWarningsStyle, hazardPointsStyle } from './hazards.ts'
import { hospitalsStyle, kindergartensStyle, naturalVillagesStyle, nursingHomesStyle, schoolsStyle } from './exposure.ts'
import { pondsStyle, reservoirsStyle, riversStyle } from './water.ts'
import { broadcastReachStyle, broadcastSpeakersStyle, evacuationRoutesStyle, rainGaugesStyle, sheltersStyle } from './response.ts'
import { contoursStyle, roadsStyle, townBoundaryStyle, villageBoundariesStyle } from './base.ts'
import { slots, type OverlayStyle, type SlottedLayer, type StyleContext } from './types.ts'

/** The style of every catalogue layer, by layer id. */
export const overlayStyles: Record<string, OverlayStyle> = {
  hazard_points: hazardPointsStyle,
  danger_zones: dangerZonesStyle,
  active_warnings: activeWarningsStyle,
  natural_villages: naturalVillagesStyle,
  schools: schoolsStyle,
  kindergartens: kindergartensStyle,
  nursing_homes: nursingHomesStyle,
  hospitals: hospitalsStyle,
  reservoirs: reservoirsStyle,
  ponds: pondsStyle,
  rivers: riversStyle,
  shelters: sheltersStyle,
  evacuation_routes: evacuationRoutesStyle,
  broadcast_speakers: broadcastSpeakersStyle,
  broadcast_reach: broadcastReachStyle,
  rain_gauges: rainGaugesStyle,
  town_boundary: townBoundaryStyle,
  village_boundaries: villageBoundariesStyle,
  roads: roadsStyle,
  contours: contoursStyle,
}

/**
 * Within a slot, catalogue order decides: the first layers of the catalogue (hazards) go on top,
 * so a hazard point is never hidden under a school.
 */
const catalogueRank = new Map(layerCatalogue.map((layer, index) => [layer.id, layerCatalogue.length - index]))

/** A number that sorts style layers into draw order (bottom first). */
export function drawOrder(layerId: string, slotted: SlottedLayer, indexInLayer: number): number {
  return slots.indexOf(slotted.slot) * 10_000 + (catalogueRank.get(layerId) ?? 0) * 100 + indexInLayer
}

export interface OrderedStyleLayer extends SlottedLayer {
  order: number
}

/** The MapLibre layers of one catalogue layer, each with its draw order. */
export function styleLayersFor(layerId: string, context: StyleContext): OrderedStyleLayer[] {
  const style = overlayStyles[layerId]
  if (!style) return []
  return style.layers(layerId, context).map((slotted, index) => ({ ...slotted, order: drawOrder(layerId, slotted, index) }))
}

/**
 * Style layers that respond to hover and click: everything except labels, highlight discs and
 * decorations (arrows, casings, land fill).
 */
export function interactiveStyleLayerIds(layerId: string, context: StyleContext): string[] {
  return styleLayersFor(layerId, context)
    .map(({ spec }) => spec.id)
    .filter((id) => !/:(label|highlight|arrows|casing|land|impassable)$/.test(id))
}

/** Which catalogue layer a MapLibre style layer id belongs to (`hazard_points:risk` → `hazard_points`). */
export function catalogueLayerOf(styleLayerId: string): string {
  return styleLayerId.split(':')[0] ?? styleLayerId
}
