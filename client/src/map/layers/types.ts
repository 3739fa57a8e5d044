import type { LayerSpecification } from 'maplibre-gl'
import type { Locale } from '../../i18n/useI18n.ts'
import type { IconName } from '../icons.ts'

export interface StyleContext {
  locale: Locale
  /** An online or PMTiles basemap lies under the overlays: the town's land must let it show. */
  underlay?: boolean
}

/**
 * Global draw order of overlay style layers, bottom to top. Every family puts each of its style
 * layers in one slot, so layers added at any time (or re-added after a basemap change) land in
 * the same place.
 */
export const slots = ['base-fill', 'terrain', 'water', 'road', 'area', 'area-outline', 'route', 'point-under', 'point', 'label'] as const
export type Slot = (typeof slots)[number]

export interface SlottedLayer {
  slot: Slot
  spec: LayerSpecification
}

/** How a legend entry is drawn; each variant mirrors a paint spec used on the map. */
export type Swatch =
  | { kind: 'icon'; icon: IconName; scale?: number; ring?: string }
  | { kind: 'fill'; colour: string; opacity: number; outline: string; dashed?: boolean }
  | { kind: 'line'; colour: string; width: number; dash?: number[]; casing?: string; arrows?: boolean }
  | { kind: 'circle'; colour: string; radius: number; stroke: string; strokeWidth?: number }

export interface LegendEntry {
  label: string
  swatch: Swatch
}

/**
 * The distinct values of a property in the loaded features (undefined while not loaded), so
 * a legend lists only the categories that are actually on the map.
 */
export type ValuesPresent = (property: string) => ReadonlySet<unknown> | undefined

/** The style of one catalogue layer: its MapLibre layers and its legend, from one set of constants. */
export interface OverlayStyle {
  layers(sourceId: string, context: StyleContext): SlottedLayer[]
  legend(context: StyleContext, present: ValuesPresent): LegendEntry[]
}
