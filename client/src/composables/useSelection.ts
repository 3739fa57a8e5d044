import { shallowRef, watch, type ShallowRef } from 'vue'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { tilesetOf } from './useFeatureStore.ts'

export interface FeatureHandle {
  layerId: string
  mapId: number
}

/**
 * Drives the `selected` and `hover` feature-state on the map: the selected feature and the
 * features related to it are lit; the previous ones go dark again.
 */
export function useFeatureState(map: ShallowRef<MapLibreMap | undefined>, stateName: 'selected' | 'hover') {
  const lit = shallowRef<FeatureHandle[]>([])
  const apply = (handles: FeatureHandle[], on: boolean) => {
    const target = map.value
    if (!target?.style) return
    for (const { layerId, mapId } of handles) {
      const source = target.getSource(layerId)
      if (mapId < 0 || !source) continue
      // A layer drawn from tiles keeps its features in the tileset's MVT layer.
      const sourceLayer = source.type === 'vector' ? tilesetOf(layerId) : undefined
      target.setFeatureState({ source: layerId, id: mapId, ...(sourceLayer ? { sourceLayer } : {}) }, { [stateName]: on })
    }
  }
  watch(lit, (next, previous) => {
    apply(previous ?? [], false)
    apply(next, true)
  })
  return {
    lit,
    set: (handles: FeatureHandle[]) => {
      const same =
        handles.length === lit.value.length &&
        handles.every((h, i) => h.layerId === lit.value[i]?.layerId && h.mapId === lit.value[i]?.mapId)
      if (!same) lit.value = handles
    },
    /** Re-applies after a layer's data arrives (setData clears feature-state). */
    refresh: () => apply(lit.value, true),
  }
}
