import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { streamChangeSchema, streamReadySchema, streamReloadSchema } from '@riskatlas/shared'
import { createApp } from '@riskatlas/server'
import { createPool, kyselyOn } from '../../server/src/db/connect.ts'
import { postgresEvents } from '../../server/src/events/postgres.ts'
import { demoDisplayToken } from '../../server/src/seed/demo-accounts.ts'
import { openHome, signIn, testHomes, type HomeContext, type Session, type TestApp } from '../support/homes.ts'
import { sseClient, type SseFrame } from '../support/sse.ts'

const marker = '事件流测试'
const display = { authorization: `Bearer ${demoDisplayToken}` }

const connect = async (app: TestApp, headers: Record<string, string> = display, query = '') => {
  const response = await app.request(`/api/events${query}`, { headers })
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
  return sseClient(response)
}
const readyOf = (frame: SseFrame) => streamReadySchema.parse(JSON.parse(frame.data!))
const changeOf = (frame: SseFrame) => streamChangeSchema.parse(JSON.parse(frame.data!))
const isReady = (frame: SseFrame) => frame.event === 'ready'
const isChange = (entity: string) => (frame: SseFrame) => frame.event === 'data.changed' && changeOf(frame).entity === entity

let plannedDay = 0
const planDrill = async (admin: Session, villageId: number) => {
  plannedDay++
  const response = await admin.request('/api/drills', {
    method: 'POST',
    body: {
      naturalVillageId: villageId,
      scenario: 'flood',
      plannedOn: `2027-07-${String((plannedDay % 28) + 1).padStart(2, '0')}`,
      organiser: marker,
    },
  })
  expect(response.status, await response.clone().text()).toBe(201)
  return ((await response.json()) as { id: number }).id
}

describe.each(testHomes())('the event stream (GET /api/events) on the $name home', (home) => {
  let ctx: HomeContext
  let admin: Session
  let villageId: number

  beforeAll(async () => {
    ctx = openHome(home, { today: () => '2026-11-30', eventStream: { heartbeatMs: 100 } })
    admin = await signIn(ctx.app, 'admin')
    villageId = (await ctx.db.selectFrom('natural_villages').select('id').orderBy('id').executeTakeFirstOrThrow()).id
  })
  afterAll(async () => {
    await ctx.db.deleteFrom('drills').where('organiser', '=', marker).execute()
    await ctx.close()
  })

  it('refuses a caller who is not signed in', async () => {
    expect((await ctx.app.request('/api/events')).status).toBe(401)
  })

  it('opens with ready (the latest id), delivers a write as data.changed with a larger id, and sends heartbeats', async () => {
    const stream = await connect(ctx.app)
    try {
      const ready = readyOf(await stream.next(isReady))
      const { rows } = await sql<{ latest: string | null }>`SELECT max(id) AS latest FROM event_log`.execute(ctx.db)
      expect(ready.latestId).toBe(Number(rows[0]!.latest ?? 0))
      const drillId = await planDrill(admin, villageId)
      const frame = await stream.next(isChange('drills'))
      const change = changeOf(frame)
      expect(change).toMatchObject({ type: 'data.changed', entity: 'drills', action: 'create', ids: [drillId] })
      expect(change.id).toBeGreaterThan(ready.latestId)
      expect(frame.id).toBe(String(change.id))
      // The id is the shared history's row: the same event is stored there.
      const stored = await sql<{
        payload: { entity: string; ids: number[] }
      }>`SELECT payload FROM event_log WHERE id = ${change.id}`.execute(ctx.db)
      expect(stored.rows[0]!.payload).toMatchObject({ entity: 'drills', ids: [drillId] })
      expect(await stream.next((f) => f.comment === 'ping', 2_000)).toEqual({ comment: 'ping' })
    } finally {
      await stream.close()
    }
  })

  it('replays what a reconnecting client missed after its Last-Event-ID, in order, then says ready', async () => {
    const first = await connect(ctx.app)
    const lastSeen = readyOf(await first.next(isReady)).latestId
    await first.close()
    const missed = [await planDrill(admin, villageId), await planDrill(admin, villageId)]
    const again = await connect(ctx.app, { ...display, 'last-event-id': String(lastSeen) })
    try {
      const replayed = [changeOf(await again.next(isChange('drills'))), changeOf(await again.next(isChange('drills')))]
      expect(replayed.map((change) => change.ids)).toEqual(missed.map((id) => [id]))
      expect(replayed[0]!.id).toBeGreaterThan(lastSeen)
      expect(replayed[1]!.id).toBeGreaterThan(replayed[0]!.id)
      const ready = readyOf(await again.next(isReady))
      expect(ready.replayed).toBe(2)
      expect(ready.latestId).toBe(replayed[1]!.id)
    } finally {
      await again.close()
    }
    // The query parameter works too (a first connect that starts from the overview's latestEventId).
    const byQuery = await connect(ctx.app, display, `?lastEventId=${lastSeen}`)
    try {
      expect(changeOf(await byQuery.next(isChange('drills'))).ids).toEqual([missed[0]])
    } finally {
      await byQuery.close()
    }
  })

  it('tells a client to reload when its Last-Event-ID is older than the history, or unknown', async () => {
    // Another app on the same database (one connection: the embedded engine admits no second), keeping 2 events.
    const short = { db: ctx.db, app: createApp({ db: ctx.db, home: home.name, log: () => {}, eventStream: { history: 2 } }) }
    {
      const shortAdmin = await signIn(short.app, 'admin')
      const probe = await connect(short.app)
      const start = readyOf(await probe.next(isReady)).latestId
      await probe.close()
      for (let i = 0; i < 4; i++) await planDrill(shortAdmin, villageId)
      const stale = await connect(short.app, { ...display, 'last-event-id': String(start) })
      try {
        const reload = streamReloadSchema.parse(JSON.parse((await stale.next((f) => f.event === 'reload')).data!))
        expect(reload.reason).toBe('gap_too_old')
        expect(reload.oldestId).toBeGreaterThan(start + 1)
        const ready = readyOf(await stale.next(isReady))
        expect(ready.replayed).toBe(0)
        expect(ready.latestId).toBe(reload.latestId)
        // Live events still flow after the reload.
        const drillId = await planDrill(shortAdmin, villageId)
        expect(changeOf(await stale.next(isChange('drills'))).ids).toEqual([drillId])
      } finally {
        await stale.close()
      }
      const unknown = await connect(short.app, { ...display, 'last-event-id': String(start + 1_000_000) })
      try {
        const reload = streamReloadSchema.parse(JSON.parse((await unknown.next((f) => f.event === 'reload')).data!))
        expect(reload.reason).toBe('unknown_id')
      } finally {
        await unknown.close()
      }
      // The history stays bounded.
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM event_log`.execute(short.db)
      expect(rows[0]!.n).toBeLessThanOrEqual(2)
    }
  })

  it('names no row of personal data: a vulnerable person’s change reaches the stream without ids', async () => {
    const stream = await connect(ctx.app)
    try {
      await stream.next(isReady)
      const response = await admin.request('/api/vulnerable-people', {
        method: 'POST',
        body: { naturalVillageId: villageId, category: 'child', name: marker },
      })
      expect(response.status).toBe(201)
      const change = changeOf(await stream.next(isChange('vulnerable_people')))
      expect(change.ids).toBeNull()
      expect(stream.seen.map((f) => f.data ?? '').join('\n')).not.toContain(marker)
    } finally {
      await stream.close()
      await ctx.db.deleteFrom('vulnerable_people').where('name', '=', marker).execute()
    }
  })
})

describe('two server instances on one external PostGIS', () => {
  const external = testHomes().find((home) => home.name === 'external')

  it.skipIf(!external)('a write through one reaches an event-stream client of the other, with ids shared and increasing', async () => {
    const url = external!.connectionString
    const instances = [0, 1].map(() => {
      const pool = createPool(url, 2, () => {})
      const events = postgresEvents({ pool, connectionString: url })
      const db = kyselyOn(pool)
      const app = createApp({ db, home: 'external', events, log: () => {}, loginLimits: { perAccount: 1000, perAddress: 1000 } })
      return { db, events, app }
    })
    const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]]
    try {
      const adminA = await signIn(a.app, 'admin')
      const adminB = await signIn(b.app, 'admin')
      const villageId = (await a.db.selectFrom('natural_villages').select('id').orderBy('id').executeTakeFirstOrThrow()).id
      const onB = await connect(b.app)
      const onA = await connect(a.app)
      try {
        await Promise.all([onA.next(isReady), onB.next(isReady)])
        await Promise.all([a.events, b.events].map((port) => (port as ReturnType<typeof postgresEvents>).listening()))
        const throughA = await planDrill(adminA, villageId)
        const fromA = changeOf(await onB.next(isChange('drills')))
        expect(fromA.ids).toEqual([throughA])
        // Each instance's own client hears its own write too, under the same id.
        expect(changeOf(await onA.next(isChange('drills'))).id).toBe(fromA.id)
        const throughB = await planDrill(adminB, villageId)
        const fromB = changeOf(await onA.next(isChange('drills')))
        expect(fromB.ids).toEqual([throughB])
        expect(fromB.id).toBeGreaterThan(fromA.id)
        expect(changeOf(await onB.next(isChange('drills'))).id).toBe(fromB.id)
        // A client of B that missed both catches up from the shared history, A's write included.
        const caughtUp = await connect(b.app, { ...display, 'last-event-id': String(fromA.id - 1) })
        try {
          const replayed = [changeOf(await caughtUp.next(isChange('drills'))), changeOf(await caughtUp.next(isChange('drills')))]
          expect(replayed.map((change) => change.id)).toEqual([fromA.id, fromB.id])
        } finally {
          await caughtUp.close()
        }
      } finally {
        await onA.close()
        await onB.close()
      }
    } finally {
      await a.db.deleteFrom('drills').where('organiser', '=', marker).execute()
      for (const instance of instances) {
        await instance.events.close()
        await instance.db.destroy()
      }
    }
  })
})
