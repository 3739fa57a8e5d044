import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  coverageResponseSchema,
  errorBodySchema,
  evacuationCardListSchema,
  evacuationCardSchema,
  gapKinds,
  gapReasonSchema,
  gapsResponseSchema,
  phraseGapReason,
  type CoverageResponse,
  type GapsResponse,
} from '@riskatlas/shared'
import type { Database } from '@riskatlas/server'
import { computeCoverage, computeGaps } from '../../server/src/coverage/queries.ts'
import { openHome, signIn, testHomes, type HomeContext, type Session } from '../support/homes.ts'

const today = '2026-11-30'

class Rollback extends Error {}

/** Runs `work` in a transaction that is always rolled back: the shared seeded database stays as it was. */
async function inRolledBackTransaction<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  let result: T | undefined
  await db
    .transaction()
    .execute(async (trx) => {
      result = await work(trx)
      throw new Rollback()
    })
    .catch((error: unknown) => {
      if (!(error instanceof Rollback)) throw error
    })
  return result as T
}

describe.each(testHomes())('coverage and gaps on the $name home', (home) => {
  let ctx: HomeContext
  let viewer: Session
  let admin: Session
  let villageEditor: Session
  let coverage: CoverageResponse
  let gaps: GapsResponse

  beforeAll(async () => {
    ctx = openHome(home, { today: () => today })
    ;[viewer, admin, villageEditor] = await Promise.all([
      signIn(ctx.app, 'viewer'),
      signIn(ctx.app, 'admin'),
      signIn(ctx.app, 'village_editor'),
    ])
    coverage = coverageResponseSchema.parse(await (await viewer.request('/api/coverage?year=2026')).json())
    gaps = gapsResponseSchema.parse(await (await viewer.request('/api/gaps?year=2026')).json())
  })
  afterAll(() => ctx.close())

  it('defaults to the current year’s season (2026 on 30 November 2026: the one just finished)', async () => {
    const response = coverageResponseSchema.parse(await (await viewer.request('/api/coverage')).json())
    expect(response.summary.season).toEqual({ year: 2026, startsOn: '2026-05-01', endsOn: '2026-10-31', configured: expect.any(Boolean) })
    expect(response).toEqual(coverage)
  })

  it('gives every natural village a status, and the demo season has each kind of outcome', async () => {
    const count = await ctx.db
      .selectFrom('natural_villages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(coverage.villages).toHaveLength(Number(count.n))
    const statuses = new Set(coverage.villages.map((village) => village.status))
    for (const status of ['not_required', 'missing', 'overdue', 'drilled'] as const) expect(statuses, status).toContain(status)
    // The season is over: nothing in it can still be planned.
    expect(statuses).not.toContain('planned')
  })

  it('summarises counts, coverage and each administrative village consistently', () => {
    const { summary, villages } = coverage
    const required = villages.filter((village) => village.required)
    expect(summary.villages).toBe(villages.length)
    expect(summary.required).toBe(required.length)
    expect(summary.drilled).toBe(required.filter((village) => village.status === 'drilled').length)
    expect(summary.coveragePercent).toBeCloseTo((summary.drilled / summary.required) * 100, 1)
    expect(Object.values(summary.counts).reduce((a, b) => a + b, 0)).toBe(villages.length)
    expect(summary.byAdminVillage.reduce((sum, admin) => sum + admin.villages, 0)).toBe(villages.length)
    expect(summary.byAdminVillage.reduce((sum, admin) => sum + admin.required, 0)).toBe(summary.required)
  })

  it('gives each required village its reasons and a priority by people at risk, then vulnerable people', () => {
    const required = coverage.villages.filter((village) => village.required)
    expect(required.every((village) => village.reasons.length > 0 && village.priority !== null)).toBe(true)
    expect(required.map((village) => village.priority)).toEqual(required.map((_, index) => index + 1))
    for (let i = 1; i < required.length; i++) {
      const [a, b] = [required[i - 1]!, required[i]!]
      expect(a.peopleAtRisk > b.peopleAtRisk || (a.peopleAtRisk === b.peopleAtRisk && a.vulnerableCount >= b.vulnerableCount)).toBe(true)
    }
    expect(
      coverage.villages
        .filter((village) => !village.required)
        .every((village) => village.reasons.length === 0 && village.priority === null),
    ).toBe(true)
    // Some villages no hazard lists still must drill: they lie within 300 m of a danger zone.
    expect(required.some((village) => village.reasons.every((reason) => !reason.listed && reason.zoneDistanceM !== null))).toBe(true)
  })

  it('agrees with the hazard listings: every listed village requires a drill', async () => {
    const { rows } = await sql<{ id: number }>`
      SELECT DISTINCT t.natural_village_id AS id FROM hazard_threatened_villages t
      JOIN hazard_points h ON h.id = t.hazard_point_id WHERE h.status <> 'closed'`.execute(ctx.db)
    const required = new Set(coverage.villages.filter((village) => village.required).map((village) => village.id))
    for (const row of rows) expect(required.has(row.id), `village ${row.id}`).toBe(true)
  })

  it('shows the 2027 season’s planned drills as planned', async () => {
    const next = coverageResponseSchema.parse(await (await viewer.request('/api/coverage?year=2027')).json())
    expect(next.summary.season.year).toBe(2027)
    expect(next.summary.counts.planned).toBeGreaterThan(0)
    expect(next.summary.counts.drilled).toBe(0)
  })

  it('requires a drill 299 m from a danger zone and not 301 m from it, measured on the ground', async () => {
    const result = await inRolledBackTransaction(ctx.db, async (trx) => {
      const admin = await trx
        .selectFrom('admin_areas')
        .select('code')
        .where('level', '=', 'village')
        .orderBy('code')
        .executeTakeFirstOrThrow()
      // A small square zone; the test villages lie north-east of its north-east corner, so that
      // corner is the nearest point and the geodesic distance is exactly the projected one.
      const zone = await sql<{ id: number; lon: number; lat: number }>`
        INSERT INTO hazard_points (code, name, kind, scale, risk_level, admin_code, geom, danger_zone)
        VALUES ('TEST-300M', '三百米测试', 'landslide', 'small', 2, ${admin.code},
                ST_SetSRID(ST_MakePoint(99.3, 25.3), 4326), ST_Multi(ST_MakeEnvelope(99.299, 25.299, 99.301, 25.301, 4326)))
        RETURNING id, 99.301 AS lon, 25.301 AS lat`.execute(trx)
      const corner = sql`ST_SetSRID(ST_MakePoint(${zone.rows[0]!.lon}, ${zone.rows[0]!.lat}), 4326)::geography`
      for (const [code, meters] of [
        ['TEST-299', 299],
        ['TEST-301', 301],
      ] as const) {
        await sql`INSERT INTO natural_villages (code, name, admin_code, population, geom)
          VALUES (${code}, ${code}, ${admin.code}, 10, ST_Project(${corner}, ${meters}::float8, radians(45))::geometry)`.execute(trx)
      }
      return computeCoverage(trx, { year: 2026, today })
    })
    const near = result.villages.find((village) => village.code === 'TEST-299')!
    const far = result.villages.find((village) => village.code === 'TEST-301')!
    expect(near).toMatchObject({ required: true, status: 'missing', reasons: [{ hazardCode: 'TEST-300M', listed: false }] })
    expect(near.reasons[0]!.zoneDistanceM).toBeCloseTo(299, 0)
    expect(far).toMatchObject({ required: false, status: 'not_required', reasons: [] })
    const left = await ctx.db.selectFrom('hazard_points').select('id').where('code', '=', 'TEST-300M').execute()
    expect(left).toEqual([])
  })

  it('lists every kind of preparedness gap with a reason and a location inside the town', async () => {
    // The demo town plants every kind but the unmapped settlement (tested below on a planted one).
    for (const kind of gapKinds.filter((kind) => kind !== 'unmapped_settlement')) expect(gaps.counts[kind], kind).toBeGreaterThan(0)
    expect(gaps.gaps).toHaveLength(Object.values(gaps.counts).reduce((a, b) => a + b, 0))
    for (const gap of gaps.gaps) {
      // A code with parameters (the schema checks each code's shape), phrased by the reader's side.
      expect(gap.reason.code).toBe(gap.kind)
      expect(gapReasonSchema.parse(gap.reason)).toEqual(gap.reason)
      const phrased = phraseGapReason(gap.reason)
      expect(phrased.zh).toContain(gap.subject.name)
      expect(phrased.en).toContain(gap.subject.name)
      const [lon, lat] = gap.location
      expect(lon).toBeGreaterThan(98.8)
      expect(lon).toBeLessThan(99.4)
      expect(lat).toBeGreaterThan(24.8)
      expect(lat).toBeLessThan(25.4)
    }
  })

  it('finds a hazard point without a monitor exactly where the register has none', async () => {
    const { rows: unmonitored } = await sql<{ code: string }>`
      SELECT code FROM hazard_points WHERE status <> 'closed' AND nullif(btrim(monitor_name), '') IS NULL`.execute(ctx.db)
    const found = gaps.gaps.filter((gap) => gap.kind === 'hazard_without_monitor').map((gap) => gap.subject.code)
    expect(found.sort()).toEqual(unmonitored.map((row) => row.code).sort())
  })

  it('finds the unmapped settlements: inside a danger zone, listed by no hazard point', async () => {
    const { rows } = await sql<{ id: number }>`
      SELECT DISTINCT v.id FROM natural_villages v JOIN hazard_points h ON h.status <> 'closed' AND ST_Intersects(h.danger_zone, v.geom)
      WHERE NOT EXISTS (SELECT 1 FROM hazard_threatened_villages t JOIN hazard_points l ON l.id = t.hazard_point_id
                        WHERE t.natural_village_id = v.id AND l.status <> 'closed')`.execute(ctx.db)
    const found = gaps.gaps.filter((gap) => gap.kind === 'unmapped_settlement').map((gap) => gap.subject.id)
    expect(found.sort()).toEqual(rows.map((row) => row.id).sort())
  })

  it('finds a settlement planted inside a danger zone that no hazard point lists, and its route gap', async () => {
    const result = await inRolledBackTransaction(ctx.db, async (trx) => {
      const zone = await trx
        .selectFrom('hazard_points')
        .select(['code', 'admin_code'])
        .where('danger_zone', 'is not', null)
        .where('status', '<>', 'closed')
        .orderBy('code')
        .executeTakeFirstOrThrow()
      await sql`INSERT INTO natural_villages (code, name, admin_code, population, geom)
        SELECT 'TEST-UNMAPPED', '未列村', ${zone.admin_code}, 42, ST_PointOnSurface(danger_zone) FROM hazard_points WHERE code = ${zone.code}`.execute(
        trx,
      )
      return { zone: zone.code, gaps: await computeGaps(trx, { year: 2026, today }) }
    })
    const planted = result.gaps.gaps.filter((gap) => gap.subject.code === 'TEST-UNMAPPED')
    expect(planted.map((gap) => gap.kind).sort()).toEqual(['unmapped_settlement', 'village_without_route'])
    expect(planted.find((gap) => gap.kind === 'unmapped_settlement')!.details.dangerZones).toEqual([result.zone])
  })

  it('counts vulnerable people without a responsible person and names nobody, whoever asks (names are read through the audited people list)', async () => {
    const names = (await ctx.db.selectFrom('vulnerable_people').select('name').execute()).map((row) => row.name)
    const phones = (await ctx.db.selectFrom('vulnerable_people').select(['phone', 'responsible_phone']).execute())
      .flatMap((row) => [row.phone, row.responsible_phone])
      .filter((phone): phone is string => !!phone)
    const auditBefore = Number(
      (
        await ctx.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.max('id').as('max'))
          .executeTakeFirstOrThrow()
      ).max ?? 0,
    )
    for (const session of [viewer, admin, villageEditor]) {
      const answer = gapsResponseSchema.parse(await (await session.request('/api/gaps?year=2026')).json())
      const text = JSON.stringify(answer)
      expect(
        names.filter((name) => text.includes(`"${name}"`)),
        session.username,
      ).toEqual([])
      expect(
        phones.filter((phone) => text.includes(phone)),
        session.username,
      ).toEqual([])
      const unassigned = answer.gaps.filter((gap) => gap.kind === 'vulnerable_without_responsible')
      expect(unassigned.length).toBeGreaterThan(0)
      expect(unassigned.every((gap) => typeof gap.details.withoutResponsible === 'number' && gap.details.people === undefined)).toBe(true)
    }
    // Nothing personal was read, so nothing personal was audited.
    const audited = await ctx.db
      .selectFrom('audit_log')
      .select('entity')
      .where('id', '>', auditBefore)
      .where('entity', '=', 'vulnerable_people')
      .execute()
    expect(audited).toEqual([])
  })

  it('refuses a bad year and unknown parameters with a 400', async () => {
    for (const path of ['/api/coverage?year=abc', '/api/coverage?year=1999', '/api/gaps?year=2101', '/api/coverage?village=1']) {
      const response = await viewer.request(path)
      expect(response.status, path).toBe(400)
      expect(errorBodySchema.parse(await response.json()).error.code).toBe('validation_failed')
    }
    expect((await ctx.app.request('/api/coverage')).status).toBe(401)
  })

  it('serves a village’s evacuation card, masking phones for a viewer and showing them to an admin', async () => {
    const village =
      coverage.villages.find((entry) => entry.required && entry.status === 'drilled') ?? coverage.villages.find((entry) => entry.required)!
    const viewerCard = evacuationCardSchema.parse(await (await viewer.request(`/api/villages/${village.id}/evacuation-card`)).json())
    const adminCard = evacuationCardSchema.parse(await (await admin.request(`/api/villages/${village.id}/evacuation-card`)).json())
    expect(viewerCard.village).toMatchObject({ id: village.id, name: village.name })
    expect(viewerCard.coverage).toMatchObject({ required: true, status: village.status })
    expect(viewerCard.threats.map((threat) => threat.hazardCode).sort()).toEqual(village.reasons.map((reason) => reason.hazardCode).sort())
    // The stages are codes for the client to phrase: no words, in any language, come from the server.
    expect(viewerCard.stages).toEqual([
      {
        stage: 'prepare',
        trigger: 'orange_warning_or_signs',
        signal: 'broadcast_phone_long_gong',
        action: 'pack_and_move_vulnerable_first',
      },
      { stage: 'move_now', trigger: 'red_warning_or_order', signal: 'rapid_gong_whistles_broadcast', action: 'walk_route_to_shelter' },
    ])
    expect(viewerCard.personalData).toBe(false)
    expect(viewerCard.vulnerablePeople).toBeNull()
    expect(viewerCard.movers.vulnerableTotal).toBe(village.vulnerableCount)
    const withPhones = viewerCard.contacts.filter((contact) => contact.phone)
    expect(withPhones.length).toBeGreaterThan(0)
    expect(withPhones.every((contact) => contact.phoneMasked && /^\d{3}\*+\d{4}$/.test(contact.phone!))).toBe(true)
    expect(adminCard.personalData).toBe(true)
    expect(
      adminCard.contacts
        .filter((contact) => contact.phone)
        .every((contact) => !contact.phoneMasked && /^\d{11}$/.test(contact.phone!.replace(/\D/g, ''))),
    ).toBe(true)
    expect(adminCard.vulnerablePeople).toHaveLength(village.vulnerableCount)
    expect((await viewer.request('/api/villages/999999/evacuation-card')).status).toBe(404)
  })

  it('serves every card of an administrative village at once', async () => {
    const adminCode = coverage.villages[0]!.adminCode
    const list = evacuationCardListSchema.parse(await (await viewer.request(`/api/admin-villages/${adminCode}/evacuation-cards`)).json())
    expect(list.cards.map((card) => card.village.id).sort()).toEqual(
      coverage.villages
        .filter((village) => village.adminCode === adminCode)
        .map((village) => village.id)
        .sort(),
    )
    expect((await viewer.request('/api/admin-villages/000000000000/evacuation-cards')).status).toBe(404)
    expect((await viewer.request('/api/admin-villages/12/evacuation-cards')).status).toBe(400)
  })
})

describe('both database homes', () => {
  const homes = testHomes()
  // Skipped (and reported so) only off CI: CI refuses to start without the external home.
  it.skipIf(homes.length < 2)('compute identical coverage and gaps', async () => {
    expect(homes.map((home) => home.name)).toEqual(['embedded', 'external'])
    const results: string[] = []
    for (const home of homes) {
      const ctx = openHome(home, { today: () => today })
      try {
        const session = await signIn(ctx.app, 'admin')
        const parts = []
        for (const path of ['/api/coverage?year=2026', '/api/coverage?year=2027', '/api/gaps?year=2026'])
          parts.push(await (await session.request(path)).json())
        results.push(JSON.stringify(parts))
      } finally {
        await ctx.close()
      }
    }
    expect(results[1]).toEqual(results[0])
  })
})
