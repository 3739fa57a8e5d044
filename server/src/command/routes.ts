import { createRoute } from '@hono/zod-openapi'
import {
  commandOverviewSchema,
  evacuationProgressSchema,
  instructionAckSchema,
  instructionCreateSchema,
  instructionListQuerySchema,
  instructionListSchema,
  instructionSchema,
  progressParamsSchema,
  progressQuerySchema,
  shelterCheckInParamsSchema,
  shelterCheckInSchema,
  shelterProgressSchema,
  villageProgressReportSchema,
  villageProgressSchema,
} from '@riskatlas/shared'
import { writeAudit } from '../audit/queries.ts'
import { assertVillageInScope, Forbidden, type Principal } from '../auth/scope.ts'
import type { AppContext } from '../context.ts'
import { NotFound } from '../errors.ts'
import { errorResponse, idParams, jsonResponse } from '../http.ts'
import { router } from '../router.ts'
import { findWarning, toWarning } from '../warnings/queries.ts'
import { commandOverview } from './overview.ts'
import {
  acknowledge,
  adminVillageNames,
  evacuationProgress,
  findCheckIn,
  findInstruction,
  findProgress,
  findShelter,
  insertInstruction,
  listInstructions,
  upsertCheckIn,
  upsertProgress,
  warnedVillages,
} from './queries.ts'
import { assertReportingOpen } from './rules.ts'

const json = <T>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } })

const progressRoute = createRoute({
  method: 'get',
  path: '/evacuation/progress',
  tags: ['Command'],
  summary: 'Evacuation progress (转移进度) of a warning: per natural village, per administrative village, the town, shelters',
  request: { query: progressQuerySchema },
  responses: {
    200: jsonResponse(evacuationProgressSchema, 'The progress, counts only'),
    404: errorResponse('No such warning, or (without warningId) none active at 立即转移'),
  },
})

const reportRoute = createRoute({
  method: 'put',
  path: '/evacuation/progress/{warningId}/villages/{villageId}',
  tags: ['Command'],
  summary: 'A village cadre reports a natural village’s progress (the whole record; timestamped and audited)',
  request: { params: progressParamsSchema, ...json(villageProgressReportSchema) },
  responses: {
    200: jsonResponse(villageProgressSchema, 'The village’s record after the report'),
    400: errorResponse('Invalid counts, or not a shelter'),
    403: errorResponse('The village is outside your administrative villages'),
    404: errorResponse('No such warning, or the village is not in its area'),
    409: errorResponse('The warning is not active at 立即转移 (move now)'),
  },
})

const checkInRoute = createRoute({
  method: 'put',
  path: '/evacuation/progress/{warningId}/shelters/{shelterId}',
  tags: ['Command'],
  summary: 'A shelter reports the people checked in (audited)',
  request: { params: shelterCheckInParamsSchema, ...json(shelterCheckInSchema) },
  responses: {
    200: jsonResponse(shelterProgressSchema, 'The shelter’s figures after the report'),
    400: errorResponse('Invalid count'),
    403: errorResponse('The shelter is outside your administrative villages'),
    404: errorResponse('No such warning or shelter'),
    409: errorResponse('The warning is not active at 立即转移 (move now)'),
  },
})

const instructionListRoute = createRoute({
  method: 'get',
  path: '/instructions',
  tags: ['Command'],
  summary: 'Command instructions (指令) and their acknowledgements; `overdue` past the deadline',
  request: { query: instructionListQuerySchema },
  responses: { 200: jsonResponse(instructionListSchema, 'Instructions, newest first'), 400: errorResponse('Bad filter') },
})

const instructionCreateRoute = createRoute({
  method: 'post',
  path: '/instructions',
  tags: ['Command'],
  summary: 'Send an instruction to administrative villages (the command: admins and town-wide editors)',
  request: json(instructionCreateSchema),
  responses: {
    201: jsonResponse(instructionSchema, 'The instruction sent'),
    400: errorResponse('Unknown village, empty text'),
    403: errorResponse('Not the command'),
    404: errorResponse('No such warning'),
  },
})

const ackRoute = createRoute({
  method: 'post',
  path: '/instructions/{id}/ack',
  tags: ['Command'],
  summary: 'An administrative village acknowledges an instruction (its editor, from the phone); a repeat keeps the first time',
  request: { params: idParams, ...json(instructionAckSchema) },
  responses: {
    200: jsonResponse(instructionSchema, 'The instruction after the acknowledgement'),
    403: errorResponse('The village is outside your administrative villages'),
    404: errorResponse('No such instruction, or the village is not one of its targets'),
  },
})

const overviewRoute = createRoute({
  method: 'get',
  path: '/command/overview',
  tags: ['Command'],
  summary: 'Everything the big screen shows, as counts (no personal data)',
  responses: { 200: jsonResponse(commandOverviewSchema, 'The overview') },
})

/** Instructions are the command's, like warnings: admins and editors with the whole town in scope. */
function commander(principal: Principal | undefined): Principal {
  if (!principal) throw new Forbidden('Sign in to send instructions.')
  if (principal.role === 'editor' && principal.villageScope !== null)
    throw new Forbidden('Instructions are sent by the command (an admin or a town-wide editor).')
  return principal
}

/** `/api/evacuation/progress…`, `/api/instructions…`, `/api/command/overview`. */
export function commandRoutes({
  db,
  write,
  now,
  today,
  instructionAckMinutes,
}: Pick<AppContext, 'db' | 'write' | 'now' | 'today' | 'instructionAckMinutes'>) {
  return router()
    .openapi(progressRoute, async (c) => c.json(await evacuationProgress(db, c.req.valid('query').warningId, now()), 200))
    .openapi(reportRoute, async (c) => {
      const principal = c.get('principal')!
      const { warningId, villageId } = c.req.valid('param')
      const report = c.req.valid('json')
      await write(async (trx, changed) => {
        const row = await findWarning(trx, warningId, { forUpdate: true })
        if (!row) throw new NotFound(`No warning with id ${warningId}`)
        const village = (await warnedVillages(trx, warningId)).find((v) => v.naturalVillageId === villageId)
        if (!village) throw new NotFound(`Natural village ${villageId} is not in warning ${warningId}’s area`)
        assertVillageInScope(principal, village.adminCode)
        const warning = toWarning(row, now())
        assertReportingOpen(warning.status, warning.stage)
        if (report.shelterId !== null) await findShelter(trx, report.shelterId, true)
        const before = await findProgress(trx, warningId, villageId)
        await upsertProgress(trx, warningId, villageId, report, principal)
        await writeAudit(trx, principal, {
          action: before ? 'update' : 'create',
          entity: 'evacuation_progress',
          entityId: `${warningId}:${villageId}`,
          reason: 'progress_reported',
          details: { warningId, naturalVillageId: villageId, adminCode: village.adminCode, after: report },
        })
        changed({ entity: 'evacuation_progress', action: before ? 'update' : 'create', ids: [villageId] })
      })
      const progress = await evacuationProgress(db, warningId, now())
      return c.json(
        progress.villages.find((v) => v.naturalVillageId === villageId)!,
        200,
      )
    })
    .openapi(checkInRoute, async (c) => {
      const principal = c.get('principal')!
      const { warningId, shelterId } = c.req.valid('param')
      const { checkedIn } = c.req.valid('json')
      await write(async (trx, changed) => {
        const row = await findWarning(trx, warningId, { forUpdate: true })
        if (!row) throw new NotFound(`No warning with id ${warningId}`)
        const shelter = await findShelter(trx, shelterId, false)
        assertVillageInScope(principal, shelter.admin_code ?? '')
        const warning = toWarning(row, now())
        assertReportingOpen(warning.status, warning.stage)
        const before = await findCheckIn(trx, warningId, shelterId)
        await upsertCheckIn(trx, warningId, shelterId, checkedIn, principal)
        await writeAudit(trx, principal, {
          action: before ? 'update' : 'create',
          entity: 'shelter_checkin',
          entityId: `${warningId}:${shelterId}`,
          reason: 'shelter_checkin_reported',
          details: { warningId, shelterId, before: before?.checked_in ?? null, after: checkedIn },
        })
        changed({ entity: 'shelter_checkins', action: before ? 'update' : 'create', ids: [shelterId] })
      })
      const progress = await evacuationProgress(db, warningId, now())
      const shelter = progress.shelters.find((s) => s.id === shelterId)!
      return c.json(shelter, 200)
    })
    .openapi(instructionListRoute, async (c) => c.json({ instructions: await listInstructions(db, c.req.valid('query'), now()) }, 200))
    .openapi(instructionCreateRoute, async (c) => {
      const principal = commander(c.get('principal'))
      const input = c.req.valid('json')
      const id = await write(async (trx, changed) => {
        if (input.warningId !== undefined && !(await findWarning(trx, input.warningId)))
          throw new NotFound(`No warning with id ${input.warningId}`)
        await adminVillageNames(trx, input.adminCodes)
        const created = await insertInstruction(trx, {
          warningId: input.warningId ?? null,
          text: input.text,
          sentBy: principal.username,
          ackWithinMinutes: input.ackWithinMinutes ?? instructionAckMinutes,
          adminCodes: input.adminCodes,
        })
        await writeAudit(trx, principal, {
          action: 'create',
          entity: 'instruction',
          entityId: created,
          reason: 'instruction_sent',
          details: { ...input },
        })
        changed({ entity: 'instructions', action: 'create', ids: [created] })
        return created
      })
      return c.json(await findInstruction(db, id, now()), 201)
    })
    .openapi(ackRoute, async (c) => {
      const principal = c.get('principal')!
      const { id } = c.req.valid('param')
      const { adminCode } = c.req.valid('json')
      await write(async (trx, changed) => {
        const instruction = await findInstruction(trx, id, now())
        if (!instruction.targets.some((t) => t.adminCode === adminCode))
          throw new NotFound(`Administrative village ${adminCode} is not a target of instruction ${id}`)
        assertVillageInScope(principal, adminCode)
        if (await acknowledge(trx, id, adminCode, principal)) {
          await writeAudit(trx, principal, {
            action: 'update',
            entity: 'instruction',
            entityId: id,
            reason: 'instruction_acknowledged',
            details: { adminCode },
          })
          changed({ entity: 'instruction_acks', action: 'update', ids: [id] })
        }
      })
      return c.json(await findInstruction(db, id, now()), 200)
    })
    .openapi(overviewRoute, async (c) => c.json(await commandOverview(db, { now: now(), today: today() }), 200))
}
