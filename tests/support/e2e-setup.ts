import fs from 'node:fs'
import { e2eAuthDir, e2eDataDir } from '../e2e/harness.ts'
import { copyTemplate } from './template.ts'

/**
 * Before the browser tests: their embedded database is a fresh copy of the run's one template
 * (migrated and seeded once, `template.ts`), not a second seeding of the town, and the signed-in
 * states of the last run are forgotten (each role signs in once per run, `signedInContext`).
 */
export default async function setup() {
  fs.rmSync(e2eAuthDir, { recursive: true, force: true })
  // Against an instance already running, its database is its own.
  if (process.env.E2E_BASE_URL) return
  await copyTemplate(e2eDataDir)
}
