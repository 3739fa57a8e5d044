import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { evacuationCardListSchema, evacuationCardSchema, seasonQuerySchema } from '@riskatlas/shared'
import type { AppDeps } from '../app.ts'
import type { AuthVariables, Principal } from '../auth/scope.ts'
import { writeAudit } from '../audit/audit.ts'
import type { Database } from '../db/schema.ts'
import type { Kysely } from 'kysely'
import { defaultSeasonYear, todayInBeijing } from '../coverage/season.ts'
import { errorResponse, validationHook } from '../http.ts'
import { evacuationCard, evacuationCards } from './card.ts'


const cardRoute = createRoute({
  method: 'get',
  path: '/villages/{id}/evacuation-card',
  tags: ['Evacuation cards'],
  summary: 'A natural village’s evacuation card (避险明白卡 / 村级转移预案卡)',
  description:
    'Threats, routes, shelters, who moves (counts), the two stages and contacts. Phones are masked and vulnerable people unnamed unless the caller may see personal data.',
  request: { params: z.object({ id: z.coerce.number().int().positive().openapi({ example: 1 }) }), query: seasonQuerySchema },
  responses: {
    200: { description: 'The card', content: { 'application/json': { schema: evacuationCardSchema } } },
    400: errorResponse('Bad id or year'),
    404: errorResponse('No such natural village'),
  },
})

const cardsRoute = createRoute({
  method: 'get',
  path: '/admin-villages/{code}/evacuation-cards',
  tags: ['Evacuation cards'],
  summary: 'The evacuation cards of every natural village of an administrative village, for printing at once',
  request: {
    params: z.object({
      code: z
        .string()
        .regex(/^[0-9]{12}$/, 'code must be 12 digits')
        .openapi({ example: '530000000001' }),
    }),
    query: seasonQuerySchema,
  },
  responses: {
    200: { description: 'The cards, in village code order', content: { 'application/json': { schema: evacuationCardListSchema } } },
    400: errorResponse('Bad code or year'),
    404: errorResponse('No such administrative village'),
  },
})

/** A card that names vulnerable people or shows phones is an export of personal data: audited. */
async function auditPersonalCards(db: Kysely<Database>, principal: Principal | undefined, cards: { village: { id: number }; vulnerablePeople: unknown[] | null }[]) {
  const personal = cards.filter((card) => card.vulnerablePeople !== null)
  if (!principal || personal.length === 0) return
  await writeAudit(db, principal, {
    action: 'export',
    entity: 'evacuation_card',
    entityId: personal.length === 1 ? personal[0]!.village.id : null,
    reason: 'evacuation card (避险明白卡)',
    details: { naturalVillageIds: personal.map((card) => card.village.id), people: personal.reduce((n, card) => n + card.vulnerablePeople!.length, 0) },
  })
}

/** `/api/villages/:id/evacuation-card` and `/api/admin-villages/:code/evacuation-cards`. */
export function villageCardRoutes({ db, today = todayInBeijing }: AppDeps) {
  return new OpenAPIHono<{ Variables: AuthVariables }>({ defaultHook: validationHook })
    .openapi(cardRoute, async (c) => {
      const date = today()
      const year = c.req.valid('query').year ?? defaultSeasonYear(date)
      const card = await evacuationCard(db, c.req.valid('param').id, { principal: c.get('principal'), year, today: date })
      await auditPersonalCards(db, c.get('principal'), [card])
      return c.json(card, 200)
    })
    .openapi(cardsRoute, async (c) => {
      const date = today()
      const year = c.req.valid('query').year ?? defaultSeasonYear(date)
      const list = await evacuationCards(db, c.req.valid('param').code, { principal: c.get('principal'), year, today: date })
      await auditPersonalCards(db, c.get('principal'), list.cards)
      return c.json(list, 200)
    })
}
