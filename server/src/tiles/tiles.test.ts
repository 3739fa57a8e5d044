import { describe, expect, it } from 'vitest'
import { tiledLayers } from '@riskatlas/shared'
import { layerSources } from '../layers/sources.ts'
import { TileCache } from './cache.ts'
import { tileAddress, tileAt, tileBounds, tilesCovering } from './rules.ts'
import { findTileset, tilesets } from './tilesets.ts'

describe('tilesets', () => {
  it('carry only public properties of their catalogue layer, never a phone or a person', () => {
    for (const tileset of tilesets) {
      const declared = tileset.layer.properties.map((property) => property.name)
      for (const attribute of tileset.attributes) {
        expect(declared, tileset.id).toContain(attribute)
        expect(layerSources[tileset.layer.id]!.properties[attribute], tileset.id).toBeDefined()
        expect(attribute).not.toMatch(/phone|address|person/)
      }
    }
  })

  it('are the ones the client draws from tiles (shared `tiledLayers`), named alike', () => {
    expect(Object.fromEntries(tilesets.map((tileset) => [tileset.layer.id, tileset.id]))).toEqual(tiledLayers)
    // A feature's MVT id is its API id, so a click on a tile can ask the API for the whole feature.
    expect(tilesets.filter((tileset) => !tileset.integerId)).toEqual([])
  })
})

describe('tile arithmetic', () => {
  it('finds the tile of a point and its bounds contain the point', () => {
    const address = tileAt(99.1, 25.1, 12)
    const [minLon, minLat, maxLon, maxLat] = tileBounds(address, 0)
    expect(minLon).toBeLessThanOrEqual(99.1)
    expect(maxLon).toBeGreaterThan(99.1)
    expect(minLat).toBeLessThanOrEqual(25.1)
    expect(maxLat).toBeGreaterThan(25.1)
    const buffered = tileBounds(address)
    expect(buffered[0]).toBeLessThan(minLon)
    expect(buffered[3]).toBeGreaterThan(maxLat)
  })

  it('covers a box with every tile it touches', () => {
    const tiles = tilesCovering([99, 25, 99.2, 25.2], 12)
    for (const [lon, lat] of [
      [99, 25],
      [99.2, 25.2],
      [99, 25.2],
      [99.2, 25],
      [99.1, 25.1],
    ])
      expect(tiles).toContainEqual(tileAt(lon!, lat!, 12))
    for (const tile of tiles) {
      const [minLon, minLat, maxLon, maxLat] = tileBounds(tile, 0)
      expect(minLon < 99.2 && maxLon > 99 && minLat < 25.2 && maxLat > 25).toBe(true)
    }
  })

  it('reads z/x/y.mvt inside the zoom range and the grid, and refuses the rest', () => {
    const roads = findTileset('roads')!
    expect(tileAddress(roads, '12', '3175', '1750.mvt')).toEqual({ z: 12, x: 3175, y: 1750 })
    for (const [z, x, y] of [
      ['3', '1', '1.mvt'],
      ['12', '4096', '1.mvt'],
      ['12', '1', '1.png'],
      ['a', '1', '1.mvt'],
      ['20', '1', '1.mvt'],
    ]) {
      expect(() => tileAddress(roads, z!, x!, y!), `${z}/${x}/${y}`).toThrow()
    }
  })
})

describe('the tile cache', () => {
  it('answers only for the data version a tile was cut at', () => {
    const cache = new TileCache(1000)
    cache.set('roads/12/1/1', 7, new Uint8Array(10))
    expect(cache.get('roads/12/1/1', 7)?.byteLength).toBe(10)
    expect(cache.get('roads/12/1/1', 8)).toBeUndefined()
    expect(cache.size.entries).toBe(0)
  })

  it('stays within its byte bound, dropping the least recently used first', () => {
    const cache = new TileCache(250)
    cache.set('a', 1, new Uint8Array(100))
    cache.set('b', 1, new Uint8Array(100))
    cache.get('a', 1)
    cache.set('c', 1, new Uint8Array(100))
    expect(cache.size.bytes).toBeLessThanOrEqual(250)
    expect(cache.get('b', 1)).toBeUndefined()
    expect(cache.get('a', 1)).toBeDefined()
    expect(cache.get('c', 1)).toBeDefined()
    cache.set('huge', 1, new Uint8Array(1000))
    expect(cache.get('huge', 1)).toBeUndefined()
  })
})
