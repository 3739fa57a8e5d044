import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fourListIds, layerCatalogue, layerExportFormats, ledgerRecordKinds, summaryFigureIds } from '@riskatlas/shared'
import ExcelJS from 'exceljs'
import { readZippedShapefile } from '../../server/src/imports/shapefile.ts'
import { tilesets } from '../../server/src/tiles/tilesets.ts'
import { clientPagesKey, routePolicies, type Policy } from '../../server/src/auth/policies.ts'
import { demoDisplayToken } from '../../server/src/seed/demo-accounts.ts'
import { openHome, signIn, testHomes, type HomeContext } from '../support/homes.ts'
import { sseClient } from '../support/sse.ts'

type Reader = 'anonymous' | 'display' | 'viewer'

const mayRead = (policy: Policy, who: Reader) =>
  policy === 'public' || policy === 'identify' || (who !== 'anonymous' && policy.roles.includes(who))

/**
 * The surfaces: every GET in the policy table that anyone, a big screen or a viewer may read —
 * derived, so a new readable route is scanned without anyone adding it here. The built client's
 * pages hold no data of their own.
 */
const surfaces = Object.entries(routePolicies)
  .filter(([key]) => key.startsWith('GET ') && key !== clientPagesKey)
  .filter(([, policy]) => (['anonymous', 'display', 'viewer'] as const).some((who) => mayRead(policy, who)))
  .map(([key, policy]) => ({ key, path: key.slice(4), policy }))

/** Files that are not text (the basemap's tiles, a danger's photo): nothing in them to search. */
// Not text: vector tiles are decoded and scanned for personal values in tests/api/tiles.test.ts;
// the four lists' Excel file and the summary's .docx carry the rows and figures of JSON scanned here.
const binarySurfaces = new Set([
  'GET /basemap/local.pmtiles',
  'GET /api/ledger/photos/:id',
  'GET /tiles/:tileset/:z/:x/:y',
  'GET /api/ledger/lists/:list/export.xlsx',
  'GET /api/summary/export.docx',
])

/**
 * Personal data must never reach a public layer, the big screen (display token) or a viewer:
 * every surface those can read is fetched and searched for every seeded vulnerable person's
 * name and address and for every phone number in the database.
 */
describe.each(testHomes())('personal data on the surfaces anyone, a big screen or a viewer can read ($name home)', (home) => {
  let ctx: HomeContext
  beforeAll(() => {
    ctx = openHome(home)
  })
  afterAll(() => ctx.close())

  async function secrets() {
    const people = await ctx.db
      .selectFrom('vulnerable_people')
      .select(['name', 'address', 'phone', 'responsible_name', 'responsible_phone'])
      .execute()
    const facilities = await ctx.db.selectFrom('facilities').selectAll().execute()
    const hazards = await ctx.db
      .selectFrom('hazard_points')
      .select(['monitor_name', 'responsible_name', 'monitor_phone', 'responsible_phone'])
      .execute()
    const organisers = await ctx.db.selectFrom('drills').select('organiser').execute()
    // Cadres (monitors, responsible persons, organisers) are named publicly on purpose; a
    // vulnerable person sharing such a name cannot be told apart by text, so such names are left out.
    const cadres = new Set<string | null>([
      ...facilities.flatMap((f) => [f.admin_responsible, f.tech_responsible, f.patrol_responsible, f.contact_name]),
      ...hazards.flatMap((h) => [h.monitor_name, h.responsible_name]),
      ...people.map((p) => p.responsible_name),
      ...organisers.map((d) => d.organiser),
    ])
    const names = people.flatMap((p) => [p.name, p.address]).filter((text): text is string => !!text && !cadres.has(text))
    const phones = [
      ...people.flatMap((p) => [p.phone, p.responsible_phone]),
      ...facilities.flatMap((f) => [f.admin_responsible_phone, f.tech_responsible_phone, f.patrol_responsible_phone, f.contact_phone]),
      ...hazards.flatMap((h) => [h.monitor_phone, h.responsible_phone]),
    ].filter((phone): phone is string => !!phone && phone.replace(/\D/g, '').length >= 7)
    return { names, phones: [...new Set(phones)] }
  }

  /** Every text stored in the database (names, descriptions, titles as typed): the Chinese an answer may carry. */
  async function storedTexts(): Promise<Set<string>> {
    const { rows: columns } = await sql<{ table: string; column: string }>`
      SELECT table_name AS table, column_name AS column FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json')`.execute(ctx.db)
    const texts = new Set<string>()
    for (const { table, column } of columns) {
      const { rows } = await sql<{ value: unknown }>`SELECT DISTINCT ${sql.ref(column)} AS value FROM ${sql.table(table)}`.execute(ctx.db)
      for (const { value } of rows) strings(typeof value === 'string' && /^[[{]/.test(value) ? safeJson(value) : value, texts)
    }
    return texts
  }
  /**
   * Whether a string in an answer is data, not the server's words: no Chinese, or stored as it is,
   * or stored names joined (places of an inspection with 、, a route's village → shelter), or a
   * name masked for this reader (张*明).
   */
  const isData = (value: string, stored: Set<string>) =>
    !/[\u4e00-\u9fff]/.test(value) || stored.has(value) || value.split(/、| → /).every((part) => stored.has(part)) || value.includes('*')
  const safeJson = (text: string): unknown => {
    try {
      return JSON.parse(text)
    } catch {
      return text
    }
  }

  /** Every cell of a workbook, one a line. */
  async function xlsxText(response: Response): Promise<string> {
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.load(await response.arrayBuffer())
    const cells: string[] = []
    workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(cell.text))))
    return cells.join('\n')
  }
  /** Every attribute of a zipped Shapefile, decoded by its .cpg (the import's reader), one a line. */
  async function shapefileText(response: Response): Promise<string> {
    const parsed = await readZippedShapefile(new Uint8Array(await response.arrayBuffer()))
    return parsed.sheets.flatMap((sheet) => sheet.records.flatMap((record) => Object.values(record.values).map(String))).join('\n')
  }

  /** Every string value anywhere in a JSON document. */
  function strings(value: unknown, into = new Set<string>()): Set<string> {
    if (typeof value === 'string') into.add(value)
    else if (Array.isArray(value)) value.forEach((item) => strings(item, into))
    else if (value && typeof value === 'object') Object.values(value).forEach((item) => strings(item, into))
    return into
  }

  it.each(['anonymous', 'display', 'viewer', 'admin'] as const)(
    'scans every readable surface as %s: none for anonymous, display and viewer; the admin control finds them',
    async (who) => {
      const { names, phones } = await secrets()
      expect(names.length).toBeGreaterThan(900)
      expect(phones.length).toBeGreaterThan(500)

      const headers: Record<string, string> = who === 'display' ? { authorization: `Bearer ${demoDisplayToken}` } : {}
      const viewer = who === 'viewer' || who === 'admin' ? await signIn(ctx.app, who) : undefined
      const adminSession = who === 'admin' ? viewer : await signIn(ctx.app, 'admin')
      const get = async (path: string) => {
        const response = viewer ? await viewer.request(path) : await ctx.app.request(path, { headers })
        const type = response.headers.get('content-type') ?? ''
        // An event stream never ends: it is scanned by its own test, and must be named there.
        if (type.includes('event-stream')) {
          await response.body?.cancel()
          return { status: response.status, text: '', type, stream: true }
        }
        if (response.status === 200 && type.includes('spreadsheetml'))
          return { status: 200, text: await xlsxText(response), type, stream: false }
        if (response.status === 200 && type.includes('application/zip'))
          return { status: 200, text: await shapefileText(response), type, stream: false }
        return { status: response.status, text: await response.text(), type, stream: false }
      }
      // A route with parameters is read at the values below; one without a way to fill its
      // parameters fails the test, so it cannot slip past unscanned.
      const ids = async (table: 'drills' | 'natural_villages', limit: number) =>
        (await ctx.db.selectFrom(table).select('id').orderBy('id').limit(limit).execute()).map((row) => String(row.id))
      const adminVillages = (await ctx.db.selectFrom('admin_areas').select('code').where('level', '=', 'village').execute()).map(
        (r) => r.code,
      )
      const layerIds = layerCatalogue.map((layer) => layer.id)
      const listed = async (path: string, key: string) => {
        const answer = await adminSession!.request(path)
        return answer.status === 200
          ? ((await answer.json()) as Record<string, { id: number }[]>)[key]!.map((item) => String(item.id)).slice(0, 20)
          : []
      }
      const firstFeature = async (collection: string) => {
        const answer = (await (await ctx.app.request(`/ogc/collections/${collection}/items?limit=1`)).json()) as {
          features: { id: string | number }[]
        }
        return answer.features.slice(0, 1).map((feature) => String(feature.id))
      }
      const values: Record<string, () => Promise<string[][]>> = {
        'GET /api/layers/:id': async () => layerIds.map((id) => [id]),
        // Every layer in every export format; the Excel and Shapefile ones are read back as text (below).
        'GET /api/exports/layers/:file': async () => layerIds.flatMap((id) => layerExportFormats.map((format) => [`${id}.${format}`])),
        // One feature of each layer, as the map fetches a clicked tiled feature (the same ids as OGC's).
        'GET /api/layers/:id/features/:featureId': async () =>
          (await Promise.all(layerIds.map(async (id) => (await firstFeature(id)).map((feature) => [id, feature])))).flat(),
        'GET /ogc/collections/:collectionId': async () => layerIds.map((id) => [id]),
        'GET /ogc/collections/:collectionId/queryables': async () => layerIds.map((id) => [id]),
        'GET /ogc/collections/:collectionId/items': async () => layerIds.map((id) => [`${id}`]),
        'GET /ogc/collections/:collectionId/items/:featureId': async () =>
          (await Promise.all(layerIds.map(async (id) => (await firstFeature(id)).map((feature) => [id, feature])))).flat(),
        'GET /api/drills/:id': async () => (await ids('drills', 40)).map((id) => [id]),
        'GET /api/villages/:id/evacuation-card': async () => (await ids('natural_villages', 10)).map((id) => [id]),
        'GET /api/admin-villages/:code/evacuation-cards': async () => adminVillages.map((code) => [code]),
        'GET /api/ledger/places/:id': async () => (await listed('/api/ledger/places', 'places')).map((id) => [id]),
        'GET /api/ledger/dangers/:id': async () => (await listed('/api/ledger/dangers', 'dangers')).map((id) => [id]),
        'GET /api/ledger/records/:kind': async () => ledgerRecordKinds.map((kind) => [kind]),
        'GET /api/summary/figures/:figure': async () => summaryFigureIds.map((figure) => [figure]),
        'GET /api/ledger/lists/:list': async () => fourListIds.map((list) => [list]),
        'GET /tiles/:tileset/tilejson.json': async () => tilesets.map((tileset) => [tileset.id]),
        'GET /api/warnings/:id': async () => (await listed('/api/warnings', 'warnings')).map((id) => [id]),
        'GET /api/warnings/:id/impact': async () => (await listed('/api/warnings', 'warnings')).map((id) => [id]),
        // The first feature of each editable layer, as the map's edit mode reads it.
        'GET /api/edit/:layer/:id': async () => {
          const first = async (table: 'hazard_points' | 'facilities' | 'evacuation_routes', zone = false) =>
            String(
              (
                await ctx.db
                  .selectFrom(table)
                  .select('id')
                  .$if(zone, (q) => q.where(sql<boolean>`danger_zone IS NOT NULL`))
                  .orderBy('id')
                  .executeTakeFirstOrThrow()
              ).id,
            )
          return [
            ['hazard_points', await first('hazard_points')],
            ['facilities', await first('facilities')],
            ['evacuation_routes', await first('evacuation_routes')],
            ['danger_zones', await first('hazard_points', true)],
          ]
        },
      }
      // Evacuation progress is read for every warning (without one it answers only for a move-now warning).
      const warningIds = await listed('/api/warnings?status=all', 'warnings')
      /** Queries worth reading beyond the defaults: whole collections, both seasons. */
      const queries: Record<string, string[]> = {
        'GET /api/evacuation/progress': warningIds.map((id) => `?warningId=${id}`),
        'GET /ogc/collections/:collectionId/items': ['?limit=10000'],
        'GET /api/coverage': ['?year=2026', '?year=2027'],
        'GET /api/gaps': ['?year=2026', '?year=2027'],
        'GET /api/admin-villages/:code/evacuation-cards': ['?year=2026'],
        // The safety ledger's period (the 2023 work summary is the town's document).
        'GET /api/ledger/records/:kind': ['?year=2023'],
        'GET /api/summary': ['?year=2023'],
        'GET /api/summary/figures/:figure': ['?year=2023'],
        'GET /api/ledger/lists/:list': ['?year=2023'],
      }
      const paths: { path: string; allowed: boolean }[] = []
      const unfilled: string[] = []
      for (const surface of surfaces.filter((surface) => !binarySurfaces.has(surface.key))) {
        const names = [...surface.path.matchAll(/:(\w+)/g)].map((match) => match[1]!)
        let rows: string[][] = [[]]
        if (names.length > 0) {
          const fill = values[surface.key]
          if (!fill) {
            unfilled.push(surface.key)
            continue
          }
          rows = await fill()
        }
        for (const row of rows) {
          let concrete = surface.path
          names.forEach((name, index) => (concrete = concrete.replace(`:${name}`, encodeURIComponent(row[index]!))))
          const allowed = who === 'admin' || mayRead(surface.policy, who)
          for (const query of queries[surface.key] ?? ['']) paths.push({ path: concrete + query, allowed })
        }
      }
      expect(unfilled, 'readable routes with parameters the scan cannot fill: add their values above').toEqual([])
      expect([...binarySurfaces].filter((key) => !(key in routePolicies))).toEqual([])
      let surface = ''
      const found = new Set<string>()
      const refused: string[] = []
      // The server's own words: Chinese in a JSON answer of /api must be data stored in the database.
      const stored = who === 'viewer' ? await storedTexts() : new Set<string>()
      const composed: string[] = []
      for (const { path, allowed } of paths) {
        const { status, text, type, stream } = await get(path)
        if (stream) continue
        if (!allowed) {
          // What the policy refuses this caller must be refused: nothing read.
          if (status !== 401 && status !== 403) refused.push(`${path} answered ${status}`)
          continue
        }
        if (status !== 200) {
          refused.push(`${path} answered ${status}`)
          continue
        }
        surface += text
        if (who === 'viewer' && type.includes('json') && path.startsWith('/api/') && path !== '/api/openapi.json')
          for (const value of strings(JSON.parse(text))) if (!isData(value, stored)) composed.push(`${path}: ${value}`)
        if (type.includes('json')) strings(JSON.parse(text), found)
        else for (const word of text.split(/[\s<>"'=]+/)) found.add(word)
      }
      // Every surface this caller may read answered, and every other refused it.
      expect(refused).toEqual([])
      expect(paths.filter((entry) => entry.allowed).length).toBeGreaterThan(who === 'anonymous' ? 2 * layerCatalogue.length : 100)
      const namesFound = names.filter((name) => found.has(name))
      const phonesFound = phones.filter((phone) => surface.includes(phone) || surface.includes(phone.replace(/\D/g, '')))
      if (who === 'admin') {
        // The same scan over an admin's view of the same surfaces does find them: it can fail.
        expect(namesFound.length).toBeGreaterThan(100)
        expect(phonesFound.length).toBeGreaterThan(10)
        return
      }
      expect(namesFound).toEqual([])
      expect(phonesFound).toEqual([])
      // Analyses answer in codes and parameters; the client words them (ARCHITECTURE.md, "How to add a capability").
      expect([...new Set(composed)]).toEqual([])
    },
  )

  it('sends a big screen nothing personal on the event stream: the replayed history and a live change to a person', async () => {
    const { names, phones } = await secrets()
    const admin = await signIn(ctx.app, 'admin')
    const response = await ctx.app.request('/api/events', {
      headers: { authorization: `Bearer ${demoDisplayToken}`, 'last-event-id': '0' },
    })
    expect(response.status).toBe(200)
    const stream = sseClient(response)
    try {
      await stream.next((frame) => frame.event === 'ready')
      const person = await ctx.db.selectFrom('vulnerable_people').select(['id', 'name']).orderBy('id').executeTakeFirstOrThrow()
      const changed = await admin.request(`/api/vulnerable-people/${person.id}`, { method: 'PATCH', body: { name: person.name } })
      expect(changed.status).toBe(200)
      await stream.next((frame) => frame.event === 'data.changed' && frame.data!.includes('"vulnerable_people"'))
    } finally {
      await stream.close()
    }
    const text = stream.seen.map((frame) => frame.data ?? '').join('\n')
    expect(stream.seen.filter((frame) => frame.event === 'data.changed').length).toBeGreaterThan(0)
    expect(names.filter((name) => text.includes(name))).toEqual([])
    expect(phones.filter((phone) => text.includes(phone) || text.includes(phone.replace(/\D/g, '')))).toEqual([])
  })
})
