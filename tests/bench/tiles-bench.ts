/**
 * Issue 14 §6: vector tiles at county scale. For z10, z12 and z14 the densest roads tile of the
 * county (most road pieces starting in it) is asked of two servers side by side on the same
 * database: one keeping no cut tile (`tileCacheBytes: 0`, so every request cuts — "cold") and
 * one with the default cache ("cached": after the first request the tile is a memory lookup).
 * The first request of the cached server, which cuts, is reported too.
 */
import os from 'node:os'
import { VectorTile } from '@mapbox/vector-tile'
import { sql, type Kysely } from 'kysely'
import { PbfReader } from 'pbf'
import type { AppDeps, Database } from '@riskatlas/server'
import type { Report } from './server-process.ts'
import type { Timing } from './stats.ts'

export interface TileBenchTools {
  /** An in-process server on `db` for the duration of `fn` (run.ts `withServer`). */
  withServer<T>(fn: (base: string) => Promise<T>, deps?: Partial<AppDeps>): Promise<T>
  /** GET `url` `runs` times from a worker thread, body read whole (run.ts `timeHttp`). */
  timeHttp(url: string, runs?: number, warmup?: number): Promise<Timing>
}

export interface TileAddressXyz {
  z: number
  x: number
  y: number
}

const ms = (n: number) => `${n.toFixed(1)} ms`
export const loadAverage = () => os.loadavg()[0]!.toFixed(1)

/** The tile at zoom `z` in which most road pieces start: the heaviest tile a map of the county asks for. */
export async function densestRoadTile(db: Kysely<Database>, z: number): Promise<TileAddressXyz & { pieces: number }> {
  const { rows } = await sql<{ x: number; y: number; pieces: number }>`
    SELECT floor((ST_X(p) + 180) / 360 * 2 ^ ${z}::int)::int AS x,
      floor((1 - ln(tan(radians(ST_Y(p))) + 1 / cos(radians(ST_Y(p)))) / pi()) / 2 * 2 ^ ${z}::int)::int AS y,
      count(*)::int AS pieces
    FROM (SELECT ST_StartPoint(geom) AS p FROM roads) AS starts
    GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT 1`.execute(db)
  return { z, ...rows[0]! }
}

/** Features of one layer of an MVT body. */
export function tileFeatureCount(body: Uint8Array, layer: string): number {
  if (body.byteLength === 0) return 0
  return new VectorTile(new PbfReader(body)).layers[layer]?.length ?? 0
}

/** Tile p50/p95 cold and cached for z10, z12 and z14 on one home's county database. */
export async function benchTiles(report: Report, db: Kysely<Database>, area: string, tools: TileBenchTools, target: number) {
  await tools.withServer(
    (coldBase) =>
      tools.withServer(async (cachedBase) => {
        for (const z of [10, 12, 14]) {
          const tile = await densestRoadTile(db, z)
          const path = `/tiles/roads/${tile.z}/${tile.x}/${tile.y}.mvt`
          const firstStarted = performance.now()
          const first = await fetch(`${cachedBase}${path}`)
          const body = new Uint8Array(await first.arrayBuffer())
          const firstMs = performance.now() - firstStarted
          if (first.status !== 200) throw new Error(`${path} answered ${first.status}`)
          const features = tileFeatureCount(body, 'roads')
          // Interleaved halves, so a burst of load elsewhere falls on both alike.
          const cold: Timing[] = []
          const cached: Timing[] = []
          for (let half = 0; half < 2; half++) {
            cold.push(await tools.timeHttp(`${coldBase}${path}`, 20, 3))
            cached.push(await tools.timeHttp(`${cachedBase}${path}`, 20, 3))
          }
          const mid = (timings: Timing[], key: keyof Timing) => (timings[0]![key] + timings[1]![key]) / 2
          const label = `roads z${z} tile ${tile.x}/${tile.y} (${features} features, ${(body.byteLength / 1024).toFixed(0)} KB)`
          const z12 = z === 12
          report(area, `${label} first request`, ms(firstMs), '', null)
          report(
            area,
            `roads z${z} tile cold (cut every time) p50/p95`,
            `${ms(mid(cold, 'p50'))} / ${ms(mid(cold, 'p95'))}`,
            z12 ? `p50 ≤ ${target} ms` : '',
            z12 ? mid(cold, 'p50') <= target : null,
          )
          report(
            area,
            `roads z${z} tile cached p50/p95`,
            `${ms(mid(cached, 'p50'))} / ${ms(mid(cached, 'p95'))}`,
            z12 ? `p50 ≤ ${target} ms` : '',
            z12 ? mid(cached, 'p50') <= target : null,
          )
        }
        report(area, 'load average (1 min) after the tile figures', loadAverage())
      }),
    { tileCacheBytes: 0 },
  )
}
