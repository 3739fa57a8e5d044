import type { LayerSpecification } from 'maplibre-gl'

/** Paint and layout properties measured in pixels: what a wall scale multiplies. */
const pixelProperties = {
  layout: ['text-size', 'icon-size'],
  paint: ['line-width', 'circle-radius', 'circle-stroke-width', 'text-halo-width', 'line-offset'],
} as const

type Value = unknown

/**
 * A size value multiplied by `factor`, keeping MapLibre's rule that a zoom expression is the
 * outermost `interpolate`/`step`: their outputs (and those of `case`/`match`) are scaled in
 * place; any other expression is wrapped in `['*', …, factor]`.
 */
export function scaleValue(value: Value, factor: number): Value {
  if (typeof value === 'number') return value * factor
  if (!Array.isArray(value)) return value
  const [op] = value as [unknown]
  const scaleAt = (isOutput: (index: number, length: number) => boolean) =>
    value.map((item, index) => (isOutput(index, value.length) ? scaleValue(item, factor) : item))
  switch (op) {
    case 'interpolate':
      // ['interpolate', type, input, stop, out, stop, out, …]
      return scaleAt((i) => i >= 4 && i % 2 === 0)
    case 'step':
      // ['step', input, out0, stop, out, …]
      return scaleAt((i) => i >= 2 && i % 2 === 0)
    case 'case':
      // ['case', cond, out, cond, out, …, fallback]
      return scaleAt((i, n) => (i >= 2 && i % 2 === 0) || i === n - 1)
    case 'match':
      // ['match', input, label, out, label, out, …, fallback]
      return scaleAt((i, n) => (i >= 3 && i % 2 === 1) || i === n - 1)
    default:
      return ['*', value, factor]
  }
}

/**
 * A style layer with its pixel sizes (text, icons, lines, circles) multiplied by `factor`: the
 * command wall draws the same map symbology at its own scale (2 on a 3840×2160 screen), so
 * labels stay as readable as on 1920×1080. Factor 1 returns the layer as it is.
 */
export function scaleLayer<L extends LayerSpecification>(layer: L, factor: number): L {
  if (factor === 1) return layer
  const scaled = { ...layer } as L & { layout?: Record<string, unknown>; paint?: Record<string, unknown> }
  for (const part of ['layout', 'paint'] as const) {
    const properties = (layer as { [key: string]: unknown })[part] as Record<string, unknown> | undefined
    if (!properties) continue
    const next = { ...properties }
    for (const name of pixelProperties[part]) if (name in next) next[name] = scaleValue(next[name], factor)
    scaled[part] = next
  }
  return scaled
}
