import type {
  CoverageResponse,
  Drill,
  DrillCreate,
  DrillListQuery,
  DrillUpdate,
  EvacuationCard,
  EvacuationCardList,
  GapsResponse,
} from '@riskatlas/shared'
import { maxDrillBatch } from '@riskatlas/shared'
import { api, ok, withSignal } from './client.ts'

const yearQuery = (year?: number) => (year ? { year: String(year) } : {})

/** A season's coverage; without a year the server picks the season of today. */
export async function fetchCoverage(year?: number, signal?: AbortSignal): Promise<CoverageResponse> {
  return ok(api.coverage.$get({ query: yearQuery(year) }, withSignal(signal)))
}

export async function fetchGaps(year: number, signal?: AbortSignal): Promise<GapsResponse> {
  return ok(api.gaps.$get({ query: yearQuery(year) }, withSignal(signal)))
}

export async function fetchDrills(query: DrillListQuery, signal?: AbortSignal): Promise<Drill[]> {
  const params = Object.fromEntries(Object.entries(query).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)]])))
  return (await ok(api.drills.$get({ query: params }, withSignal(signal)))).drills
}

export async function fetchEvacuationCard(villageId: number, year?: number, signal?: AbortSignal): Promise<EvacuationCard> {
  return ok(api.villages[':id']['evacuation-card'].$get({ param: { id: String(villageId) }, query: yearQuery(year) }, withSignal(signal)))
}

export async function fetchEvacuationCards(adminCode: string, year?: number, signal?: AbortSignal): Promise<EvacuationCardList> {
  return ok(
    api['admin-villages'][':code']['evacuation-cards'].$get({ param: { code: adminCode }, query: yearQuery(year) }, withSignal(signal)),
  )
}

/** Writes go through the typed client's fetch, which carries the session's CSRF token. */
export async function createDrill(input: DrillCreate): Promise<Drill> {
  return ok(api.drills.$post({ json: input }))
}

/**
 * Plans several drills: each chunk of `maxDrillBatch` (one town's villages fit in one) in one
 * transaction, all of it or none; chunks are sent one after another.
 */
export async function createDrills(drills: DrillCreate[]): Promise<Drill[]> {
  const created: Drill[] = []
  for (let start = 0; start < drills.length; start += maxDrillBatch) {
    created.push(...(await ok(api.drills.batch.$post({ json: { drills: drills.slice(start, start + maxDrillBatch) } }))).drills)
  }
  return created
}

export async function updateDrill(id: number, patch: DrillUpdate): Promise<Drill> {
  return ok(api.drills[':id'].$patch({ param: { id: String(id) }, json: patch }))
}

export async function deleteDrill(id: number): Promise<void> {
  await ok(api.drills[':id'].$delete({ param: { id: String(id) } }))
}
