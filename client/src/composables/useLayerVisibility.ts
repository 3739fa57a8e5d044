import { ref, watch, type Ref } from 'vue'
import { useLocalStorage } from '@vueuse/core'
import { layerCatalogue } from '@riskatlas/shared'

export const defaultVisibleLayers = layerCatalogue.filter((layer) => layer.visibleByDefault).map((layer) => layer.id)

/** What this browser showed last (VueUse storage): a list of layer ids, or nothing readable. */
function storedLayers() {
  return useLocalStorage<string[] | null>('riskatlas.visibleLayers', null, {
    flush: 'sync',
    serializer: {
      read: (text) => {
        try {
          const parsed: unknown = JSON.parse(text)
          return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : null
        } catch {
          return null
        }
      },
      write: (ids) => JSON.stringify(ids),
    },
  })
}

/**
 * Which layers show when the page opens: the URL wins (a shared link must show what its
 * sender saw), then what this browser showed last, then the catalogue's defaults.
 */
export function initialVisibleLayers(fromUrl: string[] | undefined, fromStorage: string[] | undefined, known: readonly string[]): string[] {
  const chosen = fromUrl ?? fromStorage ?? defaultVisibleLayers
  return chosen.filter((id) => known.includes(id))
}

export interface LayerVisibility {
  visible: Ref<string[]>
  isVisible: (layerId: string) => boolean
  setVisible: (layerId: string, on: boolean) => void
  setMany: (layerIds: readonly string[], on: boolean) => void
}

/** The set of shown layers, kept in catalogue order and remembered across reloads. */
export function useLayerVisibility(fromUrl: string[] | undefined): LayerVisibility {
  const known = layerCatalogue.map((layer) => layer.id)
  const stored = storedLayers()
  const visible = ref(initialVisibleLayers(fromUrl, stored.value ?? undefined, known))
  const inCatalogueOrder = (ids: Set<string>) => known.filter((id) => ids.has(id))
  watch(visible, (ids) => (stored.value = ids), { immediate: true })
  const setMany = (layerIds: readonly string[], on: boolean) => {
    const next = new Set(visible.value)
    for (const id of layerIds) {
      if (on) next.add(id)
      else next.delete(id)
    }
    visible.value = inCatalogueOrder(next)
  }
  return {
    visible,
    isVisible: (layerId) => visible.value.includes(layerId),
    setVisible: (layerId, on) => setMany([layerId], on),
    setMany,
  }
}
