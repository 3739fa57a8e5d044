/**
 * Writes the demo town to data/town/*.geojson: `pnpm data:generate` from the repository root.
 * Deterministic: running it again rewrites byte-identical files.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { townDir } from './load.ts'
import { serializeTown } from './serialize.ts'
import { generateTown } from './town.ts'

const started = performance.now()
const dataset = generateTown()
mkdirSync(townDir, { recursive: true })
let bytes = 0
for (const [fileName, text] of serializeTown(dataset)) {
  writeFileSync(join(townDir, fileName), text)
  bytes += Buffer.byteLength(text)
  const table = fileName.replace(/\.geojson$/, '') as keyof typeof dataset
  console.log(`${fileName.padEnd(30)} ${String(dataset[table].features.length).padStart(6)} features`)
}
console.log(`wrote ${(bytes / 1e6).toFixed(2)} MB to ${townDir} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
