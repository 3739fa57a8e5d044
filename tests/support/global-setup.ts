import os from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { createPool } from '../../server/src/db/connect.ts'
import { startEmbeddedDatabase } from '../../server/src/db/embedded.ts'
import type { TestHome } from './homes.ts'
import { copyTemplate, embeddedRoot, embeddedTemplate, migrateAndSeed } from './template.ts'

/**
 * Prepares the database homes the API tests run against, once per `pnpm test`: one set of homes
 * per worker that may run API files at the same time, so files run in parallel and each worker
 * has its databases to itself (the embedded engine admits one session).
 * - embedded, always: a copy of the run's one embedded template (migrated and seeded once,
 *   `template.ts`), started in this process;
 * - external, with TEST_DATABASE_URL: that database, migrated and re-seeded with the demo town;
 *   further workers get `CREATE DATABASE … TEMPLATE` clones of it.
 * Tests reach them over `pg` like the server; `testHomes()` picks the worker's set.
 */
export default async function setup(project: TestProject) {
  const closers: (() => Promise<void>)[] = []
  const external = process.env.TEST_DATABASE_URL
  // On CI every API test runs on both homes: a missing external home must fail the run, not
  // quietly skip the comparisons between the homes.
  if (!external && process.env.CI) throw new Error('CI runs the API tests on both homes: set TEST_DATABASE_URL')

  const workers = workerSlots(project)
  // The two homes are seeded side by side: the embedded one in this process, the external one in PostgreSQL.
  await Promise.all([embeddedTemplate(), external ? migrateAndSeed(external) : undefined])
  const externals = external ? [external, ...(await cloneDatabases(external, workers - 1))] : []

  const homeSets: TestHome[][] = []
  try {
    for (let slot = 1; slot <= workers; slot++) {
      const dir = path.join(embeddedRoot, `api-${slot}`)
      await copyTemplate(dir)
      const embedded = await startEmbeddedDatabase(dir)
      closers.push(() => embedded.close())
      const set: TestHome[] = [{ name: 'embedded', connectionString: embedded.connectionString }]
      if (externals[slot - 1]) set.push({ name: 'external', connectionString: externals[slot - 1]! })
      homeSets.push(set)
    }
  } catch (error) {
    for (const close of closers.reverse()) await close()
    throw error
  }

  project.provide('homeSets', homeSets)
  return async () => {
    for (const close of closers.reverse()) await close()
  }
}

/**
 * How many test files can run at once in the forks pool (vitest's own rule: `maxWorkers`, else
 * one less than the CPUs, one when file parallelism is off): a set of homes for each.
 */
function workerSlots(project: TestProject): number {
  const config = project.vitest.config
  if (!config.fileParallelism) return 1
  const configured = config.poolOptions?.forks?.maxForks ?? config.maxWorkers
  const slots = typeof configured === 'number' ? configured : Math.max(os.availableParallelism() - 1, 1)
  return Math.max(1, Math.floor(slots))
}

/** `count` copies of the freshly seeded external database (`<name>_w2`, `<name>_w3` …), made by PostgreSQL from it as a template. */
async function cloneDatabases(connectionString: string, count: number): Promise<string[]> {
  if (count <= 0) return []
  const url = new URL(connectionString)
  const source = decodeURIComponent(url.pathname.slice(1))
  const admin = createPool(Object.assign(new URL(connectionString), { pathname: '/postgres' }).href, 1, () => {})
  try {
    const clones: string[] = []
    for (let slot = 2; slot <= count + 1; slot++) {
      const name = `${source}_w${slot}`
      const quoted = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`
      await admin.query(`DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`)
      await admin.query(`CREATE DATABASE ${quoted(name)} TEMPLATE ${quoted(source)}`)
      clones.push(Object.assign(new URL(connectionString), { pathname: `/${encodeURIComponent(name)}` }).href)
    }
    return clones
  } finally {
    await admin.end()
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** One set of homes per worker slot (`VITEST_POOL_ID` 1, 2 …). */
    homeSets: TestHome[][]
  }
}
