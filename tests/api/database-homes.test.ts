import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { spawn, spawnSync } from 'node:child_process'
import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, describe, expect, it, onTestFinished } from 'vitest'
import { createApp, migrateToLatest } from '@riskatlas/server'
import { connectDatabase, createPool, externalTimeouts, kyselyOn } from '../../server/src/db/connect.ts'
import { acquireDataDirLock, EmbeddedDatabaseError, startEmbeddedDatabase } from '../../server/src/db/embedded.ts'
import { projectRoot } from '../../server/src/config.ts'
import { testHomes, type TestHome } from '../support/homes.ts'
import { copyTemplate } from '../support/template.ts'

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'riskatlas-homes-'))
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }))

describe('the embedded home', () => {
  /**
   * Another process holding the data directory's lock the way a second server would: an
   * exclusive flock on riskatlas.lock, with the file describing an owner on another host (the
   * case of two containers sharing one volume). Resolves once the lock is held.
   */
  async function holdLockElsewhere(dataDir: string, host: string) {
    const script = `
      const fs = require('node:fs')
      const { flockSync } = require(require.resolve('fs-ext', { paths: [${JSON.stringify(path.join(projectRoot, 'server'))}] }))
      const fd = fs.openSync(${JSON.stringify(path.join(dataDir, 'riskatlas.lock'))}, 'a+')
      flockSync(fd, 'exnb')
      fs.ftruncateSync(fd, 0)
      fs.writeSync(fd, JSON.stringify({ pid: process.pid, host: ${JSON.stringify(host)}, since: 'now' }))
      console.log('locked')
      setInterval(() => {}, 60000)`
    const owner = spawn(process.execPath, ['-e', script])
    await new Promise<void>((resolve, reject) => {
      owner.stdout.once('data', () => resolve())
      owner.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)))
    })
    return owner
  }

  it('refuses a second process on the same data directory even when the lock names another host', async () => {
    const dataDir = path.join(scratch, 'locked')
    fs.mkdirSync(dataDir)
    const owner = await holdLockElsewhere(dataDir, 'another-container')
    try {
      const attempt = startEmbeddedDatabase(dataDir)
      await expect(attempt).rejects.toBeInstanceOf(EmbeddedDatabaseError)
      await expect(attempt).rejects.toThrow(`pid ${owner.pid} on another-container`)
      expect(fs.existsSync(path.join(dataDir, 'pgdata'))).toBe(false)
    } finally {
      owner.kill()
    }
  })

  it('tells a person starting a second server on the same data directory why, without a stack trace', async () => {
    const dataDir = path.join(scratch, 'second-process')
    fs.mkdirSync(dataDir)
    const owner = await holdLockElsewhere(dataDir, os.hostname())
    try {
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

  it('starts after its owner was killed, even when the lock file names a live pid on this host (PID 1 in a container)', async () => {
    const dataDir = path.join(scratch, 'crashed')
    fs.mkdirSync(dataDir)
    const owner = await holdLockElsewhere(dataDir, os.hostname())
    owner.kill('SIGKILL')
    await new Promise((resolve) => owner.once('exit', resolve))
    // What a crashed container leaves behind: its PID 1 — alive again in the restarted container.
    fs.writeFileSync(path.join(dataDir, 'riskatlas.lock'), JSON.stringify({ pid: 1, host: os.hostname(), since: 'before the crash' }))
    const release = acquireDataDirLock(dataDir)
    try {
      expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'riskatlas.lock'), 'utf8'))).toMatchObject({ pid: process.pid })
      // While held, a second taker (even in this process) is refused.
      expect(() => acquireDataDirLock(dataDir)).toThrow(EmbeddedDatabaseError)
    } finally {
      release()
    }
    // Released: it can be taken again.
    acquireDataDirLock(dataDir)()
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
    // Closed: the lock is free again.
    acquireDataDirLock(dataDir)()
    // A first-time setup compiles PostGIS in WebAssembly: seconds alone, minutes on a shared, busy CI machine.
  }, 240_000)

  it('is reachable by no other local user, and by no second client while the app holds its session', async () => {
    const dataDir = path.join(scratch, 'interrupted') // set up by the test above: this is a warm start
    const database = await connectDatabase({ dataDir })
    try {
      // No TCP port: a Unix socket in a directory only this user may enter, in a data directory only this user may read.
      const url = new URL(database.connectionString)
      const socketDir = url.searchParams.get('host')!
      expect(url.port).toBe('')
      expect(socketDir).toBe(path.join(dataDir, 'run'))
      expect(fs.statSync(socketDir).mode & 0o777).toBe(0o700)
      expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700)
      const socketPath = path.join(socketDir, '.s.PGSQL.5432')
      expect(fs.statSync(socketPath).isSocket()).toBe(true)
      // The app's session, opened now, is never given back to an idle timeout.
      expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(database.db)).rows).toEqual([{ one: 1 }])
      expect(database.pool.options.idleTimeoutMillis).toBe(0)
      expect(database.pool.totalCount).toBe(1)

      if (process.getuid?.() === 0) {
        // Another local user (nobody) trying the socket: the kernel refuses before the engine sees a byte.
        const probe = spawnSync(
          process.execPath,
          [
            '-e',
            "require('net').connect(process.argv[1]).on('connect', () => { console.log('connected'); process.exit(0) }).on('error', (e) => { console.log(e.code); process.exit(0) })",
            socketPath,
          ],
          { uid: 65534, gid: 65534, encoding: 'utf8', cwd: '/' },
        )
        expect(probe.stdout.trim()).toBe('EACCES')
      }
      // A second client of this very user finds the one slot taken: no query of its runs.
      const intruder = new pg.Client({ connectionString: database.connectionString, connectionTimeoutMillis: 10_000 })
      intruder.on('error', () => {})
      await expect(intruder.connect().then(() => intruder.query('SELECT count(*) FROM users'))).rejects.toThrow()
      await intruder.end().catch(() => {})
      // … and the app keeps serving.
      const app = createApp({ db: database.db, home: 'embedded', log: () => {} })
      expect((await app.request('/api/health')).status).toBe(200)
      expect((await app.request('/api/layers/hazard_points')).status).toBe(200)
    } finally {
      await database.close()
    }
  }, 240_000)

  it('frees its one connection slot when a client goes away with an answer unread', async () => {
    // A client whose link stops reading, then drops: the kernel resets the connection (ECONNRESET)
    // because the engine's answer is still unread. pglite-socket 0.2.11 then kept counting the
    // dead client, and with one slot every later connection was refused until a restart.
    const database = await startEmbeddedDatabase(path.join(scratch, 'interrupted')) // warm start (set up above)
    const socketPath = path.join(database.socketDir, '.s.PGSQL.5432')
    let upstream: net.Socket | undefined
    const link = net.createServer((client) => {
      client.on('error', () => {})
      upstream = net.connect(socketPath).on('error', () => {})
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((resolve) => link.listen(0, '127.0.0.1', () => resolve()))
    const port = (link.address() as net.AddressInfo).port
    try {
      for (let round = 0; round < 3; round++) {
        const dropped = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', query_timeout: 1_500 })
        dropped.on('error', () => {})
        await dropped.connect()
        expect((await dropped.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
        upstream!.unpipe()
        upstream!.pause()
        // A 4 MB answer: far more than the socket buffers hold, so most of it is left unread.
        await expect(dropped.query("SELECT repeat('x', 4000000) AS big")).rejects.toThrow(/timeout/i)
        upstream!.destroy()
        await dropped.end().catch(() => {})
        // The next client gets the slot and an answer (once the engine has seen the reset).
        const answer = async () => {
          const next = new pg.Client({ connectionString: database.connectionString, connectionTimeoutMillis: 5_000, query_timeout: 5_000 })
          next.on('error', () => {})
          try {
            await next.connect()
            return (await next.query<{ two: number }>('SELECT 2 AS two')).rows[0]?.two
          } catch (error) {
            return (error as Error).message
          } finally {
            await next.end().catch(() => {})
          }
        }
        await expect.poll(answer, { timeout: 10_000, interval: 250 }).toBe(2)
      }
    } finally {
      link.close()
      await database.close()
    }
  }, 120_000)
})

/** Where a connection string's database listens: the embedded home's Unix socket, or host and port. */
function upstreamOf(connectionString: string): () => net.Socket {
  const url = new URL(connectionString)
  const socketDir = url.searchParams.get('host')
  if (socketDir?.startsWith('/')) return () => net.connect(path.join(socketDir, `.s.PGSQL.${url.port || 5432}`))
  return () => net.connect(Number(url.port || 5432), url.hostname)
}

/** The connection string through a relay on a loopback port. */
function viaRelay(connectionString: string, port: number): string {
  const url = new URL(connectionString)
  url.searchParams.delete('host')
  url.hostname = '127.0.0.1'
  url.port = String(port)
  return url.toString()
}

/** A TCP relay we can cut and restore, standing in for a database that goes away and comes back. */
function relay(connect: () => net.Socket) {
  const sockets = new Set<net.Socket>()
  let server: net.Server | undefined
  const port = { value: 0 }
  /** A partition: connections stay open, nothing passes either way, new ones get no answer. */
  let stalled = false
  const open = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        client.on('error', () => {})
        sockets.add(client)
        client.on('close', () => sockets.delete(client))
        if (stalled) return
        const upstream = connect()
        sockets.add(upstream)
        upstream.on('error', () => {})
        upstream.on('close', () => sockets.delete(upstream))
        client.on('close', () => upstream.destroy())
        upstream.on('close', () => client.destroy())
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
  const stall = () => {
    stalled = true
    for (const s of sockets) s.unpipe()
  }
  const heal = () => {
    stalled = false
    for (const s of sockets) s.destroy()
  }
  return { open, cut, stall, heal, port }
}

describe.each(testHomes())('errors on the $name home', (home) => {
  it('keeps the connection usable after a failed statement, whatever follows it', async () => {
    const db = kyselyOn(createPool(home.connectionString, 1, () => {}))
    try {
      for (let round = 0; round < 3; round++) {
        // A parameterized statement matching no row (it succeeds, changing nothing), then one
        // that fails whatever the tables hold (division by zero) …
        const [nothing] = await db.updateTable('audit_log').set({ actor: 'x' }).where('id', '=', -1).execute()
        expect(nothing!.numUpdatedRows).toBe(0n)
        await expect(sql`SELECT 1 / ${0}::int AS boom`.execute(db)).rejects.toThrow(/division by zero/)
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
    const link = relay(upstreamOf(home.connectionString))
    await link.open()
    const logged: string[] = []
    const pool = createPool(viaRelay(home.connectionString, link.port.value), 1, (line) => logged.push(line))
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

/**
 * The embedded engine of its own for a test that cuts and stalls the link: whatever the abuse
 * leaves behind in the engine stays there, and cannot reach the worker's shared home — the one
 * every later file in this worker runs on.
 */
async function ownHome(home: TestHome): Promise<{ connectionString: string; close(): Promise<void> }> {
  if (home.name !== 'embedded') return { connectionString: home.connectionString, close: async () => {} }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'riskatlas-link-'))
  await copyTemplate(dir)
  const engine = await startEmbeddedDatabase(dir)
  return {
    connectionString: engine.connectionString,
    close: async () => {
      await engine.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

describe.each(testHomes())('a network partition ($name home)', (home) => {
  it('fails in-flight and new requests with 503 within the timeouts, and serves again once healed', async () => {
    const own = await ownHome(home)
    onTestFinished(() => own.close())
    const link = relay(upstreamOf(own.connectionString))
    await link.open()
    const logged: string[] = []
    // Short timeouts so the test is quick; the server's own are externalTimeouts (below).
    const pool = createPool(viaRelay(own.connectionString, link.port.value), 1, (line) => logged.push(line), 2_000, {
      queryTimeoutMs: 2_000,
      statementTimeoutMs: 2_000,
    })
    const db = kyselyOn(pool)
    const app = createApp({ db, home: home.name, log: (line) => logged.push(line) })
    try {
      expect((await app.request('/api/health')).status).toBe(200)
      link.stall()
      // The connection is open but nothing answers: without a client-side timeout this hung for the whole outage.
      const inFlight = await app.request('/api/layers/hazard_points')
      expect(inFlight.status).toBe(503)
      expect(await inFlight.json()).toMatchObject({ error: { code: 'database_unavailable' } })
      const next = await app.request('/api/health')
      expect(next.status).toBe(503)
      link.heal()
      await expect.poll(async () => (await app.request('/api/health')).status, { timeout: 20_000, interval: 200 }).toBe(200)
    } finally {
      await link.cut().catch(() => {})
      await db.destroy()
    }
  })

  it.runIf(home.name === 'external')('gives the external home’s pool a server and a client timeout', async () => {
    const database = await connectDatabase({ databaseUrl: home.connectionString, dataDir: '' })
    try {
      expect(database.pool.options).toMatchObject({
        statement_timeout: externalTimeouts.statementTimeoutMs,
        query_timeout: externalTimeouts.queryTimeoutMs,
        connectionTimeoutMillis: 5_000,
      })
    } finally {
      await database.close()
    }
  })
})
