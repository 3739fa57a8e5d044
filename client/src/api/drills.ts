import {
  coverageResponseSchema,
  drillBatchResultSchema,
  drillListSchema,
  drillSchema,
  evacuationCardListSchema,
  evacuationCardSchema,
  gapsResponseSchema,
  type CoverageResponse,
  type Drill,
  type DrillCreate,
  type DrillListQuery,
  type DrillUpdate,
  type EvacuationCard,
  type EvacuationCardList,
  type GapsResponse,
} from '@riskatlas/shared'
import { getJson, sendJson } from './http.ts'

/** A season's coverage; without a year the server picks the season of today. */
export async function fetchCoverage(year?: number, signal?: AbortSignal): Promise<CoverageResponse> {
  return getJson(`/api/coverage${year ? `?year=${year}` : ''}`, coverageResponseSchema, signal)
}

export async function fetchGaps(year: number, signal?: AbortSignal): Promise<GapsResponse> {
  return getJson(`/api/gaps?year=${year}`, gapsResponseSchema, signal)
}

export async function fetchDrills(query: DrillListQuery, signal?: AbortSignal): Promise<Drill[]> {
  const params = new URLSearchParams(Object.entries(query).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)]])))
  const { drills } = await getJson(`/api/drills?${params}`, drillListSchema, signal)
  return drills
}

export async function fetchEvacuationCard(villageId: number, year?: number, signal?: AbortSignal): Promise<EvacuationCard> {
  return getJson(`/api/villages/${villageId}/evacuation-card${year ? `?year=${year}` : ''}`, evacuationCardSchema, signal)
}

export async function fetchEvacuationCards(adminCode: string, year?: number, signal?: AbortSignal): Promise<EvacuationCardList> {
  return getJson(
    `/api/admin-villages/${encodeURIComponent(adminCode)}/evacuation-cards${year ? `?year=${year}` : ''}`,
    evacuationCardListSchema,
    signal,
  )
}

/** Writes go through the app's `sendJson`, which carries the session's CSRF token. */
export async function createDrill(input: DrillCreate): Promise<Drill> {
  return sendJson('POST', '/api/drills', input, drillSchema)
}

/** Plans several drills in one transaction: all of them or none. */
export async function createDrills(drills: DrillCreate[]): Promise<Drill[]> {
  return (await sendJson('POST', '/api/drills/batch', { drills }, drillBatchResultSchema)).drills
}

export async function updateDrill(id: number, patch: DrillUpdate): Promise<Drill> {
  return sendJson('PATCH', `/api/drills/${id}`, patch, drillSchema)
}

export async function deleteDrill(id: number): Promise<void> {
  await sendJson('DELETE', `/api/drills/${id}`)
}
