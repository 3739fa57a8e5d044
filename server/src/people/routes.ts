import { createRoute, z } from '@hono/zod-openapi'
import {
  vulnerableCountsListSchema,
  vulnerableListQuerySchema,
  vulnerablePeopleListSchema,
  vulnerablePersonInputSchema,
  vulnerablePersonSchema,
  vulnerablePersonUpdateSchema,
} from '@riskatlas/shared'
import type { AppContext } from '../context.ts'
import { errorResponse, idParams, jsonResponse } from '../http.ts'
import { noStore, router } from '../router.ts'
import { addPerson, changePerson, readPeople, readPerson, removePerson, vulnerableCounts, type PersonalRead } from './queries.ts'
import { peopleCsv } from './rules.ts'

const reasonQuery = z.object({ reason: z.string().trim().min(1).max(200).optional() }).strict()

const countsRoute = createRoute({
  method: 'get',
  path: '/counts',
  tags: ['Vulnerable people'],
  summary: 'Counts per natural village and category — no names (every signed-in role)',
  responses: { 200: jsonResponse(vulnerableCountsListSchema, 'Counts') },
})
const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['Vulnerable people'],
  summary: 'Names, phones and responsible persons, limited to the caller’s villages (admin, editor). Audited.',
  request: { query: vulnerableListQuerySchema },
  responses: { 200: jsonResponse(vulnerablePeopleListSchema, 'People') },
})
const exportRoute = createRoute({
  method: 'get',
  path: '/export.csv',
  tags: ['Vulnerable people'],
  summary: 'CSV export (UTF-8 with BOM, opens in Excel; Chinese headers and categories), limited to the caller’s villages. Audited.',
  request: { query: vulnerableListQuerySchema },
  responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } } },
})
const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags: ['Vulnerable people'],
  summary: 'One person (admin, in-scope editor). Audited.',
  request: { params: idParams, query: reasonQuery },
  responses: {
    200: jsonResponse(vulnerablePersonSchema, 'The person'),
    403: errorResponse('Outside your villages'),
    404: errorResponse('No such person'),
  },
})
const postRoute = createRoute({
  method: 'post',
  path: '/',
  tags: ['Vulnerable people'],
  summary: 'Add a person (admin, in-scope editor)',
  request: { body: { content: { 'application/json': { schema: vulnerablePersonInputSchema } }, required: true } },
  responses: { 201: jsonResponse(vulnerablePersonSchema, 'Added'), 400: errorResponse('Invalid') },
})
const patchRoute = createRoute({
  method: 'patch',
  path: '/{id}',
  tags: ['Vulnerable people'],
  summary: 'Edit a person or assign the responsible person 包保责任人 (admin, in-scope editor)',
  request: { params: idParams, body: { content: { 'application/json': { schema: vulnerablePersonUpdateSchema } }, required: true } },
  responses: { 200: jsonResponse(vulnerablePersonSchema, 'Updated'), 404: errorResponse('No such person') },
})
const deleteRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  tags: ['Vulnerable people'],
  summary: 'Remove a person (admin, in-scope editor)',
  request: { params: idParams },
  responses: { 204: { description: 'Removed' }, 404: errorResponse('No such person') },
})

/** `/api/vulnerable-people`: personal data, every answer `Cache-Control: no-store`. */
export function peopleRoutes({ db, write }: Pick<AppContext, 'db' | 'write'>) {
  const app = router()
  app.use('*', noStore)
  return app
    .openapi(countsRoute, async (c) => c.json({ villages: await vulnerableCounts(db) }, 200))
    .openapi(listRoute, async (c) => {
      const { reason, ...filter } = c.req.valid('query')
      const people = await readPeople(db, { principal: c.get('principal')!, reason: reason ? { typed: reason } : 'list_view' }, filter)
      return c.json({ people }, 200)
    })
    .openapi(exportRoute, async (c) => {
      const { reason, ...filter } = c.req.valid('query')
      const people = await readPeople(
        db,
        { principal: c.get('principal')!, reason: reason ? { typed: reason } : 'export' },
        filter,
        'export',
      )
      return c.body(peopleCsv(people), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': 'attachment; filename="vulnerable-people.csv"',
      })
    })
    .openapi(getRoute, async (c) => {
      const { reason } = c.req.valid('query')
      const read: PersonalRead = { principal: c.get('principal')!, reason: reason ? { typed: reason } : 'record_view' }
      return c.json(await readPerson(db, read, c.req.valid('param').id), 200)
    })
    .openapi(postRoute, async (c) => {
      const person = await write(async (trx, changed) => {
        const added = await addPerson(trx, c.get('principal')!, c.req.valid('json'))
        changed({ entity: 'vulnerable_people', action: 'create', ids: [added.id] })
        return added
      })
      return c.json(person, 201)
    })
    .openapi(patchRoute, async (c) => {
      const { id } = c.req.valid('param')
      const person = await write(async (trx, changed) => {
        const updated = await changePerson(trx, c.get('principal')!, id, c.req.valid('json'))
        changed({ entity: 'vulnerable_people', action: 'update', ids: [id] })
        return updated
      })
      return c.json(person, 200)
    })
    .openapi(deleteRoute, async (c) => {
      const { id } = c.req.valid('param')
      await write(async (trx, changed) => {
        await removePerson(trx, c.get('principal')!, id)
        changed({ entity: 'vulnerable_people', action: 'delete', ids: [id] })
      })
      return c.body(null, 204)
    })
}
