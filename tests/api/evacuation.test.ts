import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  auditResponseSchema,
  errorBodySchema,
  gapsResponseSchema,
  phraseGapReason,
  planResponseSchema,
  planSaveResponseSchema,
  type PlanResponse,
} from '@riskatlas/shared'
import { openHome, signIn, testHomes, type HomeContext, type Session } from '../support/homes.ts'

// A bow-tie: its edges cross, PostGIS calls it a self-intersection.
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

describe.each(testHomes())('evacuation plans on the $name home', (home) => {
  let ctx: HomeContext
  let viewer: Session
  let admin: Session
  let villageEditor: Session
  let plan: PlanResponse

  const planFor = async (session: Session, body: unknown) => {
    const response = await session.request('/api/evacuation/plan', { method: 'POST', body })
    expect(response.status, await response.clone().text()).toBe(200)
    return planResponseSchema.parse(await response.json())
  }
  const refused = async (body: unknown, status: number) => {
    const response = await viewer.request('/api/evacuation/plan', { method: 'POST', body })
    expect(response.status, await response.clone().text()).toBe(status)
    return errorBodySchema.parse(await response.json()).error
  }

  beforeAll(async () => {
    ctx = openHome(home)
    ;[viewer, admin, villageEditor] = await Promise.all([
      signIn(ctx.app, 'viewer'),
      signIn(ctx.app, 'admin'),
      signIn(ctx.app, 'village_editor'),
    ])
    plan = await planFor(viewer, { scope: { kind: 'all' } })
  })
  afterAll(async () => {
    await ctx.db.updateTable('facilities').set({ shelter_open: true }).where('kind', '=', 'shelter').execute()
    await ctx.db.deleteFrom('evacuation_routes').where('source', '=', 'computed').execute()
    await ctx.close()
  })

  it('plans every village at risk, placing people only where there is room', async () => {
    const { rows } = await sql<{ n: number }>`
      SELECT count(DISTINCT v.id)::int AS n FROM natural_villages v
      WHERE EXISTS (SELECT 1 FROM hazard_threatened_villages t JOIN hazard_points h ON h.id = t.hazard_point_id WHERE t.natural_village_id = v.id AND h.status <> 'closed')
         OR EXISTS (SELECT 1 FROM hazard_points h WHERE h.status <> 'closed' AND h.danger_zone IS NOT NULL AND ST_DWithin(v.geom::geography, h.danger_zone::geography, 300))`.execute(
      ctx.db,
    )
    expect(plan.villages).toHaveLength(rows[0]!.n)
    expect(plan.summary.persons).toBe(plan.villages.reduce((sum, v) => sum + v.persons, 0))
    expect(plan.assignments.reduce((sum, a) => sum + a.persons, 0)).toBe(plan.summary.placed)
    for (const shelter of plan.shelters) {
      expect(shelter.assigned).toBeLessThanOrEqual(shelter.capacity)
      expect(shelter.assigned).toBe(
        plan.assignments.filter((a) => a.shelterId === shelter.shelterId).reduce((sum, a) => sum + a.persons, 0),
      )
    }
    for (const village of plan.villages) expect(village.placed + village.unplaced).toBe(village.persons)
    expect(plan.summary.placed).toBeGreaterThan(0)
    expect(plan.graph.edges).toBe(
      Number(
        (
          await ctx.db
            .selectFrom('roads')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    )
  })

  it('gives each shelter the smaller of its declared persons and area ÷ 2 m²', async () => {
    const shelters = await ctx.db
      .selectFrom('facilities')
      .select(['id', 'capacity_persons', 'area_m2'])
      .where('kind', '=', 'shelter')
      .execute()
    expect(plan.shelters).toHaveLength(shelters.length)
    for (const row of shelters) {
      const load = plan.shelters.find((s) => s.shelterId === row.id)!
      expect(load.capacity).toBe(Math.min(row.capacity_persons!, Math.floor(Number(row.area_m2) / 2)))
    }
  })

  it('never routes through a danger zone other than the village’s own (checked by PostGIS)', async () => {
    expect(plan.assignments.length).toBeGreaterThan(0)
    const { rows } = await sql<{ village: number; hazard: string }>`
      SELECT a.village, h.code AS hazard
      FROM jsonb_to_recordset(${JSON.stringify(plan.assignments.map((a) => ({ village: a.villageId, geojson: JSON.stringify(a.geometry) })))}::jsonb)
           AS a(village int, geojson text)
      JOIN natural_villages v ON v.id = a.village
      JOIN hazard_points h ON h.status <> 'closed' AND h.danger_zone IS NOT NULL
       AND ST_Intersects(h.danger_zone, ST_SetSRID(ST_GeomFromGeoJSON(a.geojson), 4326))
       AND NOT ST_Intersects(h.danger_zone, v.geom)`.execute(ctx.db)
    expect(rows).toEqual([])
  })

  it('reports overflow for villages without a place, with the places needed', () => {
    for (const entry of plan.overflow) {
      const village = plan.villages.find((v) => v.villageId === entry.villageId)!
      expect(entry.placesNeeded).toBe(village.unplaced)
      expect(village.reason).not.toBeNull()
    }
    expect(plan.overflow.reduce((sum, o) => sum + o.unplaced, 0)).toBe(plan.summary.unplaced)
  })

  it('sends nobody to a closed shelter', async () => {
    const used = plan.shelters.find((s) => s.assigned > 0)!
    const closed = await admin.request(`/api/shelters/${used.shelterId}`, { method: 'PATCH', body: { open: false } })
    expect(closed.status).toBe(200)
    const after = await planFor(viewer, { scope: { kind: 'all' } })
    expect(after.graph.dataVersion).toBeGreaterThan(plan.graph.dataVersion)
    const load = after.shelters.find((s) => s.shelterId === used.shelterId)!
    expect(load).toMatchObject({ open: false, usable: false, assigned: 0 })
    expect(load.problems.map((p) => p.code)).toContain('shelter_closed')
    expect(after.assignments.some((a) => a.shelterId === used.shelterId)).toBe(false)
    await admin.request(`/api/shelters/${used.shelterId}`, { method: 'PATCH', body: { open: true } })
  })

  it('plans a warning: its villages, its area avoided, its shelters unusable', async () => {
    const warning = await ctx.db.selectFrom('warnings').select('id').orderBy('id').executeTakeFirstOrThrow()
    const warned = await planFor(viewer, { scope: { kind: 'warning', warningId: warning.id } })
    const { rows } = await sql<{ id: number }>`
      SELECT v.id FROM natural_villages v JOIN warnings w ON w.id = ${warning.id} AND ST_Intersects(w.geom, v.geom) ORDER BY v.id`.execute(
      ctx.db,
    )
    expect(warned.villages.map((v) => v.villageId).sort((a, b) => a - b)).toEqual(rows.map((r) => r.id))
    const inside = await sql<{ id: number }>`
      SELECT f.id FROM facilities f JOIN warnings w ON w.id = ${warning.id} AND ST_Intersects(w.geom, f.geom) WHERE f.kind = 'shelter'`.execute(
      ctx.db,
    )
    for (const { id } of inside.rows) {
      const load = warned.shelters.find((s) => s.shelterId === id)!
      expect(load.usable).toBe(false)
      expect(load.problems.map((p) => p.code)).toContain('shelter_in_warned_area')
    }
    // Routes start inside the warned area and leave it; none comes back in once out.
    const reentering = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM jsonb_to_recordset(${JSON.stringify(warned.assignments.map((a) => ({ geojson: JSON.stringify(a.geometry) })))}::jsonb) AS a(geojson text)
      JOIN warnings w ON w.id = ${warning.id}
      WHERE ST_NumGeometries(ST_Multi(ST_Intersection(w.geom, ST_SetSRID(ST_GeomFromGeoJSON(a.geojson), 4326)))) > 1`.execute(ctx.db)
    expect(reentering.rows[0]!.n).toBe(0)
  })

  it('plans a subset of villages and a drawn area', async () => {
    const [first] = plan.villages
    const subset = await planFor(viewer, { scope: { kind: 'villages', villageIds: [first!.villageId] } })
    expect(subset.villages.map((v) => v.villageId)).toEqual([first!.villageId])
    const [lon, lat] = first!.location
    const area = await planFor(viewer, { scope: { kind: 'area', area: box(lon - 0.002, lat - 0.002, lon + 0.002, lat + 0.002) } })
    expect(area.villages.map((v) => v.villageId)).toContain(first!.villageId)
  })

  it('refuses bad scopes with a clear 4xx', async () => {
    const invalid = await refused({ scope: { kind: 'area', area: bowtie } }, 400)
    expect(invalid.message).toMatch(/Self-intersection/i)
    expect((await refused({ scope: { kind: 'area', area: box(98, 24, 100, 26) } }, 400)).message).toMatch(/larger than/)
    expect(
      (
        await refused(
          {
            scope: {
              kind: 'area',
              area: {
                type: 'Polygon',
                coordinates: [
                  [
                    [99, 25],
                    [99.1, 25],
                    [99.1, 25.1],
                    [99, 25.1],
                  ],
                ],
              },
            },
          },
          400,
        )
      ).code,
    ).toBe('validation_failed')
    expect((await refused({ scope: { kind: 'warning', warningId: 999_999 } }, 404)).details).toEqual({ unknownIds: [999_999] })
    expect((await refused({ scope: { kind: 'villages', villageIds: [999_998, 999_999] } }, 404)).details).toEqual({
      unknownIds: [999_998, 999_999],
    })
    expect((await refused({ scope: { kind: 'everything' } }, 400)).code).toBe('validation_failed')
  })

  it('saves computed routes beside drawn ones, and replaces drawn ones only when told', async () => {
    const drawn = await ctx.db
      .selectFrom('evacuation_routes')
      .selectAll()
      .where('source', '=', 'drawn')
      .orderBy('id')
      .executeTakeFirstOrThrow()
    const drawnGeometry = (
      await sql<{ g: string }>`SELECT ST_AsEWKT(geom) AS g FROM evacuation_routes WHERE id = ${drawn.id}`.execute(ctx.db)
    ).rows[0]!.g
    const body = { scope: { kind: 'villages', villageIds: [drawn.natural_village_id] } }
    const first = await admin.request('/api/evacuation/plan/save', { method: 'POST', body })
    expect(first.status, await first.clone().text()).toBe(201)
    const saved = planSaveResponseSchema.parse(await first.json())
    expect(saved.saved).toMatchObject({ deletedDrawn: 0, keptDrawn: 1, inserted: saved.plan.assignments.length })
    expect(saved.saved.inserted).toBeGreaterThan(0)
    const routes = await ctx.db
      .selectFrom('evacuation_routes')
      .select(['id', 'source', 'persons'])
      .where('natural_village_id', '=', drawn.natural_village_id)
      .execute()
    expect(routes.filter((r) => r.source === 'drawn')).toHaveLength(1)
    expect(
      routes
        .filter((r) => r.source === 'computed')
        .map((r) => r.id)
        .sort(),
    ).toEqual([...saved.saved.routeIds].sort())
    expect(routes.filter((r) => r.source === 'computed').reduce((sum, r) => sum + r.persons!, 0)).toBe(saved.plan.summary.placed)

    // Saving again replaces the computed ones, still keeping the drawn one.
    const again = planSaveResponseSchema.parse(await (await admin.request('/api/evacuation/plan/save', { method: 'POST', body })).json())
    expect(again.saved).toMatchObject({ replacedComputed: saved.saved.inserted, keptDrawn: 1 })

    const replaced = planSaveResponseSchema.parse(
      await (await admin.request('/api/evacuation/plan/save', { method: 'POST', body: { ...body, replace: true } })).json(),
    )
    expect(replaced.saved).toMatchObject({ deletedDrawn: 1, keptDrawn: 0 })
    expect(await ctx.db.selectFrom('evacuation_routes').select('id').where('id', '=', drawn.id).executeTakeFirst()).toBeUndefined()
    const audit = await ctx.db
      .selectFrom('audit_log')
      .select(['actor', 'entity', 'reason'])
      .where('entity', '=', 'evacuation_plan')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow()
    expect(audit).toEqual({ actor: 'admin', entity: 'evacuation_plan', reason: 'replace_drawn_routes' })
    // Put the drawn route back as it was.
    await sql`INSERT INTO evacuation_routes (id, natural_village_id, hazard_point_id, shelter_id, length_m, walking_minutes, source, geom)
              VALUES (${drawn.id}, ${drawn.natural_village_id}, ${drawn.hazard_point_id}, ${drawn.shelter_id}, ${drawn.length_m}, ${drawn.walking_minutes}, 'drawn', ST_GeomFromEWKT(${drawnGeometry}))`.execute(
      ctx.db,
    )
  })

  it('refuses an editor a plan that reaches outside their villages, and a viewer any save', async () => {
    const scope = (
      await ctx.db.selectFrom('users').select('village_scope').where('username', '=', 'village_editor').executeTakeFirstOrThrow()
    ).village_scope![0]!
    const outside = plan.villages.find((v) => v.adminCode !== scope)!
    const before = await ctx.db
      .selectFrom('evacuation_routes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    const response = await villageEditor.request('/api/evacuation/plan/save', {
      method: 'POST',
      body: { scope: { kind: 'villages', villageIds: [outside.villageId] } },
    })
    expect(response.status).toBe(403)
    expect((await viewer.request('/api/evacuation/plan/save', { method: 'POST', body: { scope: { kind: 'all' } } })).status).toBe(403)
    const after = await ctx.db
      .selectFrom('evacuation_routes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n))
  })

  describe('the route and shelter audit', () => {
    const audit = async () => {
      const response = await viewer.request('/api/evacuation/audit')
      expect(response.status).toBe(200)
      return auditResponseSchema.parse(await response.json())
    }

    it('checks every stored route; drawn routes over 2 km are flagged (PostGIS measures the same)', async () => {
      const result = await audit()
      const { rows } = await sql<{
        id: number
        long: boolean
      }>`SELECT id, ST_Length(geom::geography) > 2000 AS long FROM evacuation_routes ORDER BY id`.execute(ctx.db)
      expect(result.routes.map((r) => r.routeId).sort((a, b) => a - b)).toEqual(rows.map((r) => r.id))
      const flagged = new Set(result.routes.filter((r) => r.problems.some((p) => p.code === 'route_too_long')).map((r) => r.routeId))
      expect(flagged).toEqual(new Set(rows.filter((r) => r.long).map((r) => r.id)))
      expect(flagged.size).toBeGreaterThan(0)
      expect(result.summary.ok + result.summary.withProblems).toBe(rows.length)
    })

    it('flags a route through another village’s danger zone and to a closed shelter, and lists it among the gaps', async () => {
      // A straight line from a village across the middle of a danger zone that does not contain it, to a shelter.
      const { rows } = await sql<{ village: number; hazard: string; shelter: number }>`
        SELECT v.id AS village, h.code AS hazard, s.id AS shelter
        FROM hazard_points h
        JOIN natural_villages v ON NOT ST_Intersects(h.danger_zone, v.geom)
        JOIN facilities s ON s.kind = 'shelter'
        WHERE h.danger_zone IS NOT NULL AND h.status <> 'closed'
          AND ST_Intersects(h.danger_zone, ST_MakeLine(v.geom, s.geom))
        ORDER BY ST_Distance(v.geom, s.geom) LIMIT 1`.execute(ctx.db)
      const planted = rows[0]!
      const inserted = await sql<{ id: number }>`
        INSERT INTO evacuation_routes (natural_village_id, shelter_id, length_m, walking_minutes, source, geom)
        SELECT ${planted.village}, ${planted.shelter}, 100, 2, 'drawn', ST_MakeLine(v.geom, s.geom)
        FROM natural_villages v, facilities s WHERE v.id = ${planted.village} AND s.id = ${planted.shelter}
        RETURNING id`.execute(ctx.db)
      const routeId = inserted.rows[0]!.id
      try {
        await admin.request(`/api/shelters/${planted.shelter}`, { method: 'PATCH', body: { open: false } })
        const route = (await audit()).routes.find((r) => r.routeId === routeId)!
        expect(route.ok).toBe(false)
        const crossing = route.problems.find((p) => p.code === 'route_crosses_zone')!
        expect(crossing.params.zones).toContain(planted.hazard)
        expect(route.problems.find((p) => p.code === 'route_shelter_unusable')!.params.reasons).toContain('shelter_closed')
        const gaps = gapsResponseSchema.parse(await (await viewer.request('/api/gaps?year=2026')).json())
        const gap = gaps.gaps.find((g) => g.kind === 'route_problem' && g.subject.id === routeId)!
        expect(gap.reason.code).toBe('route_problem')
        expect(phraseGapReason(gap.reason).zh).toContain(planted.hazard)
        expect(phraseGapReason(gap.reason).en).toContain('The shelter is closed')
        expect(gaps.counts.route_problem).toBe(gaps.gaps.filter((g) => g.kind === 'route_problem').length)
      } finally {
        await ctx.db.deleteFrom('evacuation_routes').where('id', '=', routeId).execute()
        await admin.request(`/api/shelters/${planted.shelter}`, { method: 'PATCH', body: { open: true } })
      }
    })

    it('finds no zone crossing in the routes a saved plan computed', async () => {
      const saved = planSaveResponseSchema.parse(
        await (await admin.request('/api/evacuation/plan/save', { method: 'POST', body: { scope: { kind: 'all' } } })).json(),
      )
      const result = await audit()
      const computed = result.routes.filter((r) => saved.saved.routeIds.includes(r.routeId))
      expect(computed).toHaveLength(saved.saved.inserted)
      for (const route of computed) {
        expect(route.problems.map((p) => p.code)).not.toContain('route_crosses_zone')
        expect(route.problems.map((p) => p.code)).not.toContain('route_starts_off_network')
        expect(route.problems.map((p) => p.code)).not.toContain('route_ends_off_network')
        expect(route.problems.map((p) => p.code)).not.toContain('route_reenters_own_zone')
      }
      await ctx.db.deleteFrom('evacuation_routes').where('source', '=', 'computed').execute()
    })
  })
})
