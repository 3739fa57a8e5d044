import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import type { PGlite } from '@electric-sql/pglite'
import { describe, expect, it } from 'vitest'
import { keepQueueMovingAfterAFailure } from './embedded.ts'

/**
 * ADR 0001 defect 4: one message that fails to run must not stop pglite-socket's queue. An engine
 * stand-in fails its first message; the second, queued behind it, must still be answered.
 */
describe('the embedded socket server’s query queue', () => {
  it('runs the messages queued behind one that failed', async () => {
    let calls = 0
    const engine = {
      waitReady: Promise.resolve(),
      isInTransaction: () => false,
      runExclusive: <T>(run: () => Promise<T>) => run(),
      execProtocolRawStream: async (_message: Uint8Array, options: { onRawData: (data: Uint8Array) => void }) => {
        calls++
        await new Promise((resolve) => setTimeout(resolve, 5))
        if (calls === 1) throw new Error('the engine could not run this message')
        options.onRawData(new Uint8Array([0x5a, 0, 0, 0, 5, 0x49]))
      },
    }
    const server = new PGLiteSocketServer({ db: engine as unknown as PGlite, path: '/nonexistent/riskatlas-test.sock' })
    keepQueueMovingAfterAFailure(server)
    const queue = (
      server as unknown as { queryQueue: { enqueue(id: number, message: Uint8Array, onData: (d: Uint8Array) => void): Promise<number> } }
    ).queryQueue
    const answered: number[] = []
    const first = queue.enqueue(1, new Uint8Array([0x51]), () => {})
    const second = queue.enqueue(2, new Uint8Array([0x51]), (data) => answered.push(data.length))
    await expect(first).rejects.toThrow(/could not run/)
    const within = await Promise.race([second, new Promise((resolve) => setTimeout(() => resolve('stuck'), 2_000))])
    expect(within).toBe(6)
    expect(answered).toEqual([6])
  })
})
