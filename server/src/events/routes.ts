import { createRoute } from '@hono/zod-openapi'
import { dataVersionSchema } from '@riskatlas/shared'
import type { AppContext } from '../context.ts'
import { jsonResponse } from '../http.ts'
import { router } from '../router.ts'
import { currentDataVersion } from './changes.ts'

const versionRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['Events'],
  summary: 'The data version: raised once by every transaction that writes data',
  description: 'Compare it with the one you saw last to know whether anything changed; every cached answer’s ETag carries it.',
  responses: { 200: jsonResponse(dataVersionSchema, 'The current data version') },
})

/** `/api/data-version`. */
export function dataVersionRoutes({ db }: Pick<AppContext, 'db'>) {
  return router().openapi(versionRoute, async (c) => c.json(await currentDataVersion(db), 200))
}
