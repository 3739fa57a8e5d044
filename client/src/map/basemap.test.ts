import { describe, expect, it } from 'vitest'
import { basemapStyle, tiandituTiles } from './basemap.ts'

describe('basemapStyle', () => {
  it('needs nothing from outside when offline: no glyphs, sprite or sources', () => {
    const style = basemapStyle({ kind: 'offline' })
    expect(style.glyphs).toBeUndefined()
    expect(style.sprite).toBeUndefined()
    expect(style.sources).toEqual({})
    expect(style.layers.map((l) => l.type)).toEqual(['background'])
  })

  it('puts a raster basemap under the overlays', () => {
    const style = basemapStyle({ kind: 'raster', tiles: ['https://tiles.example/{z}/{x}/{y}.png'], attribution: '© OSM' })
    expect(style.sources.basemap).toMatchObject({ type: 'raster', tiles: ['https://tiles.example/{z}/{x}/{y}.png'], attribution: '© OSM' })
    expect(style.layers.map((l) => l.id)).toEqual(['basemap:background', 'basemap:basemap'])
  })

  it('adds 天地图 with its annotation layer and the token', () => {
    const style = basemapStyle({ kind: 'tianditu', token: 'abc' })
    expect(Object.keys(style.sources)).toEqual(['tianditu', 'tianditu-labels'])
    expect(tiandituTiles('vec', 'abc')[0]).toBe('https://t0.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=abc')
  })

  it('reads a PMTiles archive through the pmtiles protocol, vector or raster', () => {
    const vector = basemapStyle({ kind: 'pmtiles', url: 'http://localhost:8080/tiles/town.pmtiles' }, 'vector')
    expect(vector.sources.basemap).toMatchObject({ type: 'vector', url: 'pmtiles://http://localhost:8080/tiles/town.pmtiles' })
    const raster = basemapStyle({ kind: 'pmtiles', url: 'http://localhost:8080/tiles/town.pmtiles' })
    expect(raster.sources.basemap).toMatchObject({ type: 'raster' })
  })
})
