import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'

/** Files worth compressing (fonts and images are compressed already) above this size. */
const compressible = /\.(?:js|mjs|css|html|svg|json|txt|map)$/
const minimumBytes = 1024

/**
 * Writes `file.br` (brotli, best) and `file.gz` (gzip, best) beside every compressible file of the
 * build, so the server sends them as they are (`Content-Encoding`, `Vary: Accept-Encoding`) with
 * no work per request. A town on mobile data loads MapLibre as ~0.23 MB instead of 1.06 MB.
 */
function precompress(): Plugin {
  let outDir = 'dist'
  return {
    name: 'riskatlas-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir)
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
          const file = path.join(dir, entry.name)
          return entry.isDirectory() ? walk(file) : [file]
        })
      for (const file of walk(outDir)) {
        if (!compressible.test(file)) continue
        const content = fs.readFileSync(file)
        if (content.length < minimumBytes) continue
        fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(content, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }))
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(content, { level: 9 }))
      }
    },
  }
}

/**
 * The API server `pnpm dev` proxies to. 8080 is the root `pnpm dev` server; point
 * RISKATLAS_API at another instance (e.g. http://127.0.0.1:8090) to work against your own.
 */
const apiTarget = process.env.RISKATLAS_API ?? 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [vue(), precompress()],
  server: {
    port: Number(process.env.CLIENT_PORT ?? 5173),
    proxy: {
      '/api': { target: apiTarget, changeOrigin: true },
      '/ogc': { target: apiTarget, changeOrigin: true },
    },
  },
  preview: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: true },
      '/ogc': { target: apiTarget, changeOrigin: true },
    },
  },
  build: {
    target: 'es2022',
    // MapLibre alone is ~1 MB minified; it gets its own long-cached chunk.
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        manualChunks: (id) => (id.includes('node_modules/maplibre-gl') ? 'maplibre' : undefined),
      },
    },
  },
})
