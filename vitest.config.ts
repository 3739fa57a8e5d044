import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

/**
 * One test command for the whole workspace (`pnpm test`), in four projects:
 * - unit: pure functions beside their code, no database, no browser;
 * - client: Vue components and style builders in happy-dom;
 * - api: the server against real PostGIS (embedded always, external when TEST_DATABASE_URL is set);
 * - e2e: the built client in headless Chromium against a running server.
 *
 * Wall time: unit, client and api files share the forks pool (as many at once as vitest allows:
 * one less than the CPUs), each API worker on databases of its own (`tests/support/global-setup.ts`);
 * the e2e files run one after another in a thread pool of their own, at the same time. One
 * embedded template is migrated and seeded per run and copied for every embedded home
 * (`tests/support/template.ts`); each e2e account signs in once per run (`signedInContext`).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{shared,server,data}/src/**/*.test.ts', 'tests/bench/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        // Rooted in client/ so Vite resolves (and plugin-vue dedupes) `vue` from the client's own deps.
        root: 'client',
        plugins: [vue()],
        test: {
          name: 'client',
          include: ['src/**/*.test.ts'],
          environment: 'happy-dom',
        },
      },
      {
        test: {
          name: 'api',
          include: ['tests/api/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/e2e-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // Their own pool, one file after another (one Chromium, one server on the shared e2e
          // database), running alongside the forks pool of the other three projects.
          pool: 'threads',
          poolOptions: { threads: { singleThread: true } },
        },
      },
    ],
  },
})
