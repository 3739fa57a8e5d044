import { loadConfig } from './config.ts'
import { startRiskAtlas } from './server.ts'

const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`)

try {
  const config = loadConfig()
  const running = await startRiskAtlas({ ...config, log })
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
