import {
  coverageResponseSchema,
  drillBatchResultSchema,
  drillListSchema,
  drillSchema,
  evacuationCardListSchema,
  evacuationCardSchema,
  gapsResponseSchema,
  meSchema,
  type CoverageResponse,
  type Drill,
  type DrillCreate,
  type DrillListQuery,
  type DrillUpdate,
  type EvacuationCard,
  type EvacuationCardList,
  type GapsResponse,
  type PrincipalView,
} from '@riskatlas/shared'
import { ApiError, getJson } from './http.ts'

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

let session: Promise<{ user: PrincipalView | null; csrfToken: string | null }> | undefined

/** Who is signed in (null when nobody), fetched once per page. */
export async function currentUser(refresh = false): Promise<PrincipalView | null> {
  if (refresh || !session) session = getJson('/api/auth/me', meSchema)
  return (await session).user
}

/** The session's CSRF token, which every write must echo in `x-csrf-token`. */
async function csrfToken(refresh: boolean): Promise<string> {
  if (refresh || !session) session = getJson('/api/auth/me', meSchema)
  return (await session).csrfToken ?? ''
}

async function sendJson(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<Response> {
  for (const refresh of [false, true]) {
    const response = await fetch(path, {
      method,
      headers: {
        accept: 'application/json',
        'x-csrf-token': await csrfToken(refresh),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    // A session renewed in another tab has a new token: fetch it and try once more.
    if (response.status === 403 && !refresh && /csrf/i.test(await response.clone().text())) continue
    if (!response.ok) throw await toError(response)
    return response
  }
  throw new ApiError(403, 'forbidden', 'CSRF')
}

async function toError(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } }
    return new ApiError(response.status, body.error?.code ?? 'http_error', body.error?.message ?? response.statusText)
  } catch {
    return new ApiError(response.status, 'http_error', response.statusText || `HTTP ${response.status}`)
  }
}

export async function createDrill(input: DrillCreate): Promise<Drill> {
  return drillSchema.parse(await (await sendJson('POST', '/api/drills', input)).json())
}

/** Plans several drills in one transaction: all of them or none. */
export async function createDrills(drills: DrillCreate[]): Promise<Drill[]> {
  return drillBatchResultSchema.parse(await (await sendJson('POST', '/api/drills/batch', { drills })).json()).drills
}

export async function updateDrill(id: number, patch: DrillUpdate): Promise<Drill> {
  return drillSchema.parse(await (await sendJson('PATCH', `/api/drills/${id}`, patch)).json())
}

export async function deleteDrill(id: number): Promise<void> {
  await sendJson('DELETE', `/api/drills/${id}`)
}
