import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

/**
 * The API server `pnpm dev` proxies to. 8080 is the root `pnpm dev` server; point
 * RISKATLAS_API at another instance (e.g. http://127.0.0.1:8090) to work against your own.
 */
const apiTarget = process.env.RISKATLAS_API ?? 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [vue()],
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
