import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default(path.join(projectRoot, '.data')),
  CLIENT_DIST: z.string().min(1).default(path.join(projectRoot, 'client', 'dist')),
  LOG_REQUESTS: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((value) => value === 'true' || value === '1'),
  SEED: z.enum(['if-empty', 'never']).default('if-empty'),
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
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
  /** Behind a reverse proxy: take the client address and scheme from X-Forwarded-* headers. */
  trustProxy: boolean
}

/** Parses the environment once at start; a bad variable stops the process with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new Error(`Invalid configuration:\n  ${problems.join('\n  ')}`)
  }
  const e = parsed.data
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    clientDist: path.resolve(e.CLIENT_DIST),
    logRequests: e.LOG_REQUESTS,
    seed: e.SEED,
    trustProxy: e.TRUST_PROXY,
  }
}

export { projectRoot }
