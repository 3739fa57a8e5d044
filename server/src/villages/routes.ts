import { createRoute, z } from '@hono/zod-openapi'
import { evacuationCardListSchema, evacuationCardSchema, seasonQuerySchema } from '@riskatlas/shared'
import type { AppContext } from '../context.ts'
import { defaultSeasonYear } from '../coverage/season.ts'
import { errorResponse, idParams, jsonResponse } from '../http.ts'
import { noStore, router } from '../router.ts'
import { evacuationCard, evacuationCards } from './queries.ts'

const cardRoute = createRoute({
  method: 'get',
  path: '/villages/{id}/evacuation-card',
  tags: ['Evacuation cards'],
  summary: 'A natural village’s evacuation card (避险明白卡 / 村级转移预案卡)',
  description:
    'Threats, routes, shelters, who moves (counts), the two stages and contacts. Phones are masked and vulnerable people unnamed unless the caller may see personal data (then audited).',
  request: { params: idParams, query: seasonQuerySchema },
  middleware: [noStore] as const,
  responses: {
    200: jsonResponse(evacuationCardSchema, 'The card'),
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
  middleware: [noStore] as const,
  responses: {
    200: jsonResponse(evacuationCardListSchema, 'The cards, in village code order'),
    400: errorResponse('Bad code or year'),
    404: errorResponse('No such administrative village'),
  },
})

/** `/api/villages/:id/evacuation-card` and `/api/admin-villages/:code/evacuation-cards`: per caller, never cached. */
export function villageCardRoutes({ db, today }: Pick<AppContext, 'db' | 'today'>) {
  return router()
    .openapi(cardRoute, async (c) => {
      const date = today()
      const year = c.req.valid('query').year ?? defaultSeasonYear(date)
      return c.json(await evacuationCard(db, c.req.valid('param').id, { principal: c.get('principal'), year, today: date }), 200)
    })
    .openapi(cardsRoute, async (c) => {
      const date = today()
      const year = c.req.valid('query').year ?? defaultSeasonYear(date)
      return c.json(await evacuationCards(db, c.req.valid('param').code, { principal: c.get('principal'), year, today: date }), 200)
    })
}
