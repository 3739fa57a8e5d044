import { computed, watch, type ComputedRef, type Ref, type ShallowRef } from 'vue'
import { vulnerableCategories, type VulnerablePerson } from '@riskatlas/shared'
import {
  fetchNaturalVillages,
  fetchPeople,
  groupByAdminVillage,
  peopleExportUrl,
  type AdminVillageChoice,
  type NaturalVillageChoice,
  type PeopleQuery,
} from '../api/people.ts'
import type { Session } from './useSession.ts'
import { useResource } from './useResource.ts'
import { useNumberQuery, useTextQuery } from './useUrlState.ts'

/** The people of one natural village, as the list shows them under a heading. */
export interface VillageGroup {
  id: number
  name: string
  admin: string
  people: VulnerablePerson[]
}

export interface PeopleCounts {
  total: number
  byCategory: Record<string, number>
  without: number
}

export interface PeopleList {
  /** The administrative village chosen ('' = all of the account's); `?admin=<code>|all` in the URL. */
  adminCode: Ref<string>
  /** The natural village chosen (0 = every one of the administrative village); `?village=`. */
  villageId: Ref<number>
  /** 仅显示无包保责任人; `?without=1`. */
  withoutResponsible: Ref<boolean>
  adminVillages: ComputedRef<AdminVillageChoice[]>
  villagesOfAdmin: ComputedRef<NaturalVillageChoice[]>
  /** The account's administrative villages by name, when its scope is limited. */
  scopeNames: ComputedRef<string>
  people: ShallowRef<VulnerablePerson[] | undefined>
  /** The list as shown: the chosen administrative village's part when no natural village is chosen. */
  shown: ComputedRef<VulnerablePerson[]>
  groups: ComputedRef<VillageGroup[]>
  counts: ComputedRef<PeopleCounts>
  exportUrl: ComputedRef<string>
  loading: Readonly<Ref<boolean>>
  error: ComputedRef<unknown>
  reload(): Promise<void>
  /** Keeps the list as the server has it after a write, without asking for everything again. */
  replacePerson(saved: VulnerablePerson): void
  removePerson(id: number): void
}

/**
 * The vulnerable-people list of the /people view: the villages the account may work on, the
 * filters (kept in the URL), the people the server returns for them, grouped and counted.
 */
export function usePeopleList(session: Session): PeopleList {
  const adminQuery = useTextQuery('admin')
  const villageQuery = useNumberQuery('village')
  const withoutQuery = useTextQuery('without')

  const villages = useResource(
    () => true,
    (_, signal) => fetchNaturalVillages(signal),
  )
  const allVillages = computed(() => villages.data.value ?? [])

  /** The natural villages the account may work on: an editor's scope, or the whole town. */
  const scopedVillages = computed(() => {
    const scope = session.user.value?.role === 'editor' ? session.user.value.villageScope : null
    return scope ? allVillages.value.filter((village) => scope.includes(village.adminCode)) : allVillages.value
  })
  const adminVillages = computed(() => groupByAdminVillage(scopedVillages.value))

  /** Where the URL says, else the account's first administrative village ('' only when it has several). */
  const adminCode = computed<string>({
    get: () => {
      const asked = adminQuery.value
      if (asked === 'all' && adminVillages.value.length > 1) return ''
      if (asked && adminVillages.value.some((admin) => admin.code === asked)) return asked
      return adminVillages.value[0]?.code ?? ''
    },
    set: (code) => {
      adminQuery.value = code || 'all'
      villageQuery.value = undefined
    },
  })
  const villagesOfAdmin = computed(
    () => adminVillages.value.find((admin) => admin.code === adminCode.value)?.villages ?? scopedVillages.value,
  )
  const villageId = computed<number>({
    get: () => {
      const asked = villageQuery.value ?? 0
      return villagesOfAdmin.value.some((village) => village.id === asked) ? asked : 0
    },
    set: (id) => (villageQuery.value = id || undefined),
  })
  const withoutResponsible = computed<boolean>({
    get: () => withoutQuery.value === '1',
    set: (on) => (withoutQuery.value = on ? '1' : undefined),
  })
  const scopeNames = computed(() =>
    session.user.value?.role === 'editor' && session.user.value.villageScope
      ? adminVillages.value.map((admin) => admin.name).join('、')
      : '',
  )

  const query = computed<PeopleQuery>(() => ({
    naturalVillageId: villageId.value || undefined,
    withoutResponsible: withoutResponsible.value,
  }))
  // Asked for once the villages are known, so a natural village outside the account's choice is never sent.
  const people = useResource(
    () => (villages.data.value ? query.value : undefined),
    (asked, signal) => fetchPeople(asked, signal),
  )

  // The URL names the administrative village in use, so a link (or a sign-in's `next`) returns to it.
  watch(adminVillages, () => {
    const inUse = adminCode.value || 'all'
    if (villages.data.value && adminQuery.value !== inUse) adminQuery.value = inUse
  })

  const shown = computed(() => {
    const list = people.data.value ?? []
    return adminCode.value && !villageId.value ? list.filter((person) => person.adminCode === adminCode.value) : list
  })
  const groups = computed<VillageGroup[]>(() => {
    const byVillage = new Map<number, VulnerablePerson[]>()
    for (const person of shown.value) byVillage.set(person.naturalVillageId, [...(byVillage.get(person.naturalVillageId) ?? []), person])
    const order = new Map(allVillages.value.map((village, index) => [village.id, index]))
    return [...byVillage.entries()]
      .sort(([a], [b]) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
      .map(([id, list]) => ({
        id,
        name: list[0]!.naturalVillageName,
        admin: allVillages.value.find((v) => v.id === id)?.adminName ?? '',
        people: list,
      }))
  })
  const counts = computed<PeopleCounts>(() => {
    const byCategory = Object.fromEntries(vulnerableCategories.map((category) => [category, 0])) as Record<string, number>
    let without = 0
    for (const person of shown.value) {
      byCategory[person.category] = (byCategory[person.category] ?? 0) + 1
      if (!person.responsibleName) without += 1
    }
    return { total: shown.value.length, byCategory, without }
  })

  function replacePerson(saved: VulnerablePerson): void {
    const stillMatches =
      (!query.value.naturalVillageId || saved.naturalVillageId === query.value.naturalVillageId) &&
      !(withoutResponsible.value && saved.responsibleName)
    people.mutate((list = []) => {
      const rest = list.filter((person) => person.id !== saved.id)
      if (!stillMatches) return rest
      return list.some((person) => person.id === saved.id)
        ? list.map((person) => (person.id === saved.id ? saved : person))
        : [...list, saved]
    })
  }

  return {
    adminCode,
    villageId,
    withoutResponsible,
    adminVillages,
    villagesOfAdmin,
    scopeNames,
    people: people.data,
    shown,
    groups,
    counts,
    exportUrl: computed(() => peopleExportUrl(query.value)),
    loading: computed(() => villages.loading.value || people.loading.value || (!villages.data.value && !villages.error.value)),
    error: computed(() => villages.error.value ?? people.error.value),
    reload: async () => {
      await villages.refetch()
      await people.refetch()
    },
    replacePerson,
    removePerson: (id) => people.mutate((list = []) => list.filter((person) => person.id !== id)),
  }
}
