import { VectorTile } from '@mapbox/vector-tile'
import { sql } from 'kysely'
import { PbfReader } from 'pbf'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { editFeatureSchema, editUndoSchema, errorBodySchema, type EditFeature } from '@riskatlas/shared'
import { tileAt } from '../../server/src/tiles/rules.ts'
import { openHome, signIn, testHomes, type HomeContext, type Session } from '../support/homes.ts'

/** Every feature a test adds carries a code with this prefix, so cleanup finds exactly them. */
const prefix = 'EDIT-T-'
let serial = 0
const uniqueCode = () => `${prefix}${Date.now().toString(36)}-${serial++}`

type Position = [number, number]

describe.each(testHomes())('map editing API on the $name home', (home) => {
  let ctx: HomeContext
  let editor: Session
  let viewer: Session
  let villageEditor: Session
  /** A point inside the scoped editor's administrative village, and one in another village. */
  let own: Position
  let other: Position
  let auditBefore = 0

  beforeAll(async () => {
    ctx = openHome(home)
    auditBefore = Number(
      (
        await ctx.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.max('id').as('id'))
          .executeTakeFirst()
      )?.id ?? 0,
    )
    ;[editor, viewer, villageEditor] = await Promise.all([
      signIn(ctx.app, 'editor'),
      signIn(ctx.app, 'viewer'),
      signIn(ctx.app, 'village_editor'),
    ])
    const scope = (
      await ctx.db.selectFrom('users').select('village_scope').where('username', '=', 'village_editor').executeTakeFirstOrThrow()
    ).village_scope![0]!
    const inside = async (where: 'own' | 'other') => {
      const { rows } = await sql<{ lon: number; lat: number }>`
        SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (
          SELECT ST_PointOnSurface(geom) AS p FROM admin_areas
          WHERE level = 'village' AND ${where === 'own' ? sql`code = ${scope}` : sql`code <> ${scope}`} ORDER BY code LIMIT 1) x`.execute(
        ctx.db,
      )
      return [Math.round(Number(rows[0]!.lon) * 1e6) / 1e6, Math.round(Number(rows[0]!.lat) * 1e6) / 1e6] as Position
    }
    own = await inside('own')
    other = await inside('other')
  })

  afterAll(async () => {
    await ctx.db
      .deleteFrom('evacuation_routes')
      .where('hazard_point_id', 'in', ctx.db.selectFrom('hazard_points').select('id').where('code', 'like', `${prefix}%`))
      .execute()
    await ctx.db.deleteFrom('hazard_points').where('code', 'like', `${prefix}%`).execute()
    await ctx.db.deleteFrom('facilities').where('code', 'like', `${prefix}%`).execute()
    await ctx.close()
  })

  const hazard = (code: string, at: Position) => ({
    geometry: { type: 'Point', coordinates: at },
    properties: {
      code,
      name: '编辑测试隐患点',
      kind: 'landslide',
      scale: 'small',
      risk_level: 2,
      threatened_households: 3,
      threatened_people: 11,
      threatened_property_10k_yuan: 12.5,
      monitor_name: null,
      responsible_name: null,
      status: 'active',
    },
  })

  async function created(session: Session, layer: string, body: unknown): Promise<EditFeature> {
    const response = await session.request(`/api/edit/${layer}`, { method: 'POST', body })
    expect(response.status, await response.clone().text()).toBe(201)
    return editFeatureSchema.parse(await response.json())
  }

  async function errorOf(response: Response) {
    return errorBodySchema.parse(await response.json()).error
  }

  async function publicHazard(code: string) {
    const collection = (await (await ctx.app.request('/api/layers/hazard_points')).json()) as {
      features: { id: number; geometry: { coordinates: Position }; properties: { code: string; name: string } }[]
    }
    return collection.features.find((feature) => feature.properties.code === code)
  }

  async function auditRows(id: number, entity: string) {
    return ctx.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'reason', 'details'])
      .where('id', '>', auditBefore)
      .where('entity', '=', entity)
      .where('entity_id', '=', String(id))
      .orderBy('id')
      .execute()
  }

  /** Moved a little, at the 6 decimals the public layer answers with. */
  const moved = (at: Position): Position => [Math.round((at[0] + 0.0004) * 1e6) / 1e6, Math.round((at[1] + 0.0003) * 1e6) / 1e6]

  it('adds a hazard point that the public layer then shows, audited with no before and the after', async () => {
    const code = uniqueCode()
    const feature = await created(editor, 'hazard_points', hazard(code, own))
    expect(feature.geometry).toEqual({ type: 'Point', coordinates: own })
    expect(feature.properties).toMatchObject({ code, name: '编辑测试隐患点', risk_level: 2, threatened_property_10k_yuan: 12.5 })
    expect((await publicHazard(code))?.id).toBe(feature.id)
    const [row, ...more] = await auditRows(feature.id, 'hazard_point')
    expect(more).toEqual([])
    expect(row).toMatchObject({ actor: 'editor', action: 'create', reason: 'map_edit' })
    expect((row!.details as { before: unknown; after: { properties: { code: string } } }).before).toBeNull()
    expect((row!.details as { after: { properties: { code: string } } }).after.properties.code).toBe(code)
  })

  it('moves a point (the layer follows), refuses a stale version with 409, and undo puts it back', async () => {
    const code = uniqueCode()
    const feature = await created(editor, 'hazard_points', hazard(code, own))
    const target = moved(own)
    const patch = await editor.request(`/api/edit/hazard_points/${feature.id}`, {
      method: 'PATCH',
      body: { version: feature.version, geometry: { type: 'Point', coordinates: target } },
    })
    expect(patch.status).toBe(200)
    const after = editFeatureSchema.parse(await patch.json())
    expect(after.geometry.coordinates).toEqual(target)
    expect(after.version).not.toBe(feature.version)
    expect((await publicHazard(code))?.geometry.coordinates).toEqual(target)

    const stale = await editor.request(`/api/edit/hazard_points/${feature.id}`, {
      method: 'PATCH',
      body: { version: feature.version, properties: { name: '过期的修改' } },
    })
    expect(stale.status).toBe(409)
    expect((await errorOf(stale)).code).toBe('conflict')

    const [, update] = await auditRows(feature.id, 'hazard_point')
    const details = update!.details as { before: { geometry: unknown }; after: { geometry: unknown } }
    expect(details.before.geometry).toEqual(feature.geometry)
    expect(details.after.geometry).toEqual(after.geometry)

    const undo = await editor.request('/api/edit/undo', { method: 'POST' })
    expect(undo.status).toBe(200)
    const undone = editUndoSchema.parse(await undo.json())
    expect(undone.undone).toEqual({ layer: 'hazard_points', id: feature.id, action: 'update' })
    expect(undone.feature?.geometry).toEqual(feature.geometry)
    const back = (await publicHazard(code))!.geometry.coordinates
    expect(back[0]).toBeCloseTo(own[0], 6)
    expect(back[1]).toBeCloseTo(own[1], 6)
    expect((await auditRows(feature.id, 'hazard_point')).map((row) => [row.action, row.reason])).toEqual([
      ['create', 'map_edit'],
      ['update', 'map_edit'],
      ['update', 'map_edit_undone'],
    ])
  })

  it('edits attributes with the shared schema: a bad value is a 400 naming the field', async () => {
    const feature = await created(editor, 'hazard_points', hazard(uniqueCode(), own))
    const bad = await editor.request(`/api/edit/hazard_points/${feature.id}`, { method: 'PATCH', body: { properties: { risk_level: 7 } } })
    expect(bad.status).toBe(400)
    const error = await errorOf(bad)
    expect(error.code).toBe('validation_failed')
    expect((error.details as { issues: { path: string }[] }).issues.map((issue) => issue.path)).toContain('properties.risk_level')
    const good = await editor.request(`/api/edit/hazard_points/${feature.id}`, {
      method: 'PATCH',
      body: { properties: { name: '改名后的隐患点', risk_level: 4 } },
    })
    expect(good.status).toBe(200)
    expect(editFeatureSchema.parse(await good.json()).properties).toMatchObject({ name: '改名后的隐患点', risk_level: 4 })
  })

  it('deletes a feature (gone from the layer) and undo brings it back under the same id', async () => {
    const code = uniqueCode()
    const feature = await created(editor, 'hazard_points', hazard(code, own))
    const removed = await editor.request(`/api/edit/hazard_points/${feature.id}?version=${feature.version}`, { method: 'DELETE' })
    expect(removed.status).toBe(204)
    expect(await publicHazard(code)).toBeUndefined()
    expect((await editor.request(`/api/edit/hazard_points/${feature.id}`)).status).toBe(404)
    const undo = editUndoSchema.parse(await (await editor.request('/api/edit/undo', { method: 'POST' })).json())
    expect(undo.undone).toEqual({ layer: 'hazard_points', id: feature.id, action: 'delete' })
    expect((await publicHazard(code))?.id).toBe(feature.id)
    // The create is next in line: undoing it removes the point again.
    const second = editUndoSchema.parse(await (await editor.request('/api/edit/undo', { method: 'POST' })).json())
    expect(second).toEqual({ undone: { layer: 'hazard_points', id: feature.id, action: 'create' }, feature: null })
    expect(await publicHazard(code)).toBeUndefined()
  })

  it('refuses an undo when someone else changed the feature after the edit', async () => {
    const feature = await created(villageEditor, 'hazard_points', hazard(uniqueCode(), own))
    const byOther = await editor.request(`/api/edit/hazard_points/${feature.id}`, {
      method: 'PATCH',
      body: { properties: { name: '别人改过' } },
    })
    expect(byOther.status).toBe(200)
    const undo = await villageEditor.request('/api/edit/undo', { method: 'POST' })
    expect(undo.status).toBe(409)
    expect((await editor.request(`/api/edit/hazard_points/${feature.id}`)).status).toBe(200)
  })

  it('refuses invalid geometry: outside the town, a zero-length line, a self-intersecting polygon', async () => {
    const outside = await editor.request('/api/edit/hazard_points', { method: 'POST', body: hazard(uniqueCode(), [116.39, 39.9]) })
    expect(outside.status).toBe(400)
    expect(JSON.stringify((await errorOf(outside)).details)).toContain('outside_town')

    const shelter = await ctx.db
      .selectFrom('facilities')
      .select('code')
      .where('kind', '=', 'shelter')
      .orderBy('id')
      .executeTakeFirstOrThrow()
    const village = await ctx.db.selectFrom('natural_villages').select('code').orderBy('id').executeTakeFirstOrThrow()
    const zeroLength = await editor.request('/api/edit/evacuation_routes', {
      method: 'POST',
      body: {
        geometry: { type: 'LineString', coordinates: [own, own] },
        properties: { village_code: village.code, shelter_code: shelter.code, hazard_code: null },
      },
    })
    expect(zeroLength.status).toBe(400)
    expect(JSON.stringify((await errorOf(zeroLength)).details)).toContain('invalid_geometry')

    const point = await created(editor, 'hazard_points', hazard(uniqueCode(), own))
    const d = 0.002
    const bowtie = [
      [own[0] - d, own[1] - d],
      [own[0] + d, own[1] + d],
      [own[0] + d, own[1] - d],
      [own[0] - d, own[1] + d],
      [own[0] - d, own[1] - d],
    ]
    const selfIntersecting = await editor.request('/api/edit/danger_zones', {
      method: 'POST',
      body: { geometry: { type: 'Polygon', coordinates: [bowtie] }, properties: { hazard_code: point.properties.code } },
    })
    expect(selfIntersecting.status).toBe(400)
    const error = await errorOf(selfIntersecting)
    expect(error.message).toMatch(/Self-intersection/i)
    expect(JSON.stringify(error)).not.toMatch(/ST_|SELECT|at .*\.ts/)

    const empty = await editor.request('/api/edit/hazard_points', {
      method: 'POST',
      body: { ...hazard(uniqueCode(), own), geometry: { type: 'Point', coordinates: [] } },
    })
    expect(empty.status).toBe(400)
  })

  it('lets viewers edit nothing and scoped editors only inside their villages', async () => {
    expect((await viewer.request('/api/edit/hazard_points', { method: 'POST', body: hazard(uniqueCode(), own) })).status).toBe(403)
    expect((await villageEditor.request('/api/edit/hazard_points', { method: 'POST', body: hazard(uniqueCode(), other) })).status).toBe(403)
    const inScope = await created(villageEditor, 'hazard_points', hazard(uniqueCode(), own))
    // Moving it out of the scope is refused too, and so is touching the town editor's point elsewhere.
    const out = await villageEditor.request(`/api/edit/hazard_points/${inScope.id}`, {
      method: 'PATCH',
      body: { geometry: { type: 'Point', coordinates: other } },
    })
    expect(out.status).toBe(403)
    const elsewhere = await created(editor, 'hazard_points', hazard(uniqueCode(), other))
    expect((await villageEditor.request(`/api/edit/hazard_points/${elsewhere.id}`, { method: 'DELETE' })).status).toBe(403)
    expect((await viewer.request(`/api/edit/hazard_points/${elsewhere.id}`, { method: 'DELETE' })).status).toBe(403)
    expect((await editor.request(`/api/edit/hazard_points/${elsewhere.id}`)).status).toBe(200)
  })

  it('draws and reshapes an evacuation route: length follows the line', async () => {
    const shelter = await ctx.db
      .selectFrom('facilities')
      .select('code')
      .where('kind', '=', 'shelter')
      .orderBy('id')
      .executeTakeFirstOrThrow()
    const village = await ctx.db
      .selectFrom('natural_villages')
      .select(['code', 'geom'])
      .select(sql<number>`ST_X(geom)`.as('lon'))
      .select(sql<number>`ST_Y(geom)`.as('lat'))
      .orderBy('id')
      .executeTakeFirstOrThrow()
    const start: Position = [Number(village.lon), Number(village.lat)]
    const route = await created(editor, 'evacuation_routes', {
      geometry: { type: 'LineString', coordinates: [start, [start[0] + 0.003, start[1]]] },
      properties: { village_code: village.code, shelter_code: shelter.code, hazard_code: null },
    })
    const stored = async () =>
      ctx.db.selectFrom('evacuation_routes').select(['length_m', 'source']).where('id', '=', route.id).executeTakeFirstOrThrow()
    const first = await stored()
    expect(first.source).toBe('drawn')
    expect(Number(first.length_m)).toBeGreaterThan(250)
    expect(Number(first.length_m)).toBeLessThan(350)
    const reshaped = await editor.request(`/api/edit/evacuation_routes/${route.id}`, {
      method: 'PATCH',
      body: {
        version: route.version,
        geometry: { type: 'LineString', coordinates: [start, [start[0] + 0.003, start[1]], [start[0] + 0.003, start[1] + 0.003]] },
      },
    })
    expect(reshaped.status).toBe(200)
    expect(Number((await stored()).length_m)).toBeGreaterThan(550)
    const unknown = await editor.request(`/api/edit/evacuation_routes/${route.id}`, {
      method: 'PATCH',
      body: { properties: { shelter_code: 'NO-SUCH-SHELTER' } },
    })
    expect(unknown.status).toBe(400)
    expect(JSON.stringify((await errorOf(unknown)).details)).toContain('properties.shelter_code')
    expect((await editor.request(`/api/edit/evacuation_routes/${route.id}`, { method: 'DELETE' })).status).toBe(204)
    expect(await ctx.db.selectFrom('evacuation_routes').select('id').where('id', '=', route.id).executeTakeFirst()).toBeUndefined()
  })

  it('draws a danger zone on a hazard point, the vector tile shows it, reshape and delete follow', async () => {
    const point = await created(editor, 'hazard_points', hazard(uniqueCode(), own))
    const d = 0.001
    const square = (size: number) => [
      [
        [own[0] - size, own[1] - size],
        [own[0] + size, own[1] - size],
        [own[0] + size, own[1] + size],
        [own[0] - size, own[1] + size],
        [own[0] - size, own[1] - size],
      ],
    ]
    const zone = await created(editor, 'danger_zones', {
      geometry: { type: 'Polygon', coordinates: square(d) },
      properties: { hazard_code: point.properties.code },
    })
    expect(zone.id).toBe(point.id)
    expect(zone.geometry.type).toBe('MultiPolygon')
    const again = await editor.request('/api/edit/danger_zones', {
      method: 'POST',
      body: { geometry: { type: 'Polygon', coordinates: square(d) }, properties: { hazard_code: point.properties.code } },
    })
    expect(again.status).toBe(409)

    const { z, x, y } = tileAt(own[0], own[1], 14)
    const zonesInTile = async () => {
      const body = new Uint8Array(await (await ctx.app.request(`/tiles/danger_zones/${z}/${x}/${y}.mvt`)).arrayBuffer())
      if (body.byteLength === 0) return []
      const layer = new VectorTile(new PbfReader(body)).layers.danger_zones
      return Array.from({ length: layer?.length ?? 0 }, (_, i) => layer!.feature(i).properties.hazard_code)
    }
    expect(await zonesInTile()).toContain(point.properties.code)

    const reshaped = await editor.request(`/api/edit/danger_zones/${zone.id}`, {
      method: 'PATCH',
      body: { version: zone.version, geometry: { type: 'Polygon', coordinates: square(2 * d) } },
    })
    expect(reshaped.status).toBe(200)
    const area = async () =>
      Number(
        (await sql<{ a: number }>`SELECT ST_Area(danger_zone::geography) AS a FROM hazard_points WHERE id = ${point.id}`.execute(ctx.db))
          .rows[0]!.a,
      )
    const bigger = await area()
    expect(bigger).toBeGreaterThan(150_000)
    expect((await editor.request(`/api/edit/danger_zones/${zone.id}`, { method: 'DELETE' })).status).toBe(204)
    expect(await zonesInTile()).not.toContain(point.properties.code)
    expect((await editor.request(`/api/edit/hazard_points/${point.id}`)).status).toBe(200)
    const undo = editUndoSchema.parse(await (await editor.request('/api/edit/undo', { method: 'POST' })).json())
    expect(undo.undone).toEqual({ layer: 'danger_zones', id: point.id, action: 'delete' })
    expect(await area()).toBeCloseTo(bigger, -2)
    expect(await zonesInTile()).toContain(point.properties.code)
  })

  it('moves a facility and refuses deleting one other records depend on', async () => {
    const facility = await created(editor, 'facilities', {
      geometry: { type: 'Point', coordinates: own },
      properties: { code: uniqueCode(), name: '编辑测试安置点', kind: 'shelter', address: null, capacity_persons: 120, area_m2: 300 },
    })
    const target = moved(own)
    const patch = await editor.request(`/api/edit/facilities/${facility.id}`, {
      method: 'PATCH',
      body: { geometry: { type: 'Point', coordinates: target } },
    })
    expect(editFeatureSchema.parse(await patch.json()).geometry.coordinates).toEqual(target)
    const used = await ctx.db.selectFrom('evacuation_routes').select('shelter_id').orderBy('id').executeTakeFirstOrThrow()
    const refused = await editor.request(`/api/edit/facilities/${used.shelter_id}`, { method: 'DELETE' })
    expect(refused.status).toBe(409)
    expect((await editor.request(`/api/edit/facilities/${facility.id}`, { method: 'DELETE' })).status).toBe(204)
  })
})
