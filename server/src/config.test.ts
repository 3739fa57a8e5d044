import { describe, expect, it } from 'vitest'
import { loadConfig } from './config.ts'

describe('loadConfig', () => {
  it('defaults to the embedded home on port 8080', () => {
    const config = loadConfig({})
    expect(config.port).toBe(8080)
    expect(config.databaseUrl).toBeUndefined()
    expect(config.dataDir).toMatch(/\.data$/)
  })

  it('takes DATABASE_URL, PORT and DATA_DIR', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://u@db/x', PORT: '9000', DATA_DIR: '/tmp/ra' })
    expect(config).toMatchObject({ databaseUrl: 'postgresql://u@db/x', port: 9000, dataDir: '/tmp/ra' })
  })

  it('listens on loopback only for the embedded home unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1')
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0')
    expect(loadConfig({ DATABASE_URL: 'postgresql://u@db/x' }).host).toBe('0.0.0.0')
  })

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' })).toMatchObject({ databaseUrl: undefined, port: 8080 })
  })

  it('fails loudly on a bad variable, naming it', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/)
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/)
  })
})

describe('basemap configuration', () => {
  it('is offline unless configured, and names what a configured basemap lacks', () => {
    expect(loadConfig({}).basemap).toEqual({ kind: 'offline' })
    expect(loadConfig({ BASEMAP: 'tianditu', TIANDITU_TOKEN: 'abc' }).basemap).toEqual({ kind: 'tianditu', token: 'abc', style: 'vector' })
    expect(() => loadConfig({ BASEMAP: 'tianditu' })).toThrow(/TIANDITU_TOKEN/)
    expect(() => loadConfig({ BASEMAP: 'raster' })).toThrow(/BASEMAP_TILES/)
    expect(loadConfig({ BASEMAP: 'raster', BASEMAP_TILES: 'https://a.example/{z}/{x}/{y}.png' }).basemap).toMatchObject({ kind: 'raster' })
  })
})
