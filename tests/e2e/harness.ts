import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core'
import { demoAccounts } from '../../server/src/seed/demo-accounts.ts'
import type { DemoUser } from '../support/homes.ts'

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
/** The built client under test; E2E_CLIENT_DIST gives a run its own build (another engineer may be rebuilding client/dist). */
export const clientDist = process.env.E2E_CLIENT_DIST ? path.resolve(process.env.E2E_CLIENT_DIST) : path.join(projectRoot, 'client', 'dist')
export const artifactsDir = path.join(projectRoot, 'tests', 'artifacts')
/** A fresh copy of the run's embedded template each run (`tests/support/e2e-setup.ts`): nobody seeds it here. */
export const e2eDataDir = process.env.E2E_DATA_DIR ?? path.join(projectRoot, '.data', 'e2e')

/** Builds the client unless a build is there already (set E2E_REBUILD=1 to force one). */
export function ensureClientBuilt(): void {
  if (!process.env.E2E_REBUILD && fs.existsSync(path.join(clientDist, 'index.html'))) return
  const outDir = process.env.E2E_CLIENT_DIST ? ['--outDir', clientDist, '--emptyOutDir'] : []
  // Vitest sets NODE_ENV=test, which would give Vite a development build of Vue.
  execFileSync('pnpm', ['--filter', '@riskatlas/client', 'build', ...outDir], {
    cwd: projectRoot,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  })
}

/** This run's signed-in browser states, one file per account (cleared by the e2e global setup). */
export const e2eAuthDir = `${e2eDataDir}-auth`

/**
 * A browser context signed in as a demo account. Each account signs in once per run (through
 * the API: the sign-in page is tested on its own) and every later context — in any e2e file —
 * starts from the stored cookies: sessions live in the database, which the files share, and a
 * cookie is not bound to the port of the file's own server.
 */
export async function signedInContext(
  browser: Browser,
  baseUrl: string,
  username: DemoUser,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const stateFile = path.join(e2eAuthDir, `${username}.json`)
  if (!fs.existsSync(stateFile)) {
    const context = await browser.newContext()
    try {
      const password = demoAccounts.find((account) => account.username === username)!.password
      const response = await context.request.post(`${baseUrl}/api/auth/login`, { data: { username, password } })
      if (response.status() !== 200) throw new Error(`sign-in as ${username} failed: ${response.status()} ${await response.text()}`)
      fs.mkdirSync(e2eAuthDir, { recursive: true, mode: 0o700 })
      await context.storageState({ path: stateFile })
    } finally {
      await context.close()
    }
  }
  return browser.newContext({ ...options, storageState: stateFile })
}

export interface RunningApp {
  url: string
  close(): Promise<void>
}

/** The real server, in-process, serving the built client and the demo town (or E2E_BASE_URL). */
export async function startApp(): Promise<RunningApp> {
  ensureClientBuilt()
  // Against an instance already running (e.g. `pnpm start`), to debug without a restart.
  const running = process.env.E2E_BASE_URL
  if (running) return { url: running.replace(/\/$/, ''), close: async () => {} }
  const { startRiskAtlas } = await import('@riskatlas/server')
  return startRiskAtlas({ port: 0, dataDir: e2eDataDir, clientDist })
}

/** What the page exposes for tests (see MapView.vue). */
export interface MapHandle {
  /** The MapLibre map; typed loosely here because the tests package does not depend on maplibre-gl. */
  map: MapLike
  loadStatus: Record<string, string>
}

interface MapLike {
  style: unknown
  getLayer(id: string): unknown
  queryRenderedFeatures(options?: {
    layers?: string[]
  }): { id?: number | string; layer: { id: string }; properties: Record<string, unknown> }[]
  querySourceFeatures(source: string, options?: { sourceLayer?: string }): { id?: number | string; properties: Record<string, unknown> }[]
  getFeatureState(feature: { source: string; sourceLayer?: string; id: number | string }): Record<string, unknown>
  loaded(): boolean
  once(event: string, listener: () => void): unknown
  on(event: string, listener: () => void): unknown
  off(event: string, listener: () => void): unknown
  getStyle(): { sources: Record<string, unknown>; layers: { id: string }[] }
  isSourceLoaded(id: string): boolean
  getSource(id: string): { getData(): Promise<unknown> } | undefined
  areTilesLoaded(): boolean
  triggerRepaint(): void
  project(lngLat: [number, number]): { x: number; y: number }
  getCenter(): { lng: number; lat: number }
  getZoom(): number
  isMoving(): boolean
  jumpTo(options: { center: [number, number]; zoom: number }): unknown
}

declare global {
  interface Window {
    __riskatlas?: MapHandle
  }
}

/**
 * Waits until every requested layer has arrived and MapLibre has drawn everything
 * (`idle`: no tiles loading, no transition, no placement pending).
 */
export async function waitForMapIdle(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const handle = window.__riskatlas
      if (!handle?.map.style || !handle.map.getLayer('town_boundary:land')) return false
      const statuses = Object.values(handle.loadStatus)
      return statuses.length > 0 && statuses.every((status) => status !== 'loading' && status !== 'idle')
    },
    undefined,
    { timeout, polling: 100 },
  )
  // Under tsx (the bench) esbuild wraps named functions in `__name`, which the page lacks.
  await page.evaluate('window.__name ??= (fn) => fn')
  await page.evaluate(
    (ms) =>
      new Promise<void>((resolve, reject) => {
        const { map } = window.__riskatlas!
        // Bounded, so a map that never settles (a camera that keeps moving) fails with a reason
        // instead of running into the test's own timeout.
        let flights = 0
        const counted = () => flights++
        map.on('movestart', counted)
        const timer = setTimeout(() => {
          map.off('movestart', counted)
          const style = map.getStyle()
          const pending = Object.keys(style.sources).filter((id) => !map.isSourceLoaded(id))
          const state = `moving: ${map.isMoving()} (${flights} camera moves began while waiting), tiles loaded: ${map.areTilesLoaded()}, sources not loaded: ${pending.join(', ') || 'none'}`
          reject(new Error(`the map did not reach idle within ${ms} ms (${state})`))
        }, ms)
        // One more repaint so the last setData is placed, then wait for idle.
        map.once('idle', () => {
          map.off('movestart', counted)
          clearTimeout(timer)
          resolve()
        })
        map.triggerRepaint()
      }),
    timeout,
  )
}

/** How many features of a style layer MapLibre actually rendered in the viewport. */
export function renderedCount(page: Page, styleLayerId: string): Promise<number> {
  return page.evaluate((id) => {
    const { map } = window.__riskatlas!
    if (!map.getLayer(id)) return -1
    return map.queryRenderedFeatures({ layers: [id] }).length
  }, styleLayerId)
}
