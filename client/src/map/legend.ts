import type { Bilingual, LayerGroup } from '@riskatlas/shared'
import { overlayStyles } from './layers/overlays.ts'
import type { LegendEntry, StyleContext, ValuesPresent } from './layers/types.ts'

export interface LegendSection {
  layerId: string
  group: LayerGroup
  title: string
  entries: LegendEntry[]
}

export interface LegendLayer {
  id: string
  title: Bilingual
  group: LayerGroup
}

/**
 * The legend of what is drawn: one section per visible layer, in panel order, each built by
 * the same style module that draws the layer and listing only categories present in its data.
 */
export function buildLegend(
  visibleLayers: readonly LegendLayer[],
  context: StyleContext,
  valuesPresent: (layerId: string) => ValuesPresent,
): LegendSection[] {
  return visibleLayers.flatMap((layer) => {
    const style = overlayStyles[layer.id]
    if (!style) return []
    const entries = style.legend(context, valuesPresent(layer.id))
    return entries.length > 0 ? [{ layerId: layer.id, group: layer.group, title: layer.title[context.locale], entries }] : []
  })
}
