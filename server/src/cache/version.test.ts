import { describe, expect, it } from 'vitest'
import { DataVersionReader } from './version.ts'

/** A counter read that the test finishes by hand, to see which callers share which read. */
function manualReads() {
  const reads: { resolve: (version: number) => void }[] = []
  const reader = new DataVersionReader(() => new Promise<number>((resolve) => reads.push({ resolve })))
  return { reader, reads }
}

describe('the data-version reader', () => {
  it('shares one read among callers that ask while none is running', async () => {
    const { reader, reads } = manualReads()
    const first = reader.current()
    expect(reads).toHaveLength(1)
    reads[0]!.resolve(4)
    expect(await first).toBe(4)
    const again = reader.current()
    expect(reads).toHaveLength(2)
    reads[1]!.resolve(5)
    expect(await again).toBe(5)
  })

  it('never answers a caller from a read that began before it asked: late callers share the next read', async () => {
    const { reader, reads } = manualReads()
    const early = reader.current()
    const late = [reader.current(), reader.current(), reader.current()]
    expect(reads).toHaveLength(1)
    // A write commits while the first read is on its way; the late callers must see it.
    reads[0]!.resolve(7)
    expect(await early).toBe(7)
    await Promise.resolve()
    await Promise.resolve()
    expect(reads).toHaveLength(2)
    reads[1]!.resolve(8)
    expect(await Promise.all(late)).toEqual([8, 8, 8])
  })

  it('passes a failed read to its callers and reads afresh for the next', async () => {
    let calls = 0
    const reader = new DataVersionReader(async () => {
      calls += 1
      if (calls === 1) throw new Error('connection lost')
      return 9
    })
    await expect(reader.current()).rejects.toThrow('connection lost')
    expect(await reader.current()).toBe(9)
  })
})
