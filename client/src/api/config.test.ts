import { afterEach, describe, expect, it, vi } from 'vitest'
import { fetchClientConfig, parseBasemap } from './config.ts'

afterEach(() => vi.unstubAllGlobals())

describe('client config', () => {
  it('falls back to the offline basemap when the server has no /api/config', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify({ error: { code: 'not_found', message: 'no' } }), { status: 404 })),
    )
    await expect(fetchClientConfig()).resolves.toEqual({ basemap: { kind: 'offline' } })
  })

  it('reads a configured basemap', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify({ basemap: { kind: 'tianditu', token: 't0k' } }))),
    )
    await expect(fetchClientConfig()).resolves.toEqual({ basemap: { kind: 'tianditu', token: 't0k', style: 'vector' } })
  })

  it('treats incomplete settings as offline', () => {
    expect(parseBasemap({ kind: 'raster', tiles: [] })).toEqual({ kind: 'offline' })
    expect(parseBasemap({ kind: 'tianditu' })).toEqual({ kind: 'offline' })
    expect(parseBasemap({ kind: 'wms' })).toEqual({ kind: 'offline' })
    expect(parseBasemap({ kind: 'pmtiles', url: '/tiles/town.pmtiles' })).toEqual({
      kind: 'pmtiles',
      url: '/tiles/town.pmtiles',
      attribution: undefined,
    })
  })
})
