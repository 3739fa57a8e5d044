import { onBeforeUnmount, onMounted, provide, shallowRef, type Ref, type ShallowRef } from 'vue'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { fetchClientConfig, offlineConfig, type ClientConfig } from '../api/config.ts'
import { fetchLayerSummaries } from '../api/layers.ts'
import { addAllIcons, createMap, mapKey, resolveBasemapStyle } from '../map/createMap.ts'
import { unionBounds, type Bounds } from '../map/geometry.ts'
import { loadStatus } from './useFeatureStore.ts'

export interface TownMap {
  map: ShallowRef<MapLibreMap | undefined>
  config: ShallowRef<ClientConfig>
  townBounds: ShallowRef<Bounds | undefined>
}

/**
 * A map of the town for a view other than the workspace: the configured basemap (offline by
 * default), fitted to the town, provided to child layers under `mapKey`. The workspace's own
 * pieces (createMap, icons, OverlayLayer) draw it, so every view looks the same.
 */
export function useTownMap(
  container: Ref<HTMLElement | undefined>,
  padding: () => { top: number; bottom: number; left: number; right: number },
): TownMap {
  const map = shallowRef<MapLibreMap>()
  const config = shallowRef<ClientConfig>(offlineConfig)
  const townBounds = shallowRef<Bounds>()
  provide(mapKey, map)

  onMounted(async () => {
    const [configResult, summaryResult] = await Promise.allSettled([fetchClientConfig(), fetchLayerSummaries()])
    if (configResult.status === 'fulfilled') config.value = configResult.value
    if (summaryResult.status === 'fulfilled') {
      const summaries = summaryResult.value
      townBounds.value = summaries.find((layer) => layer.id === 'town_boundary')?.bbox ?? unionBounds(summaries.map((layer) => layer.bbox))
    }
    if (!container.value) return
    const created = createMap({ container: container.value, style: await resolveBasemapStyle(config.value.basemap) })
    if (townBounds.value) created.fitBounds(townBounds.value, { padding: padding(), duration: 0 })
    created.on('load', async () => {
      await addAllIcons(created)
      map.value = created
    })
    // The same test handle the workspace exposes: the map and the layers' load status.
    ;(window as unknown as { __riskatlas?: unknown }).__riskatlas = { map: created, loadStatus }
  })

  onBeforeUnmount(() => {
    map.value?.remove()
    map.value = undefined
  })

  return { map, config, townBounds }
}
