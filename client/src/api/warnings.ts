import type { Warning, WarningCreate, WarningDetail, WarningImpact, WarningListQuery, WarningUpdate } from '@riskatlas/shared'
import { api, ok, withSignal } from './client.ts'

/** Warnings: current (active or scheduled) unless a status is asked for. */
export async function fetchWarnings(status?: WarningListQuery['status'], signal?: AbortSignal): Promise<Warning[]> {
  return (await ok(api.warnings.$get({ query: status ? { status } : {} }, withSignal(signal)))).warnings
}

export async function fetchWarning(id: number, signal?: AbortSignal): Promise<WarningDetail> {
  return ok(api.warnings[':id'].$get({ param: { id: String(id) } }, withSignal(signal)))
}

/** What a warning covers, in counts (contacts only for those allowed to see them). */
export async function fetchWarningImpact(id: number, signal?: AbortSignal): Promise<WarningImpact> {
  return ok(api.warnings[':id'].impact.$get({ param: { id: String(id) } }, withSignal(signal)))
}

export async function issueWarning(input: WarningCreate): Promise<WarningDetail> {
  return ok(api.warnings.$post({ json: input }))
}

/** Change a warning, or lift it with `{ lift: true, reason }`. */
export async function updateWarning(id: number, patch: WarningUpdate): Promise<WarningDetail> {
  return ok(api.warnings[':id'].$patch({ param: { id: String(id) }, json: patch }))
}
