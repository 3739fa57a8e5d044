import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorBodySchema, restoreResultSchema, storedBackupListSchema, storedBackupSchema, type ServerEvent } from '@riskatlas/shared'
import { createApp, type Database } from '@riskatlas/server'
import { backupManifestSchema, sha256OfRows, type BackupManifest } from '../../server/src/backup/archive.ts'
import { createBackup, restoreBackup, tableDigests } from '../../server/src/backup/queries.ts'
import { pruneBackups, scheduleBackups, writeBackupFile } from '../../server/src/backup/schedule.ts'
import { inProcessEvents } from '../../server/src/events/port.ts'
import { openHome, signIn, testHomes, type HomeContext, type Session, type TestHome } from '../support/homes.ts'

const manifestOf = (archive: Uint8Array): BackupManifest =>
  backupManifestSchema.parse(JSON.parse(gunzipSync(archive).toString('utf8').split('\n')[0]!))

/** Rewrites an archive's text (a row, the manifest) and gzips it again: a backup someone edited. */
function edited(archive: Uint8Array, change: (lines: string[]) => void): Uint8Array<ArrayBuffer> {
  const lines = gunzipSync(archive).toString('utf8').split('\n')
  change(lines)
  return new Uint8Array(gzipSync(Buffer.from(lines.join('\n'))))
}

const firstHazard = async (db: Kysely<Database>) =>
  (
    await sql<{ id: number; name: string; ewkb: string }>`
      SELECT id, name, geom::text AS ewkb FROM hazard_points ORDER BY id LIMIT 1`.execute(db)
  ).rows[0]!

describe.each(testHomes())('backup and restore on the $name home', (home) => {
  let ctx: HomeContext
  let admin: Session
  const events: ServerEvent[] = []

  beforeAll(async () => {
    const port = inProcessEvents()
    port.subscribe((event) => events.push(event))
    ctx = openHome(home, { events: port })
    admin = await signIn(ctx.app, 'admin')
  })
  afterAll(async () => {
    await ctx.close()
  })

  const restore = (session: Session, bytes: Uint8Array<ArrayBuffer>) =>
    session.request('/api/admin/restore', { method: 'POST', raw: bytes, headers: { 'content-type': 'application/gzip' } })

  async function download(): Promise<Uint8Array<ArrayBuffer>> {
    const response = await admin.request('/api/admin/backup')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/gzip')
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="riskatlas-.*\.backup\.gz"$/)
    return new Uint8Array(await response.arrayBuffer())
  }

  it('restores what the backup held: every table’s rows and checksum, a hazard point’s geometry, the photos', async () => {
    const archive = await download()
    const manifest = manifestOf(archive)
    expect(manifest).toMatchObject({ format: 'riskatlas-backup', formatVersion: 1, sourceHome: home.name })
    const tableNames = manifest.tables.map((table) => table.name)
    expect(tableNames).toEqual(expect.arrayContaining(['hazard_points', 'audit_log', 'imports', 'hidden_danger_photos', 'users']))
    expect(tableNames).not.toContain('sessions')
    // Dependency order: a table comes after the tables it references.
    expect(tableNames.indexOf('admin_areas')).toBeLessThan(tableNames.indexOf('natural_villages'))
    expect(tableNames.indexOf('hidden_dangers')).toBeLessThan(tableNames.indexOf('hidden_danger_photos'))
    const hazardBefore = await firstHazard(ctx.db)
    const [auditEntry] = (
      await sql<{ action: string; entity: string }>`SELECT action, entity FROM audit_log ORDER BY id DESC LIMIT 1`.execute(ctx.db)
    ).rows
    expect(auditEntry).toEqual({ action: 'export', entity: 'backup' })

    // Change the data after the backup: a moved and renamed hazard point, a new photo, a deleted drill.
    await sql`UPDATE hazard_points SET name = 'after the backup', geom = ST_SetSRID(ST_MakePoint(99.5, 25.5), 4326) WHERE id = ${hazardBefore.id}`.execute(
      ctx.db,
    )
    await sql`DELETE FROM drills WHERE id = (SELECT min(id) FROM drills)`.execute(ctx.db)
    await sql`
      INSERT INTO hidden_danger_photos (hidden_danger_id, phase, content_type, byte_size, bytes, uploaded_by)
      SELECT min(id), 'before', 'image/png', 3, '\\x010203'::bytea, 'backup-test' FROM hidden_dangers`.execute(ctx.db)
    expect((await firstHazard(ctx.db)).ewkb).not.toBe(hazardBefore.ewkb)

    // An account made after the backup: its session ends with the restore, the admin's goes on.
    const probeName = `backup_probe_${Date.now().toString(36)}`
    await admin.request('/api/users', {
      method: 'POST',
      body: { username: probeName, displayName: '备份探针', role: 'viewer', password: 'backup-probe-password' },
    })
    const probeLogin = await ctx.app.request('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: probeName, password: 'backup-probe-password' }),
    })
    expect(probeLogin.status).toBe(200)
    const probeCookie = probeLogin.headers.get('set-cookie')!.split(';')[0]!

    events.length = 0
    const response = await restore(admin, archive)
    expect(response.status).toBe(200)
    const result = restoreResultSchema.parse(await response.json())
    expect(result.tables.find((table) => table.name === 'hazard_points')?.rows).toBe(
      manifest.tables.find((table) => table.name === 'hazard_points')!.rows,
    )

    const after = await tableDigests(ctx.db, home.name)
    for (const table of manifest.tables) {
      const now = after.find((entry) => entry.name === table.name)!
      if (table.name === 'audit_log') {
        // The backup's audit log, plus the one row recording this restore.
        expect(now.rows).toBe(table.rows + 1)
        continue
      }
      expect({ name: now.name, rows: now.rows, sha256: now.sha256 }).toEqual({ name: table.name, rows: table.rows, sha256: table.sha256 })
    }
    expect(await firstHazard(ctx.db)).toEqual(hazardBefore)
    const [restoreEntry] = (
      await sql<{
        actor: string
        action: string
        entity: string
      }>`SELECT actor, action, entity FROM audit_log ORDER BY id DESC LIMIT 1`.execute(ctx.db)
    ).rows
    expect(restoreEntry).toEqual({ actor: 'admin', action: 'restore', entity: 'backup' })
    // Open screens hear that everything changed: one event, entity `data`, no ids.
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(events).toEqual([expect.objectContaining({ type: 'data.changed', entity: 'data', action: 'update', ids: null })])
    // Sequences continue after the restored rows: a new row gets a fresh id.
    const { rows } = await sql<{ id: number }>`
      INSERT INTO audit_log (actor, action, entity) VALUES ('backup-test', 'read', 'backup') RETURNING id`.execute(ctx.db)
    expect(Number(rows[0]!.id)).toBeGreaterThan(
      Math.max(
        ...(await sql<{ id: number }>`SELECT id FROM audit_log WHERE actor <> 'backup-test'`.execute(ctx.db)).rows.map((r) => Number(r.id)),
      ),
    )
    // Sessions follow their accounts: the admin is still signed in, the account the backup lacks is not.
    const me = async (cookie: string) =>
      ((await (await ctx.app.request('/api/auth/me', { headers: { cookie } })).json()) as { user: { username: string } | null }).user
    expect(await me(admin.cookie)).toMatchObject({ username: 'admin' })
    expect(await me(probeCookie)).toBeNull()
  })

  describe('a backup that cannot be restored is refused and the data is untouched', () => {
    let archive: Uint8Array<ArrayBuffer>
    let before: BackupManifest['tables']
    beforeAll(async () => {
      archive = await download()
      before = await tableDigests(ctx.db, home.name)
    })

    async function expectRefused(bytes: Uint8Array<ArrayBuffer>, reason: string) {
      const response = await restore(admin, bytes)
      expect(response.status).toBe(422)
      const body = errorBodySchema.parse(await response.json())
      expect(body.error).toMatchObject({ code: 'backup_refused', details: { reason } })
      expect(JSON.stringify(body)).not.toMatch(/INSERT|SELECT|json_populate|at .*\.ts/)
      const now = await tableDigests(ctx.db, home.name)
      const withoutAudit = (tables: BackupManifest['tables']) => tables.filter((table) => table.name !== 'audit_log')
      expect(withoutAudit(now)).toEqual(withoutAudit(before))
    }

    it('a file that is not a backup', async () => {
      await expectRefused(new TextEncoder().encode('编号,名称,经度,纬度\nHZ-1,滑坡,99.1,25.1\n') as Uint8Array<ArrayBuffer>, 'not_a_backup')
      await expectRefused(new Uint8Array(gzipSync(Buffer.from('{"type":"FeatureCollection","features":[]}\n'))), 'not_a_backup')
    })

    it('a damaged file: bytes overwritten in the middle, or cut short', async () => {
      const damaged = archive.slice()
      for (let i = Math.floor(damaged.length / 2); i < Math.floor(damaged.length / 2) + 64; i++) damaged[i] = damaged[i]! ^ 0xff
      await expectRefused(damaged, 'corrupt')
      await expectRefused(archive.slice(0, Math.floor(archive.length * 0.7)), 'corrupt')
    })

    it('a row edited after the backup was taken (its checksum no longer matches)', async () => {
      const manifest = manifestOf(archive)
      const at = 1 + manifest.tables.findIndex((table) => table.name === 'hazard_points')
      const firstRow = 1 + manifest.tables.slice(0, at - 1).reduce((sum, table) => sum + 1 + table.rows, 0) + 1
      await expectRefused(
        edited(archive, (lines) => (lines[firstRow] = lines[firstRow]!.replace(/"name":"[^"]*"/, '"name":"篡改"'))),
        'checksum_mismatch',
      )
    })

    it('a newer format, or another schema', async () => {
      const rewriteManifest = (change: (manifest: BackupManifest) => void) =>
        edited(archive, (lines) => {
          const manifest = JSON.parse(lines[0]!) as BackupManifest
          change(manifest)
          lines[0] = JSON.stringify(manifest)
        })
      await expectRefused(
        rewriteManifest((m) => (m.formatVersion = 2)),
        'newer_format',
      )
      await expectRefused(
        rewriteManifest((m) => m.migrations.push('2099-01-01T00-00-00_from_the_future')),
        'schema_mismatch',
      )
      await expectRefused(
        rewriteManifest((m) => (m.migrations = m.migrations.slice(0, -1))),
        'schema_mismatch',
      )
    })

    it('rows the database refuses half-way through (after tables were emptied): all rolled back', async () => {
      // A consistent archive (checksums recomputed) whose last table holds a row that breaks a constraint.
      const manifest = manifestOf(archive)
      const target = manifest.tables.findIndex((table) => table.name === 'hazard_points')
      const start = 1 + manifest.tables.slice(0, target).reduce((sum, table) => sum + 1 + table.rows, 0) + 1
      const broken = edited(archive, (lines) => {
        lines[start] = lines[start]!.replace(/"risk_level":\d/, '"risk_level":9')
        const rows = lines.slice(start, start + manifest.tables[target]!.rows)
        manifest.tables[target]!.sha256 = sha256OfRows(rows)
        lines[0] = JSON.stringify(manifest)
      })
      await expectRefused(broken, 'corrupt')
    })
  })

  it('is for admins only: editors and viewers get 403 for both', async () => {
    const archive = await download()
    for (const username of ['editor', 'viewer'] as const) {
      const session = await signIn(ctx.app, username)
      expect((await session.request('/api/admin/backup')).status).toBe(403)
      const response = await restore(session, archive)
      expect(response.status).toBe(403)
      expect(errorBodySchema.parse(await response.json()).error.code).toBe('forbidden')
    }
    expect((await ctx.app.request('/api/admin/backup')).status).toBe(401)
  })

  it('keeps a backup an admin makes on the server: listed with its size and time, downloaded as that archive, audited', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'riskatlas-backups-'))
    // The same database (one connection on the embedded home), an app that keeps archives in `dir`.
    const kept = createApp({ db: ctx.db, home: home.name, log: () => {}, backupDir: dir })
    try {
      const keeper = await signIn(kept, 'admin')
      // A scheduled archive already there is listed too; a half-written one is not.
      await writeBackupFile(ctx.db, home.name, dir, new Date('2026-12-01T02:00:00Z'))
      fs.writeFileSync(path.join(dir, 'riskatlas-2026-12-02T02-00-00Z.backup.gz.partial'), 'half')
      const started = Date.now() - 1000
      const made = await keeper.request('/api/admin/backups', { method: 'POST' })
      expect(made.status).toBe(201)
      const entry = storedBackupSchema.parse(await made.json())
      expect(Date.parse(entry.createdAt)).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000)
      expect(entry.bytes).toBe(fs.statSync(path.join(dir, entry.name)).size)

      const listed = storedBackupListSchema.parse(await (await keeper.request('/api/admin/backups')).json())
      expect(listed.backups.map((backup) => backup.name)).toEqual([entry.name, 'riskatlas-2026-12-01T02-00-00Z.backup.gz'])
      expect(listed.backups[0]).toEqual(entry)

      const downloaded = await keeper.request(`/api/admin/backups/${entry.name}`)
      expect(downloaded.status).toBe(200)
      expect(downloaded.headers.get('content-disposition')).toBe(`attachment; filename="${entry.name}"`)
      const archive = new Uint8Array(await downloaded.arrayBuffer())
      expect(archive.length).toBe(entry.bytes)
      expect(manifestOf(archive).tables.map((table) => table.name)).toContain('hazard_points')

      // Only names of the archive pattern, and only ones the listing holds: no path reaches the file system.
      expect((await keeper.request('/api/admin/backups/riskatlas-2000-01-01T00-00-00Z.backup.gz')).status).toBe(404)
      expect((await keeper.request(`/api/admin/backups/${encodeURIComponent('../riskatlas.lock')}`)).status).toBe(400)
      const audit = await ctx.db
        .selectFrom('audit_log')
        .select(['action', 'details'])
        .where('entity', '=', 'backup')
        .where('actor', '=', 'admin')
        .where(sql<boolean>`details->>'name' = ${entry.name}`)
        .orderBy('id')
        .execute()
      expect(audit.map((row) => row.action)).toEqual(['create', 'export'])

      // Without a backup directory nothing is kept: an empty list, and 409 for 立即备份.
      expect(storedBackupListSchema.parse(await (await admin.request('/api/admin/backups')).json()).backups).toEqual([])
      const refused = await admin.request('/api/admin/backups', { method: 'POST' })
      expect(refused.status).toBe(409)
      expect(errorBodySchema.parse(await refused.json()).error.code).toBe('conflict')
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it('scheduled backups write an archive each interval and keep only the newest N', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'riskatlas-backups-'))
    try {
      let clock = Date.parse('2026-12-03T00:00:00Z')
      const stop = scheduleBackups(
        ctx.db,
        home.name,
        { dir, everyMs: 150, keep: 2 },
        () => {},
        () => new Date((clock += 3_600_000)),
      )
      await expect.poll(() => clock, { timeout: 20_000, interval: 50 }).toBeGreaterThanOrEqual(Date.parse('2026-12-03T04:00:00Z'))
      await stop()
      const names = fs.readdirSync(dir).sort()
      const written = (clock - Date.parse('2026-12-03T00:00:00Z')) / 3_600_000
      expect(written).toBeGreaterThanOrEqual(4)
      const newest = [written - 1, written].map(
        (hours) =>
          `riskatlas-${new Date(Date.parse('2026-12-03T00:00:00Z') + hours * 3_600_000).toISOString().slice(0, 19).replaceAll(':', '-')}Z.backup.gz`,
      )
      expect(names).toEqual(newest)
      // Each kept file is a whole backup.
      expect(manifestOf(new Uint8Array(fs.readFileSync(path.join(dir, names[1]!)))).sourceHome).toBe(home.name)
      // A file that is not an archive is never pruned.
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'keep me')
      await writeBackupFile(ctx.db, home.name, dir, new Date('2026-12-04T00:00:00Z'))
      expect(pruneBackups(dir, 1)).toHaveLength(2)
      expect(fs.readdirSync(dir).sort()).toEqual(['notes.txt', 'riskatlas-2026-12-04T00-00-00Z.backup.gz'])
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

const homes = testHomes()
describe.runIf(homes.length === 2)('moving homes: a backup from one home restores into the other', () => {
  const [embeddedHome, externalHome] = homes as [TestHome, TestHome]
  let embedded: HomeContext
  let external: HomeContext
  let originals: { embedded: Uint8Array; external: Uint8Array }

  beforeAll(async () => {
    embedded = openHome(embeddedHome)
    external = openHome(externalHome)
    // The two homes must differ, or a restore that did nothing would pass.
    await sql`UPDATE hazard_points SET name = name || '（外）' WHERE id = (SELECT min(id) FROM hazard_points)`.execute(external.db)
    originals = {
      embedded: (await createBackup(embedded.db, 'embedded')).archive,
      external: (await createBackup(external.db, 'external')).archive,
    }
  })
  afterAll(async () => {
    await embedded.db.transaction().execute((trx) => restoreBackup(trx, originals.embedded))
    await external.db.transaction().execute((trx) => restoreBackup(trx, originals.external))
    await sql`UPDATE hazard_points SET name = left(name, -3) WHERE id = (SELECT min(id) FROM hazard_points) AND name LIKE '%（外）'`.execute(
      external.db,
    )
    await embedded.close()
    await external.close()
  })

  it('embedded → external → embedded: equal row counts and checksums, geometries exact', async () => {
    const fromEmbedded = manifestOf(originals.embedded)
    const fromExternal = manifestOf(originals.external)
    expect(fromEmbedded.tables.find((t) => t.name === 'hazard_points')!.sha256).not.toBe(
      fromExternal.tables.find((t) => t.name === 'hazard_points')!.sha256,
    )

    await external.db.transaction().execute((trx) => restoreBackup(trx, originals.embedded))
    expect(await tableDigests(external.db, 'external')).toEqual(fromEmbedded.tables)
    expect(await firstHazard(external.db)).toEqual(await firstHazard(embedded.db))

    await embedded.db.transaction().execute((trx) => restoreBackup(trx, originals.external))
    expect(await tableDigests(embedded.db, 'embedded')).toEqual(fromExternal.tables)

    // And back: the external home's copy of the embedded data, restored on the embedded home, is the original.
    const movedBack = (await createBackup(external.db, 'external')).archive
    await embedded.db.transaction().execute((trx) => restoreBackup(trx, movedBack))
    expect(await tableDigests(embedded.db, 'embedded')).toEqual(fromEmbedded.tables)
  })
})
