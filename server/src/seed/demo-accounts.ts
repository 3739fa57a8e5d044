import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.ts'
import { hashPassword } from '../auth/passwords.ts'

/**
 * Demo accounts for the embedded demo town, one per role — FOR THE DEMO ONLY (README lists
 * them). A real installation creates its first admin with `pnpm user:create` instead.
 */
export const demoAccounts = [
  { username: 'admin', password: 'demo-admin-2026', displayName: '演示管理员', role: 'admin' },
  { username: 'editor', password: 'demo-editor-2026', displayName: '演示编辑（全镇）', role: 'editor' },
  { username: 'village_editor', password: 'demo-village-2026', displayName: '演示村干部（第一个行政村）', role: 'editor', scoped: true },
  { username: 'viewer', password: 'demo-viewer-2026', displayName: '演示查看者', role: 'viewer' },
] as const

/** The demo big screen's display token (revocable like any other). */
export const demoDisplayToken = 'dsp_demo-command-room-screen'

/** Creates or resets the demo accounts; idempotent. The scoped editor gets the first administrative village. */
export async function seedDemoAccounts(db: Kysely<Database>): Promise<void> {
  const firstVillage = await db.selectFrom('admin_areas').select('code').where('level', '=', 'village').orderBy('code').executeTakeFirst()
  for (const account of demoAccounts) {
    const values = {
      username: account.username,
      display_name: account.displayName,
      role: account.role,
      village_scope: 'scoped' in account && firstVillage ? [firstVillage.code] : null,
      password_hash: await hashPassword(account.password),
      disabled: false,
    }
    await db
      .insertInto('users')
      .values(values)
      .onConflict((oc) => oc.column('username').doUpdateSet(values))
      .execute()
  }
  const tokenHash = createHash('sha256').update(demoDisplayToken).digest('base64url')
  await db
    .insertInto('display_tokens')
    .values({ name: '指挥大屏（演示）', token_hash: tokenHash, created_by: null })
    .onConflict((oc) => oc.column('token_hash').doUpdateSet({ revoked_at: null }))
    .execute()
}
