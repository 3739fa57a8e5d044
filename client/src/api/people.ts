import type { VulnerablePerson, VulnerablePersonInput } from '@riskatlas/shared'
import { api, ok, withSignal } from './client.ts'
import { fetchLayerFeatures } from './layers.ts'

/** The list filters GET /api/vulnerable-people understands (the server also limits to the caller's villages). */
export interface PeopleQuery {
  naturalVillageId?: number | undefined
  withoutResponsible?: boolean | undefined
}

/** The query string's fields, leaving out what is not set. */
function peopleParams(query: PeopleQuery): { naturalVillageId?: string; withoutResponsible?: 'true' } {
  return {
    ...(query.naturalVillageId ? { naturalVillageId: String(query.naturalVillageId) } : {}),
    ...(query.withoutResponsible ? { withoutResponsible: 'true' as const } : {}),
  }
}

/** `?naturalVillageId=…&withoutResponsible=true`, leaving out what is not set. */
export function peopleSearch(query: PeopleQuery): string {
  const text = new URLSearchParams(peopleParams(query)).toString()
  return text ? `?${text}` : ''
}

export async function fetchPeople(query: PeopleQuery, signal?: AbortSignal): Promise<VulnerablePerson[]> {
  return (await ok(api['vulnerable-people'].$get({ query: peopleParams(query) }, withSignal(signal)))).people
}

/** The CSV export of the same list (UTF-8 with BOM, opens in Excel); the browser downloads it. */
export function peopleExportUrl(query: PeopleQuery): string {
  return api['vulnerable-people']['export.csv'].$path({ query: peopleParams(query) })
}

export async function createPerson(input: VulnerablePersonInput): Promise<VulnerablePerson> {
  return ok(api['vulnerable-people'].$post({ json: input }))
}

export async function updatePerson(id: number, patch: Partial<VulnerablePersonInput>): Promise<VulnerablePerson> {
  return ok(api['vulnerable-people'][':id'].$patch({ param: { id: String(id) }, json: patch }))
}

export async function deletePerson(id: number): Promise<void> {
  await ok(api['vulnerable-people'][':id'].$delete({ param: { id: String(id) } }))
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
