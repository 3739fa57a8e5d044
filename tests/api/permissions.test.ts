import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routePolicies } from '../../server/src/auth/policies.ts'
import { demoDisplayToken } from '../../server/src/seed/demo-accounts.ts'
import { openHome, signIn, testHomes, type HomeContext, type Session } from '../support/homes.ts'

/**
 * The permission matrix: every API route × every role × own/other administrative village.
 * `village_editor` is the editor scoped to the first administrative village ("own"); "other"
 * is a village outside that scope. Every route the server answers is here, `/api` or not. A route the app serves that is missing here — or missing
 * from routePolicies — fails the first test: new routes need a declared policy and a row.
 */
type Actor = 'anonymous' | 'display' | 'viewer' | 'editor' | 'village_editor' | 'admin'
const actors: Actor[] = ['anonymous', 'display', 'viewer', 'editor', 'village_editor', 'admin']

interface Fixture {
  ownVillageId: number
  otherVillageId: number
  ownPersonId: number
  otherPersonId: number
  viewerId: number
  ctx: HomeContext
  admin: Session
}

interface Probe {
  method: string
  path: string
  body?: unknown
  /** A non-JSON body (a photo upload). */
  raw?: { bytes: Uint8Array<ArrayBuffer>; type: string }
}

interface Row {
  route: string
  /** Builds the request; may create what the request needs (a record to delete …). */
  probe: (f: Fixture, side: 'own' | 'other') => Promise<Probe> | Probe
  sides?: ('own' | 'other')[]
  expect: Record<Actor, number> | Record<'own' | 'other', Record<Actor, number>>
}

const open = { anonymous: 200, display: 200, viewer: 200, editor: 200, village_editor: 200, admin: 200 }
const signedIn = { anonymous: 401, display: 200, viewer: 200, editor: 200, village_editor: 200, admin: 200 }
const adminOnly = (ok: number) => ({ anonymous: 401, display: 403, viewer: 403, editor: 403, village_editor: 403, admin: ok })
const editorsEverywhere = (ok: number) => ({ anonymous: 401, display: 403, viewer: 403, editor: ok, village_editor: ok, admin: ok })
const byVillage = (ok: number) => ({
  own: { anonymous: 401, display: 403, viewer: 403, editor: ok, village_editor: ok, admin: ok },
  other: { anonymous: 401, display: 403, viewer: 403, editor: ok, village_editor: 403, admin: ok },
})

let serial = 0
const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${serial++}`
const village = (f: Fixture, side: 'own' | 'other') => (side === 'own' ? f.ownVillageId : f.otherVillageId)
const person = (f: Fixture, side: 'own' | 'other') => (side === 'own' ? f.ownPersonId : f.otherPersonId)

async function newDrill(f: Fixture, side: 'own' | 'other'): Promise<number> {
  const response = await f.admin.request('/api/drills', {
    method: 'POST',
    body: { naturalVillageId: village(f, side), scenario: 'flood', plannedOn: '2027-05-20', organiser: '矩阵测试' },
  })
  return ((await response.json()) as { id: number }).id
}

async function newPerson(f: Fixture, side: 'own' | 'other'): Promise<number> {
  const response = await f.admin.request('/api/vulnerable-people', {
    method: 'POST',
    body: { naturalVillageId: village(f, side), category: 'elderly', name: '矩阵测试' },
  })
  return ((await response.json()) as { id: number }).id
}

/** Warnings are the command's: admins and town-wide editors, not village editors. */
const commandOnly = (ok: number) => ({ anonymous: 401, display: 403, viewer: 403, editor: ok, village_editor: 403, admin: ok })
const matrixWarning = () => ({
  kind: 'rainstorm',
  level: 'blue',
  stage: 'prepare',
  issuedBy: '矩阵测试',
  validFrom: new Date().toISOString(),
  validTo: new Date(Date.now() + 3_600_000).toISOString(),
  area: { kind: 'villages', adminCodes: ['530502199201'] },
})
async function newWarning(f: Fixture): Promise<number> {
  const response = await f.admin.request('/api/warnings', { method: 'POST', body: matrixWarning() })
  return ((await response.json()) as { id: number }).id
}
/** An upload (and optionally its commit) by the admin: a one-point GeoJSON for hazard points. */
async function newImport(f: Fixture, commit = false): Promise<number> {
  const code = unique('HZ-MATRIX-')
  const file = {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { code, name: '矩阵测试', kind: 'landslide' },
        geometry: { type: 'Point', coordinates: [99.1, 25.1] },
      },
    ],
  }
  const response = await f.admin.request('/api/imports?layer=hazard_points&fileName=matrix.geojson', { method: 'POST', body: file })
  const id = ((await response.json()) as { import: { id: number } }).import.id
  if (commit)
    await f.admin.request(`/api/imports/${id}/commit`, { method: 'POST', body: { mode: 'append', idempotencyKey: unique('matrix-key-') } })
  return id
}
/** Imports are seen by their author, town-wide editors and admins: a scoped editor finds the admin's import absent. */
const importersOwn = (ok: number) => ({ anonymous: 401, display: 403, viewer: 403, editor: ok, village_editor: 404, admin: ok })

/** The command's move-now warning over the own and the other village (one per home, made once). */
const moveNowWarnings = new WeakMap<Fixture, Promise<number>>()
async function adminCodeOf(f: Fixture, side: 'own' | 'other'): Promise<string> {
  const row = await f.ctx.db
    .selectFrom('natural_villages')
    .select('admin_code')
    .where('id', '=', village(f, side))
    .executeTakeFirstOrThrow()
  return row.admin_code
}
function moveNowWarning(f: Fixture): Promise<number> {
  let made = moveNowWarnings.get(f)
  if (!made) {
    made = (async () => {
      const body = {
        ...matrixWarning(),
        stage: 'move_now',
        area: { kind: 'villages', adminCodes: [await adminCodeOf(f, 'own'), await adminCodeOf(f, 'other')] },
      }
      const response = await f.admin.request('/api/warnings', { method: 'POST', body })
      return ((await response.json()) as { id: number }).id
    })()
    moveNowWarnings.set(f, made)
  }
  return made
}
async function newInstruction(f: Fixture, side: 'own' | 'other'): Promise<number> {
  const response = await f.admin.request('/api/instructions', {
    method: 'POST',
    body: { text: '矩阵测试', adminCodes: [await adminCodeOf(f, side)] },
  })
  return ((await response.json()) as { id: number }).id
}
async function shelterOutsideScope(f: Fixture): Promise<number> {
  const own = await adminCodeOf(f, 'own')
  const row = await f.ctx.db
    .selectFrom('facilities')
    .select('id')
    .where('kind', '=', 'shelter')
    .where((eb) => eb.or([eb('admin_code', 'is', null), eb('admin_code', '<>', own)]))
    .orderBy('id')
    .executeTakeFirstOrThrow()
  return row.id
}
const displayOnly = { anonymous: 401, display: 204, viewer: 403, editor: 403, village_editor: 403, admin: 403 }

const exposureBox = {
  type: 'Polygon',
  coordinates: [
    [
      [99.08, 25.04],
      [99.12, 25.04],
      [99.12, 25.08],
      [99.08, 25.08],
      [99.08, 25.04],
    ],
  ],
}

/** A natural village outside the village editor's administrative village. */
async function otherVillage(f: Fixture): Promise<number> {
  const own = await f.ctx.db.selectFrom('natural_villages').select('admin_code').where('id', '=', f.ownVillageId).executeTakeFirstOrThrow()
  const other = await f.ctx.db
    .selectFrom('natural_villages')
    .select('id')
    .where('admin_code', '<>', own.admin_code)
    .orderBy('id')
    .executeTakeFirstOrThrow()
  return other.id
}

/** A safety-ledger place in the village editor's administrative village (own) or outside it (other). */
async function ledgerPlace(f: Fixture, side: 'own' | 'other'): Promise<number> {
  const { admin_code } = await f.ctx.db
    .selectFrom('natural_villages')
    .select('admin_code')
    .where('id', '=', f.ownVillageId)
    .executeTakeFirstOrThrow()
  const place = await f.ctx.db
    .selectFrom('safety_places')
    .select('id')
    .where('admin_code', side === 'own' ? '=' : '<>', admin_code)
    .orderBy('id')
    .executeTakeFirstOrThrow()
  return place.id
}

async function newDanger(f: Fixture, side: 'own' | 'other'): Promise<number> {
  const response = await f.admin.request('/api/ledger/dangers', {
    method: 'POST',
    body: {
      placeId: await ledgerPlace(f, side),
      foundOn: '2026-11-01',
      source: 'inspection',
      description: '矩阵测试',
      level: 'general',
      deadline: '2026-12-01',
    },
  })
  return ((await response.json()) as { id: number }).id
}

/** A place with nothing citing it, in the own or the other side's administrative village. */
async function newPlace(f: Fixture, side: 'own' | 'other'): Promise<number> {
  const response = await f.admin.request('/api/ledger/places', {
    method: 'POST',
    body: { name: unique('矩阵测试场所'), kind: 'market', longitude: 99.1, latitude: 25.1, naturalVillageId: village(f, side) },
  })
  expect(response.status).toBe(201)
  return ((await response.json()) as { id: number }).id
}

async function newSanction(f: Fixture, side: 'own' | 'other'): Promise<number> {
  const response = await f.admin.request('/api/ledger/records', {
    method: 'POST',
    body: {
      kind: 'sanctions',
      record: { placeId: await ledgerPlace(f, side), imposedOn: '2026-11-04', kind: 'exposure', note: '矩阵测试' },
    },
  })
  return ((await response.json()) as { id: number }).id
}

/** The smallest PNG there is (1×1): a real image for the photo routes. */
const tinyPng = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
)

async function newPhoto(f: Fixture): Promise<number> {
  const danger = await newDanger(f, 'other')
  const response = await f.ctx.app.request(`/api/ledger/dangers/${danger}/photos?phase=before`, {
    method: 'POST',
    headers: { cookie: f.admin.cookie, 'x-csrf-token': f.admin.csrfToken, 'content-type': 'image/png' },
    body: tinyPng,
  })
  return ((await response.json()) as { id: number }).id
}

const staffOnly = { anonymous: 401, display: 403, viewer: 200, editor: 200, village_editor: 200, admin: 200 }

/** A point where a village's natural village stands (inside its administrative village). */
async function villagePoint(f: Fixture, side: 'own' | 'other'): Promise<[number, number]> {
  const { rows } = await sql<{ lon: number; lat: number }>`
    SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM natural_villages WHERE id = ${village(f, side)}`.execute(f.ctx.db)
  return [Number(rows[0]!.lon), Number(rows[0]!.lat)]
}
const matrixHazard = async (f: Fixture, side: 'own' | 'other') => ({
  geometry: { type: 'Point', coordinates: await villagePoint(f, side) },
  properties: {
    code: unique('HZ-MATRIX-E'),
    name: '矩阵测试',
    kind: 'landslide',
    scale: 'small',
    risk_level: 2,
    threatened_households: 0,
    threatened_people: 0,
    threatened_property_10k_yuan: 0,
    monitor_name: null,
    responsible_name: null,
    status: 'active',
  },
})
/** A hazard point added on the map by the admin, in the own or the other village. */
async function newEditedPoint(f: Fixture, side: 'own' | 'other'): Promise<number> {
  const response = await f.admin.request('/api/edit/hazard_points', { method: 'POST', body: await matrixHazard(f, side) })
  return ((await response.json()) as { id: number }).id
}

const rows: Row[] = [
  { route: 'GET /api/ledger/places', probe: () => ({ method: 'GET', path: '/api/ledger/places' }), expect: staffOnly },
  {
    route: 'GET /api/ledger/places/:id',
    probe: async (f) => ({ method: 'GET', path: `/api/ledger/places/${await ledgerPlace(f, 'other')}` }),
    expect: staffOnly,
  },
  { route: 'GET /api/ledger/dangers', probe: () => ({ method: 'GET', path: '/api/ledger/dangers?limit=5' }), expect: staffOnly },
  {
    route: 'GET /api/ledger/dangers/:id',
    probe: async (f) => ({ method: 'GET', path: `/api/ledger/dangers/${await newDanger(f, 'other')}` }),
    expect: staffOnly,
  },
  {
    route: 'POST /api/ledger/places',
    sides: ['own', 'other'],
    probe: async (f, side) => ({
      method: 'POST',
      path: '/api/ledger/places',
      body: {
        name: unique('矩阵测试场所'),
        kind: 'enterprise',
        longitude: 99.1,
        latitude: 25.1,
        naturalVillageId: side === 'own' ? f.ownVillageId : await otherVillage(f),
      },
    }),
    expect: byVillage(201),
  },
  {
    route: 'PATCH /api/ledger/places/:id',
    sides: ['own', 'other'],
    probe: async (f, side) => ({
      method: 'PATCH',
      path: `/api/ledger/places/${await ledgerPlace(f, side)}`,
      body: { industry: '矩阵测试' },
    }),
    expect: byVillage(200),
  },
  {
    route: 'DELETE /api/ledger/places/:id',
    sides: ['own', 'other'],
    probe: async (f, side) => ({ method: 'DELETE', path: `/api/ledger/places/${await newPlace(f, side)}` }),
    expect: byVillage(204),
  },
  {
    route: 'POST /api/ledger/dangers',
    sides: ['own', 'other'],
    probe: async (f, side) => ({
      method: 'POST',
      path: '/api/ledger/dangers',
      body: { placeId: await ledgerPlace(f, side), foundOn: '2026-11-02', source: 'report', description: '矩阵测试', level: 'general' },
    }),
    expect: byVillage(201),
  },
  {
    route: 'PATCH /api/ledger/dangers/:id',
    sides: ['own', 'other'],
    probe: async (f, side) => ({
      method: 'PATCH',
      path: `/api/ledger/dangers/${await newDanger(f, side)}`,
      body: { deadline: '2026-12-15' },
    }),
    expect: byVillage(200),
  },
  {
    route: 'DELETE /api/ledger/dangers/:id',
    sides: ['own', 'other'],
    probe: async (f, side) => ({ method: 'DELETE', path: `/api/ledger/dangers/${await newDanger(f, side)}` }),
    expect: byVillage(204),
  },
  {
    route: 'POST /api/ledger/dangers/:id/transition',
    sides: ['own', 'other'],
    probe: async (f, side) => ({
      method: 'POST',
      path: `/api/ledger/dangers/${await newDanger(f, side)}/transition`,
      body: { to: 'rectifying', on: '2026-11-03' },
    }),
    expect: byVillage(200),
  },
  {
    route: 'POST /api/ledger/dangers/:id/photos',
    sides: ['own', 'other'],
    probe: async (f, side) => ({
      method: 'POST',
      path: `/api/ledger/dangers/${await newDanger(f, side)}/photos?phase=before`,
      raw: { bytes: tinyPng, type: 'image/png' },
    }),
    expect: byVillage(201),
  },
  {
    route: 'GET /api/ledger/photos/:id',
    probe: async (f) => ({ method: 'GET', path: `/api/ledger/photos/${await newPhoto(f)}` }),
    expect: staffOnly,
  },
  { route: 'GET /api/ledger/overdue', probe: () => ({ method: 'GET', path: '/api/ledger/overdue' }), expect: staffOnly },
  {
    route: 'GET /api/ledger/rates',
    probe: () => ({ method: 'GET', path: '/api/ledger/rates?from=2023-01-01&to=2023-12-31' }),
    expect: staffOnly,
  },
  { route: 'GET /api/ledger/map', probe: () => ({ method: 'GET', path: '/api/ledger/map' }), expect: staffOnly },
  {
    route: 'GET /api/ledger/records/:kind',
    probe: () => ({ method: 'GET', path: '/api/ledger/records/inspections?year=2023' }),
    expect: staffOnly,
  },
  {
    route: 'POST /api/ledger/records',
    sides: ['own', 'other'],
    probe: async (f, side) => ({
      method: 'POST',
      path: '/api/ledger/records',
      body: {
        kind: 'sanctions',
        record: { placeId: await ledgerPlace(f, side), imposedOn: '2026-11-04', kind: 'exposure', note: '矩阵测试' },
      },
    }),
    expect: byVillage(201),
  },
  {
    route: 'PATCH /api/ledger/records/:kind/:id',
    sides: ['own', 'other'],
    probe: async (f, side) => ({
      method: 'PATCH',
      path: `/api/ledger/records/sanctions/${await newSanction(f, side)}`,
      body: { note: '矩阵测试（改）' },
    }),
    expect: byVillage(200),
  },
  {
    route: 'DELETE /api/ledger/records/:kind/:id',
    sides: ['own', 'other'],
    probe: async (f, side) => ({ method: 'DELETE', path: `/api/ledger/records/sanctions/${await newSanction(f, side)}` }),
    expect: byVillage(204),
  },
  { route: 'GET /api/summary', probe: () => ({ method: 'GET', path: '/api/summary?year=2023' }), expect: staffOnly },
  {
    route: 'GET /api/summary/figures/:figure',
    probe: () => ({ method: 'GET', path: '/api/summary/figures/major?year=2023' }),
    expect: staffOnly,
  },
  {
    route: 'GET /api/summary/export.docx',
    probe: () => ({ method: 'GET', path: '/api/summary/export.docx?year=2023' }),
    expect: staffOnly,
  },
  {
    route: 'GET /api/ledger/lists/:list',
    probe: () => ({ method: 'GET', path: '/api/ledger/lists/major_dangers?year=2023' }),
    expect: staffOnly,
  },
  {
    route: 'GET /api/ledger/lists/:list/export.xlsx',
    probe: () => ({ method: 'GET', path: '/api/ledger/lists/basic_info/export.xlsx?year=2023' }),
    expect: staffOnly,
  },
  {
    route: 'PUT /api/summary/narratives',
    probe: () => ({ method: 'PUT', path: '/api/summary/narratives', body: { year: 2099, narratives: { basic: '矩阵测试' } } }),
    expect: editorsEverywhere(200),
  },
  { route: 'GET /api/health', probe: () => ({ method: 'GET', path: '/api/health' }), expect: open },
  { route: 'GET /api/config', probe: () => ({ method: 'GET', path: '/api/config' }), expect: open },
  { route: 'GET /api/openapi.json', probe: () => ({ method: 'GET', path: '/api/openapi.json' }), expect: open },
  { route: 'GET /api/docs', probe: () => ({ method: 'GET', path: '/api/docs' }), expect: open },
  { route: 'GET /api/layers', probe: () => ({ method: 'GET', path: '/api/layers' }), expect: open },
  { route: 'GET /api/layers/:id', probe: () => ({ method: 'GET', path: '/api/layers/hazard_points' }), expect: open },
  {
    route: 'GET /api/layers/:id/features/:featureId',
    probe: (f) => ({ method: 'GET', path: `/api/layers/natural_villages/features/${f.ownVillageId}` }),
    expect: open,
  },
  {
    route: 'GET /api/exports/layers/:file',
    probe: () => ({ method: 'GET', path: '/api/exports/layers/hazard_points.shp.zip' }),
    expect: open,
  },
  { route: 'GET /api/data-version', probe: () => ({ method: 'GET', path: '/api/data-version' }), expect: open },
  { route: 'GET /api/events', probe: () => ({ method: 'GET', path: '/api/events' }), expect: signedIn },
  {
    route: 'POST /api/display-tokens/:id/setup-code',
    probe: async (f) => {
      const issued = (await (await f.admin.request('/api/display-tokens', { method: 'POST', body: { name: '矩阵大屏' } })).json()) as {
        id: number
      }
      return { method: 'POST', path: `/api/display-tokens/${issued.id}/setup-code` }
    },
    expect: adminOnly(201),
  },
  {
    route: 'POST /api/display-session',
    probe: () => ({ method: 'POST', path: '/api/display-session', body: { code: 'WRONG-CODE' } }),
    expect: { anonymous: 401, display: 401, viewer: 401, editor: 401, village_editor: 401, admin: 401 },
  },
  { route: 'DELETE /api/display-session', probe: () => ({ method: 'DELETE', path: '/api/display-session' }), expect: displayOnly },
  {
    route: 'GET /api/evacuation/progress',
    probe: async (f) => ({ method: 'GET', path: `/api/evacuation/progress?warningId=${await moveNowWarning(f)}` }),
    expect: signedIn,
  },
  {
    route: 'PUT /api/evacuation/progress/:warningId/villages/:villageId',
    sides: ['own', 'other'],
    probe: async (f, side) => ({
      method: 'PUT',
      path: `/api/evacuation/progress/${await moveNowWarning(f)}/villages/${village(f, side)}`,
      body: { moved: 3, shelterId: null, staying: { refused: 0, unreachable: 1, alreadySafe: 0 }, vulnerableMoved: 0 },
    }),
    expect: byVillage(200),
  },
  {
    route: 'PUT /api/evacuation/progress/:warningId/shelters/:shelterId',
    sides: ['other'],
    probe: async (f) => ({
      method: 'PUT',
      path: `/api/evacuation/progress/${await moveNowWarning(f)}/shelters/${await shelterOutsideScope(f)}`,
      body: { checkedIn: 4 },
    }),
    expect: byVillage(200),
  },
  { route: 'GET /api/instructions', probe: () => ({ method: 'GET', path: '/api/instructions' }), expect: signedIn },
  {
    route: 'POST /api/instructions',
    probe: async (f) => ({
      method: 'POST',
      path: '/api/instructions',
      body: { text: '矩阵测试', adminCodes: [await adminCodeOf(f, 'own')] },
    }),
    expect: commandOnly(201),
  },
  {
    route: 'POST /api/instructions/:id/ack',
    sides: ['own', 'other'],
    probe: async (f, side) => ({
      method: 'POST',
      path: `/api/instructions/${await newInstruction(f, side)}/ack`,
      body: { adminCode: await adminCodeOf(f, side) },
    }),
    expect: byVillage(200),
  },
  { route: 'GET /api/command/overview', probe: () => ({ method: 'GET', path: '/api/command/overview' }), expect: signedIn },
  { route: 'GET /tiles', probe: () => ({ method: 'GET', path: '/tiles' }), expect: open },
  { route: 'GET /tiles/:tileset/tilejson.json', probe: () => ({ method: 'GET', path: '/tiles/roads/tilejson.json' }), expect: open },
  { route: 'GET /tiles/:tileset/:z/:x/:y', probe: () => ({ method: 'GET', path: '/tiles/roads/12/3173/1749.mvt' }), expect: open },
  { route: 'GET /ogc', probe: () => ({ method: 'GET', path: '/ogc' }), expect: open },
  { route: 'GET /ogc/conformance', probe: () => ({ method: 'GET', path: '/ogc/conformance' }), expect: open },
  { route: 'GET /ogc/api', probe: () => ({ method: 'GET', path: '/ogc/api' }), expect: open },
  { route: 'GET /ogc/collections', probe: () => ({ method: 'GET', path: '/ogc/collections' }), expect: open },
  { route: 'GET /ogc/collections/:collectionId', probe: () => ({ method: 'GET', path: '/ogc/collections/roads' }), expect: open },
  {
    route: 'GET /ogc/collections/:collectionId/queryables',
    probe: () => ({ method: 'GET', path: '/ogc/collections/roads/queryables' }),
    expect: open,
  },
  {
    route: 'GET /ogc/collections/:collectionId/items',
    probe: () => ({ method: 'GET', path: '/ogc/collections/roads/items?limit=5' }),
    expect: open,
  },
  {
    route: 'GET /ogc/collections/:collectionId/items/:featureId',
    probe: async (f) => {
      const { features } = (await (await f.ctx.app.request('/ogc/collections/roads/items?limit=1')).json()) as {
        features: { id: number }[]
      }
      return { method: 'GET', path: `/ogc/collections/roads/items/${features[0]!.id}` }
    },
    expect: open,
  },
  {
    route: 'POST /api/auth/login',
    probe: () => ({ method: 'POST', path: '/api/auth/login', body: { username: 'nobody', password: 'wrong-password' } }),
    expect: { anonymous: 401, display: 401, viewer: 401, editor: 401, village_editor: 401, admin: 401 },
  },
  { route: 'GET /api/auth/me', probe: () => ({ method: 'GET', path: '/api/auth/me' }), expect: open },
  { route: 'GET /api/users', probe: () => ({ method: 'GET', path: '/api/users' }), expect: adminOnly(200) },
  {
    route: 'POST /api/users',
    probe: () => ({
      method: 'POST',
      path: '/api/users',
      body: { username: unique('m'), displayName: '矩阵', role: 'viewer', password: 'matrix-password-1' },
    }),
    expect: adminOnly(201),
  },
  {
    route: 'PATCH /api/users/:id',
    probe: (f) => ({ method: 'PATCH', path: `/api/users/${f.viewerId}`, body: { displayName: '演示查看者' } }),
    expect: adminOnly(200),
  },
  { route: 'GET /api/display-tokens', probe: () => ({ method: 'GET', path: '/api/display-tokens' }), expect: adminOnly(200) },
  {
    route: 'POST /api/display-tokens',
    probe: () => ({ method: 'POST', path: '/api/display-tokens', body: { name: '矩阵大屏' } }),
    expect: adminOnly(201),
  },
  {
    route: 'DELETE /api/display-tokens/:id',
    probe: async (f) => {
      const issued = (await (await f.admin.request('/api/display-tokens', { method: 'POST', body: { name: '待撤销' } })).json()) as {
        id: number
      }
      return { method: 'DELETE', path: `/api/display-tokens/${issued.id}` }
    },
    expect: adminOnly(204),
  },
  { route: 'GET /api/audit-log', probe: () => ({ method: 'GET', path: '/api/audit-log?limit=1' }), expect: adminOnly(200) },
  { route: 'GET /api/admin/backup', probe: () => ({ method: 'GET', path: '/api/admin/backup' }), expect: adminOnly(200) },
  { route: 'GET /api/admin/backups', probe: () => ({ method: 'GET', path: '/api/admin/backups' }), expect: adminOnly(200) },
  // Only the admin's request reaches the handler, so each run keeps one archive (in this file's temporary directory).
  { route: 'POST /api/admin/backups', probe: () => ({ method: 'POST', path: '/api/admin/backups' }), expect: adminOnly(201) },
  {
    // A well-formed name no archive has: the admin is told 404, the others never learn whether it exists.
    route: 'GET /api/admin/backups/:name',
    probe: () => ({ method: 'GET', path: '/api/admin/backups/riskatlas-2000-01-01T00-00-00Z.backup.gz' }),
    expect: adminOnly(404),
  },
  {
    // Not a backup: the admin's request is refused (422) and nothing is changed; the others never reach it.
    route: 'POST /api/admin/restore',
    probe: () => ({ method: 'POST', path: '/api/admin/restore', raw: { bytes: new Uint8Array([1, 2, 3]), type: 'application/gzip' } }),
    expect: adminOnly(422),
  },
  { route: 'GET /api/vulnerable-people/counts', probe: () => ({ method: 'GET', path: '/api/vulnerable-people/counts' }), expect: signedIn },
  { route: 'GET /api/vulnerable-people', probe: () => ({ method: 'GET', path: '/api/vulnerable-people' }), expect: editorsEverywhere(200) },
  {
    route: 'GET /api/vulnerable-people/export.csv',
    probe: () => ({ method: 'GET', path: '/api/vulnerable-people/export.csv' }),
    expect: editorsEverywhere(200),
  },
  {
    route: 'GET /api/vulnerable-people/:id',
    sides: ['own', 'other'],
    probe: (f, side) => ({ method: 'GET', path: `/api/vulnerable-people/${person(f, side)}` }),
    expect: byVillage(200),
  },
  {
    route: 'POST /api/vulnerable-people',
    sides: ['own', 'other'],
    probe: (f, side) => ({
      method: 'POST',
      path: '/api/vulnerable-people',
      body: { naturalVillageId: village(f, side), category: 'child', name: '矩阵测试' },
    }),
    expect: byVillage(201),
  },
  {
    route: 'PATCH /api/vulnerable-people/:id',
    sides: ['own', 'other'],
    probe: (f, side) => ({ method: 'PATCH', path: `/api/vulnerable-people/${person(f, side)}`, body: { mobilityNeeds: '需搀扶' } }),
    expect: byVillage(200),
  },
  {
    route: 'DELETE /api/vulnerable-people/:id',
    sides: ['own', 'other'],
    probe: async (f, side) => ({ method: 'DELETE', path: `/api/vulnerable-people/${await newPerson(f, side)}` }),
    expect: byVillage(204),
  },
  { route: 'GET /api/drills', probe: () => ({ method: 'GET', path: '/api/drills?year=2026' }), expect: signedIn },
  {
    route: 'GET /api/drills/:id',
    probe: async (f) => ({ method: 'GET', path: `/api/drills/${await newDrill(f, 'other')}` }),
    expect: signedIn,
  },
  {
    route: 'POST /api/drills',
    sides: ['own', 'other'],
    probe: (f, side) => ({
      method: 'POST',
      path: '/api/drills',
      body: { naturalVillageId: village(f, side), scenario: 'fire', plannedOn: '2027-05-21', organiser: '矩阵测试' },
    }),
    expect: byVillage(201),
  },
  {
    route: 'POST /api/drills/batch',
    sides: ['own', 'other'],
    probe: (f, side) => ({
      method: 'POST',
      path: '/api/drills/batch',
      body: { drills: [{ naturalVillageId: village(f, side), scenario: 'fire', plannedOn: '2027-05-22', organiser: '矩阵测试' }] },
    }),
    expect: byVillage(201),
  },
  {
    route: 'PATCH /api/drills/:id',
    sides: ['own', 'other'],
    probe: async (f, side) => ({ method: 'PATCH', path: `/api/drills/${await newDrill(f, side)}`, body: { scenario: 'landslide' } }),
    expect: byVillage(200),
  },
  {
    route: 'DELETE /api/drills/:id',
    sides: ['own', 'other'],
    probe: async (f, side) => ({ method: 'DELETE', path: `/api/drills/${await newDrill(f, side)}` }),
    expect: byVillage(204),
  },
  {
    route: 'POST /api/imports',
    probe: () => ({
      method: 'POST',
      path: '/api/imports?layer=hazard_points&fileName=matrix.geojson',
      body: { type: 'FeatureCollection', features: [] },
    }),
    expect: editorsEverywhere(201),
  },
  { route: 'GET /api/imports', probe: () => ({ method: 'GET', path: '/api/imports' }), expect: editorsEverywhere(200) },
  {
    route: 'GET /api/imports/:id',
    probe: async (f) => ({ method: 'GET', path: `/api/imports/${await newImport(f)}` }),
    expect: importersOwn(200),
  },
  {
    route: 'POST /api/imports/:id/preview',
    probe: async (f) => ({ method: 'POST', path: `/api/imports/${await newImport(f)}/preview`, body: {} }),
    expect: importersOwn(200),
  },
  {
    route: 'GET /api/imports/:id/report.csv',
    probe: async (f) => ({ method: 'GET', path: `/api/imports/${await newImport(f)}/report.csv` }),
    expect: importersOwn(200),
  },
  {
    route: 'POST /api/imports/:id/commit',
    probe: async (f) => ({
      method: 'POST',
      path: `/api/imports/${await newImport(f)}/commit`,
      body: { mode: 'append', idempotencyKey: unique('matrix-key-') },
    }),
    expect: importersOwn(200),
  },
  {
    route: 'POST /api/imports/:id/undo',
    probe: async (f) => ({ method: 'POST', path: `/api/imports/${await newImport(f, true)}/undo` }),
    expect: importersOwn(200),
  },
  {
    route: 'GET /api/imports/templates/:file',
    probe: () => ({ method: 'GET', path: '/api/imports/templates/hazard_points.xlsx' }),
    expect: editorsEverywhere(200),
  },
  { route: 'GET /api/coverage', probe: () => ({ method: 'GET', path: '/api/coverage?year=2026' }), expect: signedIn },
  { route: 'GET /api/gaps', probe: () => ({ method: 'GET', path: '/api/gaps?year=2026' }), expect: signedIn },
  {
    route: 'GET /api/villages/:id/evacuation-card',
    probe: (f) => ({ method: 'GET', path: `/api/villages/${f.otherVillageId}/evacuation-card` }),
    expect: signedIn,
  },
  {
    route: 'GET /api/admin-villages/:code/evacuation-cards',
    probe: async (f) => {
      const { admin_code } = await f.ctx.db
        .selectFrom('natural_villages')
        .select('admin_code')
        .where('id', '=', f.otherVillageId)
        .executeTakeFirstOrThrow()
      return { method: 'GET', path: `/api/admin-villages/${admin_code}/evacuation-cards` }
    },
    expect: signedIn,
  },
  { route: 'GET /api/warnings', probe: () => ({ method: 'GET', path: '/api/warnings' }), expect: signedIn },
  {
    route: 'POST /api/warnings',
    probe: () => ({ method: 'POST', path: '/api/warnings', body: matrixWarning() }),
    expect: commandOnly(201),
  },
  {
    route: 'GET /api/warnings/:id',
    probe: async (f) => ({ method: 'GET', path: `/api/warnings/${await newWarning(f)}` }),
    expect: signedIn,
  },
  {
    route: 'PATCH /api/warnings/:id',
    probe: async (f) => ({ method: 'PATCH', path: `/api/warnings/${await newWarning(f)}`, body: { level: 'red' } }),
    expect: commandOnly(200),
  },
  {
    route: 'GET /api/warnings/:id/impact',
    probe: async (f) => ({ method: 'GET', path: `/api/warnings/${await newWarning(f)}/impact` }),
    expect: signedIn,
  },
  { route: 'GET /api/evacuation/audit', probe: () => ({ method: 'GET', path: '/api/evacuation/audit' }), expect: signedIn },
  {
    route: 'POST /api/evacuation/plan',
    probe: (f) => ({ method: 'POST', path: '/api/evacuation/plan', body: { scope: { kind: 'villages', villageIds: [f.otherVillageId] } } }),
    expect: { anonymous: 401, display: 403, viewer: 200, editor: 200, village_editor: 200, admin: 200 },
  },
  {
    route: 'POST /api/evacuation/plan/save',
    sides: ['own', 'other'],
    probe: (f, side) => ({
      method: 'POST',
      path: '/api/evacuation/plan/save',
      body: { scope: { kind: 'villages', villageIds: [village(f, side)] } },
    }),
    expect: byVillage(201),
  },
  ...(['', '/list.csv', '/list.xlsx', '/list.html'] as const).map((suffix): Row => ({
    route: `POST /api/exposure${suffix}`,
    probe: () => ({ method: 'POST', path: `/api/exposure${suffix}`, body: { area: { kind: 'polygon', geometry: exposureBox } } }),
    expect: suffix === '' ? signedIn : { anonymous: 401, display: 403, viewer: 200, editor: 200, village_editor: 200, admin: 200 },
  })),
  {
    route: 'PATCH /api/shelters/:id',
    sides: ['own', 'other'],
    probe: async (f, side) => {
      const scope = (
        await f.ctx.db.selectFrom('users').select('village_scope').where('username', '=', 'village_editor').executeTakeFirstOrThrow()
      ).village_scope![0]!
      const shelter = await f.ctx.db
        .selectFrom('facilities')
        .select('id')
        .where('kind', '=', 'shelter')
        .where('admin_code', side === 'own' ? '=' : '<>', scope)
        .orderBy('id')
        .executeTakeFirstOrThrow()
      return { method: 'PATCH', path: `/api/shelters/${shelter.id}`, body: { open: true } }
    },
    expect: byVillage(200),
  },
  {
    route: 'POST /api/edit/:layer',
    sides: ['own', 'other'],
    probe: async (f, side) => ({ method: 'POST', path: '/api/edit/hazard_points', body: await matrixHazard(f, side) }),
    expect: byVillage(201),
  },
  {
    route: 'GET /api/edit/:layer/:id',
    probe: async (f) => ({ method: 'GET', path: `/api/edit/hazard_points/${await newEditedPoint(f, 'other')}` }),
    expect: editorsEverywhere(200),
  },
  {
    route: 'PATCH /api/edit/:layer/:id',
    sides: ['own', 'other'],
    probe: async (f, side) => ({
      method: 'PATCH',
      path: `/api/edit/hazard_points/${await newEditedPoint(f, side)}`,
      body: { properties: { name: '矩阵测试（改）' } },
    }),
    expect: byVillage(200),
  },
  {
    route: 'DELETE /api/edit/:layer/:id',
    sides: ['own', 'other'],
    probe: async (f, side) => ({ method: 'DELETE', path: `/api/edit/hazard_points/${await newEditedPoint(f, side)}` }),
    expect: byVillage(204),
  },
  // After the rows above every editor has a map edit of their own (a delete) to undo.
  {
    route: 'POST /api/edit/undo',
    probe: () => ({ method: 'POST', path: '/api/edit/undo' }),
    expect: editorsEverywhere(200),
  },
  {
    route: 'GET /basemap/local.pmtiles',
    probe: () => ({ method: 'GET', path: '/basemap/local.pmtiles' }),
    expect: { anonymous: 404, display: 404, viewer: 404, editor: 404, village_editor: 404, admin: 404 },
  },
  { route: 'GET /*', probe: () => ({ method: 'GET', path: '/coverage' }), expect: open },
  // Last: it ends the session it runs in (each actor signs in afresh for it).
  {
    route: 'POST /api/auth/logout',
    probe: () => ({ method: 'POST', path: '/api/auth/logout' }),
    expect: { anonymous: 401, display: 403, viewer: 204, editor: 204, village_editor: 204, admin: 204 },
  },
]

describe.each(testHomes())('permission matrix on the $name home', (home) => {
  let fixture: Fixture
  const sessions = new Map<Actor, Session>()
  const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'riskatlas-permissions-backups-'))

  beforeAll(async () => {
    const ctx = openHome(home, { backupDir })
    const admin = await signIn(ctx.app, 'admin')
    const scope = (
      await ctx.db.selectFrom('users').select('village_scope').where('username', '=', 'village_editor').executeTakeFirstOrThrow()
    ).village_scope![0]!
    const own = await ctx.db
      .selectFrom('natural_villages')
      .select('id')
      .where('admin_code', '=', scope)
      .orderBy('id')
      .executeTakeFirstOrThrow()
    const other = await ctx.db
      .selectFrom('natural_villages')
      .select('id')
      .where('admin_code', '<>', scope)
      .orderBy('id')
      .executeTakeFirstOrThrow()
    const viewer = await ctx.db.selectFrom('users').select('id').where('username', '=', 'viewer').executeTakeFirstOrThrow()
    fixture = { ctx, admin, ownVillageId: own.id, otherVillageId: other.id, ownPersonId: 0, otherPersonId: 0, viewerId: viewer.id }
    fixture.ownPersonId = await newPerson(fixture, 'own')
    fixture.otherPersonId = await newPerson(fixture, 'other')
    for (const actor of actors) if (actor !== 'anonymous' && actor !== 'display') sessions.set(actor, await signIn(ctx.app, actor))
  })

  afterAll(async () => {
    await fixture.ctx.db.deleteFrom('vulnerable_people').where('name', '=', '矩阵测试').execute()
    await fixture.ctx.db.deleteFrom('drills').where('organiser', '=', '矩阵测试').execute()
    await fixture.ctx.db.deleteFrom('warnings').where('issued_by', '=', '矩阵测试').execute()
    await fixture.ctx.db.deleteFrom('instructions').where('text', '=', '矩阵测试').execute()
    await fixture.ctx.db.deleteFrom('hazard_points').where('code', 'like', 'HZ-MATRIX-%').execute()
    await fixture.ctx.db.deleteFrom('hidden_dangers').where('description', '=', '矩阵测试').execute()
    await fixture.ctx.db.deleteFrom('safety_sanctions').where('note', 'in', ['矩阵测试', '矩阵测试（改）']).execute()
    await fixture.ctx.db.deleteFrom('summary_narratives').where('year', '=', 2099).execute()
    await fixture.ctx.db.deleteFrom('evacuation_routes').where('source', '=', 'computed').execute()
    await fixture.ctx.db.updateTable('display_tokens').set({ revoked_at: new Date() }).where('name', 'in', ['矩阵大屏', '待撤销']).execute()
    await fixture.ctx.db.updateTable('users').set({ disabled: true }).where('display_name', '=', '矩阵').execute()
    await fixture.ctx.close()
    fs.rmSync(backupDir, { recursive: true, force: true })
  })

  it('has a declared policy and a matrix row for every route the app serves, and nothing else', () => {
    // Every path, not only /api: the client's catch-all (`GET *`) is the table's `GET /*`.
    const served = fixture.ctx.app.routes
      .filter((route) => route.method !== 'ALL')
      .map((route) => `${route.method} ${route.path === '*' ? '/*' : route.path}`)
    const unique = [...new Set(served)].sort()
    expect(unique).toEqual(Object.keys(routePolicies).sort())
    expect(unique).toEqual(rows.map((row) => row.route).sort())
  })

  async function send(actor: Actor, probe: Probe, fresh: boolean): Promise<number> {
    const headers: Record<string, string> = {}
    if (actor === 'display') headers.authorization = `Bearer ${demoDisplayToken}`
    if (actor === 'anonymous' || actor === 'display') {
      if (probe.body !== undefined) headers['content-type'] = 'application/json'
      if (probe.raw) headers['content-type'] = probe.raw.type
      const body = probe.raw ? { body: probe.raw.bytes } : probe.body === undefined ? {} : { body: JSON.stringify(probe.body) }
      const response = await fixture.ctx.app.request(probe.path, { method: probe.method, headers, ...body })
      await response.body?.cancel() // an event stream would stay open
      return response.status
    }
    const session = fresh ? await signIn(fixture.ctx.app, actor) : sessions.get(actor)!
    if (probe.raw) {
      const response = await fixture.ctx.app.request(probe.path, {
        method: probe.method,
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken, 'content-type': probe.raw.type },
        body: probe.raw.bytes,
      })
      return response.status
    }
    const response = await session.request(probe.path, { method: probe.method, body: probe.body })
    await response.body?.cancel()
    return response.status
  }

  for (const row of rows) {
    for (const side of row.sides ?? [undefined]) {
      it(`${row.route}${side ? ` (${side} village)` : ''}`, async () => {
        const expected = (side ? (row.expect as Record<string, Record<Actor, number>>)[side] : row.expect) as Record<Actor, number>
        const actual: Record<string, number> = {}
        for (const actor of actors) {
          const probe = await row.probe(fixture, side ?? 'own')
          actual[actor] = await send(actor, probe, row.route === 'POST /api/auth/logout')
        }
        expect(actual).toEqual(expected)
      })
    }
  }
})
