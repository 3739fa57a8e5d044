import type { Kysely } from 'kysely'
import { inject } from 'vitest'
import { createApp, type AppDeps, type Database } from '@riskatlas/server'
import { createPool, embeddedWaitMs, kyselyOn } from '../../server/src/db/connect.ts'
import { demoAccounts } from '../../server/src/seed/demo-accounts.ts'

export interface TestHome {
  name: 'embedded' | 'external'
  connectionString: string
}

/**
 * The database homes prepared by the global setup for this worker: embedded always, external
 * with TEST_DATABASE_URL. API files run in parallel, each worker on databases of its own.
 */
export function testHomes(): TestHome[] {
  const sets = inject('homeSets')
  const slot = Number(process.env.VITEST_POOL_ID ?? '1')
  const set = sets[slot - 1]
  if (!set) throw new Error(`no database homes for worker ${slot}: the global setup prepared ${sets.length}`)
  return set
}

export type TestApp = ReturnType<typeof createApp>

export interface HomeContext {
  db: Kysely<Database>
  app: TestApp
  close(): Promise<void>
}

/**
 * A Kysely on one home plus the app built on it; one connection, as the embedded engine allows.
 * Login limits are raised so suites can sign in freely; the rate-limit test builds its own app.
 */
export function openHome(home: TestHome, overrides: Partial<AppDeps> = {}): HomeContext {
  // One connection, as on the embedded home, so queries queue for it the same way.
  const pool = createPool(home.connectionString, 1, () => {}, embeddedWaitMs)
  const db = kyselyOn(pool)
  const app = createApp({ db, home: home.name, log: () => {}, loginLimits: { perAccount: 1000, perAddress: 1000 }, ...overrides })
  return { db, app, close: () => db.destroy() }
}

export type DemoUser = (typeof demoAccounts)[number]['username']

/** A signed-in client for one demo account: sends its session cookie and CSRF token. */
export interface Session {
  username: string
  cookie: string
  csrfToken: string
  request(
    path: string,
    init?: { method?: string; body?: unknown; raw?: Uint8Array<ArrayBuffer>; headers?: Record<string, string> },
  ): Promise<Response>
}

export async function signIn(app: TestApp, username: DemoUser): Promise<Session> {
  const account = demoAccounts.find((a) => a.username === username)!
  const response = await app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: account.password }),
  })
  if (response.status !== 200) throw new Error(`sign-in as ${username} failed: ${response.status} ${await response.text()}`)
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!
  const { csrfToken } = (await response.json()) as { csrfToken: string }
  return {
    username,
    cookie,
    csrfToken,
    request: async (path, init = {}) =>
      await app.request(path, {
        method: init.method ?? 'GET',
        headers: {
          cookie,
          'x-csrf-token': csrfToken,
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...init.headers,
        },
        ...(init.raw !== undefined ? { body: init.raw } : init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      }),
  }
}
