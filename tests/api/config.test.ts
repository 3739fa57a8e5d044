import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openHome, testHomes } from '../support/homes.ts'

const [home] = testHomes()
const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'riskatlas-pmtiles-')), 'town.pmtiles')
fs.writeFileSync(file, Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256)))
afterAll(() => fs.rmSync(path.dirname(file), { recursive: true, force: true }))

describe('basemap configuration', () => {
  it('tells the client to draw the offline basemap by default', async () => {
    const ctx = openHome(home!)
    try {
      expect(await (await ctx.app.request('/api/config')).json()).toEqual({ basemap: { kind: 'offline' } })
      expect((await ctx.app.request('/basemap/local.pmtiles')).status).toBe(404)
    } finally {
      await ctx.close()
    }
  })

  it('serves a local .pmtiles file with byte ranges, without revealing its path', async () => {
    const ctx = openHome(home!, { basemap: { kind: 'pmtiles', file } })
    try {
      const config = await (await ctx.app.request('/api/config')).json()
      expect(config).toEqual({ basemap: { kind: 'pmtiles', url: '/basemap/local.pmtiles' } })
      const part = await ctx.app.request('/basemap/local.pmtiles', { headers: { range: 'bytes=10-19' } })
      expect(part.status).toBe(206)
      expect(part.headers.get('content-range')).toBe('bytes 10-19/1000')
      expect([...new Uint8Array(await part.arrayBuffer())]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19])
    } finally {
      await ctx.close()
    }
  })

  it('admits a configured raster basemap’s origin in the Content-Security-Policy', async () => {
    const ctx = openHome(home!, { basemap: { kind: 'raster', tiles: ['https://tiles.example.org/{z}/{x}/{y}.png'] } })
    try {
      const response = await ctx.app.request('/api/config')
      expect(response.headers.get('content-security-policy')).toContain('https://tiles.example.org')
    } finally {
      await ctx.close()
    }
  })
})
