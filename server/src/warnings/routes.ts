import { createRoute } from '@hono/zod-openapi'
import {
  warningCreateSchema,
  warningDetailSchema,
  warningImpactSchema,
  warningListQuerySchema,
  warningListSchema,
  warningUpdateSchema,
} from '@riskatlas/shared'
import { writeAudit } from '../audit/queries.ts'
import { Forbidden, type Principal } from '../auth/scope.ts'
import type { AppContext } from '../context.ts'
import { NotFound } from '../errors.ts'
import { errorResponse, idParams, jsonResponse } from '../http.ts'
import { router } from '../router.ts'
import {
  findWarning,
  insertRevision,
  insertWarning,
  listWarnings,
  resolveArea,
  toWarning,
  townName,
  updateWarning,
  valuesOf,
  warningHistory,
  warningImpact,
  type WarningValues,
} from './queries.ts'
import { assertChangeable, assertValidity, defaultTitle } from './rules.ts'

const writeErrors = {
  400: errorResponse(
    'Invalid input: unknown village, an invalid or empty polygon, an area outside the town, validTo before validFrom, unknown fields',
  ),
  403: errorResponse('Not an admin or a town-wide editor (village editors report progress; they do not issue warnings)'),
}

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['Warnings'],
  summary: 'Warnings: current (active or scheduled) by default, or filtered by status',
  request: { query: warningListQuerySchema },
  responses: { 200: jsonResponse(warningListSchema, 'Warnings, newest first'), 400: errorResponse('Bad filter') },
})

const createWarningRoute = createRoute({
  method: 'post',
  path: '/',
  tags: ['Warnings'],
  summary: 'Issue a warning (预警) for a drawn area or for administrative villages',
  request: { body: { required: true, content: { 'application/json': { schema: warningCreateSchema } } } },
  responses: { 201: jsonResponse(warningDetailSchema, 'The warning issued'), ...writeErrors },
})

const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags: ['Warnings'],
  summary: 'One warning with its history (every revision)',
  request: { params: idParams },
  responses: { 200: jsonResponse(warningDetailSchema, 'The warning'), 404: errorResponse('No such warning') },
})

const patchRoute = createRoute({
  method: 'patch',
  path: '/{id}',
  tags: ['Warnings'],
  summary: 'Change a warning (level, stage, area, validity …) or lift it (`lift: true`)',
  request: { params: idParams, body: { required: true, content: { 'application/json': { schema: warningUpdateSchema } } } },
  responses: {
    200: jsonResponse(warningDetailSchema, 'The warning after the change'),
    ...writeErrors,
    404: errorResponse('No such warning'),
    409: errorResponse('The warning was lifted, or has expired and is not being extended'),
  },
})

const impactRoute = createRoute({
  method: 'get',
  path: '/{id}/impact',
  tags: ['Warnings'],
  summary:
    'What a warning covers: natural villages, people and vulnerable people (counts), hazard points, shelters, contacts (when allowed)',
  request: { params: idParams },
  responses: { 200: jsonResponse(warningImpactSchema, 'The warning’s impact'), 404: errorResponse('No such warning') },
})

/** Warnings are the command's: admins and editors with the whole town in scope. */
function issuer(principal: Principal | undefined): Principal {
  if (!principal) throw new Forbidden('Sign in to issue warnings.')
  if (principal.role === 'editor' && principal.villageScope !== null)
    throw new Forbidden('Warnings are issued by the command (an admin or a town-wide editor).')
  return principal
}

/** `/api/warnings`: issue, change, lift and list warnings; what one covers. */
export function warningRoutes({ db, write }: Pick<AppContext, 'db' | 'write'>) {
  async function detail(id: number, principal: Principal | undefined) {
    const row = await findWarning(db, id)
    if (!row) throw new NotFound(`No warning with id ${id}`)
    return { ...toWarning(row), history: await warningHistory(db, id, principal?.role !== 'display') }
  }

  return router()
    .openapi(listRoute, async (c) => c.json({ warnings: await listWarnings(db, c.req.valid('query')) }, 200))
    .openapi(createWarningRoute, async (c) => {
      const principal = issuer(c.get('principal'))
      const input = c.req.valid('json')
      const id = await write(async (trx, changed) => {
        const area = await resolveArea(trx, input.area)
        const values: WarningValues = {
          kind: input.kind,
          level: input.level,
          stage: input.stage,
          title: input.title ?? defaultTitle(await townName(trx), input.kind, input.level, input.stage),
          issuedBy: input.issuedBy,
          source: input.source ?? null,
          validFrom: new Date(input.validFrom),
          validTo: new Date(input.validTo),
          ...area,
        }
        const created = await insertWarning(trx, values)
        await insertRevision(trx, { warningId: created, revision: 1, actor: principal, change: 'issue', reason: null, values })
        await writeAudit(trx, principal, {
          action: 'create',
          entity: 'warning',
          entityId: created,
          reason: 'warning_issued',
          details: { after: { ...values, geometry: undefined } },
        })
        changed({ entity: 'warnings', action: 'create', ids: [created] })
        return created
      })
      return c.json(await detail(id, principal), 201)
    })
    .openapi(getRoute, async (c) => c.json(await detail(c.req.valid('param').id, c.get('principal')), 200))
    .openapi(patchRoute, async (c) => {
      const principal = issuer(c.get('principal'))
      const { id } = c.req.valid('param')
      const patch = c.req.valid('json')
      await write(async (trx, changed) => {
        const existing = await findWarning(trx, id, { forUpdate: true })
        if (!existing) throw new NotFound(`No warning with id ${id}`)
        assertChangeable(toWarning(existing), patch)
        const before = valuesOf(existing)
        const area = patch.area ? await resolveArea(trx, patch.area) : {}
        const after: WarningValues = {
          ...before,
          ...(patch.kind ? { kind: patch.kind } : {}),
          ...(patch.level ? { level: patch.level } : {}),
          ...(patch.stage ? { stage: patch.stage } : {}),
          ...(patch.title ? { title: patch.title } : {}),
          ...(patch.issuedBy ? { issuedBy: patch.issuedBy } : {}),
          ...(patch.source !== undefined ? { source: patch.source } : {}),
          ...(patch.validFrom ? { validFrom: new Date(patch.validFrom) } : {}),
          ...(patch.validTo ? { validTo: new Date(patch.validTo) } : {}),
          ...area,
        }
        assertValidity(after.validFrom, after.validTo)
        const change = patch.lift ? 'lift' : 'update'
        const revision = await updateWarning(trx, id, { ...after, lifted: change === 'lift' })
        await insertRevision(trx, { warningId: id, revision, actor: principal, change, reason: patch.reason ?? null, values: after })
        await writeAudit(trx, principal, {
          action: 'update',
          entity: 'warning',
          entityId: id,
          reason: patch.reason ? { typed: patch.reason } : change === 'lift' ? 'warning_lifted' : 'edited',
          details: { change: { ...patch, area: patch.area ? { kind: patch.area.kind } : undefined }, revision },
        })
        changed({ entity: 'warnings', action: 'update', ids: [id] })
      })
      return c.json(await detail(id, principal), 200)
    })
    .openapi(impactRoute, async (c) => {
      const { id } = c.req.valid('param')
      if (!(await findWarning(db, id))) throw new NotFound(`No warning with id ${id}`)
      return c.json(await warningImpact(db, id, c.get('principal')), 200)
    })
}
