import { describe, expect, it } from 'vitest'
import { loadConfig } from './config.ts'

describe('loadConfig', () => {
  it('defaults to the embedded home on port 8080', () => {
    const config = loadConfig({})
    expect(config.port).toBe(8080)
    expect(config.databaseUrl).toBeUndefined()
    expect(config.dataDir).toMatch(/\.data$/)
  })

  it('takes DATABASE_URL, PORT and DATA_DIR', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://u@db/x', PORT: '9000', DATA_DIR: '/tmp/ra' })
    expect(config).toMatchObject({ databaseUrl: 'postgresql://u@db/x', port: 9000, dataDir: '/tmp/ra' })
  })

  it('fails loudly on a bad variable, naming it', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/)
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/)
  })
})
