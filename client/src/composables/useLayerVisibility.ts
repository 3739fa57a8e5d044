import { ref, watch, type Ref } from 'vue'
import { layerCatalogue } from '@riskatlas/shared'

const storageKey = 'riskatlas.visibleLayers'

export const defaultVisibleLayers = layerCatalogue.filter((layer) => layer.visibleByDefault).map((layer) => layer.id)

function readStored(): string[] | undefined {
  try {
    const text = globalThis.localStorage?.getItem(storageKey)
    const parsed: unknown = text ? JSON.parse(text) : undefined
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : undefined
  } catch {
    return undefined
  }
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
  const visible = ref(initialVisibleLayers(fromUrl, readStored(), known))
  const inCatalogueOrder = (ids: Set<string>) => known.filter((id) => ids.has(id))
  watch(
    visible,
    (ids) => {
      try {
        globalThis.localStorage?.setItem(storageKey, JSON.stringify(ids))
      } catch {
        // Not remembered; the URL still carries it.
      }
    },
    { immediate: true },
  )
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
