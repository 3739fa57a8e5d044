import { loadConfig } from './config.ts'
import { connectDatabase } from './db/connect.ts'

const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`)

try {
  const config = loadConfig()
  // Open the database first: the embedded engine's WebAssembly compiles off the main thread
  // while the rest of the server's modules load.
  const opening = connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log })
  opening.catch(() => {}) // a failure is reported below, where it is awaited, not as an unhandled rejection
  const { startRiskAtlas } = await import('./server.ts')
  const running = await startRiskAtlas({ ...config, log, database: await opening })
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    log(`${signal}: shutting down`)
    await running.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
} catch (error) {
  console.error(`RiskAtlas could not start: ${(error as Error).message}`)
  process.exit(1)
}
