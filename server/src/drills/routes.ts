import { createRoute } from '@hono/zod-openapi'
import {
  drillBatchCreateSchema,
  drillBatchResultSchema,
  drillCreateSchema,
  drillListQuerySchema,
  drillListSchema,
  drillSchema,
  drillUpdateSchema,
  type AuditReasonCode,
  type DrillCreate,
} from '@riskatlas/shared'
import type { Transaction } from 'kysely'
import { assertVillageInScope, Forbidden, type Principal } from '../auth/scope.ts'
import type { AppContext } from '../context.ts'
import { floodSeasonRows } from '../coverage/queries.ts'
import type { Database } from '../db/schema.ts'
import { writeAudit } from '../audit/queries.ts'
import { ApiError, NotFound } from '../errors.ts'
import { errorResponse, idParams, jsonResponse } from '../http.ts'
import { router } from '../router.ts'
import { deleteDrill, drillVillage, findDrill, insertDrill, listDrills, toDrill, updateDrill } from './queries.ts'
import { newDrillValues, updatedDrillValues, type DrillValues } from './rules.ts'

const writeErrors = {
  400: errorResponse(
    'Invalid input: unknown village, held date in the future, negative counts, participants above the population, a planned date outside the flood season, unknown fields',
  ),
  403: errorResponse('Not an editor, or the village is outside the editor’s scope'),
}

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['Drills'],
  summary: 'Drills, filtered by season year, village, administrative village or status',
  request: { query: drillListQuerySchema },
  responses: { 200: jsonResponse(drillListSchema, 'Drills ordered by date'), 400: errorResponse('Bad filter') },
})

const createDrillRoute = createRoute({
  method: 'post',
  path: '/',
  tags: ['Drills'],
  summary: 'Plan a drill for a natural village, or record one that was held',
  request: { body: { required: true, content: { 'application/json': { schema: drillCreateSchema } } } },
  responses: { 201: jsonResponse(drillSchema, 'The new drill'), ...writeErrors },
})

const batchRoute = createRoute({
  method: 'post',
  path: '/batch',
  tags: ['Drills'],
  summary: 'Plan several drills at once (“schedule all missing”): all or nothing',
  request: { body: { required: true, content: { 'application/json': { schema: drillBatchCreateSchema } } } },
  responses: { 201: jsonResponse(drillBatchResultSchema, 'The new drills'), ...writeErrors },
})

const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags: ['Drills'],
  summary: 'One drill',
  request: { params: idParams },
  responses: { 200: jsonResponse(drillSchema, 'The drill'), 404: errorResponse('No such drill') },
})

const patchRoute = createRoute({
  method: 'patch',
  path: '/{id}',
  tags: ['Drills'],
  summary: 'Reschedule, record as held (status "held" with heldOn and figures), cancel (status "cancelled") or re-plan a drill',
  request: { params: idParams, body: { required: true, content: { 'application/json': { schema: drillUpdateSchema } } } },
  responses: {
    200: jsonResponse(drillSchema, 'The drill after the change'),
    ...writeErrors,
    404: errorResponse('No such drill'),
    409: errorResponse('A held drill cannot be cancelled or re-planned'),
  },
})

const deleteRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  tags: ['Drills'],
  summary: 'Delete a drill entered by mistake (cancel a real one instead)',
  request: { params: idParams },
  responses: { 204: { description: 'Deleted' }, 403: writeErrors[403], 404: errorResponse('No such drill') },
})

function actor(principal: Principal | undefined): Principal {
  if (!principal) throw new Forbidden('Sign in to change drills.')
  return principal
}

/** What an update did, in the audit log's words. */
function updateReason(before: DrillValues, after: DrillValues): AuditReasonCode {
  if (after.status === 'held' && before.status !== 'held') return 'recorded_as_held'
  if (after.status === 'cancelled' && before.status !== 'cancelled') return 'cancelled'
  if (after.status === 'planned' && before.status === 'cancelled') return 're_planned'
  return 'edited'
}

/** `/api/drills`: plan, record, cancel and list drills. Writes: admin or an editor within scope. */
export function drillRoutes({ db, write, today }: Pick<AppContext, 'db' | 'write' | 'today'>) {
  async function create(trx: Transaction<Database>, principal: Principal, input: DrillCreate) {
    const village = await drillVillage(trx, input.naturalVillageId)
    assertVillageInScope(principal, village.adminCode)
    const values = newDrillValues(input, { village, seasons: await floodSeasonRows(trx), today: today() })
    const id = await insertDrill(trx, village.id, values)
    await writeAudit(trx, principal, {
      action: 'create',
      entity: 'drill',
      entityId: id,
      details: { naturalVillageId: village.id, after: values },
    })
    return id
  }

  async function read(id: number) {
    const row = await findDrill(db, id)
    if (!row) throw new NotFound(`No drill with id ${id}`)
    return toDrill(row, await floodSeasonRows(db))
  }

  return router()
    .openapi(listRoute, async (c) => {
      const drills = await listDrills(db, c.req.valid('query'), await floodSeasonRows(db))
      return c.json({ drills }, 200)
    })
    .openapi(createDrillRoute, async (c) => {
      const principal = actor(c.get('principal'))
      const input = c.req.valid('json')
      const id = await write(async (trx, changed) => {
        const created = await create(trx, principal, input)
        changed({ entity: 'drills', action: 'create', ids: [created] })
        return created
      })
      return c.json(await read(id), 201)
    })
    .openapi(batchRoute, async (c) => {
      const principal = actor(c.get('principal'))
      const { drills } = c.req.valid('json')
      const ids = await write(async (trx, changed) => {
        const created: number[] = []
        for (const [index, input] of drills.entries()) {
          try {
            created.push(await create(trx, principal, input))
          } catch (error) {
            // Name the failing entry; the transaction rolls every earlier one back.
            if (error instanceof ApiError)
              throw new ApiError(error.status, error.code, `drills.${index}: ${error.message}`, {
                index,
                ...(error.details as object | undefined),
              })
            throw error
          }
        }
        changed({ entity: 'drills', action: 'create', ids: created })
        return created
      })
      const seasons = await floodSeasonRows(db)
      const planned = []
      for (const id of ids) planned.push(toDrill((await findDrill(db, id))!, seasons))
      return c.json({ drills: planned }, 201)
    })
    .openapi(getRoute, async (c) => c.json(await read(c.req.valid('param').id), 200))
    .openapi(patchRoute, async (c) => {
      const principal = actor(c.get('principal'))
      const { id } = c.req.valid('param')
      const patch = c.req.valid('json')
      await write(async (trx, changed) => {
        const existing = await findDrill(trx, id, { forUpdate: true })
        if (!existing) throw new NotFound(`No drill with id ${id}`)
        assertVillageInScope(principal, existing.admin_code)
        const village = await drillVillage(trx, existing.natural_village_id)
        const values = updatedDrillValues(existing, patch, { village, seasons: await floodSeasonRows(trx), today: today() })
        await updateDrill(trx, id, values)
        await writeAudit(trx, principal, {
          action: 'update',
          entity: 'drill',
          entityId: id,
          reason: updateReason(existing, values),
          details: { change: patch, after: values },
        })
        changed({ entity: 'drills', action: 'update', ids: [id] })
      })
      return c.json(await read(id), 200)
    })
    .openapi(deleteRoute, async (c) => {
      const principal = actor(c.get('principal'))
      const { id } = c.req.valid('param')
      await write(async (trx, changed) => {
        const existing = await findDrill(trx, id, { forUpdate: true })
        if (!existing) throw new NotFound(`No drill with id ${id}`)
        assertVillageInScope(principal, existing.admin_code)
        await deleteDrill(trx, id)
        await writeAudit(trx, principal, { action: 'delete', entity: 'drill', entityId: id, details: { before: existing } })
        changed({ entity: 'drills', action: 'delete', ids: [id] })
      })
      return c.body(null, 204)
    })
}
