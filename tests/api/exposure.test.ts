import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorBodySchema, exposureResponseSchema, type ExposureResponse } from '@riskatlas/shared'
import { openHome, signIn, testHomes, type HomeContext, type Session } from '../support/homes.ts'

const bowtie = {
  type: 'Polygon',
  coordinates: [
    [
      [99.05, 25.05],
      [99.1, 25.1],
      [99.1, 25.05],
      [99.05, 25.1],
      [99.05, 25.05],
    ],
  ],
}
const box = (w: number, s: number, e: number, n: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ],
})

describe.each(testHomes())('exposure on the $name home', (home) => {
  let ctx: HomeContext
  let viewer: Session
  let admin: Session
  let villageEditor: Session
  let scope: string
  let area: ReturnType<typeof box>
  let asAdmin: ExposureResponse
  let asViewer: ExposureResponse

  const expose = async (session: Session, body: unknown, path = '/api/exposure') => await session.request(path, { method: 'POST', body })
  const exposure = async (session: Session, body: unknown) => {
    const response = await expose(session, body)
    expect(response.status, await response.clone().text()).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    return exposureResponseSchema.parse(await response.json())
  }

  beforeAll(async () => {
    ctx = openHome(home)
    ;[viewer, admin, villageEditor] = await Promise.all([
      signIn(ctx.app, 'viewer'),
      signIn(ctx.app, 'admin'),
      signIn(ctx.app, 'village_editor'),
    ])
    scope = (await ctx.db.selectFrom('users').select('village_scope').where('username', '=', 'village_editor').executeTakeFirstOrThrow())
      .village_scope![0]!
    // The box around the editor's administrative village and a little beyond.
    const { rows } = await sql<{ w: number; s: number; e: number; n: number }>`
      SELECT ST_XMin(b) - 0.01 AS w, ST_YMin(b) - 0.01 AS s, ST_XMax(b) + 0.01 AS e, ST_YMax(b) + 0.01 AS n
      FROM (SELECT ST_Extent(geom)::geometry AS b FROM admin_areas WHERE code = ${scope}) x`.execute(ctx.db)
    const b = rows[0]!
    area = box(b.w, b.s, b.e, b.n)
    asAdmin = await exposure(admin, { area: { kind: 'polygon', geometry: area } })
    asViewer = await exposure(viewer, { area: { kind: 'polygon', geometry: area } })
  })
  afterAll(() => ctx.close())

  it('counts villages, people, households and vulnerable people as an independent query does', async () => {
    const g = JSON.stringify(area)
    const villages = await sql<{ n: number; people: number; households: number }>`
      SELECT count(*)::int AS n, coalesce(sum(population), 0)::int AS people, coalesce(sum(households), 0)::int AS households
      FROM natural_villages WHERE ST_Within(geom, ST_SetSRID(ST_GeomFromGeoJSON(${g}), 4326))`.execute(ctx.db)
    expect(asViewer.summary).toMatchObject({
      villages: villages.rows[0]!.n,
      people: villages.rows[0]!.people,
      households: villages.rows[0]!.households,
    })
    expect(asViewer.summary.villages).toBeGreaterThan(2)
    const vulnerable = await sql<{ category: string; n: number }>`
      SELECT p.category, count(*)::int AS n FROM vulnerable_people p JOIN natural_villages v ON v.id = p.natural_village_id
      WHERE ST_Within(v.geom, ST_SetSRID(ST_GeomFromGeoJSON(${g}), 4326)) GROUP BY p.category`.execute(ctx.db)
    for (const row of vulnerable.rows) expect(asViewer.summary.vulnerableByCategory[row.category], row.category).toBe(row.n)
    expect(asViewer.summary.vulnerable).toBe(vulnerable.rows.reduce((s, r) => s + r.n, 0))
    const facilities = await sql<{ kind: string; n: number; pupils: number; residents: number }>`
      SELECT kind, count(*)::int AS n, coalesce(sum(pupils), 0)::int AS pupils, coalesce(sum(residents), 0)::int AS residents FROM facilities
      WHERE kind IN ('school', 'kindergarten', 'nursing_home', 'hospital') AND ST_Within(geom, ST_SetSRID(ST_GeomFromGeoJSON(${g}), 4326)) GROUP BY kind`.execute(
      ctx.db,
    )
    const of = (kind: string) => facilities.rows.find((r) => r.kind === kind)
    expect(asViewer.summary.schools).toBe(of('school')?.n ?? 0)
    expect(asViewer.summary.kindergartens).toBe(of('kindergarten')?.n ?? 0)
    expect(asViewer.summary.pupils).toBe((of('school')?.pupils ?? 0) + (of('kindergarten')?.pupils ?? 0))
    expect(asViewer.summary.nursingHomes).toBe(of('nursing_home')?.n ?? 0)
    expect(asViewer.summary.hospitals).toBe(of('hospital')?.n ?? 0)
    const shelters = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM facilities WHERE kind = 'shelter' AND ST_Within(geom, ST_SetSRID(ST_GeomFromGeoJSON(${g}), 4326))`.execute(
      ctx.db,
    )
    expect(asViewer.shelters.inside).toHaveLength(shelters.rows[0]!.n)
  })

  it('gives every affected village its evacuation list entry, to shelters outside the area', () => {
    expect(asViewer.evacuationList).toHaveLength(asViewer.summary.villages)
    const inside = new Set(asViewer.shelters.inside.map((s) => s.shelterId))
    for (const entry of asViewer.evacuationList) {
      expect(entry.destinations.reduce((s, d) => s + d.persons, 0) + entry.unplaced).toBe(entry.moving)
      for (const d of entry.destinations) expect(inside.has(d.shelterId)).toBe(false)
      if (entry.unplaced > 0) expect(entry.reason).not.toBeNull()
    }
  })

  it('names vulnerable people only for roles allowed them, within their villages, and audits it', async () => {
    const names = await sql<{ name: string; village: number }>`
      SELECT p.name, p.natural_village_id AS village FROM vulnerable_people p WHERE p.natural_village_id = ANY(${asViewer.villages.map((v) => v.villageId)}::int[])`.execute(
      ctx.db,
    )
    expect(names.rows.length).toBeGreaterThan(0)
    // Every string value of the answer (a name may also be part of a place name, so whole values are compared).
    const values = new Set<string>()
    const collect = (value: unknown): void => {
      if (typeof value === 'string') values.add(value)
      else if (Array.isArray(value)) value.forEach(collect)
      else if (value && typeof value === 'object') Object.values(value).forEach(collect)
    }
    collect(asViewer)
    for (const { name } of names.rows) expect(values.has(name), name).toBe(false)
    expect(asViewer.named).toBe(false)
    expect(asViewer.evacuationList.every((e) => e.people === null)).toBe(true)

    expect(asAdmin.named).toBe(true)
    const adminNames = asAdmin.evacuationList.flatMap((e) => e.people ?? []).map((p) => p.name)
    expect(adminNames.sort()).toEqual(names.rows.map((r) => r.name).sort())
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'entity'])
      .where('entity', '=', 'evacuation_list')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(audit).toEqual({ actor: 'admin', action: 'list', entity: 'evacuation_list' })

    const scoped = await exposure(villageEditor, { area: { kind: 'polygon', geometry: area } })
    for (const entry of scoped.evacuationList) {
      if (entry.adminCode === scope) expect(entry.people).not.toBeNull()
      else expect(entry.people).toBeNull()
    }
    expect(scoped.evacuationList.some((e) => e.adminCode !== scope)).toBe(true)
  })

  it('takes a warning or hazard points as the area', async () => {
    const warning = await ctx.db.selectFrom('warnings').select('id').orderBy('id').executeTakeFirstOrThrow()
    const warned = await exposure(viewer, { area: { kind: 'warning', warningId: warning.id } })
    const inWarning = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM natural_villages v JOIN warnings w ON w.id = ${warning.id} AND ST_Intersects(w.geom, v.geom)`.execute(
      ctx.db,
    )
    expect(warned.summary.villages).toBe(inWarning.rows[0]!.n)
    const hazards = await ctx.db
      .selectFrom('hazard_points')
      .select('id')
      .where('danger_zone', 'is not', null)
      .orderBy('id')
      .limit(3)
      .execute()
    const zoned = await exposure(viewer, { area: { kind: 'hazards', hazardIds: hazards.map((h) => h.id) } })
    const inZones = await sql<{ n: number }>`
      SELECT count(DISTINCT v.id)::int AS n FROM natural_villages v JOIN hazard_points h ON h.id = ANY(${hazards.map((h) => h.id)}::int[]) AND ST_Intersects(h.danger_zone, v.geom)`.execute(
      ctx.db,
    )
    expect(zoned.summary.villages).toBe(inZones.rows[0]!.n)
    expect(zoned.area.kind).toBe('hazards')
  })

  it('answers bad input with a clear 4xx, never a 500 or an empty answer', async () => {
    const refuse = async (body: unknown, status: number) => {
      const response = await expose(viewer, body)
      expect(response.status, await response.clone().text()).toBe(status)
      return errorBodySchema.parse(await response.json()).error
    }
    expect((await refuse({ area: { kind: 'polygon', geometry: bowtie } }, 400)).message).toMatch(/Self-intersection/i)
    expect((await refuse({ area: { kind: 'polygon', geometry: box(97, 23, 101, 27) } }, 400)).details).toMatchObject({ maxKm2: 300 })
    expect(
      (
        await refuse(
          {
            area: {
              kind: 'polygon',
              geometry: {
                type: 'Polygon',
                coordinates: [
                  [
                    [99, 25],
                    [99.1, 25],
                    [99.1, 25.1],
                  ],
                ],
              },
            },
          },
          400,
        )
      ).code,
    ).toBe('validation_failed')
    expect((await refuse({ area: { kind: 'polygon', geometry: { type: 'Point', coordinates: [99, 25] } } }, 400)).code).toBe(
      'validation_failed',
    )
    expect((await refuse({ area: { kind: 'warning', warningId: 987_654 } }, 404)).details).toEqual({ unknownIds: [987_654] })
    const hazard = await ctx.db.selectFrom('hazard_points').select('id').orderBy('id').executeTakeFirstOrThrow()
    expect((await refuse({ area: { kind: 'hazards', hazardIds: [hazard.id, 987_653] } }, 404)).details).toEqual({ unknownIds: [987_653] })
    expect((await refuse({ area: { kind: 'hazards', hazardIds: [] } }, 400)).code).toBe('validation_failed')
    const response = await viewer.request('/api/exposure', {
      method: 'POST',
      body: undefined,
      headers: { 'content-type': 'application/json' },
    })
    expect(response.status).toBe(400)
  })

  it('exports the list as CSV, Excel and a printable page; names only for those allowed', async () => {
    const body = { area: { kind: 'polygon', geometry: area } }
    const csv = await expose(viewer, body, '/api/exposure/list.csv')
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/)
    const bytes = Buffer.from(await csv.arrayBuffer())
    expect(bytes.subarray(0, 3).toString('hex')).toBe('efbbbf')
    const text = bytes.toString('utf8')
    expect(text.slice(1).startsWith('"行政村"')).toBe(true)
    expect(text).toContain(asViewer.evacuationList[0]!.name)
    const someone = asAdmin.evacuationList.flatMap((e) => e.people ?? [])[0]!.name
    expect(text).not.toContain(`${someone}（`)
    expect(await (await expose(admin, body, '/api/exposure/list.csv')).text()).toContain(someone)
    const xlsx = await expose(admin, body, '/api/exposure/list.xlsx')
    expect(xlsx.status).toBe(200)
    expect(
      Buffer.from(await xlsx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK')
    const print = await expose(viewer, body, '/api/exposure/list.html')
    expect(print.status).toBe(200)
    const html = await print.text()
    expect(html).toContain('size: A4')
    const admins = new Set(asViewer.evacuationList.map((e) => e.adminName))
    expect(html.match(/<section class="page">/g)).toHaveLength(admins.size)
    const exported = await ctx.db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('entity', '=', 'evacuation_list')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(exported).toEqual({ actor: 'admin', action: 'export' })
  })
})
