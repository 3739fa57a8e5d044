import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dataVersionSchema, type DataChangedEvent, type ServerEvent } from '@riskatlas/shared'
import { routePolicies } from '../../server/src/auth/policies.ts'
import { inProcessEvents } from '../../server/src/events/port.ts'
import { postgresEvents } from '../../server/src/events/postgres.ts'
import { openHome, signIn, testHomes, type HomeContext, type Session } from '../support/homes.ts'

const marker = '事件测试'

/** Collects what a port delivers; `next()` waits for the next event (or fails after `ms`). */
function recorder() {
  const events: ServerEvent[] = []
  let waiting: ((event: ServerEvent) => void) | undefined
  const listener = (event: ServerEvent) => {
    events.push(event)
    waiting?.(event)
  }
  const next = (ms = 5_000) =>
    new Promise<ServerEvent>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no event within ${ms} ms`)), ms)
      waiting = (event) => {
        clearTimeout(timer)
        waiting = undefined
        resolve(event)
      }
    })
  return { events, listener, next }
}

/** Every state-changing route, and how to exercise it once as an admin. Login and logout change no data. */
const eventWarning = () => ({
  kind: 'rainstorm',
  level: 'blue',
  stage: 'prepare',
  issuedBy: marker,
  validFrom: new Date().toISOString(),
  validTo: new Date(Date.now() + 3_600_000).toISOString(),
  area: { kind: 'villages', adminCodes: ['530502199201'] },
})
type WriteProbe = (f: {
  admin: Session
  villageId: number
  personId: () => Promise<number>
  drillId: () => Promise<number>
}) => Promise<Response>
const writes: Record<string, { entity: string; probe: WriteProbe }> = {
  'POST /api/users': {
    entity: 'users',
    probe: ({ admin }) =>
      admin.request('/api/users', {
        method: 'POST',
        body: { username: `ev${Date.now().toString(36)}`, displayName: marker, role: 'viewer', password: 'events-password-1' },
      }),
  },
  'PATCH /api/users/:id': {
    entity: 'users',
    probe: async ({ admin }) => {
      const { users } = (await (await admin.request('/api/users')).json()) as { users: { id: number; username: string }[] }
      return admin.request(`/api/users/${users.find((user) => user.username === 'viewer')!.id}`, {
        method: 'PATCH',
        body: { displayName: '演示查看者' },
      })
    },
  },
  'POST /api/display-tokens': {
    entity: 'display_tokens',
    probe: ({ admin }) => admin.request('/api/display-tokens', { method: 'POST', body: { name: marker } }),
  },
  'DELETE /api/display-tokens/:id': {
    entity: 'display_tokens',
    probe: async ({ admin }) => {
      const issued = (await (await admin.request('/api/display-tokens', { method: 'POST', body: { name: marker } })).json()) as {
        id: number
      }
      return admin.request(`/api/display-tokens/${issued.id}`, { method: 'DELETE' })
    },
  },
  'POST /api/vulnerable-people': {
    entity: 'vulnerable_people',
    probe: ({ admin, villageId }) =>
      admin.request('/api/vulnerable-people', { method: 'POST', body: { naturalVillageId: villageId, category: 'elderly', name: marker } }),
  },
  'PATCH /api/vulnerable-people/:id': {
    entity: 'vulnerable_people',
    probe: async ({ admin, personId }) =>
      admin.request(`/api/vulnerable-people/${await personId()}`, { method: 'PATCH', body: { mobilityNeeds: '需搀扶' } }),
  },
  'DELETE /api/vulnerable-people/:id': {
    entity: 'vulnerable_people',
    probe: async ({ admin, personId }) => admin.request(`/api/vulnerable-people/${await personId()}`, { method: 'DELETE' }),
  },
  'POST /api/drills': {
    entity: 'drills',
    probe: ({ admin, villageId }) =>
      admin.request('/api/drills', {
        method: 'POST',
        body: { naturalVillageId: villageId, scenario: 'flood', plannedOn: '2027-06-01', organiser: marker },
      }),
  },
  'POST /api/drills/batch': {
    entity: 'drills',
    probe: ({ admin, villageId }) =>
      admin.request('/api/drills/batch', {
        method: 'POST',
        body: { drills: [{ naturalVillageId: villageId, scenario: 'fire', plannedOn: '2027-06-02', organiser: marker }] },
      }),
  },
  'PATCH /api/drills/:id': {
    entity: 'drills',
    probe: async ({ admin, drillId }) =>
      admin.request(`/api/drills/${await drillId()}`, { method: 'PATCH', body: { scenario: 'landslide' } }),
  },
  'DELETE /api/drills/:id': {
    entity: 'drills',
    probe: async ({ admin, drillId }) => admin.request(`/api/drills/${await drillId()}`, { method: 'DELETE' }),
  },
  'POST /api/warnings': {
    entity: 'warnings',
    probe: ({ admin }) => admin.request('/api/warnings', { method: 'POST', body: eventWarning() }),
  },
  'PATCH /api/warnings/:id': {
    entity: 'warnings',
    probe: async ({ admin }) => {
      const created = (await (await admin.request('/api/warnings', { method: 'POST', body: eventWarning() })).json()) as { id: number }
      return admin.request(`/api/warnings/${created.id}`, { method: 'PATCH', body: { lift: true } })
    },
  },
  'POST /api/imports': { entity: 'imports', probe: ({ admin }) => upload(admin) },
  'POST /api/imports/:id/preview': {
    entity: 'imports',
    probe: async ({ admin }) => admin.request(`/api/imports/${await uploadId(admin)}/preview`, { method: 'POST', body: {} }),
  },
  'POST /api/imports/:id/commit': { entity: 'hazard_points', probe: async ({ admin }) => commitUpload(admin, await uploadId(admin)) },
  'POST /api/imports/:id/undo': {
    entity: 'hazard_points',
    probe: async ({ admin }) => {
      const id = await uploadId(admin)
      await commitUpload(admin, id)
      return admin.request(`/api/imports/${id}/undo`, { method: 'POST' })
    },
  },
  'POST /api/evacuation/plan/save': {
    entity: 'evacuation_routes',
    probe: ({ admin, villageId }) =>
      admin.request('/api/evacuation/plan/save', { method: 'POST', body: { scope: { kind: 'villages', villageIds: [villageId] } } }),
  },
  'PATCH /api/shelters/:id': {
    entity: 'facilities',
    probe: async ({ admin }) => {
      const { plan } = {
        plan: (await (await admin.request('/api/evacuation/plan', { method: 'POST', body: { scope: { kind: 'all' } } })).json()) as {
          shelters: { shelterId: number }[]
        },
      }
      return admin.request(`/api/shelters/${plan.shelters[0]!.shelterId}`, { method: 'PATCH', body: { open: true } })
    },
  },
}
let uploads = 0
/** A one-point hazard GeoJSON uploaded for import (its code marks it for cleanup). */
const upload = (admin: Session) =>
  admin.request('/api/imports?layer=hazard_points&fileName=events.geojson', {
    method: 'POST',
    body: {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { code: `HZ-EVENTS-${Date.now().toString(36)}-${uploads++}`, name: marker, kind: 'landslide' },
          geometry: { type: 'Point', coordinates: [99.1, 25.1] },
        },
      ],
    },
  })
const uploadId = async (admin: Session) => ((await (await upload(admin)).json()) as { import: { id: number } }).import.id
const commitUpload = (admin: Session, id: number) =>
  admin.request(`/api/imports/${id}/commit`, { method: 'POST', body: { mode: 'append', idempotencyKey: `events-${id}-${Date.now()}` } })
const firstPlace = async (admin: Session) =>
  ((await (await admin.request('/api/ledger/places')).json()) as { places: { id: number }[] }).places[0]!.id
const newDanger = async (admin: Session) => {
  const response = await admin.request('/api/ledger/dangers', {
    method: 'POST',
    body: { placeId: await firstPlace(admin), foundOn: '2026-11-01', source: 'report', description: marker, level: 'general' },
  })
  return ((await response.json()) as { id: number }).id
}
const newSanction = async (admin: Session) => {
  const response = await admin.request('/api/ledger/records', {
    method: 'POST',
    body: { kind: 'sanctions', record: { placeId: await firstPlace(admin), imposedOn: '2026-11-04', kind: 'exposure', note: marker } },
  })
  return ((await response.json()) as { id: number }).id
}
const tinyPng = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
)
Object.assign(writes, {
  'POST /api/ledger/dangers': {
    entity: 'hidden_dangers',
    probe: async ({ admin }: { admin: Session }) =>
      admin.request('/api/ledger/dangers', {
        method: 'POST',
        body: { placeId: await firstPlace(admin), foundOn: '2026-11-02', source: 'report', description: marker, level: 'general' },
      }),
  },
  'PATCH /api/ledger/dangers/:id': {
    entity: 'hidden_dangers',
    probe: async ({ admin }: { admin: Session }) =>
      admin.request(`/api/ledger/dangers/${await newDanger(admin)}`, { method: 'PATCH', body: { description: marker } }),
  },
  'DELETE /api/ledger/dangers/:id': {
    entity: 'hidden_dangers',
    probe: async ({ admin }: { admin: Session }) => admin.request(`/api/ledger/dangers/${await newDanger(admin)}`, { method: 'DELETE' }),
  },
  'POST /api/ledger/dangers/:id/transition': {
    entity: 'hidden_dangers',
    probe: async ({ admin }: { admin: Session }) =>
      admin.request(`/api/ledger/dangers/${await newDanger(admin)}/transition`, {
        method: 'POST',
        body: { to: 'rectified', on: '2026-11-05' },
      }),
  },
  'POST /api/ledger/dangers/:id/photos': {
    entity: 'hidden_danger_photos',
    probe: async ({ admin }: { admin: Session }) =>
      admin.request(`/api/ledger/dangers/${await newDanger(admin)}/photos?phase=after`, {
        method: 'POST',
        headers: { 'content-type': 'image/png' },
        raw: tinyPng,
      }),
  },
  'POST /api/ledger/records': {
    entity: 'safety_sanctions',
    probe: async ({ admin }: { admin: Session }) =>
      admin.request('/api/ledger/records', {
        method: 'POST',
        body: { kind: 'sanctions', record: { placeId: await firstPlace(admin), imposedOn: '2026-11-04', kind: 'exposure', note: marker } },
      }),
  },
  'PATCH /api/ledger/records/:kind/:id': {
    entity: 'safety_sanctions',
    probe: async ({ admin }: { admin: Session }) =>
      admin.request(`/api/ledger/records/sanctions/${await newSanction(admin)}`, { method: 'PATCH', body: { kind: 'interview' } }),
  },
  'DELETE /api/ledger/records/:kind/:id': {
    entity: 'safety_sanctions',
    probe: async ({ admin }: { admin: Session }) =>
      admin.request(`/api/ledger/records/sanctions/${await newSanction(admin)}`, { method: 'DELETE' }),
  },
  'POST /api/ledger/places': {
    entity: 'safety_places',
    probe: ({ admin }: { admin: Session }) =>
      admin.request('/api/ledger/places', { method: 'POST', body: { name: marker, kind: 'market', longitude: 99.1, latitude: 25.1 } }),
  },
  'PATCH /api/ledger/places/:id': {
    entity: 'safety_places',
    probe: async ({ admin }: { admin: Session }) =>
      admin.request(`/api/ledger/places/${await firstPlace(admin)}`, { method: 'PATCH', body: { industry: marker } }),
  },
  'DELETE /api/ledger/places/:id': {
    entity: 'safety_places',
    probe: async ({ admin }: { admin: Session }) => {
      const made = await admin.request('/api/ledger/places', {
        method: 'POST',
        body: { name: marker, kind: 'market', longitude: 99.1, latitude: 25.1 },
      })
      return admin.request(`/api/ledger/places/${((await made.json()) as { id: number }).id}`, { method: 'DELETE' })
    },
  },
  'PUT /api/summary/narratives': {
    entity: 'summary_narratives',
    probe: ({ admin }: { admin: Session }) =>
      admin.request('/api/summary/narratives', { method: 'PUT', body: { year: 2098, narratives: { problems: marker } } }),
  },
})

const moveNow = async (admin: Session) => {
  const response = await admin.request('/api/warnings', {
    method: 'POST',
    body: { ...eventWarning(), stage: 'move_now', area: { kind: 'villages', adminCodes: ['530502199201'] } },
  })
  const id = ((await response.json()) as { id: number }).id
  const progress = (await (await admin.request(`/api/evacuation/progress?warningId=${id}`)).json()) as {
    villages: { naturalVillageId: number }[]
  }
  return { id, villageId: progress.villages[0]!.naturalVillageId }
}
/** Adds a hazard point on the map at a seeded one's place (so inside the town), named with the marker. */
async function addPoint(admin: Session): Promise<Response> {
  const seeded = (await (await admin.request('/api/layers/hazard_points')).json()) as { features: { geometry: unknown }[] }
  return admin.request('/api/edit/hazard_points', {
    method: 'POST',
    body: {
      geometry: seeded.features[0]!.geometry,
      properties: {
        code: `EV-EDIT-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
        name: marker,
        kind: 'collapse',
        scale: 'small',
        risk_level: 1,
        threatened_households: 0,
        threatened_people: 0,
        threatened_property_10k_yuan: 0,
        monitor_name: null,
        responsible_name: null,
        status: 'active',
      },
    },
  })
}
const editedPoint = async (admin: Session) => (await (await addPoint(admin)).json()) as { id: number; version: string }
Object.assign(writes, {
  'POST /api/edit/:layer': { entity: 'hazard_points', probe: async ({ admin }: { admin: Session }) => addPoint(admin) },
  'PATCH /api/edit/:layer/:id': {
    entity: 'hazard_points',
    probe: async ({ admin }: { admin: Session }) => {
      const point = await editedPoint(admin)
      return admin.request(`/api/edit/hazard_points/${point.id}`, {
        method: 'PATCH',
        body: { version: point.version, properties: { risk_level: 3 } },
      })
    },
  },
  'DELETE /api/edit/:layer/:id': {
    entity: 'hazard_points',
    probe: async ({ admin }: { admin: Session }) =>
      admin.request(`/api/edit/hazard_points/${(await editedPoint(admin)).id}`, { method: 'DELETE' }),
  },
  'POST /api/edit/undo': {
    entity: 'hazard_points',
    probe: async ({ admin }: { admin: Session }) => {
      await editedPoint(admin)
      return admin.request('/api/edit/undo', { method: 'POST' })
    },
  },
})
const anyShelter = async (admin: Session) =>
  ((await (await admin.request('/api/layers/shelters')).json()) as { features: { id: number }[] }).features[0]!.id
Object.assign(writes, {
  'PUT /api/evacuation/progress/:warningId/villages/:villageId': {
    entity: 'evacuation_progress',
    probe: async ({ admin }: { admin: Session }) => {
      const { id, villageId } = await moveNow(admin)
      return admin.request(`/api/evacuation/progress/${id}/villages/${villageId}`, {
        method: 'PUT',
        body: { moved: 2, shelterId: null, staying: { refused: 0, unreachable: 0, alreadySafe: 0 }, vulnerableMoved: 0 },
      })
    },
  },
  'PUT /api/evacuation/progress/:warningId/shelters/:shelterId': {
    entity: 'shelter_checkins',
    probe: async ({ admin }: { admin: Session }) => {
      const { id } = await moveNow(admin)
      return admin.request(`/api/evacuation/progress/${id}/shelters/${await anyShelter(admin)}`, { method: 'PUT', body: { checkedIn: 3 } })
    },
  },
  'POST /api/instructions': {
    entity: 'instructions',
    probe: ({ admin }: { admin: Session }) =>
      admin.request('/api/instructions', { method: 'POST', body: { text: marker, adminCodes: ['530502199201'] } }),
  },
  'POST /api/instructions/:id/ack': {
    entity: 'instruction_acks',
    probe: async ({ admin }: { admin: Session }) => {
      const sent = await admin.request('/api/instructions', { method: 'POST', body: { text: marker, adminCodes: ['530502199201'] } })
      const id = ((await sent.json()) as { id: number }).id
      return admin.request(`/api/instructions/${id}/ack`, { method: 'POST', body: { adminCode: '530502199201' } })
    },
  },
})
Object.assign(writes, {
  // A restore of the backup just taken: the same rows again, one event for everything.
  'POST /api/admin/restore': {
    entity: 'data',
    probe: async ({ admin }: { admin: Session }) => {
      const archive = new Uint8Array(await (await admin.request('/api/admin/backup')).arrayBuffer())
      return admin.request('/api/admin/restore', { method: 'POST', raw: archive, headers: { 'content-type': 'application/gzip' } })
    },
  },
})
/** Routes that change no data: signing in and out, and computing (not saving) an evacuation plan. */
const changeNothing = [
  // A big screen's setup code and cookie session: sign-in state, like login.
  'POST /api/display-tokens/:id/setup-code',
  'POST /api/display-session',
  'DELETE /api/display-session',
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'POST /api/evacuation/plan',
  // A backup kept on the server: a file and an audit row, no data changed.
  'POST /api/admin/backups',
  // Exposure reads (POST for the area in the body).
  'POST /api/exposure',
  'POST /api/exposure/list.csv',
  'POST /api/exposure/list.xlsx',
  'POST /api/exposure/list.html',
]

describe.each(testHomes())('the data version and change events on the $name home', (home) => {
  let ctx: HomeContext
  let admin: Session
  const heard = recorder()
  const events = inProcessEvents()
  let villageId: number

  const version = async () => dataVersionSchema.parse(await (await ctx.app.request('/api/data-version')).json()).version

  beforeAll(async () => {
    events.subscribe(heard.listener)
    ctx = openHome(home, { events, today: () => '2026-11-30' })
    admin = await signIn(ctx.app, 'admin')
    villageId = (await ctx.db.selectFrom('natural_villages').select('id').orderBy('id').executeTakeFirstOrThrow()).id
  })
  afterAll(async () => {
    await ctx.db.deleteFrom('drills').where('organiser', '=', marker).execute()
    await ctx.db.deleteFrom('warnings').where('issued_by', '=', marker).execute()
    await ctx.db.deleteFrom('instructions').where('text', '=', marker).execute()
    await ctx.db.deleteFrom('hazard_points').where('name', '=', marker).execute()
    await ctx.db.deleteFrom('hidden_dangers').where('description', '=', marker).execute()
    await ctx.db.deleteFrom('safety_sanctions').where('note', '=', marker).execute()
    await ctx.db.deleteFrom('summary_narratives').where('year', '=', 2098).execute()
    await ctx.db.deleteFrom('evacuation_routes').where('source', '=', 'computed').execute()
    await ctx.db.deleteFrom('vulnerable_people').where('name', '=', marker).execute()
    await ctx.db
      .updateTable('display_tokens')
      .set({ revoked_at: new Date() })
      .where('name', '=', marker)
      .where('revoked_at', 'is', null)
      .execute()
    await ctx.db.updateTable('users').set({ disabled: true }).where('display_name', '=', marker).execute()
    await events.close()
    await ctx.close()
  })

  it('names every state-changing route here, so a new one cannot skip its event', () => {
    const unsafe = Object.keys(routePolicies).filter((route) => !route.startsWith('GET '))
    expect([...Object.keys(writes), ...changeNothing].sort()).toEqual(unsafe.sort())
  })

  for (const [route, { entity, probe }] of Object.entries(writes)) {
    it(`${route} raises the data version once and publishes it as a ${entity} change`, async () => {
      const personId = async () => {
        const response = await admin.request('/api/vulnerable-people', {
          method: 'POST',
          body: { naturalVillageId: villageId, category: 'child', name: marker },
        })
        return ((await response.json()) as { id: number }).id
      }
      const drillId = async () => {
        const response = await admin.request('/api/drills', {
          method: 'POST',
          body: { naturalVillageId: villageId, scenario: 'flood', plannedOn: '2027-06-03', organiser: marker },
        })
        return ((await response.json()) as { id: number }).id
      }
      const fixtures = { admin, villageId, personId, drillId }
      // Set-up writes (a person to delete …) happen inside the probe; only the last write counts here.
      const response = await probe(fixtures)
      expect(response.status, await response.clone().text()).toBeLessThan(300)
      const after = await version()
      await new Promise((resolve) => setImmediate(resolve))
      const last = heard.events.at(-1) as DataChangedEvent
      expect(last).toMatchObject({ type: 'data.changed', entity, version: after })
      expect(heard.events.filter((event) => event.version === after)).toHaveLength(1)
    })
  }

  it('raises the version once for a write of many statements, and publishes its ids in one event', async () => {
    const before = await version()
    const pending = heard.next()
    const response = await admin.request('/api/drills/batch', {
      method: 'POST',
      body: {
        drills: ['2027-06-10', '2027-06-11', '2027-06-12'].map((plannedOn) => ({
          naturalVillageId: villageId,
          scenario: 'flood',
          plannedOn,
          organiser: marker,
        })),
      },
    })
    expect(response.status).toBe(201)
    const created = ((await response.json()) as { drills: { id: number }[] }).drills.map((drill) => drill.id)
    expect(await version()).toBe(before + 1)
    expect(await pending).toMatchObject({ entity: 'drills', action: 'create', ids: created, version: before + 1 })
  })

  it('leaves the version alone and publishes nothing when a write fails or only reads', async () => {
    const before = await version()
    const count = heard.events.length
    const refused = await admin.request('/api/drills/batch', {
      method: 'POST',
      body: {
        drills: [
          { naturalVillageId: villageId, scenario: 'flood', plannedOn: '2027-06-20', organiser: marker },
          { naturalVillageId: 99_999_999, scenario: 'flood', plannedOn: '2027-06-21' },
        ],
      },
    })
    expect(refused.status).toBe(400)
    // Reading personal data writes an audit row, which is not a change of data.
    expect((await admin.request('/api/vulnerable-people')).status).toBe(200)
    expect(await version()).toBe(before)
    await new Promise((resolve) => setImmediate(resolve))
    expect(heard.events).toHaveLength(count)
  })

  it('raises the version for a write made outside the app (psql, an import): the trigger sees every data table', async () => {
    const before = await version()
    await sql`UPDATE natural_villages SET households = households WHERE id = ${villageId}`.execute(ctx.db)
    expect(await version()).toBe(before + 1)
    const { rows } = await sql<{ table_name: string }>`
      SELECT c.relname AS table_name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind = 'r'
        AND c.relname NOT IN ('audit_log', 'sessions', 'data_version', 'event_log', 'display_sessions', 'display_setup_codes', 'spatial_ref_sys', 'kysely_migration', 'kysely_migration_lock')
        AND NOT EXISTS (SELECT 1 FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname = 'data_version_bump')`.execute(ctx.db)
    expect(rows.map((row) => row.table_name)).toEqual([])
  })
})

describe('LISTEN/NOTIFY on the external home', () => {
  const external = testHomes().find((home) => home.name === 'external')

  it.skipIf(!external)('carries an event from one connection to a subscriber on another, and to its own', async () => {
    const pools = [
      new pg.Pool({ connectionString: external!.connectionString, max: 1 }),
      new pg.Pool({ connectionString: external!.connectionString, max: 1 }),
    ]
    const [a, b] = pools.map((pool) => postgresEvents({ pool, connectionString: external!.connectionString }))
    try {
      const [onA, onB] = [recorder(), recorder()]
      a!.subscribe(onA.listener)
      b!.subscribe(onB.listener)
      await Promise.all([a!.listening(), b!.listening()])
      const event: DataChangedEvent = {
        type: 'data.changed',
        version: 41,
        entity: 'drills',
        action: 'update',
        ids: [7],
        at: new Date().toISOString(),
      }
      const [onBEvent, onAEvent] = [onB.next(), onA.next()]
      await a!.publish(event)
      expect(await onBEvent).toEqual(event)
      expect(await onAEvent).toEqual(event)

      // A long id list would overflow NOTIFY's 8000 bytes: it travels as "many" (null).
      const many = onB.next()
      await b!.publish({ ...event, version: 42, ids: Array.from({ length: 2000 }, (_, i) => i + 1) })
      expect(await many).toMatchObject({ version: 42, ids: null })
    } finally {
      await Promise.all([a!.close(), b!.close()])
      await Promise.all(pools.map((pool) => pool.end()))
    }
  })

  it.skipIf(!external)('listens again after its connection is cut, and hears what is published after', async () => {
    const pool = new pg.Pool({ connectionString: external!.connectionString, max: 2 })
    const port = postgresEvents({ pool, connectionString: external!.connectionString, retryMs: 50 })
    try {
      const heard = recorder()
      port.subscribe(heard.listener)
      await port.listening()
      await pool.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'riskatlas-events' AND datname = current_database()`,
      )
      // Publish until the re-established LISTEN hears one (events sent while it was away are lost, by design).
      const heardAgain = heard.next(10_000)
      const publishing = setInterval(() => {
        void port
          .publish({ type: 'data.changed', version: 43, entity: 'drills', action: 'update', ids: [1], at: new Date().toISOString() })
          .catch(() => {})
      }, 100)
      try {
        expect(await heardAgain).toMatchObject({ version: 43 })
      } finally {
        clearInterval(publishing)
      }
    } finally {
      await port.close()
      await pool.end()
    }
  })
})
