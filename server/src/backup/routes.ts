import { createRoute, z } from '@hono/zod-openapi'
import { restoreResultSchema } from '@riskatlas/shared'
import { writeAudit } from '../audit/queries.ts'
import type { AppContext } from '../context.ts'
import { errorResponse, jsonResponse } from '../http.ts'
import { router } from '../router.ts'
import { backupFileName } from './archive.ts'
import { createBackup, restoreBackup } from './queries.ts'

const backupRoute = createRoute({
  method: 'get',
  path: '/backup',
  tags: ['Admin'],
  summary: 'Download a backup of the whole database: every table and upload, one gzip’d NDJSON archive (admin; audited)',
  responses: {
    200: { description: 'The archive', content: { 'application/gzip': { schema: z.string().openapi({ format: 'binary' }) } } },
  },
})
const restoreRoute = createRoute({
  method: 'post',
  path: '/restore',
  tags: ['Admin'],
  summary: 'Replace the whole database with a backup, in one transaction (admin; audited); sessions follow their accounts.',
  request: {
    body: { required: true, content: { 'application/gzip': { schema: z.any() }, 'application/octet-stream': { schema: z.any() } } },
  },
  responses: {
    200: jsonResponse(restoreResultSchema, 'Restored'),
    413: errorResponse('Larger than the restore limit'),
    422: errorResponse('Not a backup this server can restore (backup_refused); nothing was changed'),
  },
})

/** `/api/admin/backup`, `/api/admin/restore` (admins). */
export function backupRoutes({ db, home, write }: Pick<AppContext, 'db' | 'home' | 'write'>) {
  return router()
    .openapi(backupRoute, async (c) => {
      const principal = c.get('principal')!
      const { manifest, archive } = await createBackup(db, home)
      await writeAudit(db, principal, {
        action: 'export',
        entity: 'backup',
        details: { createdAt: manifest.createdAt, bytes: archive.length, rows: manifest.tables.reduce((sum, t) => sum + t.rows, 0) },
      })
      return c.body(new Uint8Array(archive), 200, {
        'Content-Type': 'application/gzip',
        'Content-Disposition': `attachment; filename="${backupFileName(new Date(manifest.createdAt))}"`,
        'Cache-Control': 'no-store',
      })
    })
    .openapi(restoreRoute, async (c) => {
      const principal = c.get('principal')!
      const bytes = new Uint8Array(await c.req.arrayBuffer())
      const result = await write(async (trx, changed) => {
        const restored = await restoreBackup(trx, bytes)
        // One event for everything: entity `data`, no ids — screens refetch what they show.
        changed({ entity: 'data', action: 'update' })
        await writeAudit(trx, principal, {
          action: 'restore',
          entity: 'backup',
          details: { createdAt: restored.manifest.createdAt, sourceHome: restored.manifest.sourceHome, bytes: bytes.length },
        })
        return restored
      })
      return c.json(
        {
          createdAt: result.manifest.createdAt,
          sourceHome: result.manifest.sourceHome,
          formatVersion: result.manifest.formatVersion,
          tables: Object.entries(result.counts).map(([name, rows]) => ({ name, rows })),
        },
        200,
      )
    })
}
