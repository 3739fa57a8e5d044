import type { ExpressionSpecification, SymbolLayerSpecification } from 'maplibre-gl'

/**
 * Fonts are drawn by the browser from local system fonts (MapLibre 6 draws every glyph
 * locally when the style has no `glyphs` URL), so no font file is ever fetched. The stack is a
 * CSS font-family list: Noto CJK ships with Debian/Ubuntu (fonts-noto-cjk), the others with
 * macOS and Windows.
 */
export const fontStack = ['Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'sans-serif']
export const boldFontStack = [
  'Noto Sans CJK SC Bold',
  'Source Han Sans SC Bold',
  'PingFang SC Semibold',
  'Microsoft YaHei Bold',
  'sans-serif',
]

/** The CSS family list MapLibre uses for CJK glyphs (its `localIdeographFontFamily`). */
export const localIdeographFontFamily = fontStack.map((family) => (family.includes(' ') ? `'${family}'` : family)).join(', ')

export const haloColour = 'rgba(255,255,255,0.92)'

type SymbolLayout = NonNullable<SymbolLayerSpecification['layout']>
type SymbolPaint = NonNullable<SymbolLayerSpecification['paint']>

export interface PointLabelOptions {
  /** The property holding the label; names are Chinese proper nouns and stay so in English. */
  field?: string
  size?: ExpressionSpecification | number
  colour?: string
  bold?: boolean
  /** Lower keys are placed first; pass e.g. population to let big villages win collisions. */
  priorityBy?: string
  /** When false the label may be dropped on collision while its icon stays. */
  offsetEms?: number
}

/**
 * Label layout for point features that must not collide into mush at town zoom: MapLibre's
 * collision detection, several candidate anchors around the point, padding between labels,
 * and a sort key so the most populous places keep their labels first.
 */
export function pointLabelLayout(options: PointLabelOptions = {}): SymbolLayout {
  const layout: SymbolLayout = {
    'text-field': ['to-string', ['coalesce', ['get', options.field ?? 'name'], '']],
    'text-font': options.bold ? boldFontStack : fontStack,
    'text-size': options.size ?? ['interpolate', ['linear'], ['zoom'], 10, 10.5, 11.5, 11.5, 15, 14],
    'text-variable-anchor': ['top', 'bottom', 'right', 'left', 'top-right', 'bottom-left'],
    'text-radial-offset': options.offsetEms ?? 0.75,
    'text-justify': 'auto',
    'text-padding': 3,
    'text-max-width': 7,
    'text-allow-overlap': false,
    'text-ignore-placement': false,
    'text-optional': true,
  }
  if (options.priorityBy) layout['symbol-sort-key'] = ['-', 0, ['to-number', ['coalesce', ['get', options.priorityBy], 0]]]
  return layout
}

export function labelPaint(colour = '#263238', haloWidth = 1.6): SymbolPaint {
  return {
    'text-color': colour,
    'text-halo-color': haloColour,
    'text-halo-width': haloWidth,
    'text-halo-blur': 0.3,
  }
}

/** Labels that follow a line (rivers, roads, contours). */
export function lineLabelLayout(field: ExpressionSpecification, size = 12, spacing = 320): SymbolLayout {
  return {
    'symbol-placement': 'line',
    'symbol-spacing': spacing,
    'text-field': field,
    'text-font': fontStack,
    'text-size': size,
    'text-max-angle': 30,
    'text-padding': 4,
    'text-rotation-alignment': 'map',
    'text-pitch-alignment': 'viewport',
  }
}
