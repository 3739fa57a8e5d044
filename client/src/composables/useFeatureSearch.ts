import { computed, ref, type Ref } from 'vue'
import { findFeatures, loadStatus } from './useFeatureStore.ts'

/** Layers a user searches by name or code: places, facilities and hazard points. */
export const searchableLayers = [
  'natural_villages',
  'hazard_points',
  'shelters',
  'schools',
  'kindergartens',
  'nursing_homes',
  'hospitals',
  'reservoirs',
  'ponds',
  'broadcast_speakers',
  'rain_gauges',
] as const

export interface SearchHit {
  layerId: string
  mapId: number
  name: string
  code: string
  score: number
}

/**
 * How well a feature matches: an exact code or name beats a prefix, a prefix beats a
 * substring; 0 means no match. Case-insensitive, spaces ignored.
 */
export function matchScore(query: string, name: string, code: string): number {
  const q = query.replace(/\s+/g, '').toLowerCase()
  if (!q) return 0
  const n = name.replace(/\s+/g, '').toLowerCase()
  const c = code.toLowerCase()
  if (c === q || n === q) return 100
  if (n.startsWith(q)) return 80
  if (c.startsWith(q)) return 70
  if (n.includes(q)) return 50
  if (c.includes(q)) return 40
  return 0
}

/** Searches the loaded features of the searchable layers; best first, then by name. */
export function searchLoadedFeatures(query: string, limit = 12, layerIds: readonly string[] = searchableLayers): SearchHit[] {
  const hits: SearchHit[] = []
  for (const layerId of layerIds) {
    for (const { mapId, feature } of findFeatures(layerId, () => true)) {
      const name = String(feature.properties.name ?? '')
      const code = String(feature.properties.code ?? '')
      const score = matchScore(query, name, code)
      if (score > 0) hits.push({ layerId, mapId, name, code, score })
    }
  }
  hits.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, 'zh-CN'))
  return hits.slice(0, limit)
}

/** A search box's state: the query and its hits, refreshed as layers finish loading. */
export function useFeatureSearch(query: Ref<string>) {
  const hits = computed(() => {
    // Reading every status makes the hits follow layers as they load.
    for (const layerId of searchableLayers) void loadStatus[layerId]
    return query.value.trim() ? searchLoadedFeatures(query.value) : []
  })
  const activeIndex = ref(0)
  return { hits, activeIndex }
}
