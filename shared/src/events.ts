import { z } from 'zod'

/**
 * What the server says happened, through its events port (in-process on the embedded home,
 * PostgreSQL LISTEN/NOTIFY on the external one) and later to screens over SSE. Events name
 * what changed (table and ids) and the data version after the change — never a person's name,
 * phone or address, so any subscriber may receive them.
 */
export const changeActions = ['create', 'update', 'delete'] as const
export type ChangeAction = (typeof changeActions)[number]

/** A committed write: `version` is the data version it produced. `ids` is null when too many to list. */
export const dataChangedEventSchema = z.object({
  type: z.literal('data.changed'),
  /** The event history's id (`event_log.id`), set once the event is recorded; the SSE `id:`. */
  id: z.number().int().positive().optional(),
  version: z.number().int().nonnegative(),
  /** The table written, e.g. `drills`, `vulnerable_people`, `users`. */
  entity: z.string(),
  action: z.enum(changeActions),
  ids: z.array(z.number().int()).nullable(),
  at: z.string(),
})
export type DataChangedEvent = z.infer<typeof dataChangedEventSchema>

/** Every event the port carries. New capabilities add their event schema to this union. */
export const serverEventSchema = z.discriminatedUnion('type', [dataChangedEventSchema])
export type ServerEvent = z.infer<typeof serverEventSchema>

/** `GET /api/data-version`: raised once by every transaction that writes data. */
export const dataVersionSchema = z.object({ version: z.number().int().nonnegative(), changedAt: z.string() })
export type DataVersion = z.infer<typeof dataVersionSchema>
