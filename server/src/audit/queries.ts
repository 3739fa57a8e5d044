import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../db/schema.ts'
import type { Principal } from '../auth/scope.ts'

export interface AuditEntry {
  action: 'read' | 'list' | 'export' | 'create' | 'update' | 'delete' | 'login' | 'logout' | 'revoke'
  entity: string
  entityId?: string | number | null
  reason?: string | null
  details?: unknown
}

/** Appends one row to the append-only audit log (a trigger refuses UPDATE and DELETE). */
export async function writeAudit(db: Kysely<Database> | Transaction<Database>, actor: Principal | string, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor: typeof actor === 'string' ? actor : actor.username,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId == null ? null : String(entry.entityId),
      reason: entry.reason ?? null,
      details: entry.details === undefined ? null : JSON.stringify(entry.details),
    })
    .execute()
}
