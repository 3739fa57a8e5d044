import { createRoute, z } from '@hono/zod-openapi'
import {
  editAttributeSchemas,
  editCreateSchemas,
  editFeatureSchema,
  editLayerParamsSchema,
  editUndoSchema,
  editUpdateSchemas,
  type AuditEntity,
  type EditFeature,
  type EditLayer,
} from '@riskatlas/shared'
import { writeAudit } from '../audit/queries.ts'
import { assertAreaInScope, Forbidden, type Principal } from '../auth/scope.ts'
import type { AppContext } from '../context.ts'
import { Conflict, NotFound } from '../errors.ts'
import { errorResponse, idParams, jsonResponse, validationHook } from '../http.ts'
import { noStore, router } from '../router.ts'
import {
  checkGeometry,
  editStores,
  editTables,
  editTrail,
  featureOf,
  lastEditOf,
  lockEditorUndo,
  readOrThrow,
  type EditLayerStore,
  type EditValues,
  type Placed,
} from './queries.ts'

const tags = ['Editing']
const featureParams = editLayerParamsSchema.extend(idParams.shape)
const anyBody = { required: true, content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } } as const
const writeErrors = {
  400: errorResponse(
    'Invalid attributes or geometry (self-intersecting, empty, outside the town), an unknown village, shelter or hazard code',
  ),
  403: errorResponse('Not an editor, or the feature is (or would be) outside the editor’s villages'),
  404: errorResponse('No such feature'),
  409: errorResponse('The feature changed since the version sent, the code is already used, or other records depend on it'),
}

const createFeatureRoute = createRoute({
  method: 'post',
  path: '/{layer}',
  tags,
  summary: 'Add a feature: `{ geometry, properties }` validated by the layer’s shared schema',
  middleware: [noStore] as const,
  request: { params: editLayerParamsSchema, body: anyBody },
  responses: { 201: jsonResponse(editFeatureSchema, 'The new feature'), ...writeErrors },
})
const getFeatureRoute = createRoute({
  method: 'get',
  path: '/{layer}/{id}',
  tags,
  summary: 'A feature as the editor edits it, with its version',
  middleware: [noStore] as const,
  request: { params: featureParams },
  responses: { 200: jsonResponse(editFeatureSchema, 'The feature'), 404: errorResponse('No such feature') },
})
const patchFeatureRoute = createRoute({
  method: 'patch',
  path: '/{layer}/{id}',
  tags,
  summary: 'Move or reshape a feature and/or change attributes: `{ version?, geometry?, properties? }`',
  middleware: [noStore] as const,
  request: { params: featureParams, body: anyBody },
  responses: { 200: jsonResponse(editFeatureSchema, 'The feature after the change'), ...writeErrors },
})
const deleteFeatureRoute = createRoute({
  method: 'delete',
  path: '/{layer}/{id}',
  tags,
  summary: 'Delete a feature (a danger zone: clear the hazard point’s zone)',
  request: { params: featureParams, query: z.object({ version: z.string().min(1).optional() }) },
  responses: { 204: { description: 'Deleted' }, 403: writeErrors[403], 404: writeErrors[404], 409: writeErrors[409] },
})
const undoRoute = createRoute({
  method: 'post',
  path: '/undo',
  tags,
  summary: 'Undo the caller’s last map edit not yet undone — refused (409) when something newer changed the feature',
  middleware: [noStore] as const,
  responses: {
    200: jsonResponse(editUndoSchema, 'What was undone and the feature now'),
    403: writeErrors[403],
    404: errorResponse('Nothing to undo'),
    409: errorResponse('The feature changed since that edit'),
  },
})

const auditEntities: Record<EditLayer, AuditEntity> = {
  hazard_points: 'hazard_point',
  facilities: 'facility',
  evacuation_routes: 'evacuation_route',
  danger_zones: 'danger_zone',
}

/** The audit entities whose features share one row (and so one version). */
const sharedRows: Record<EditLayer, AuditEntity[]> = {
  hazard_points: ['hazard_point', 'danger_zone'],
  danger_zones: ['hazard_point', 'danger_zone'],
  facilities: ['facility'],
  evacuation_routes: ['evacuation_route'],
}

function actor(principal: Principal | undefined): Principal {
  if (!principal) throw new Forbidden('Sign in to edit the map.')
  return principal
}

/** Parses a body with the layer's schema; a failure is answered like any failed request schema (400 with issues). */
function parseBody<T>(schema: z.ZodType<T>, body: unknown, c: unknown): T {
  const parsed = schema.safeParse(body)
  if (!parsed.success) validationHook(parsed as never, c as never)
  return parsed.data as T
}

function assertVersion(current: Placed, version: string | undefined): void {
  if (version !== undefined && version !== current.snapshot.version)
    throw new Conflict('Someone changed this feature after you opened it: reload it and edit again.', {
      version: current.snapshot.version,
    })
}

/** Points take their administrative village from where they stand; unmoved, they keep the one they have. */
async function targetArea(store: EditLayerStore, trx: Parameters<EditLayerStore['read']>[0], values: EditValues, current?: Placed) {
  const unmoved = current && JSON.stringify(values.geometry) === JSON.stringify(current.snapshot.geometry)
  const sameAttributes = current && JSON.stringify(values.properties) === JSON.stringify(current.snapshot.properties)
  if (unmoved && sameAttributes) return current.adminCode
  if (unmoved && values.geometry.type === 'Point') return current.adminCode
  return store.adminCodeOf(trx, values as never)
}

/**
 * `/api/edit`: editing on the map. Editors and admins add, move, reshape and delete features of
 * the editable layers within their villages; every change is one transaction, audited with the
 * feature before and after, and published (the data version it raises refreshes the tile and
 * answer caches). `POST /undo` reverts the caller's last edit from that audit row.
 */
export function editRoutes({ write, db, evacuation }: Pick<AppContext, 'write' | 'db' | 'evacuation'>) {
  const stores = editStores(evacuation.walkingSpeedKmh) as Record<EditLayer, EditLayerStore>
  return router()
    .openapi(undoRoute, async (c) => {
      const principal = actor(c.get('principal'))
      const result = await write(async (trx, changed) => {
        await lockEditorUndo(trx, principal.username)
        const last = await lastEditOf(trx, principal.username)
        if (!last) throw new NotFound('There is no map edit of yours to undo.')
        const store = stores[last.layer]
        const id = (last.after ?? last.before)!.id
        const current = await store.read(trx, id)
        const trail = await editTrail(trx, sharedRows[last.layer], id, last)
        const changedSince = () => new Conflict('The feature was changed after your edit; it cannot be undone.', { layer: last.layer, id })
        if (trail.newerInForce) throw changedSince()
        let restored: Placed | undefined
        if (last.action === 'delete') {
          if (current) throw changedSince()
          const values = { ...last.before!, stored: last.before!.stored }
          assertAreaInScope(principal, await store.adminCodeOf(trx, values as never))
          await store.insert(trx, values as never, id)
          restored = await store.read(trx, id)
        } else {
          if (!current || current.snapshot.version !== trail.expectedVersion) throw changedSince()
          assertAreaInScope(principal, current.adminCode)
          if (last.action === 'create') await store.remove(trx, id)
          else {
            const values = { ...last.before!, stored: last.before!.stored }
            assertAreaInScope(principal, await store.adminCodeOf(trx, values as never))
            await store.update(trx, id, values as never, current)
            restored = await store.read(trx, id)
          }
        }
        const inverse = ({ create: 'delete', update: 'update', delete: 'create' } as const)[last.action]
        await writeAudit(trx, principal, {
          action: inverse,
          entity: auditEntities[last.layer],
          entityId: id,
          reason: 'map_edit_undone',
          details: { undoes: last.auditId, layer: last.layer, before: current?.snapshot ?? null, after: restored?.snapshot ?? null },
        })
        const zone = last.layer === 'danger_zones'
        changed({ entity: editTables[last.layer], action: zone ? 'update' : inverse, ids: [id] })
        return {
          undone: { layer: last.layer, id, action: last.action },
          feature: restored ? featureOf(last.layer, restored.snapshot) : null,
        }
      })
      return c.json(result, 200)
    })
    .openapi(createFeatureRoute, async (c) => {
      const principal = actor(c.get('principal'))
      const { layer } = c.req.valid('param')
      const input = parseBody(editCreateSchemas[layer] as z.ZodType<EditValues>, c.req.valid('json'), c)
      const store = stores[layer]
      const feature = await write(async (trx, changed): Promise<EditFeature> => {
        await checkGeometry(trx, layer, input.geometry)
        assertAreaInScope(principal, await store.adminCodeOf(trx, input as never))
        const id = await store.insert(trx, input as never)
        const after = await readOrThrow(store, trx, layer, id)
        await writeAudit(trx, principal, {
          action: 'create',
          entity: auditEntities[layer],
          entityId: id,
          reason: 'map_edit',
          details: { layer, before: null, after: after.snapshot },
        })
        changed({ entity: editTables[layer], action: layer === 'danger_zones' ? 'update' : 'create', ids: [id] })
        return featureOf(layer, after.snapshot)
      })
      return c.json(feature, 201)
    })
    .openapi(getFeatureRoute, async (c) => {
      const { layer, id } = c.req.valid('param')
      return c.json(featureOf(layer, (await readOrThrow(stores[layer], db, layer, id)).snapshot), 200)
    })
    .openapi(patchFeatureRoute, async (c) => {
      const principal = actor(c.get('principal'))
      const { layer, id } = c.req.valid('param')
      const patch = parseBody(editUpdateSchemas[layer] as z.ZodType<Partial<EditValues> & { version?: string }>, c.req.valid('json'), c)
      const store = stores[layer]
      const feature = await write(async (trx, changed): Promise<EditFeature> => {
        const current = await readOrThrow(store, trx, layer, id)
        assertVersion(current, patch.version)
        assertAreaInScope(principal, current.adminCode)
        const properties = parseBody(
          editAttributeSchemas[layer] as z.ZodType<EditValues['properties']>,
          { ...current.snapshot.properties, ...patch.properties },
          c,
        )
        const values: EditValues = { geometry: patch.geometry ?? current.snapshot.geometry, properties }
        if (patch.geometry) await checkGeometry(trx, layer, patch.geometry)
        assertAreaInScope(principal, await targetArea(store, trx, values, current))
        await store.update(trx, id, values as never, current)
        const after = await readOrThrow(store, trx, layer, id)
        await writeAudit(trx, principal, {
          action: 'update',
          entity: auditEntities[layer],
          entityId: id,
          reason: 'map_edit',
          details: { layer, before: current.snapshot, after: after.snapshot },
        })
        changed({ entity: editTables[layer], action: 'update', ids: [id] })
        return featureOf(layer, after.snapshot)
      })
      return c.json(feature, 200)
    })
    .openapi(deleteFeatureRoute, async (c) => {
      const principal = actor(c.get('principal'))
      const { layer, id } = c.req.valid('param')
      const { version } = c.req.valid('query')
      const store = stores[layer]
      await write(async (trx, changed) => {
        const current = await readOrThrow(store, trx, layer, id)
        assertVersion(current, version)
        assertAreaInScope(principal, current.adminCode)
        await store.remove(trx, id)
        await writeAudit(trx, principal, {
          action: 'delete',
          entity: auditEntities[layer],
          entityId: id,
          reason: 'map_edit',
          details: { layer, before: current.snapshot, after: null },
        })
        changed({ entity: editTables[layer], action: layer === 'danger_zones' ? 'update' : 'delete', ids: [id] })
      })
      return c.body(null, 204)
    })
}
