import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import type { BasemapConfig } from './basemap.ts'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** The demo town's GeoJSON (`pnpm data:generate` writes it): read as files, so the server needs no code from `data/`. */
export const demoTownDir = path.join(projectRoot, 'data', 'town')

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  /** Unset: 127.0.0.1 on the embedded home (a town office PC serves itself), all interfaces with DATABASE_URL. */
  HOST: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default(path.join(projectRoot, '.data')),
  CLIENT_DIST: z
    .string()
    .min(1)
    .default(path.join(projectRoot, 'client', 'dist')),
  LOG_REQUESTS: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((value) => value === 'true' || value === '1'),
  SEED: z.enum(['if-empty', 'never']).default('if-empty'),
  SEED_DIR: z.string().min(1).default(demoTownDir),
  BASEMAP: z.enum(['offline', 'raster', 'tianditu', 'pmtiles']).default('offline'),
  BASEMAP_TILES: z.string().optional(),
  BASEMAP_ATTRIBUTION: z.string().optional(),
  TIANDITU_TOKEN: z.string().optional(),
  TIANDITU_STYLE: z.enum(['vector', 'imagery']).default('vector'),
  PMTILES_FILE: z.string().optional(),
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
  RESPONSE_CACHE: z.enum(['on', 'off']).default('on'),
  RESPONSE_CACHE_MB: z.coerce.number().int().min(1).max(4096).default(128),
  /** Scheduled backups: where (default `<DATA_DIR>/backups`), how often (hours; 0 = off), how many kept. */
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_EVERY_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 365)
    .optional(),
  BACKUP_KEEP: z.coerce.number().int().min(1).max(10_000).default(7),
})

export interface Config {
  port: number
  host: string
  /** Set: an external PostgreSQL + PostGIS. Unset: the embedded home under `dataDir`. */
  databaseUrl: string | undefined
  dataDir: string
  clientDist: string
  logRequests: boolean
  seed: 'if-empty' | 'never'
  /** The GeoJSON directory an empty database is seeded from (the demo town by default). */
  seedDir: string
  basemap: BasemapConfig
  /** Behind a reverse proxy: take the client address and scheme from X-Forwarded-* headers. */
  trustProxy: boolean
  /** The cache of read-only answers: `RESPONSE_CACHE=off` turns it off, `RESPONSE_CACHE_MB` bounds it. */
  responseCache: { enabled: boolean; maxBytes: number }
  /**
   * Scheduled backups (`BACKUP_DIR`, `BACKUP_EVERY_HOURS`, `BACKUP_KEEP`): on the embedded home
   * every 24 h by default, keeping 7; off on an external database unless BACKUP_EVERY_HOURS is set
   * (its operators usually back PostgreSQL up their own way). `everyHours` 0: off.
   */
  backups: { dir: string; everyHours: number; keep: number }
}

/** Parses the environment once at start; a bad variable stops the process with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (DATABASE_URL= in a unit file or compose file) means unset.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''))
  const parsed = envSchema.safeParse(present)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`)
  }
  const e = parsed.data
  return {
    port: e.PORT,
    host: e.HOST ?? (e.DATABASE_URL ? '0.0.0.0' : '127.0.0.1'),
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    clientDist: path.resolve(e.CLIENT_DIST),
    logRequests: e.LOG_REQUESTS,
    seed: e.SEED,
    seedDir: path.resolve(e.SEED_DIR),
    trustProxy: e.TRUST_PROXY,
    responseCache: { enabled: e.RESPONSE_CACHE === 'on', maxBytes: e.RESPONSE_CACHE_MB * 1024 * 1024 },
    basemap: parseBasemap(e),
    backups: {
      dir: path.resolve(e.BACKUP_DIR ?? path.join(e.DATA_DIR, 'backups')),
      everyHours: e.BACKUP_EVERY_HOURS ?? (e.DATABASE_URL ? 0 : 24),
      keep: e.BACKUP_KEEP,
    },
  }
}

export { projectRoot }

function parseBasemap(e: z.infer<typeof envSchema>): BasemapConfig {
  switch (e.BASEMAP) {
    case 'offline':
      return { kind: 'offline' }
    case 'raster': {
      const tiles = (e.BASEMAP_TILES ?? '')
        .split(',')
        .map((url) => url.trim())
        .filter(Boolean)
      if (tiles.length === 0 || tiles.some((url) => !/^https?:\/\//.test(url))) {
        throw new Error(
          'Invalid configuration:\n  BASEMAP=raster needs BASEMAP_TILES: comma-separated http(s) tile URL templates with {z}/{x}/{y}',
        )
      }
      return { kind: 'raster', tiles, attribution: e.BASEMAP_ATTRIBUTION }
    }
    case 'tianditu':
      if (!e.TIANDITU_TOKEN) throw new Error('Invalid configuration:\n  BASEMAP=tianditu needs TIANDITU_TOKEN')
      return { kind: 'tianditu', token: e.TIANDITU_TOKEN, style: e.TIANDITU_STYLE }
    case 'pmtiles':
      if (!e.PMTILES_FILE)
        throw new Error('Invalid configuration:\n  BASEMAP=pmtiles needs PMTILES_FILE, the path of a local .pmtiles file')
      return { kind: 'pmtiles', file: path.resolve(e.PMTILES_FILE), attribution: e.BASEMAP_ATTRIBUTION }
  }
}
