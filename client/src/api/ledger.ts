import type {
  FourListId,
  HiddenDanger,
  HiddenDangerCreate,
  HiddenDangerTransition,
  HiddenDangerUpdate,
  EditableRecordKind,
  LedgerRecord,
  LedgerRecordCreate,
  LedgerRecordKind,
  LedgerRecordValues,
  SafetyPlace,
  SafetyPlaceCreate,
  SafetyPlaceUpdate,
  SummaryFigureId,
  SummarySectionId,
} from '@riskatlas/shared'
import { api, ok, withSignal } from './client.ts'
import { apiFetch, toApiError } from './http.ts'

/** The hidden-danger ledger (隐患台账), its registers, the four lists and the work summary: `/api/ledger/*`, `/api/summary/*`. */

export interface DangerFilter {
  status?: HiddenDanger['status'] | ''
  level?: HiddenDanger['level'] | ''
  overdue?: boolean
  from?: string
  to?: string
  q?: string
  placeId?: number
}

function dangerParams(filter: DangerFilter): Record<string, string> {
  const params: Record<string, string> = { limit: '2000' }
  if (filter.status) params.status = filter.status
  if (filter.level) params.level = filter.level
  if (filter.overdue) params.overdue = 'true'
  if (filter.from) params.from = filter.from
  if (filter.to) params.to = filter.to
  if (filter.q) params.q = filter.q
  if (filter.placeId) params.placeId = String(filter.placeId)
  return params
}

export async function fetchDangers(filter: DangerFilter, signal?: AbortSignal) {
  return ok(api.ledger.dangers.$get({ query: dangerParams(filter) }, withSignal(signal)))
}

export async function fetchOverdue(signal?: AbortSignal) {
  return ok(api.ledger.overdue.$get(undefined, withSignal(signal)))
}

export async function fetchRates(period: { from?: string; to?: string }, signal?: AbortSignal) {
  return ok(api.ledger.rates.$get({ query: period }, withSignal(signal)))
}

export async function fetchPlaces(signal?: AbortSignal): Promise<SafetyPlace[]> {
  return (await ok(api.ledger.places.$get({ query: {} }, withSignal(signal)))).places
}

export async function fetchPlaceCard(id: number, signal?: AbortSignal) {
  return ok(api.ledger.places[':id'].$get({ param: { id: String(id) } }, withSignal(signal)))
}

export async function createPlace(input: SafetyPlaceCreate): Promise<SafetyPlace> {
  return ok(api.ledger.places.$post({ json: input }))
}

export async function updatePlace(id: number, patch: SafetyPlaceUpdate): Promise<SafetyPlace> {
  return ok(api.ledger.places[':id'].$patch({ param: { id: String(id) }, json: patch }))
}

export async function createDanger(input: HiddenDangerCreate): Promise<HiddenDanger> {
  return ok(api.ledger.dangers.$post({ json: input }))
}

export async function updateDanger(id: number, patch: HiddenDangerUpdate): Promise<HiddenDanger> {
  return ok(api.ledger.dangers[':id'].$patch({ param: { id: String(id) }, json: patch }))
}

export async function transitionDanger(id: number, change: HiddenDangerTransition): Promise<HiddenDanger> {
  return ok(api.ledger.dangers[':id'].transition.$post({ param: { id: String(id) }, json: change }))
}

export async function deletePlace(id: number): Promise<void> {
  await ok(api.ledger.places[':id'].$delete({ param: { id: String(id) } }))
}

export async function deleteDanger(id: number): Promise<void> {
  await ok(api.ledger.dangers[':id'].$delete({ param: { id: String(id) } }))
}

/** Uploads one photo: the body is the file itself, with its own content type (the server sniffs and checks it). */
export async function uploadPhoto(dangerId: number, phase: 'before' | 'after', file: File): Promise<void> {
  const path = api.ledger.dangers[':id'].photos.$path({ param: { id: String(dangerId) }, query: { phase } })
  const response = await apiFetch(path, {
    method: 'POST',
    body: file,
    headers: { 'Content-Type': file.type || 'application/octet-stream' },
  })
  if (!response.ok) throw await toApiError(response)
}

export const photoUrl = (id: number) => api.ledger.photos[':id'].$path({ param: { id: String(id) } })

export async function fetchRecords(kind: LedgerRecordKind, year: number, signal?: AbortSignal) {
  return ok(api.ledger.records[':kind'].$get({ param: { kind }, query: { year: String(year) } }, withSignal(signal)))
}

export async function createRecord(input: LedgerRecordCreate) {
  return ok(api.ledger.records.$post({ json: input }))
}

/** Corrects a register row: `patch` is the kind's update (`ledgerRecordUpdateSchemas[kind]`). */
export async function updateRecord(kind: EditableRecordKind, id: number, patch: LedgerRecordValues): Promise<LedgerRecord> {
  return ok(api.ledger.records[':kind'][':id'].$patch({ param: { kind, id: String(id) }, json: patch }))
}

export async function deleteRecord(kind: EditableRecordKind, id: number): Promise<void> {
  await ok(api.ledger.records[':kind'][':id'].$delete({ param: { kind, id: String(id) } }))
}

export async function fetchFourList(list: FourListId, year: number, signal?: AbortSignal) {
  return ok(api.ledger.lists[':list'].$get({ param: { list }, query: { year: String(year) } }, withSignal(signal)))
}

export const fourListXlsxUrl = (list: FourListId, year: number) =>
  api.ledger.lists[':list']['export.xlsx'].$path({ param: { list }, query: { year: String(year) } })

/** A summary's period: a year, or any range of days (`from`–`to`, both included). */
export type SummaryPeriod = number | { from: string; to: string }
const periodQuery = (period: SummaryPeriod): { year: string } | { from: string; to: string } =>
  typeof period === 'number' ? { year: String(period) } : { from: period.from, to: period.to }

export async function fetchSummary(period: SummaryPeriod, signal?: AbortSignal) {
  return ok(api.summary.$get({ query: periodQuery(period) }, withSignal(signal)))
}

export async function fetchFigureRows(figure: SummaryFigureId, period: SummaryPeriod, signal?: AbortSignal) {
  return ok(api.summary.figures[':figure'].$get({ param: { figure }, query: periodQuery(period) }, withSignal(signal)))
}

export async function saveNarratives(year: number, narratives: Partial<Record<SummarySectionId, string>>) {
  return ok(api.summary.narratives.$put({ json: { year, narratives } }))
}

export const summaryDocxUrl = (period: SummaryPeriod) => api.summary['export.docx'].$path({ query: periodQuery(period) })

export async function findDanger(id: number, signal?: AbortSignal): Promise<HiddenDanger> {
  return ok(api.ledger.dangers[':id'].$get({ param: { id: String(id) } }, withSignal(signal)))
}
