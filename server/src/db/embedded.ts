import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'
import { PGLiteSocketHandler, PGLiteSocketServer } from '@electric-sql/pglite-socket'

/**
 * The embedded home: PGlite (PostgreSQL 18 in WebAssembly) with PostGIS, in this process,
 * exposed on a Unix socket so the rest of the server reaches it through `pg` exactly as it
 * reaches an external PostgreSQL.
 *
 * PGlite has no passwords, so nothing but the file system may stand between the socket and
 * another local user: the socket lives in a directory only this process's user may enter
 * (`<DATA_DIR>/run`, mode 0700, inside a data directory that is 0700 too) — never on a TCP
 * port, where any local process could connect. PGlite is single-session: the socket server
 * admits one connection and the pool holds its one client for good (no idle timeout), so a
 * transaction never interleaves with another session's statements and no second client —
 * even of the same user — gets in while the app runs.
 */
export interface EmbeddedDatabase {
  /** `postgresql://postgres@localhost/postgres?host=<socket directory>`: pg opens `<dir>/.s.PGSQL.5432`. */
  connectionString: string
  /** The socket's directory (owner-only). */
  socketDir: string
  postgisVersion: string
  close(): Promise<void>
}

export class EmbeddedDatabaseError extends Error {
  override name = 'EmbeddedDatabaseError'
}

const setupMarker = 'riskatlas-setup-complete'

export async function startEmbeddedDatabase(dataDir: string, log: (line: string) => void = () => {}): Promise<EmbeddedDatabase> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  // The engine's files hold every personal record: readable by this user only.
  fs.chmodSync(dataDir, 0o700)
  const releaseLock = acquireDataDirLock(dataDir)
  try {
    const pgdata = path.join(dataDir, 'pgdata')
    const marker = path.join(dataDir, setupMarker)
    if (fs.existsSync(pgdata) && !fs.existsSync(marker)) {
      log(
        `An earlier first-time setup of the embedded database in ${pgdata} was interrupted before it finished; ` +
          'it held no data yet, so it is being removed and set up again.',
      )
      fs.rmSync(pgdata, { recursive: true, force: true })
    }
    const firstStart = !fs.existsSync(pgdata)
    if (firstStart) log('Setting up the embedded PostgreSQL + PostGIS for the first time (about 10–20 s)…')

    const pglite = await PGlite.create({ dataDir: pgdata, extensions: { postgis } })
    await pglite.exec('CREATE EXTENSION IF NOT EXISTS postgis')
    if (firstStart) fs.writeFileSync(marker, `${new Date().toISOString()}\n`)
    const version = await pglite.query<{ v: string }>('SELECT postgis_lib_version() AS v')

    const socket = privateSocketPath(dataDir)
    freeSlotOnSocketError()
    const server = new PGLiteSocketServer({ db: withProtocolFix(pglite), path: socket.path, maxConnections: 1 })
    keepQueueMovingAfterAFailure(server)
    await server.start()
    fs.chmodSync(socket.path, 0o600)
    return {
      connectionString: `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(socket.dir)}&sslmode=disable`,
      socketDir: socket.dir,
      postgisVersion: version.rows[0]?.v ?? 'unknown',
      async close() {
        await server.stop()
        // Let the socket handlers finish detaching before the engine goes away.
        await new Promise((resolve) => setImmediate(resolve))
        await pglite.close()
        fs.rmSync(socket.path, { force: true })
        if (socket.temporary) fs.rmSync(socket.dir, { recursive: true, force: true })
        releaseLock()
      },
    }
  } catch (error) {
    releaseLock()
    throw error
  }
}

/**
 * PGlite 0.5.8 answers an error in an extended-protocol message (Execute, Bind …) with the
 * ErrorResponse *and* a ReadyForQuery, then another ReadyForQuery for the client's Sync. A real
 * PostgreSQL sends ReadyForQuery only for Sync (or a simple Query). The extra one ends the
 * client's *next* query early with an empty result — a silent wrong answer. This wraps the
 * engine so ReadyForQuery ('Z') is passed on only in reply to Sync ('S') or Query ('Q').
 */
function withProtocolFix(pglite: PGlite): PGlite {
  const readyForQuery = 0x5a
  const allowsReady = new Set([0x53 /* Sync */, 0x51 /* Query */])
  const execProtocolRawStream: PGlite['execProtocolRawStream'] = async (message, options) => {
    const type = message[0]!
    // Startup (no type byte: length first), Sync and Query pass through untouched.
    const isStartup = message.length >= 8 && new DataView(message.buffer, message.byteOffset).getInt32(4) === 196608
    if (isStartup || allowsReady.has(type)) return pglite.execProtocolRawStream(message, options)
    const chunks: Uint8Array[] = []
    await pglite.execProtocolRawStream(message, { ...options, onRawData: (data) => chunks.push(data.slice()) })
    const output = Buffer.concat(chunks)
    const kept: Buffer[] = []
    for (let offset = 0; offset + 5 <= output.length;) {
      const length = 1 + output.readInt32BE(offset + 1)
      if (output[offset] !== readyForQuery) kept.push(output.subarray(offset, offset + length))
      offset += length
    }
    const filtered = Buffer.concat(kept)
    if (filtered.length > 0) options?.onRawData?.(new Uint8Array(filtered))
  }
  return new Proxy(pglite, {
    get(target, property) {
      if (property === 'execProtocolRawStream') return execProtocolRawStream
      const value = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/**
 * pglite-socket 0.2.11 gives a connection's slot back only when the socket emits 'close', and
 * its error path removes the socket's listeners first. A client that goes away while an answer
 * is still unread on its side (the kernel then resets the connection: ECONNRESET) reaches the
 * error path, its 'close' finds no listener, and the server keeps counting it: with one slot,
 * every later connection is refused ("Too many connections") until the process restarts — one
 * dropped client wedged the whole home. Patched so the error path also says 'close', on which the
 * server frees the slot (a later real 'close' changes nothing: the handler is gone). The
 * handler's detach has already cleared its queued queries and rolled back its transaction.
 * Checked at start: if the library's internals ever change, this fails loudly instead of
 * silently doing nothing. Regression test: tests/api/database-homes.test.ts ("a client that
 * goes away with an answer unread").
 */
function freeSlotOnSocketError() {
  type Handler = EventTarget & { active: boolean; handleError(error: Error): void; [patched]?: true }
  const prototype = PGLiteSocketHandler.prototype as unknown as Handler
  if (prototype[patched]) return
  const original = prototype.handleError
  if (typeof original !== 'function') throw new EmbeddedDatabaseError('pglite-socket has changed: its handler has no handleError to patch')
  prototype.handleError = function (this: Handler, error: Error) {
    const wasActive = this.active
    original.call(this, error)
    if (wasActive) this.dispatchEvent(new CustomEvent('close'))
  }
  prototype[patched] = true
}
const patched = Symbol('riskatlas.freeSlotOnSocketError')

/**
 * pglite-socket 0.2.11 runs the engine's messages from one queue (`processQueue`). When running a
 * message throws, the loop rejects it and returns with its `processing` flag still set, so no later
 * message is ever run: every query of every later connection waits until its timeout — the home
 * answers 503 for good. This wraps the loop so that a run that ends that way clears the flag and
 * goes on with what is queued. (ADR 0001, defect 4.)
 */
export function keepQueueMovingAfterAFailure(server: PGLiteSocketServer) {
  type Queue = { processing: boolean; queue: unknown[]; processQueue(): Promise<void>; [patched]?: true }
  const queue = (server as unknown as { queryQueue?: Queue }).queryQueue
  const prototype = queue && (Object.getPrototypeOf(queue) as Queue)
  if (!prototype || typeof prototype.processQueue !== 'function' || !('processing' in queue!))
    throw new EmbeddedDatabaseError('pglite-socket has changed: its query queue has no processQueue to patch')
  if (prototype[patched]) return
  const original = prototype.processQueue
  prototype.processQueue = async function (this: Queue) {
    const runs = !this.processing && this.queue.length > 0
    await original.call(this)
    if (runs && this.processing) {
      this.processing = false
      if (this.queue.length > 0) await this.processQueue()
    }
  }
  prototype[patched] = true
}

/**
 * Where the engine's socket goes: `<dataDir>/run/.s.PGSQL.5432` (the name pg looks for), in a
 * directory made 0700 — only this user may reach the socket. A socket path is limited to about
 * 100 bytes; for a data directory deeper than that the socket goes to a fresh 0700 directory
 * under the system's temporary directory instead. A socket file left by a crash is removed (the
 * data-directory lock says nobody else uses it).
 */
function privateSocketPath(dataDir: string): { dir: string; path: string; temporary: boolean } {
  const name = '.s.PGSQL.5432'
  let dir = path.join(dataDir, 'run')
  let temporary = false
  if (Buffer.byteLength(path.join(dir, name)) > 100) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'riskatlas-db-'))
    temporary = true
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  fs.chmodSync(dir, 0o700)
  const socketPath = path.join(dir, name)
  fs.rmSync(socketPath, { force: true })
  return { dir, path: socketPath, temporary }
}

/**
 * One process per data directory: a second one would corrupt it. The lock is an exclusive
 * `flock(2)` on `<dataDir>/riskatlas.lock`, held on an open descriptor for the life of the
 * process, so the kernel releases it whenever the process ends — a clean exit, `kill -9`, or a
 * container whose PID 1 crashed — and nothing written in the file can make a dead owner look
 * alive or a live one look dead (a pid or a hostname in a file can do both). Two containers
 * sharing one volume on one host share the kernel's lock table, and Linux maps flock onto NFS
 * byte-range locks, so the second one is refused there too. The file only *describes* the
 * owner (pid, host, since) for the message; it is never deleted, because unlinking a lock file
 * lets a third process lock a fresh inode while a second still waits on the old one.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'riskatlas.lock')
  const fd = fs.openSync(lockPath, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600)
  try {
    flockSync(fd, 'exnb')
  } catch (error) {
    fs.closeSync(fd)
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') throw error
    const owner = readLockOwner(lockPath)
    const who = owner ? ` (pid ${owner.pid} on ${owner.host}, since ${owner.since})` : ''
    throw new EmbeddedDatabaseError(
      `The embedded database in ${dataDir} is already in use by another RiskAtlas process${who}. ` +
        'Stop that process first, or give this one its own DATA_DIR.',
    )
  }
  const description = Buffer.from(JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() }))
  fs.ftruncateSync(fd, 0)
  fs.writeSync(fd, description, 0, description.length, 0)
  let released = false
  return () => {
    if (released) return
    released = true
    fs.ftruncateSync(fd, 0)
    fs.closeSync(fd) // closing the last descriptor of the open file releases the flock
  }
}

/** `fs-ext`'s flock(2) binding (a small native addon built at install; Node has no flock of its own). */
const flockSync = (createRequire(import.meta.url)('fs-ext') as { flockSync(fd: number, flags: 'exnb' | 'un'): void }).flockSync

function readLockOwner(lockPath: string): { pid: number; host: string; since: string } | undefined {
  try {
    const owner = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { pid: number; host: string; since: string }
    return Number.isInteger(owner.pid) ? owner : undefined
  } catch {
    return undefined
  }
}
