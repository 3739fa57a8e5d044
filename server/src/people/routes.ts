import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import {
  errorBodySchema,
  vulnerableListQuerySchema,
  vulnerablePersonInputSchema,
  vulnerablePersonSchema,
  vulnerablePersonUpdateSchema,
  type VulnerablePerson,
} from '@riskatlas/shared'
import type { AppDeps } from '../app.ts'
import { writeAudit } from '../audit/audit.ts'
import { assertVillageInScope, personalDataScope, type AuthVariables } from '../auth/scope.ts'
import { Invalid, NotFound } from '../errors.ts'
import { idParams, jsonResponse, validationHook } from '../http.ts'
import { findVulnerablePeople, villageAdminCode, vulnerableCounts } from './queries.ts'

const reasonQuery = z.object({ reason: z.string().trim().min(1).max(200).optional() }).strict()

const countsRoute = createRoute({
  method: 'get',
  path: '/counts',
  tags: ['Vulnerable people'],
  summary: 'Counts per natural village and category — no names (every signed-in role)',
  responses: { 200: jsonResponse(z.object({ villages: z.array(z.unknown()) }), 'Counts') },
})
const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['Vulnerable people'],
  summary: 'Names, phones and responsible persons, limited to the caller’s villages (admin, editor). Audited.',
  request: { query: vulnerableListQuerySchema },
  responses: { 200: jsonResponse(z.object({ people: z.array(vulnerablePersonSchema) }), 'People') },
})
const exportRoute = createRoute({
  method: 'get',
  path: '/export.csv',
  tags: ['Vulnerable people'],
  summary: 'CSV export (UTF-8 with BOM, opens in Excel), limited to the caller’s villages. Audited.',
  request: { query: vulnerableListQuerySchema },
  responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } } },
})
const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags: ['Vulnerable people'],
  summary: 'One person (admin, in-scope editor). Audited.',
  request: { params: idParams, query: reasonQuery },
  responses: { 200: jsonResponse(vulnerablePersonSchema, 'The person'), 403: jsonResponse(errorBodySchema, 'Outside your villages'), 404: jsonResponse(errorBodySchema, 'No such person') },
})
const postRoute = createRoute({
  method: 'post',
  path: '/',
  tags: ['Vulnerable people'],
  summary: 'Add a person (admin, in-scope editor)',
  request: { body: { content: { 'application/json': { schema: vulnerablePersonInputSchema } }, required: true } },
  responses: { 201: jsonResponse(vulnerablePersonSchema, 'Added'), 400: jsonResponse(errorBodySchema, 'Invalid') },
})
const patchRoute = createRoute({
  method: 'patch',
  path: '/{id}',
  tags: ['Vulnerable people'],
  summary: 'Edit a person or assign the responsible person 包保责任人 (admin, in-scope editor)',
  request: { params: idParams, body: { content: { 'application/json': { schema: vulnerablePersonUpdateSchema } }, required: true } },
  responses: { 200: jsonResponse(vulnerablePersonSchema, 'Updated'), 404: jsonResponse(errorBodySchema, 'No such person') },
})
const deleteRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  tags: ['Vulnerable people'],
  summary: 'Remove a person (admin, in-scope editor)',
  request: { params: idParams },
  responses: { 204: { description: 'Removed' }, 404: jsonResponse(errorBodySchema, 'No such person') },
})

const columns = (input: Partial<z.infer<typeof vulnerablePersonInputSchema>>) => ({
  ...(input.naturalVillageId === undefined ? {} : { natural_village_id: input.naturalVillageId }),
  ...(input.category === undefined ? {} : { category: input.category }),
  ...(input.name === undefined ? {} : { name: input.name }),
  ...(input.phone === undefined ? {} : { phone: input.phone }),
  ...(input.address === undefined ? {} : { address: input.address }),
  ...(input.mobilityNeeds === undefined ? {} : { mobility_needs: input.mobilityNeeds }),
  ...(input.responsibleName === undefined ? {} : { responsible_name: input.responsibleName }),
  ...(input.responsiblePhone === undefined ? {} : { responsible_phone: input.responsiblePhone }),
})

const csvCell = (value: unknown) => {
  const text = value == null ? '' : String(value)
  // Quote everything; neutralise spreadsheet formulas (CSV injection).
  return `"${(/^[=+\-@]/.test(text) ? `'${text}` : text).replace(/"/g, '""')}"`
}

export function peopleRoutes({ db }: AppDeps) {
  const findOne = async (id: number) => {
    const [person] = await findVulnerablePeople(db, { adminScope: null, id })
    if (!person) throw new NotFound(`No vulnerable person ${id}.`)
    return person
  }

  return new OpenAPIHono<{ Variables: AuthVariables }>({ defaultHook: validationHook })
    .openapi(countsRoute, async (c) => c.json({ villages: await vulnerableCounts(db) }, 200))
    .openapi(listRoute, async (c) => {
      const principal = c.get('principal')!
      const query = c.req.valid('query')
      const people = await findVulnerablePeople(db, { adminScope: personalDataScope(principal), ...query })
      await writeAudit(db, principal, {
        action: 'list',
        entity: 'vulnerable_people',
        reason: query.reason ?? 'list view',
        details: { ids: people.map((p) => p.id), naturalVillageId: query.naturalVillageId ?? null, adminCode: query.adminCode ?? null },
      })
      return c.json({ people }, 200)
    })
    .openapi(exportRoute, async (c) => {
      const principal = c.get('principal')!
      const query = c.req.valid('query')
      const people = await findVulnerablePeople(db, { adminScope: personalDataScope(principal), ...query })
      await writeAudit(db, principal, { action: 'export', entity: 'vulnerable_people', reason: query.reason ?? 'export', details: { ids: people.map((p) => p.id) } })
      const header = ['自然村', '类别', '姓名', '电话', '住址', '行动需求', '包保责任人', '责任人电话']
      const lines = people.map((p: VulnerablePerson) =>
        [p.naturalVillageName, p.category, p.name, p.phone, p.address, p.mobilityNeeds, p.responsibleName, p.responsiblePhone].map(csvCell).join(','),
      )
      const body = `\uFEFF${[header.map(csvCell).join(','), ...lines].join('\r\n')}\r\n`
      return c.body(body, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="vulnerable-people.csv"' }) as never
    })
    .openapi(getRoute, async (c) => {
      const principal = c.get('principal')!
      const { id } = c.req.valid('param')
      const person = await findOne(id)
      assertVillageInScope(principal, person.adminCode)
      await writeAudit(db, principal, { action: 'read', entity: 'vulnerable_people', entityId: id, reason: c.req.valid('query').reason ?? 'record view' })
      return c.json(person, 200)
    })
    .openapi(postRoute, async (c) => {
      const principal = c.get('principal')!
      const input = c.req.valid('json')
      const village = await villageAdminCode(db, input.naturalVillageId)
      if (!village) throw new Invalid(`No natural village ${input.naturalVillageId}.`, { field: 'naturalVillageId' })
      assertVillageInScope(principal, village.adminCode)
      const id = await db.transaction().execute(async (trx) => {
        const row = await trx.insertInto('vulnerable_people').values({ natural_village_id: input.naturalVillageId, category: input.category, name: input.name, ...columns(input) }).returning('id').executeTakeFirstOrThrow()
        await writeAudit(trx, principal, { action: 'create', entity: 'vulnerable_people', entityId: row.id })
        return row.id
      })
      return c.json(await findOne(id), 201)
    })
    .openapi(patchRoute, async (c) => {
      const principal = c.get('principal')!
      const { id } = c.req.valid('param')
      const input = c.req.valid('json')
      const existing = await findOne(id)
      assertVillageInScope(principal, existing.adminCode)
      if (input.naturalVillageId !== undefined && input.naturalVillageId !== existing.naturalVillageId) {
        const target = await villageAdminCode(db, input.naturalVillageId)
        if (!target) throw new Invalid(`No natural village ${input.naturalVillageId}.`, { field: 'naturalVillageId' })
        assertVillageInScope(principal, target.adminCode)
      }
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('vulnerable_people').set({ ...columns(input), updated_at: new Date() }).where('id', '=', id).execute()
        await writeAudit(trx, principal, { action: 'update', entity: 'vulnerable_people', entityId: id, details: { fields: Object.keys(input) } })
      })
      return c.json(await findOne(id), 200)
    })
    .openapi(deleteRoute, async (c) => {
      const principal = c.get('principal')!
      const { id } = c.req.valid('param')
      const existing = await findOne(id)
      assertVillageInScope(principal, existing.adminCode)
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('vulnerable_people').where('id', '=', id).execute()
        await writeAudit(trx, principal, { action: 'delete', entity: 'vulnerable_people', entityId: id })
      })
      return c.body(null, 204)
    })
}
