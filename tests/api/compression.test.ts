import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openHome, testHomes, type HomeContext } from '../support/homes.ts'

/**
 * Nothing travels uncompressed that need not: the built client's files go out as the brotli or
 * gzip copies the build wrote beside them, API answers above a size threshold are gzipped on
 * the fly, and hashed assets are cached for a year. A real built-client layout on disk.
 */
const [home] = testHomes()
const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'riskatlas-dist-'))
const script = `export const town = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => ({ id: i, name: `自然村${i}` })))}\n`
fs.mkdirSync(path.join(dist, 'assets'))
fs.writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>RiskAtlas</title><div id="app"></div>')
fs.writeFileSync(path.join(dist, 'assets', 'index-Ab12Cd34.js'), script)
fs.writeFileSync(path.join(dist, 'assets', 'index-Ab12Cd34.js.br'), zlib.brotliCompressSync(script))
fs.writeFileSync(path.join(dist, 'assets', 'index-Ab12Cd34.js.gz'), zlib.gzipSync(script))

let ctx: HomeContext
beforeAll(() => {
  ctx = openHome(home!, { clientDist: dist })
})
afterAll(async () => {
  await ctx.close()
  fs.rmSync(dist, { recursive: true, force: true })
})

const asset = '/assets/index-Ab12Cd34.js'

describe('compression', () => {
  it('sends the build’s brotli copy of an asset to a browser that accepts brotli, cached for a year', async () => {
    const response = await ctx.app.request(asset, { headers: { 'accept-encoding': 'gzip, deflate, br' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-encoding')).toBe('br')
    expect(response.headers.get('vary')).toMatch(/accept-encoding/i)
    expect(response.headers.get('content-type')).toMatch(/javascript/)
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    const body = Buffer.from(await response.arrayBuffer())
    expect(body.length).toBeLessThan(script.length / 3)
    expect(zlib.brotliDecompressSync(body).toString()).toBe(script)
  })

  it('falls back to the gzip copy, and to the file itself (still varying by encoding) for a client that accepts neither', async () => {
    const gzip = await ctx.app.request(asset, { headers: { 'accept-encoding': 'gzip' } })
    expect(gzip.headers.get('content-encoding')).toBe('gzip')
    expect(zlib.gunzipSync(Buffer.from(await gzip.arrayBuffer())).toString()).toBe(script)
    const plain = await ctx.app.request(asset)
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(plain.headers.get('vary')).toMatch(/accept-encoding/i)
    expect(await plain.text()).toBe(script)
  })

  it('gzips API answers above the threshold and leaves small ones alone', async () => {
    const layer = await ctx.app.request('/api/layers/roads?limit=10000', { headers: { 'accept-encoding': 'gzip, br' } })
    expect(layer.status).toBe(200)
    expect(layer.headers.get('content-encoding')).toBe('gzip')
    expect(layer.headers.get('vary')).toMatch(/accept-encoding/i)
    const raw = Buffer.from(await layer.arrayBuffer())
    const collection = JSON.parse(zlib.gunzipSync(raw).toString()) as { type: string; features: unknown[] }
    expect(collection.type).toBe('FeatureCollection')
    expect(collection.features.length).toBeGreaterThan(0)
    expect(raw.length).toBeLessThan(JSON.stringify(collection).length / 2)

    const small = await ctx.app.request('/api/health', { headers: { 'accept-encoding': 'gzip' } })
    expect(small.status).toBe(200)
    expect(small.headers.get('content-encoding')).toBeNull()
    expect(((await small.json()) as { status?: string }).status).toBe('ok')
  })

  it('still answers uncompressed to a client that asks for nothing', async () => {
    const layer = await ctx.app.request('/api/layers/roads?limit=10000')
    expect(layer.headers.get('content-encoding')).toBeNull()
    expect(((await layer.json()) as { type: string }).type).toBe('FeatureCollection')
  })
})
