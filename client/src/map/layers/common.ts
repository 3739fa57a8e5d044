import type { ExpressionSpecification } from 'maplibre-gl'
import type { SlottedLayer, ValuesPresent } from './types.ts'

/** True while the pointer is over the feature (feature-state set by the hover composable). */
export const isHovered: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false]
/** True for the feature whose card is open, and for features related to it (a hazard's danger zone). */
export const isSelected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false]

export const highlightColour = '#ffd600'
export const selectedColour = '#d50000'

/**
 * A soft disc under a point symbol that lights up on hover and selection: symbol icons cannot
 * take feature-state, circles can.
 */
export function pointHighlight(sourceId: string, radius = 15): SlottedLayer {
  return {
    slot: 'point-under',
    spec: {
      id: `${sourceId}:highlight`,
      type: 'circle',
      source: sourceId,
      paint: {
        'circle-radius': ['case', isSelected, radius + 3, radius],
        'circle-color': ['case', isSelected, selectedColour, highlightColour],
        'circle-opacity': ['case', isSelected, 0.45, isHovered, 0.6, 0],
        'circle-stroke-width': ['case', isSelected, 2.5, 0],
        'circle-stroke-color': selectedColour,
        'circle-stroke-opacity': ['case', isSelected, 1, 0],
      },
    },
  }
}

/** A `match` expression from a value→output table, with a fallback. */
export function matchBy<T extends string | number>(property: string, table: Record<string, T>, fallback: T): ExpressionSpecification {
  const pairs = Object.entries(table).flatMap(([value, output]) => [value, output])
  return ['match', ['to-string', ['get', property]], ...pairs, fallback] as unknown as ExpressionSpecification
}

/** Keeps the categories present in the data; everything while the data is not loaded yet. */
export function presentOnly<T extends string | number>(values: readonly T[], present: ValuesPresent, property: string): T[] {
  const seen = present(property)
  if (!seen) return [...values]
  const asText = new Set([...seen].map((value) => String(value)))
  return values.filter((value) => asText.has(String(value)))
}

/**
 * Scales a size with zoom so the whole town (zoom ~10.5 on a phone) stays legible and street
 * view gets full-size symbols: 55 % at zoom 10, `atTown` from 11.5, `atStreet` at 16.
 */
export function byZoom(atTown: number, atStreet: number): ExpressionSpecification {
  return ['interpolate', ['linear'], ['zoom'], 10, atTown * 0.55, 11.5, atTown, 16, atStreet]
}

/** A data-driven size (capacity, scale) that also shrinks below town zoom, like `byZoom`. */
export function scaledByZoom(size: ExpressionSpecification): ExpressionSpecification {
  return ['interpolate', ['linear'], ['zoom'], 10, ['*', 0.55, size], 11.5, size]
}

/**
 * Paint for a fill drawn under its own outline layer: the outline hides the edge, so the fill
 * needs no antialiasing — and without it MapLibre neither links nor draws a fill-outline shader
 * (about 100 ms of linking per variant on the software GL of a command-room PC).
 */
export const edgeUnderOutline = { 'fill-antialias': false } as const
