import { api, ok, withSignal } from './client.ts'
import { ApiError } from './http.ts'

/**
 * Which basemap sits under the overlays. `offline` draws it from the town's own layers
 * (boundaries, rivers, roads, contours, labels) and needs nothing from outside.
 */
export type BasemapConfig =
  | { kind: 'offline' }
  | { kind: 'raster'; tiles: string[]; attribution?: string; tileSize?: number; maxzoom?: number }
  | { kind: 'tianditu'; token: string; style?: 'vector' | 'imagery' }
  | { kind: 'pmtiles'; url: string; attribution?: string }

/** What GET /api/config returns; every field optional so an older server still works. */
export interface ClientConfig {
  basemap: BasemapConfig
}

export const offlineConfig: ClientConfig = { basemap: { kind: 'offline' } }

/** Reads a basemap setting, falling back to the offline basemap for anything it does not understand. */
export function parseBasemap(value: unknown): BasemapConfig {
  if (!value || typeof value !== 'object') return { kind: 'offline' }
  const basemap = value as Record<string, unknown>
  const text = (key: string) => (typeof basemap[key] === 'string' && basemap[key] !== '' ? (basemap[key] as string) : undefined)
  const number = (key: string) => (typeof basemap[key] === 'number' ? (basemap[key] as number) : undefined)
  switch (basemap.kind) {
    case 'raster': {
      const tiles = Array.isArray(basemap.tiles) ? basemap.tiles.filter((t): t is string => typeof t === 'string') : []
      if (tiles.length === 0) return { kind: 'offline' }
      return { kind: 'raster', tiles, attribution: text('attribution'), tileSize: number('tileSize'), maxzoom: number('maxzoom') }
    }
    case 'tianditu': {
      const token = text('token')
      if (!token) return { kind: 'offline' }
      return { kind: 'tianditu', token, style: basemap.style === 'imagery' ? 'imagery' : 'vector' }
    }
    case 'pmtiles': {
      const url = text('url')
      return url ? { kind: 'pmtiles', url, attribution: text('attribution') } : { kind: 'offline' }
    }
    default:
      return { kind: 'offline' }
  }
}

/** GET /api/config; a server without it (404) or one that fails means the offline basemap. */
export async function fetchClientConfig(signal?: AbortSignal): Promise<ClientConfig> {
  try {
    const body: { basemap?: unknown } = await ok(api.config.$get(undefined, withSignal(signal)))
    // Read defensively: an older or misconfigured server must still leave a working map.
    return { basemap: parseBasemap(body?.basemap) }
  } catch (error) {
    if (error instanceof ApiError || error instanceof SyntaxError) return offlineConfig
    throw error
  }
}
