import fs from 'node:fs'
import path from 'node:path'
import { createRoute, z } from '@hono/zod-openapi'
import { backupNamePattern, restoreResultSchema, storedBackupListSchema, storedBackupSchema } from '@riskatlas/shared'
import { writeAudit } from '../audit/queries.ts'
import type { AppContext } from '../context.ts'
import { Conflict, NotFound } from '../errors.ts'
import { errorResponse, jsonResponse } from '../http.ts'
import { router } from '../router.ts'
import { backupFileName } from './archive.ts'
import { createBackup, restoreBackup } from './queries.ts'
import { listBackups, writeBackupFile } from './schedule.ts'

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

const listStoredRoute = createRoute({
  method: 'get',
  path: '/backups',
  tags: ['Admin'],
  summary: 'The backup archives kept on the server (BACKUP_DIR: made here or by the schedule), newest first (admin)',
  responses: { 200: jsonResponse(storedBackupListSchema, 'Archives') },
})
const makeStoredRoute = createRoute({
  method: 'post',
  path: '/backups',
  tags: ['Admin'],
  summary: 'Make a backup now and keep it on the server beside the scheduled ones (admin; audited)',
  responses: {
    201: jsonResponse(storedBackupSchema, 'Made'),
    409: errorResponse('This server keeps no backups (no backup directory)'),
  },
})
const storedNameParams = z.object({ name: z.string().regex(backupNamePattern, 'not a backup archive name') })
const downloadStoredRoute = createRoute({
  method: 'get',
  path: '/backups/{name}',
  tags: ['Admin'],
  summary: 'Download one archive kept on the server (admin; audited)',
  request: { params: storedNameParams },
  responses: {
    200: { description: 'The archive', content: { 'application/gzip': { schema: z.string().openapi({ format: 'binary' }) } } },
    404: errorResponse('No such archive'),
  },
})

/** `/api/admin/backup`, `/api/admin/backups`, `/api/admin/restore` (admins). */
export function backupRoutes({ db, home, write, backupDir }: Pick<AppContext, 'db' | 'home' | 'write' | 'backupDir'>) {
  return router()
    .openapi(listStoredRoute, (c) => c.json({ backups: backupDir ? listBackups(backupDir) : [] }, 200))
    .openapi(makeStoredRoute, async (c) => {
      if (!backupDir) throw new Conflict('This server keeps no backups: set BACKUP_DIR.')
      const now = new Date()
      const name = path.basename(await writeBackupFile(db, home, backupDir, now))
      const made = listBackups(backupDir).find((backup) => backup.name === name)!
      await writeAudit(db, c.get('principal')!, { action: 'create', entity: 'backup', details: { name, bytes: made.bytes } })
      return c.json(made, 201)
    })
    .openapi(downloadStoredRoute, async (c) => {
      const { name } = c.req.valid('param')
      // The name matched the archive pattern (no path in it) and must be one the listing shows.
      const stored = backupDir ? listBackups(backupDir).find((backup) => backup.name === name) : undefined
      if (!stored) throw new NotFound(`No backup ${name} on this server.`)
      const archive = fs.readFileSync(path.join(backupDir!, name))
      await writeAudit(db, c.get('principal')!, { action: 'export', entity: 'backup', details: { name, bytes: archive.length } })
      return c.body(new Uint8Array(archive), 200, {
        'Content-Type': 'application/gzip',
        'Content-Disposition': `attachment; filename="${name}"`,
        'Cache-Control': 'no-store',
      })
    })
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
