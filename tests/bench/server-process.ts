/**
 * What the live-update benches share: a fresh database of the demo town on the real PostGIS,
 * the server as a child process on it (so its memory and CPU are its own), and an admin's
 * session for the writes.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { sql, type Kysely } from 'kysely'
import pg from 'pg'
import { migrateToLatest, readSeedDirectory, seedDatabase, type Database } from '@riskatlas/server'
import { townDir } from '@riskatlas/data'
import { projectRoot } from '../../server/src/config.ts'
import { createPool, kyselyOn } from '../../server/src/db/connect.ts'
import { demoAccounts, seedDemoAccounts } from '../../server/src/seed/demo-accounts.ts'

export type Report = (area: string, metric: string, value: string, target?: string, ok?: boolean | null) => void

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/** A new database `name` beside `databaseBase`, migrated and seeded with the demo town (warnings active) and the demo accounts. */
export async function freshTownDatabase(databaseBase: string, name: string): Promise<{ databaseUrl: string; db: Kysely<Database> }> {
  const admin = new pg.Client({ connectionString: databaseBase })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(databaseBase)
  url.pathname = `/${name}`
  const databaseUrl = url.toString()
  const db = kyselyOn(createPool(databaseUrl, 2, () => {}))
  await sql`CREATE EXTENSION IF NOT EXISTS postgis`.execute(db)
  await migrateToLatest(db)
  await seedDatabase(db, readSeedDirectory(townDir), { activateWarnings: true })
  await seedDemoAccounts(db)
  return { databaseUrl, db }
}

export interface ServerProcess {
  child: ChildProcess
  port: number
  base: string
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<void>
}

/** `server/src/main.ts` as its own process on `databaseUrl` (empty: the embedded home of `env.DATA_DIR`); resolves once `/api/health` answers. */
export async function startServerProcess(
  databaseUrl: string,
  options: { nodeArgs?: string[]; env?: Record<string, string>; startTimeoutMs?: number } = {},
): Promise<ServerProcess> {
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', path.join(projectRoot, 'server/src/main.ts')], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      SEED: 'never',
      LOG_REQUESTS: 'false',
      ...options.env,
    },
    stdio: 'ignore',
  })
  const stop = async () => {
    if (child.exitCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    // A server that cannot finish its shutdown (a database that never answers) is killed.
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000)
    await exited
    clearTimeout(force)
  }
  const started = performance.now()
  while (
    // Each probe bounded: a server that takes the connection and never answers is asked again.
    !(await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(5_000) }).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || performance.now() - started > (options.startTimeoutMs ?? 60_000)) {
      await stop()
      throw new Error('the server did not start')
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return { child, port, base, stop }
}

/** The demo admin's session cookie and CSRF token on `base`. */
export async function signInAdmin(base: string): Promise<{ cookie: string; csrfToken: string }> {
  const account = demoAccounts.find((a) => a.username === 'admin')!
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: account.username, password: account.password }),
  })
  if (response.status !== 200) throw new Error(`sign-in answered ${response.status}`)
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!
  const { csrfToken } = (await response.json()) as { csrfToken: string }
  return { cookie, csrfToken }
}
