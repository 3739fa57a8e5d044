/**
 * Writes the county-scale demo (24 generated townships, `county.ts`) as seed files, one
 * GeoJSON per table, to `.data/county-seed/` (or the directory given): `pnpm db:seed:county`
 * runs it and then seeds the database from that directory. The files are derived, so they are
 * not committed; a second run reuses them (`--force` regenerates).
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defaultCountyTowns, generateCounty } from './county.ts'
import { serializeTown } from './serialize.ts'

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..')
const args = process.argv.slice(2)
const outDir = resolve(args.find((arg) => !arg.startsWith('--')) ?? join(root, '.data', 'county-seed'))
const complete = join(outDir, '.complete')

if (existsSync(complete) && !args.includes('--force')) {
  console.log(`the county's seed files are in ${outDir} already (--force regenerates them)`)
} else {
  const started = performance.now()
  console.log(`generating the county (${defaultCountyTowns} townships)…`)
  const county = generateCounty()
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(outDir, { recursive: true })
  for (const [fileName, text] of serializeTown(county)) writeFileSync(join(outDir, fileName), text)
  writeFileSync(complete, `${new Date().toISOString()}\n`)
  const villages = county.natural_villages.features.length
  console.log(
    `wrote ${villages} natural villages, ${county.hazard_points.features.length} hazard points, ` +
      `${county.roads.features.length} road segments to ${outDir} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  )
}
