import type { HazardKind } from '@riskatlas/shared'

/**
 * Map symbols as SVG text: the same markup becomes a MapLibre image (via `map.addImage`) and a
 * legend swatch (as an `<img>`), so the legend cannot drift from the map. No sprite is fetched.
 */
export interface IconDefinition {
  /** Size in CSS pixels at icon-size 1. */
  size: number
  svg: string
}

const glyphFont = `'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif`

function svg(size: number, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">${body}</svg>`
}

/** A rounded badge with one Chinese character, the way signage marks a facility. */
function badge(fill: string, character: string, shape: 'square' | 'circle' = 'square', textColour = '#fff'): IconDefinition {
  const size = 22
  const outline =
    shape === 'square'
      ? `<rect x="1.5" y="1.5" width="19" height="19" rx="4" fill="${fill}" stroke="#fff" stroke-width="2"/>`
      : `<circle cx="11" cy="11" r="9.5" fill="${fill}" stroke="#fff" stroke-width="2"/>`
  const text = `<text x="11" y="15.6" font-size="12.5" font-weight="700" text-anchor="middle" fill="${textColour}" font-family="${glyphFont}">${character}</text>`
  return { size, svg: svg(size, outline + text) }
}

/** Colour and shape of each hazard kind: distinct by both, so colour-blind readers still tell them apart. */
export const hazardKindSymbols: Record<HazardKind, { colour: string; path: string }> = {
  // ▲ 滑坡
  landslide: { colour: '#a0522d', path: 'M11 2.5 L20 19 H2 Z' },
  // ▼ 崩塌
  collapse: { colour: '#6d4c9f', path: 'M2 3 H20 L11 19.5 Z' },
  // ◆ 泥石流
  debris_flow: { colour: '#d35400', path: 'M11 1.5 L20.5 11 L11 20.5 L1.5 11 Z' },
  // ⬟ 山洪
  flash_flood: { colour: '#00838f', path: 'M11 1.8 L20.2 8.5 L16.7 19.5 H5.3 L1.8 8.5 Z' },
  // ■ 内涝
  waterlogging: { colour: '#3949ab', path: 'M3 3 H19 V19 H3 Z' },
}

function hazardIcon(kind: HazardKind): IconDefinition {
  const { colour, path } = hazardKindSymbols[kind]
  return { size: 22, svg: svg(22, `<path d="${path}" fill="${colour}" stroke="#fff" stroke-width="2" stroke-linejoin="round"/>`) }
}

const hospital: IconDefinition = {
  size: 22,
  svg: svg(
    22,
    '<rect x="1.5" y="1.5" width="19" height="19" rx="4" fill="#fff" stroke="#d32f2f" stroke-width="2"/>' +
      '<path d="M9 5 H13 V9 H17 V13 H13 V17 H9 V13 H5 V9 H9 Z" fill="#d32f2f"/>',
  ),
}

/** A chevron pointing along the line, placed by `symbol-placement: line` so routes show their direction. */
const routeArrow: IconDefinition = {
  size: 14,
  svg: svg(
    14,
    '<path d="M3 2.5 L11 7 L3 11.5" fill="none" stroke="#fff" stroke-width="2.6" stroke-linecap="round" stroke-linejoin="round"/>',
  ),
}

export const icons = {
  'hazard-landslide': hazardIcon('landslide'),
  'hazard-collapse': hazardIcon('collapse'),
  'hazard-debris_flow': hazardIcon('debris_flow'),
  'hazard-flash_flood': hazardIcon('flash_flood'),
  'hazard-waterlogging': hazardIcon('waterlogging'),
  school: badge('#1565c0', '学'),
  kindergarten: badge('#ec407a', '幼'),
  'nursing-home': badge('#7b1fa2', '老'),
  hospital,
  reservoir: badge('#0277bd', '库', 'circle'),
  pond: badge('#4fc3f7', '塘', 'circle', '#01579b'),
  shelter: badge('#2e7d32', '避'),
  broadcast: badge('#ef6c00', '广', 'circle'),
  'rain-gauge': badge('#00897b', '雨', 'circle'),
  'route-arrow': routeArrow,
} satisfies Record<string, IconDefinition>

export type IconName = keyof typeof icons

export const iconNames = Object.keys(icons) as IconName[]

/** The icon as a data URL for an `<img>` (legend, cards). */
export function iconDataUrl(name: IconName): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(icons[name].svg)}`
}
