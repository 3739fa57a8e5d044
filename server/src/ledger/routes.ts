import { createRoute, z } from '@hono/zod-openapi'
import {
  fourListTitle,
  hiddenDangerCreateSchema,
  hiddenDangerListQuerySchema,
  hiddenDangerListSchema,
  hiddenDangerSchema,
  hiddenDangerTransitionSchema,
  hiddenDangerUpdateSchema,
  fourListParamsSchema,
  fourListQuerySchema,
  fourListSchema,
  ledgerRecordCreateSchema,
  ledgerRecordCreatedSchema,
  ledgerRecordKinds,
  ledgerRecordParamsSchema,
  ledgerRecordSchema,
  ledgerRecordsSchema,
  ledgerRecordUpdateSchemas,
  periodQuerySchema,
  photoQuerySchema,
  photoUploadSchema,
  rectificationRatesQuerySchema,
  rectificationRatesSchema,
  safetyPlaceCardSchema,
  safetyPlaceListQuerySchema,
  safetyPlaceListSchema,
  safetyPlaceCreateSchema,
  safetyPlaceSchema,
  safetyPlaceUpdateSchema,
  type LedgerRecordValues,
} from '@riskatlas/shared'
import { writeAudit } from '../audit/queries.ts'
import { assertAreaInScope, Forbidden, type Principal } from '../auth/scope.ts'
import type { AppContext } from '../context.ts'
import { Conflict, Invalid } from '../errors.ts'
import { errorResponse, idParams, jsonResponse, validationHook } from '../http.ts'
import { jsonText, noStore, router } from '../router.ts'
import { periodOf } from '../summary/period.ts'
import {
  checkRecordReferences,
  dangerDates,
  deleteDanger,
  deleteRecord,
  findDanger,
  findPlace,
  insertDanger,
  insertPhoto,
  insertRecord,
  listDangers,
  listPlaces,
  listRecords,
  openDangerFeatures,
  placeForWrite,
  placeScope,
  readPhoto,
  recordForWrite,
  recordVillages,
  rectificationRates,
  registerTable,
  updateDanger,
  updateRecord,
  placeReferences,
  deleteSafetyPlace,
} from './queries.ts'
import { fourList, fourListWorkbook } from './lists.ts'
import { insertSafetyPlace, placeAuditRecord, updateSafetyPlace } from '../people/queries.ts'
import { checkDangerRecord, checkPhoto, transitionDanger } from './rules.ts'

const tags = ['Ledger']
const writeErrors = {
  400: errorResponse(
    'Invalid input: unknown place, dates out of order (rectified before found …), going back without a reason, unknown fields',
  ),
  403: errorResponse('Not an editor, or the place is outside the editor’s villages'),
}

const placesRoute = createRoute({
  method: 'get',
  path: '/places',
  tags,
  summary: 'Enterprises and places of the safety ledger (responsible person masked below editor)',
  middleware: [noStore] as const,
  request: { query: safetyPlaceListQuerySchema },
  responses: { 200: jsonResponse(safetyPlaceListSchema, 'Places by code'), 400: errorResponse('Bad filter') },
})
const placeRoute = createRoute({
  method: 'get',
  path: '/places/{id}',
  tags,
  summary: 'A place’s card: the place and its hidden dangers with their state',
  middleware: [noStore] as const,
  request: { params: idParams },
  responses: { 200: jsonResponse(safetyPlaceCardSchema, 'The place and its dangers'), 404: errorResponse('No such place') },
})
const createPlaceRoute = createRoute({
  method: 'post',
  path: '/places',
  tags,
  summary: 'Add an enterprise or place to the ledger',
  middleware: [noStore] as const,
  request: { body: { required: true, content: { 'application/json': { schema: safetyPlaceCreateSchema } } } },
  responses: { 201: jsonResponse(safetyPlaceSchema, 'The new place'), ...writeErrors },
})
const patchPlaceRoute = createRoute({
  method: 'patch',
  path: '/places/{id}',
  tags,
  summary: 'Correct a place’s record (name, kind, location, industry, responsible person)',
  middleware: [noStore] as const,
  request: { params: idParams, body: { required: true, content: { 'application/json': { schema: safetyPlaceUpdateSchema } } } },
  responses: { 200: jsonResponse(safetyPlaceSchema, 'The place after the change'), ...writeErrors, 404: errorResponse('No such place') },
})
const deletePlaceRoute = createRoute({
  method: 'delete',
  path: '/places/{id}',
  tags,
  summary: 'Delete a place entered by mistake (refused while any ledger row cites it)',
  request: { params: idParams },
  responses: {
    204: { description: 'Deleted' },
    403: writeErrors[403],
    404: errorResponse('No such place'),
    409: errorResponse('Ledger rows cite the place (details.references counts them by register)'),
  },
})
const dangersRoute = createRoute({
  method: 'get',
  path: '/dangers',
  tags,
  summary: 'Hidden dangers (隐患台账), filtered',
  middleware: [noStore] as const,
  request: { query: hiddenDangerListQuerySchema },
  responses: { 200: jsonResponse(hiddenDangerListSchema, 'Most recently found first'), 400: errorResponse('Bad filter') },
})
const overdueRoute = createRoute({
  method: 'get',
  path: '/overdue',
  tags,
  summary: 'Open hidden dangers past their deadline, oldest deadline first',
  middleware: [noStore] as const,
  responses: { 200: jsonResponse(hiddenDangerListSchema, 'Overdue dangers') },
})
const ratesRoute = createRoute({
  method: 'get',
  path: '/rates',
  tags,
  summary: 'Rectification rate per administrative village and per kind of place',
  request: { query: rectificationRatesQuerySchema },
  responses: { 200: jsonResponse(rectificationRatesSchema, 'Rates'), 400: errorResponse('Bad period') },
})
const mapRoute = createRoute({
  method: 'get',
  path: '/map',
  tags,
  summary: 'Open and overdue hidden dangers as GeoJSON, for signed-in staff (no names)',
  responses: {
    200: {
      description: 'FeatureCollection',
      content: { 'application/geo+json': { schema: z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) }) } },
    },
  },
})
const createDangerRoute = createRoute({
  method: 'post',
  path: '/dangers',
  tags,
  summary: 'Record a hidden danger found (status open)',
  middleware: [noStore] as const,
  request: { body: { required: true, content: { 'application/json': { schema: hiddenDangerCreateSchema } } } },
  responses: { 201: jsonResponse(hiddenDangerSchema, 'The new danger'), ...writeErrors },
})
const getDangerRoute = createRoute({
  method: 'get',
  path: '/dangers/{id}',
  tags,
  summary: 'One hidden danger',
  middleware: [noStore] as const,
  request: { params: idParams },
  responses: { 200: jsonResponse(hiddenDangerSchema, 'The danger'), 404: errorResponse('No such danger') },
})
const patchDangerRoute = createRoute({
  method: 'patch',
  path: '/dangers/{id}',
  tags,
  summary: 'Correct a hidden danger’s record (its status changes through /transition)',
  middleware: [noStore] as const,
  request: { params: idParams, body: { required: true, content: { 'application/json': { schema: hiddenDangerUpdateSchema } } } },
  responses: { 200: jsonResponse(hiddenDangerSchema, 'The danger after the change'), ...writeErrors, 404: errorResponse('No such danger') },
})
const deleteDangerRoute = createRoute({
  method: 'delete',
  path: '/dangers/{id}',
  tags,
  summary: 'Delete a hidden danger entered by mistake',
  request: { params: idParams },
  responses: { 204: { description: 'Deleted' }, 403: writeErrors[403], 404: errorResponse('No such danger') },
})
const transitionRoute = createRoute({
  method: 'post',
  path: '/dangers/{id}/transition',
  tags,
  summary: 'Move a hidden danger to rectifying or rectified (or back, with a reason)',
  middleware: [noStore] as const,
  request: { params: idParams, body: { required: true, content: { 'application/json': { schema: hiddenDangerTransitionSchema } } } },
  responses: {
    200: jsonResponse(hiddenDangerSchema, 'The danger after the change'),
    ...writeErrors,
    404: errorResponse('No such danger'),
    409: errorResponse('Already in that status'),
  },
})
const photoUploadRoute = createRoute({
  method: 'post',
  path: '/dangers/{id}/photos',
  tags,
  summary: 'Upload a before/after photo (the body is the image: JPEG, PNG or WebP, at most 5 MB)',
  request: { params: idParams, query: photoQuerySchema },
  responses: {
    201: jsonResponse(photoUploadSchema, 'The stored photo'),
    ...writeErrors,
    404: errorResponse('No such danger'),
    413: errorResponse('Larger than 5 MB'),
    415: errorResponse('Not a JPEG, PNG or WebP image'),
  },
})
const photoRoute = createRoute({
  method: 'get',
  path: '/photos/{id}',
  tags,
  summary: 'A hidden danger’s photo, for signed-in staff only',
  request: { params: idParams },
  responses: { 200: { description: 'The image' }, 404: errorResponse('No such photo') },
})
const recordsRoute = createRoute({
  method: 'get',
  path: '/records/{kind}',
  tags,
  summary:
    'One register (inspections, self-checks, sanctions, hazardous operations, supervisory visits, publicity, inspectors) for a period',
  request: { params: z.object({ kind: z.enum(ledgerRecordKinds) }), query: periodQuerySchema },
  responses: { 200: jsonResponse(ledgerRecordsSchema, 'Rows by date'), 400: errorResponse('Bad kind or period') },
})
const createRecordRoute = createRoute({
  method: 'post',
  path: '/records',
  tags,
  summary: 'Add a row to one register',
  request: { body: { required: true, content: { 'application/json': { schema: ledgerRecordCreateSchema } } } },
  responses: { 201: jsonResponse(ledgerRecordCreatedSchema, 'The new row'), ...writeErrors },
})
const patchRecordRoute = createRoute({
  method: 'patch',
  path: '/records/{kind}/{id}',
  tags,
  summary: 'Correct a register row: the body is the kind’s update (any of its create fields; null clears an optional one)',
  request: {
    params: ledgerRecordParamsSchema,
    body: { required: true, content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } },
  },
  responses: {
    200: jsonResponse(ledgerRecordSchema, 'The row’s values after the change'),
    ...writeErrors,
    404: errorResponse('No such row'),
  },
})
const deleteRecordRoute = createRoute({
  method: 'delete',
  path: '/records/{kind}/{id}',
  tags,
  summary: 'Delete a register row entered by mistake',
  request: { params: ledgerRecordParamsSchema },
  responses: {
    204: { description: 'Deleted' },
    400: errorResponse('Not an editable register'),
    403: writeErrors[403],
    404: errorResponse('No such row'),
  },
})

const listRoute = createRoute({
  method: 'get',
  path: '/lists/{list}',
  tags,
  summary: 'One of the four lists (四张清单) for a year, with the rule that makes it',
  request: { params: fourListParamsSchema, query: fourListQuerySchema },
  responses: { 200: jsonResponse(fourListSchema, 'The list'), 400: errorResponse('Unknown list or bad year') },
})
const listXlsxRoute = createRoute({
  method: 'get',
  path: '/lists/{list}/export.xlsx',
  tags,
  summary: 'One of the four lists as an Excel workbook',
  request: { params: fourListParamsSchema, query: fourListQuerySchema },
  responses: {
    200: { description: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
    400: errorResponse('Unknown list or bad year'),
  },
})

function actor(principal: Principal | undefined): Principal {
  if (!principal) throw new Forbidden('Sign in to change the ledger.')
  return principal
}

/** An editor writes only in their administrative villages; a place in none is the whole town's (admin or unscoped editor). */
const assertPlaceInScope = assertAreaInScope

const tables: Record<string, string> = {
  inspections: 'safety_inspections',
  sanctions: 'safety_sanctions',
  hazardous_operations: 'hazardous_operations',
  supervisory_visits: 'supervisory_visits',
  publicity: 'publicity_events',
  self_checks: 'enterprise_self_checks',
}

/** `/api/ledger`: the hidden-danger ledger and its registers. Reads: staff; writes: editors in scope. */
export function ledgerRoutes({ db, write, today }: Pick<AppContext, 'db' | 'write' | 'today'>) {
  return router()
    .openapi(placesRoute, async (c) => c.json({ places: await listPlaces(db, c.get('principal'), c.req.valid('query'), today()) }, 200))
    .openapi(placeRoute, async (c) => {
      const { id } = c.req.valid('param')
      const place = await findPlace(db, c.get('principal'), id, today())
      const { dangers } = await listDangers(db, c.get('principal'), { placeId: id, limit: 5000 }, today())
      return c.json({ place, dangers }, 200)
    })
    .openapi(createPlaceRoute, async (c) => {
      const principal = actor(c.get('principal'))
      const input = c.req.valid('json')
      const id = await write(async (trx, changed) => {
        const adminCode = await placeScope(trx, input)
        assertPlaceInScope(principal, adminCode)
        const code = `SP${today().replaceAll('-', '')}${String(Date.now() % 100_000).padStart(5, '0')}`
        const created = await insertSafetyPlace(trx, { ...input, adminCode, code })
        await writeAudit(trx, principal, {
          action: 'create',
          entity: 'safety_place',
          entityId: created,
          details: { name: input.name, kind: input.kind, adminCode },
        })
        changed({ entity: 'safety_places', action: 'create', ids: [created] })
        return created
      })
      return c.json(await findPlace(db, principal, id, today()), 201)
    })
    .openapi(patchPlaceRoute, async (c) => {
      const principal = actor(c.get('principal'))
      const { id } = c.req.valid('param')
      const patch = c.req.valid('json')
      await write(async (trx, changed) => {
        const place = await placeForWrite(trx, id, true)
        assertPlaceInScope(principal, place.adminCode)
        // A new natural village moves the place to its administrative village (which must be in scope too).
        const references = {
          ...(typeof patch.naturalVillageId === 'number' ? { naturalVillageId: patch.naturalVillageId } : {}),
          ...(typeof patch.facilityId === 'number' ? { facilityId: patch.facilityId } : {}),
        }
        const movedTo = await placeScope(trx, references)
        const adminCode = patch.naturalVillageId === undefined ? undefined : patch.naturalVillageId === null ? place.adminCode : movedTo
        if (adminCode !== undefined) assertPlaceInScope(principal, adminCode)
        const before = await placeAuditRecord(trx, id)
        await updateSafetyPlace(trx, id, patch, adminCode)
        const after = await placeAuditRecord(trx, id)
        await writeAudit(trx, principal, {
          action: 'update',
          entity: 'safety_place',
          entityId: id,
          reason: 'edited',
          details: { fields: Object.keys(patch), before, after },
        })
        changed({ entity: 'safety_places', action: 'update', ids: [id] })
      })
      return c.json(await findPlace(db, principal, id, today()), 200)
    })
    .openapi(deletePlaceRoute, async (c) => {
      const principal = actor(c.get('principal'))
      const { id } = c.req.valid('param')
      await write(async (trx, changed) => {
        const place = await placeForWrite(trx, id, true)
        assertPlaceInScope(principal, place.adminCode)
        const references = await placeReferences(trx, id)
        if (Object.keys(references).length > 0)
          throw new Conflict(`Place ${id} is cited by ledger rows; delete or correct them first.`, { references })
        const before = await placeAuditRecord(trx, id)
        await deleteSafetyPlace(trx, id)
        await writeAudit(trx, principal, { action: 'delete', entity: 'safety_place', entityId: id, details: { before } })
        changed({ entity: 'safety_places', action: 'delete', ids: [id] })
      })
      return c.body(null, 204)
    })
    .openapi(dangersRoute, async (c) => c.json(await listDangers(db, c.get('principal'), c.req.valid('query'), today()), 200))
    .openapi(overdueRoute, async (c) =>
      c.json(await listDangers(db, c.get('principal'), { overdue: true, limit: 5000 }, today(), 'oldest_deadline'), 200),
    )
    .openapi(ratesRoute, async (c) => c.json(await rectificationRates(db, c.req.valid('query'), today()), 200))
    .openapi(mapRoute, async (c) =>
      jsonText<{ type: 'FeatureCollection'; features: unknown[] }, 200>(
        c,
        await openDangerFeatures(db, today()),
        200,
        'application/geo+json',
      ),
    )
    .openapi(createDangerRoute, async (c) => {
      const principal = actor(c.get('principal'))
      const input = c.req.valid('json')
      const id = await write(async (trx, changed) => {
        const place = await placeForWrite(trx, input.placeId)
        assertPlaceInScope(principal, place.adminCode)
        checkDangerRecord(
          {
            status: 'open',
            foundOn: input.foundOn,
            deadline: input.deadline ?? null,
            rectifyingOn: null,
            rectifiedOn: null,
            supervised: input.supervised ?? false,
            supervisedBy: input.supervisedBy ?? null,
          },
          today(),
        )
        const created = await insertDanger(trx, input, place)
        await writeAudit(trx, principal, {
          action: 'create',
          entity: 'hidden_danger',
          entityId: created,
          details: { placeId: place.id, level: input.level, foundOn: input.foundOn },
        })
        changed({ entity: 'hidden_dangers', action: 'create', ids: [created] })
        return created
      })
      return c.json(await findDanger(db, principal, id, today()), 201)
    })
    .openapi(getDangerRoute, async (c) => c.json(await findDanger(db, c.get('principal'), c.req.valid('param').id, today()), 200))
    .openapi(patchDangerRoute, async (c) => {
      const principal = actor(c.get('principal'))
      const { id } = c.req.valid('param')
      const patch = c.req.valid('json')
      await write(async (trx, changed) => {
        const before = await dangerDates(trx, id)
        assertPlaceInScope(principal, before.adminCode)
        const after = {
          ...before,
          ...(patch.foundOn === undefined ? {} : { foundOn: patch.foundOn }),
          ...(patch.deadline === undefined ? {} : { deadline: patch.deadline }),
          ...(patch.supervised === undefined ? {} : { supervised: patch.supervised }),
          ...(patch.supervisedBy === undefined ? {} : { supervisedBy: patch.supervisedBy }),
        }
        if (patch.supervised === false && patch.supervisedBy === undefined) after.supervisedBy = null
        checkDangerRecord(after, today())
        await updateDanger(trx, id, { ...after, ...patch, supervisedBy: after.supervisedBy })
        await writeAudit(trx, principal, {
          action: 'update',
          entity: 'hidden_danger',
          entityId: id,
          reason: 'edited',
          details: { fields: Object.keys(patch) },
        })
        changed({ entity: 'hidden_dangers', action: 'update', ids: [id] })
      })
      return c.json(await findDanger(db, principal, id, today()), 200)
    })
    .openapi(deleteDangerRoute, async (c) => {
      const principal = actor(c.get('principal'))
      const { id } = c.req.valid('param')
      await write(async (trx, changed) => {
        const before = await dangerDates(trx, id)
        assertPlaceInScope(principal, before.adminCode)
        await deleteDanger(trx, id)
        await writeAudit(trx, principal, { action: 'delete', entity: 'hidden_danger', entityId: id, details: { before } })
        changed({ entity: 'hidden_dangers', action: 'delete', ids: [id] })
      })
      return c.body(null, 204)
    })
    .openapi(transitionRoute, async (c) => {
      const principal = actor(c.get('principal'))
      const { id } = c.req.valid('param')
      const change = c.req.valid('json')
      await write(async (trx, changed) => {
        const before = await dangerDates(trx, id)
        assertPlaceInScope(principal, before.adminCode)
        const after = transitionDanger(before, change, today())
        await updateDanger(trx, id, { status: after.status, rectifyingOn: after.rectifyingOn, rectifiedOn: after.rectifiedOn })
        await writeAudit(trx, principal, {
          action: 'update',
          entity: 'hidden_danger',
          entityId: id,
          reason: change.reason ? { typed: change.reason } : 'status_change',
          details: { from: before.status, to: after.status, on: change.on },
        })
        changed({ entity: 'hidden_dangers', action: 'update', ids: [id] })
      })
      return c.json(await findDanger(db, principal, id, today()), 200)
    })
    .openapi(photoUploadRoute, async (c) => {
      const principal = actor(c.get('principal'))
      const { id } = c.req.valid('param')
      const { phase } = c.req.valid('query')
      const bytes = new Uint8Array(await c.req.arrayBuffer())
      const contentType = checkPhoto(bytes, c.req.header('content-type'))
      const photoId = await write(async (trx, changed) => {
        const danger = await dangerDates(trx, id)
        assertPlaceInScope(principal, danger.adminCode)
        const created = await insertPhoto(trx, id, phase, contentType, bytes, principal.username)
        await writeAudit(trx, principal, {
          action: 'create',
          entity: 'hidden_danger',
          entityId: id,
          reason: 'photo_uploaded',
          details: { photoId: created, phase, bytes: bytes.byteLength },
        })
        changed({ entity: 'hidden_danger_photos', action: 'create', ids: [created] })
        return created
      })
      return c.json({ id: photoId, phase, contentType, byteSize: bytes.byteLength }, 201)
    })
    .openapi(photoRoute, async (c) => {
      const photo = await readPhoto(db, c.req.valid('param').id)
      return c.body(new Uint8Array(photo.bytes), 200, {
        'Content-Type': photo.contentType,
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
      })
    })
    .openapi(recordsRoute, async (c) => {
      const { kind } = c.req.valid('param')
      return c.json({ kind, rows: await listRecords(db, kind, periodOf(c.req.valid('query'))) }, 200)
    })
    .openapi(listRoute, async (c) => c.json(await fourList(db, c.req.valid('param').list, c.req.valid('query').year, today()), 200))
    .openapi(listXlsxRoute, async (c) => {
      const list = await fourList(db, c.req.valid('param').list, c.req.valid('query').year, today())
      return c.body(new Uint8Array(await fourListWorkbook(list)), 200, {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': `attachment; filename="${list.list}-${list.year}.xlsx"; filename*=UTF-8''${encodeURIComponent(`${fourListTitle(list.list, list.year).zh}.xlsx`)}`,
        'Cache-Control': 'no-store',
      })
    })
    .openapi(createRecordRoute, async (c) => {
      const principal = actor(c.get('principal'))
      const input = c.req.valid('json')
      const id = await write(async (trx, changed) => {
        await checkRecordReferences(trx, input.record)
        for (const adminCode of await recordVillages(trx, input.record)) assertPlaceInScope(principal, adminCode)
        const created = await insertRecord(trx, input)
        await writeAudit(trx, principal, { action: 'create', entity: 'ledger_record', entityId: created, details: { kind: input.kind } })
        changed({ entity: tables[input.kind]!, action: 'create', ids: [created] })
        return created
      })
      return c.json({ kind: input.kind, id }, 201)
    })
    .openapi(patchRecordRoute, async (c) => {
      const principal = actor(c.get('principal'))
      const { kind, id } = c.req.valid('param')
      // The body's schema depends on the path's kind: validated here, answered like any failed request schema.
      const parsed = (ledgerRecordUpdateSchemas[kind] as z.ZodType<LedgerRecordValues>).safeParse(c.req.valid('json'))
      if (!parsed.success) validationHook(parsed as never, c as never)
      const patch = parsed.data!
      const record = await write(async (trx, changed) => {
        const before = await recordForWrite(trx, kind, id)
        for (const adminCode of await recordVillages(trx, before)) assertPlaceInScope(principal, adminCode)
        const after: LedgerRecordValues = { ...before, ...patch }
        if (kind === 'hazardous_operations' && String(after.endsOn) < String(after.startsOn))
          throw new Invalid('endsOn must not be before startsOn.', { issues: [{ path: 'endsOn', message: 'before startsOn' }] })
        await checkRecordReferences(trx, after)
        for (const adminCode of await recordVillages(trx, after)) assertPlaceInScope(principal, adminCode)
        await updateRecord(trx, kind, id, patch)
        await writeAudit(trx, principal, {
          action: 'update',
          entity: 'ledger_record',
          entityId: id,
          reason: 'edited',
          details: { kind, before, after },
        })
        changed({ entity: registerTable(kind), action: 'update', ids: [id] })
        return after
      })
      return c.json({ kind, id, record }, 200)
    })
    .openapi(deleteRecordRoute, async (c) => {
      const principal = actor(c.get('principal'))
      const { kind, id } = c.req.valid('param')
      await write(async (trx, changed) => {
        const before = await recordForWrite(trx, kind, id)
        for (const adminCode of await recordVillages(trx, before)) assertPlaceInScope(principal, adminCode)
        await deleteRecord(trx, kind, id)
        await writeAudit(trx, principal, { action: 'delete', entity: 'ledger_record', entityId: id, details: { kind, before } })
        changed({ entity: registerTable(kind), action: 'delete', ids: [id] })
      })
      return c.body(null, 204)
    })
}
