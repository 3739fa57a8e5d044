import { describe, expect, it } from 'vitest'
import type { ServerEvent } from '@riskatlas/shared'
import { inProcessEvents } from './port.ts'

const event: ServerEvent = {
  type: 'data.changed',
  version: 3,
  entity: 'drills',
  action: 'create',
  ids: [1, 2],
  at: '2026-12-01T00:00:00.000Z',
}

describe('the in-process events port (embedded home)', () => {
  it('delivers a published event to every subscriber, after the publisher has moved on', async () => {
    const port = inProcessEvents()
    const first: ServerEvent[] = []
    const second: ServerEvent[] = []
    port.subscribe((e) => first.push(e))
    port.subscribe((e) => second.push(e))
    const publishing = port.publish(event)
    expect(first).toEqual([]) // not inside the publisher's call: its request is not held up
    await publishing
    await new Promise((resolve) => setImmediate(resolve))
    expect(first).toEqual([event])
    expect(second).toEqual([event])
  })

  it('stops delivering to an unsubscribed listener, and one failing listener does not stop the rest', async () => {
    const lines: string[] = []
    const port = inProcessEvents((line) => lines.push(line))
    const heard: ServerEvent[] = []
    const unsubscribe = port.subscribe(() => {
      throw new Error('boom')
    })
    port.subscribe((e) => heard.push(e))
    await port.publish(event)
    await new Promise((resolve) => setImmediate(resolve))
    expect(heard).toEqual([event])
    expect(lines.join('\n')).toContain('boom')
    unsubscribe()
    await port.publish({ ...event, version: 4 })
    await new Promise((resolve) => setImmediate(resolve))
    expect(heard.map((e) => e.version)).toEqual([3, 4])
    expect(lines).toHaveLength(1)
  })
})
