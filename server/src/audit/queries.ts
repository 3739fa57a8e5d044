import type { Kysely, Transaction } from 'kysely'
import type { AuditAction, AuditEntity, AuditReason } from '@riskatlas/shared'
import type { Database } from '../db/schema.ts'
import type { Principal } from '../auth/scope.ts'

export interface AuditEntry {
  action: AuditAction
  /** One of the shared `auditEntities`, so the audit view can name it. */
  entity: AuditEntity
  entityId?: string | number | null
  /** A code the audit view words, or `{ typed }`: what a user wrote, stored as written. */
  reason?: AuditReason | null
  details?: unknown
}

/** Appends one row to the append-only audit log (a trigger refuses UPDATE and DELETE). */
export async function writeAudit(
  db: Kysely<Database> | Transaction<Database>,
  actor: Principal | string,
  entry: AuditEntry,
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor: typeof actor === 'string' ? actor : actor.username,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId == null ? null : String(entry.entityId),
      reason: entry.reason == null ? null : typeof entry.reason === 'string' ? entry.reason : entry.reason.typed,
      details: entry.details === undefined ? null : JSON.stringify(entry.details),
    })
    .execute()
}
