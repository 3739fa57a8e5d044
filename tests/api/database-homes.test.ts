import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { spawn } from 'node:child_process'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { createApp, migrateToLatest } from '@riskatlas/server'
import { createPool, kyselyOn } from '../../server/src/db/connect.ts'
import { EmbeddedDatabaseError, startEmbeddedDatabase } from '../../server/src/db/embedded.ts'
import { projectRoot } from '../../server/src/config.ts'
import { testHomes } from '../support/homes.ts'

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'riskatlas-homes-'))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))

describe('the embedded home', () => {
  it('refuses a second process on the same data directory, naming the owner', async () => {
    const dataDir = path.join(scratch, 'locked')
    fs.mkdirSync(dataDir)
    const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'])
    try {
      fs.writeFileSync(path.join(dataDir, 'riskatlas.lock'), JSON.stringify({ pid: owner.pid, host: os.hostname(), since: 'now' }))
      const attempt = startEmbeddedDatabase(dataDir)
      await expect(attempt).rejects.toBeInstanceOf(EmbeddedDatabaseError)
      await expect(attempt).rejects.toThrow(`pid ${owner.pid}`)
      expect(fs.existsSync(path.join(dataDir, 'pgdata'))).toBe(false)
    } finally {
      owner.kill()
    }
  })

  it('tells a person starting a second server on the same data directory why, without a stack trace', async () => {
    const dataDir = path.join(scratch, 'second-process')
    fs.mkdirSync(dataDir)
    const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'])
    try {
      fs.writeFileSync(path.join(dataDir, 'riskatlas.lock'), JSON.stringify({ pid: owner.pid, host: os.hostname(), since: 'now' }))
      const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0' }
      delete env.DATABASE_URL
      const second = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'server/src/main.ts')], { env, cwd: projectRoot })
      let output = ''
      second.stdout.on('data', (chunk) => (output += chunk))
      second.stderr.on('data', (chunk) => (output += chunk))
      const code = await new Promise<number | null>((resolve) => second.once('exit', resolve))
      expect(code).toBe(1)
      expect(output).toContain(`already in use by another RiskAtlas process (pid ${owner.pid}`)
      expect(output).not.toMatch(/\n\s+at /)
    } finally {
      owner.kill()
    }
  })

  it('takes over a lock whose process is gone, and detects an interrupted first-time setup', async () => {
    const dataDir = path.join(scratch, 'interrupted')
    fs.mkdirSync(path.join(dataDir, 'pgdata', 'base'), { recursive: true })
    fs.writeFileSync(path.join(dataDir, 'pgdata', 'PG_VERSION'), 'half-written')
    fs.writeFileSync(path.join(dataDir, 'riskatlas.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), since: 'then' }))
    const lines: string[] = []
    const embedded = await startEmbeddedDatabase(dataDir, (line) => lines.push(line))
    try {
      expect(lines.join('\n')).toMatch(/first-time setup .* was interrupted/)
      const pool = createPool(embedded.connectionString, 1, () => {})
      const db = kyselyOn(pool)
      expect((await migrateToLatest(db)).length).toBeGreaterThan(0)
      expect(await migrateToLatest(db)).toHaveLength(0) // idempotent
      await db.destroy()
      // The same process cannot open it twice either.
      await expect(startEmbeddedDatabase(dataDir)).rejects.toBeInstanceOf(EmbeddedDatabaseError)
    } finally {
      await embedded.close()
    }
    expect(fs.existsSync(path.join(dataDir, 'riskatlas.lock'))).toBe(false)
    // A first-time setup compiles PostGIS in WebAssembly: seconds alone, minutes on a shared, busy CI machine.
  }, 240_000)
})

/** A TCP relay we can cut and restore, standing in for a database that goes away and comes back. */
function relay(target: URL) {
  const sockets = new Set<net.Socket>()
  let server: net.Server | undefined
  const port = { value: 0 }
  const open = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port), target.hostname)
        for (const s of [client, upstream]) {
          sockets.add(s)
          s.on('error', () => {})
          s.on('close', () => sockets.delete(s))
        }
        client.pipe(upstream).pipe(client)
      })
      server.listen(port.value, '127.0.0.1', () => {
        port.value = (server!.address() as net.AddressInfo).port
        resolve()
      })
    })
  const cut = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy()
      server!.close(() => resolve())
    })
  return { open, cut, port }
}

describe.each(testHomes())('errors on the $name home', (home) => {
  it('keeps the connection usable after a failed statement, whatever follows it', async () => {
    const db = kyselyOn(createPool(home.connectionString, 1, () => {}))
    try {
      for (let round = 0; round < 3; round++) {
        // A parameterized statement that fails (the audit log refuses updates) …
        await expect(db.updateTable('audit_log').set({ actor: 'x' }).where('id', '=', -1).execute()).resolves.toBeDefined()
        await expect(sql`UPDATE audit_log SET actor = ${'x'}`.execute(db)).rejects.toThrow(/append-only/)
        // … then one without parameters, and one with: both must work on the same connection.
        expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(db)).rows).toEqual([{ one: 1 }])
        expect((await sql<{ two: number }>`SELECT ${2}::int AS two`.execute(db)).rows).toEqual([{ two: 2 }])
      }
    } finally {
      await db.destroy()
    }
  })
})

describe.each(testHomes())('a database that goes away ($name home)', (home) => {
  it('answers 503 JSON while it is down and recovers when it is back', async () => {
    const target = new URL(home.connectionString)
    const link = relay(target)
    await link.open()
    const url = new URL(home.connectionString)
    url.port = String(link.port.value)
    url.hostname = '127.0.0.1'
    const logged: string[] = []
    const pool = createPool(url.toString(), 1, (line) => logged.push(line))
    const db = kyselyOn(pool)
    const app = createApp({ db, home: home.name, log: (line) => logged.push(line) })
    try {
      expect((await app.request('/api/health')).status).toBe(200)
      await link.cut()
      const down = await app.request('/api/health')
      expect(down.status).toBe(503)
      expect(await down.json()).toMatchObject({ error: { code: 'database_unavailable' } })
      await link.open()
      const back = await app.request('/api/health')
      expect(back.status).toBe(200)
    } finally {
      await link.cut().catch(() => {})
      await db.destroy()
    }
  })
})
