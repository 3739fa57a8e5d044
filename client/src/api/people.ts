import { vulnerablePersonSchema, type VulnerablePerson, type VulnerablePersonInput } from '@riskatlas/shared'
import { fetchLayerFeatures } from './layers.ts'
import { getJson, listOf, sendJson } from './http.ts'

/** The list filters GET /api/vulnerable-people understands (the server also limits to the caller's villages). */
export interface PeopleQuery {
  naturalVillageId?: number | undefined
  withoutResponsible?: boolean | undefined
}

const peopleListSchema = listOf('people', vulnerablePersonSchema)

/** `?naturalVillageId=…&withoutResponsible=true`, leaving out what is not set. */
export function peopleSearch(query: PeopleQuery): string {
  const params = new URLSearchParams()
  if (query.naturalVillageId) params.set('naturalVillageId', String(query.naturalVillageId))
  if (query.withoutResponsible) params.set('withoutResponsible', 'true')
  const text = params.toString()
  return text ? `?${text}` : ''
}

export async function fetchPeople(query: PeopleQuery, signal?: AbortSignal): Promise<VulnerablePerson[]> {
  const { people } = await getJson(`/api/vulnerable-people${peopleSearch(query)}`, peopleListSchema, signal)
  return people
}

/** The CSV export of the same list (UTF-8 with BOM, opens in Excel); the browser downloads it. */
export function peopleExportUrl(query: PeopleQuery): string {
  return `/api/vulnerable-people/export.csv${peopleSearch(query)}`
}

export async function createPerson(input: VulnerablePersonInput): Promise<VulnerablePerson> {
  return sendJson('POST', '/api/vulnerable-people', input, vulnerablePersonSchema)
}

export async function updatePerson(id: number, patch: Partial<VulnerablePersonInput>): Promise<VulnerablePerson> {
  return sendJson('PATCH', `/api/vulnerable-people/${id}`, patch, vulnerablePersonSchema)
}

export async function deletePerson(id: number): Promise<void> {
  await sendJson('DELETE', `/api/vulnerable-people/${id}`)
}

/** A natural village as the people view needs it: which administrative village it belongs to. */
export interface NaturalVillageChoice {
  id: number
  name: string
  code: string
  adminCode: string
  adminName: string
}

/** An administrative village (行政村/社区) with its natural villages, in code order. */
export interface AdminVillageChoice {
  code: string
  name: string
  villages: NaturalVillageChoice[]
}

/**
 * Groups the natural villages of the public layer by administrative village. A natural
 * village's 15-digit code starts with its administrative village's 12-digit code.
 */
export function groupByAdminVillage(villages: readonly NaturalVillageChoice[]): AdminVillageChoice[] {
  const groups = new Map<string, AdminVillageChoice>()
  for (const village of [...villages].sort((a, b) => a.code.localeCompare(b.code))) {
    const group = groups.get(village.adminCode) ?? { code: village.adminCode, name: village.adminName, villages: [] }
    group.villages.push(village)
    groups.set(village.adminCode, group)
  }
  return [...groups.values()]
}

/** The natural villages of GET /api/layers/natural_villages (public: names and codes only). */
export async function fetchNaturalVillages(signal?: AbortSignal): Promise<NaturalVillageChoice[]> {
  const collection = await fetchLayerFeatures('natural_villages', 10_000, signal)
  return collection.features.flatMap((feature) => {
    const { code, name, admin_name: adminName } = feature.properties
    if (typeof feature.id !== 'number' || typeof code !== 'string' || typeof name !== 'string') return []
    return [
      {
        id: feature.id,
        name,
        code,
        adminCode: code.slice(0, 12),
        adminName: typeof adminName === 'string' ? adminName : code.slice(0, 12),
      },
    ]
  })
}
