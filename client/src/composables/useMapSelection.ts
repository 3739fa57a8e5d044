import { computed, shallowRef, watch, type ComputedRef, type Ref, type ShallowRef } from 'vue'
import type { Map as MapLibreMap, MapMouseEvent } from 'maplibre-gl'
import type { Feature, Geometry } from 'geojson'
import type { LayerProperties } from '../api/layers.ts'
import { catalogueLayerOf, interactiveStyleLayerIds } from '../map/layers/overlays.ts'
import { boundsOf } from '../map/geometry.ts'
import { relationsOf, type Relations } from '../components/feature/relations.ts'
import type { Locale } from '../i18n/useI18n.ts'
import type { LayerVisibility } from './useLayerVisibility.ts'
import { ensureFeature, featureByMapId, fetchedRevision, loadLayer, loadStatus, tilesetOf } from './useFeatureStore.ts'
import { useFeatureState, type FeatureHandle } from './useSelection.ts'

export interface MapSelection {
  /** The feature whose card is open. */
  selection: ShallowRef<FeatureHandle | null>
  selectedFeature: ComputedRef<Feature<Geometry, LayerProperties> | undefined>
  relations: ComputedRef<Relations | undefined>
  /** Opens a feature's card (showing its layer first) and, with `fly`, brings it into view. */
  openFeature(handle: FeatureHandle, fly?: boolean): Promise<void>
  /** Re-applies the highlight after a layer's data arrives (setData clears feature-state). */
  refresh(): void
  /** Hover and click on the map: wire these to its `mousemove` and `click` events. */
  onMouseMove(event: MapMouseEvent): void
  onClick(event: MapMouseEvent): void
  clearHover(): void
}

/**
 * The workspace's selection: which feature's card is open, the features related to it (drawn
 * lit together), the hover highlight, and flying to a feature with room left for the panels.
 */
export function useMapSelection(
  map: ShallowRef<MapLibreMap | undefined>,
  options: { visibility: LayerVisibility; locale: Readonly<Ref<Locale>>; isPhone: Readonly<Ref<boolean>> },
): MapSelection {
  const selection = shallowRef<FeatureHandle | null>(null)
  const selected = useFeatureState(map, 'selected')
  const hovered = useFeatureState(map, 'hover')

  const selectedFeature = computed(() => {
    const handle = selection.value
    if (!handle) return undefined
    void loadStatus[handle.layerId]
    void fetchedRevision.count
    return featureByMapId(handle.layerId, handle.mapId)
  })
  // A feature drawn from a tile carries only what the styles need: its card asks the API for the rest.
  watch(selection, (handle) => {
    if (handle) void ensureFeature(handle.layerId, handle.mapId).catch(() => undefined)
  })
  const relations = computed(() => {
    // Relations come from other layers: recompute when any of them arrives.
    for (const layerId of ['danger_zones', 'evacuation_routes', 'natural_villages', 'hazard_points']) void loadStatus[layerId]
    return selection.value && selectedFeature.value ? relationsOf(selection.value.layerId, selectedFeature.value.properties) : undefined
  })
  watch([selection, relations], () => {
    const handle = selection.value
    selected.set(handle ? [handle, ...(relations.value?.highlighted ?? [])] : [])
  })

  const interactiveLayers = computed(() =>
    options.visibility.visible.value.flatMap((id) => interactiveStyleLayerIds(id, { locale: options.locale.value })),
  )

  function topFeatureAt(event: MapMouseEvent): FeatureHandle | undefined {
    const target = map.value
    if (!target) return undefined
    const layers = interactiveLayers.value.filter((id) => target.getLayer(id))
    const [feature] = target.queryRenderedFeatures(event.point, { layers })
    if (!feature || typeof feature.id !== 'number') return undefined
    return { layerId: catalogueLayerOf(feature.layer.id), mapId: feature.id }
  }

  async function openFeature(handle: FeatureHandle, fly = true): Promise<void> {
    if (!options.visibility.isVisible(handle.layerId)) options.visibility.setVisible(handle.layerId, true)
    if (tilesetOf(handle.layerId)) await ensureFeature(handle.layerId, handle.mapId).catch(() => undefined)
    else await loadLayer(handle.layerId).catch(() => undefined)
    selection.value = handle
    const bounds = boundsOf(featureByMapId(handle.layerId, handle.mapId)?.geometry)
    const target = map.value
    if (!fly || !target || !bounds) return
    const padding = options.isPhone.value ? { top: 80, bottom: 320, left: 30, right: 30 } : { top: 80, bottom: 80, left: 420, right: 400 }
    if (bounds[0] === bounds[2] && bounds[1] === bounds[3]) {
      target.flyTo({ center: [bounds[0], bounds[1]], zoom: Math.max(target.getZoom(), 15), padding, duration: 1200 })
    } else {
      target.fitBounds(bounds, { padding, maxZoom: 16, duration: 1200 })
    }
  }

  return {
    selection,
    selectedFeature,
    relations,
    openFeature,
    refresh: () => selected.refresh(),
    onMouseMove(event) {
      const handle = topFeatureAt(event)
      hovered.set(handle ? [handle] : [])
      if (map.value) map.value.getCanvas().style.cursor = handle ? 'pointer' : ''
    },
    onClick(event) {
      selection.value = topFeatureAt(event) ?? null
    },
    clearHover: () => hovered.set([]),
  }
}
