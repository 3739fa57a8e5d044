import { shallowRef, watch, type ShallowRef } from 'vue'
import type { Map as MapLibreMap } from 'maplibre-gl'

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
      if (mapId < 0 || !target.getSource(layerId)) continue
      target.setFeatureState({ source: layerId, id: mapId }, { [stateName]: on })
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
