import { afterEach, describe, expect, it, vi } from 'vitest'
import type { FeatureCollection, Geometry } from 'geojson'
import { fakeServer } from '../test/fakeServer.ts'
import type { LayerProperties } from '../api/layers.ts'
import {
  apiIdOf,
  ensureFeature,
  featureByMapId,
  findFeatures,
  loadStatus,
  loadTiles,
  loadedTiles,
  mapIdOf,
  putLayer,
  resetFeatureStore,
  shownCount,
} from './useFeatureStore.ts'

const collection = (ids: (number | string)[]): FeatureCollection<Geometry, LayerProperties> => ({
  type: 'FeatureCollection',
  features: ids.map((id) => ({
    type: 'Feature',
    id,
    geometry: { type: 'Point', coordinates: [99.1, 25.1] },
    properties: { code: `C${id}` },
  })),
})

afterEach(() => {
  resetFeatureStore()
  vi.unstubAllGlobals()
})

describe('feature store', () => {
  it('numbers a GeoJSON layer’s features 0..n-1 and keeps the API ids aside', () => {
    putLayer('hazard_points', collection([41, 7]))
    expect(findFeatures('hazard_points', () => true).map(({ mapId }) => mapId)).toEqual([0, 1])
    expect(apiIdOf('hazard_points', 1)).toBe('7')
    expect(mapIdOf('hazard_points', '41')).toBe(0)
    expect(shownCount.hazard_points).toBe(2)
  })

  it('gives a tiled layer’s features their API id as map id, the id its tiles carry, loaded or not', () => {
    putLayer('natural_villages', collection([41, 7]))
    expect(findFeatures('natural_villages', () => true).map(({ mapId }) => mapId)).toEqual([41, 7])
    expect(featureByMapId('natural_villages', 7)?.properties.code).toBe('C7')
    expect(apiIdOf('natural_villages', 41)).toBe('41')
    // Roads are never loaded whole: a feature clicked on a tile is still addressable.
    expect(apiIdOf('roads', 25_000)).toBe('25000')
    expect(mapIdOf('roads', '25000')).toBe(25_000)
    expect(mapIdOf('village_boundaries', '530502199201')).toBe(530_502_199_201)
    // Tiles draw every feature: a tiled layer is never "shown in part".
    expect(shownCount.natural_villages).toBeUndefined()
  })

  it('asks the API for the whole feature behind a tile feature, once', async () => {
    const { seen } = fakeServer({
      'GET /api/layers/:id/features/:featureId': {
        body: {
          type: 'Feature',
          id: 812,
          geometry: { type: 'LineString', coordinates: [] },
          properties: { name: '县道X235', class: 'county' },
        },
      },
    })
    expect(featureByMapId('roads', 812)).toBeUndefined()
    const feature = await ensureFeature('roads', 812)
    expect(feature?.properties).toEqual({ name: '县道X235', class: 'county' })
    expect(featureByMapId('roads', 812)?.properties.name).toBe('县道X235')
    await ensureFeature('roads', 812)
    expect(seen.map((request) => request.url)).toEqual(['/api/layers/roads/features/812'])
  })

  it('reads a tileset’s TileJSON for its load status, with tile URLs on this page’s origin', async () => {
    const fetch = vi.fn(async (_input: RequestInfo | URL) =>
      Response.json({ tilejson: '3.0.0', tiles: ['http://10.0.0.9:8080/tiles/roads/{z}/{x}/{y}.mvt?v=12'], minzoom: 8, maxzoom: 14 }),
    )
    vi.stubGlobal('fetch', fetch)
    const loading = loadTiles('roads')
    expect(loadStatus.roads).toBe('loading')
    await loading
    expect(loadStatus.roads).toBe('loaded')
    expect(loadedTiles('roads')?.tiles).toEqual([`${window.location.origin}/tiles/roads/{z}/{x}/{y}.mvt?v=12`])
    expect(fetch.mock.calls[0]![0]).toBe('/tiles/roads/tilejson.json')
  })
})
