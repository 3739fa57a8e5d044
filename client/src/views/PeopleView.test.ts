import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { VulnerablePerson } from '@riskatlas/shared'
import { setCsrfToken } from '../api/http.ts'
import { createSession, sessionKey } from '../composables/useSession.ts'
import { fakeServer, principal, type SeenRequest } from '../test/fakeServer.ts'
import PeopleView from './PeopleView.vue'

const village = (id: number, code: string, name: string, adminName: string) => ({
  type: 'Feature' as const,
  id,
  geometry: { type: 'Point', coordinates: [99, 25] },
  properties: { code, name, admin_name: adminName },
})
const naturalVillages = {
  type: 'FeatureCollection' as const,
  numberReturned: 3,
  limit: 10_000,
  features: [
    village(1, '530502199001001', '羊街营', '羊街营社区'),
    village(2, '530502199001002', '牛场坝子', '羊街营社区'),
    village(3, '530502199002001', '松坡营', '松坡村'),
  ],
}

const person = (
  id: number,
  naturalVillageId: number,
  name: string,
  responsibleName: string | null,
  category: VulnerablePerson['category'] = 'elderly',
): VulnerablePerson => ({
  id,
  naturalVillageId,
  naturalVillageName: naturalVillageId === 1 ? '羊街营' : '牛场坝子',
  adminCode: '530502199001',
  adminName: '羊街营社区',
  category,
  name,
  phone: '13800000001',
  address: '羊街营 1 号',
  mobilityNeeds: null,
  responsibleName,
  responsiblePhone: responsibleName ? '13800009301' : null,
  updatedAt: '2026-11-30T00:00:00.000Z',
})
const everyone = [
  person(1, 1, '寸云文', '张林树'),
  person(2, 1, '张莲勇', null, 'child'),
  person(3, 2, '苏会芳', '段勇', 'sick'),
  person(4, 2, '余英英', null, 'disabled'),
]

function peopleReply(request: SeenRequest) {
  const query = new URL(request.url, 'http://town').searchParams
  const people = everyone.filter(
    (p) =>
      (!query.get('naturalVillageId') || p.naturalVillageId === Number(query.get('naturalVillageId'))) &&
      (query.get('withoutResponsible') !== 'true' || !p.responsibleName),
  )
  return { body: { people } }
}

async function mountPeople() {
  const server = fakeServer({
    'GET /api/auth/me': { body: { user: principal('editor', ['530502199001']), csrfToken: 'tok' } },
    'GET /api/layers/natural_villages': { body: naturalVillages },
    'GET /api/vulnerable-people': peopleReply,
  })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/people', component: PeopleView },
      { path: '/:p(.*)*', component: { template: '<p/>' } },
    ],
  })
  await router.push('/people')
  await router.isReady()
  const session = createSession()
  await session.ready
  const wrapper = mount(PeopleView, { global: { plugins: [router], provide: { [sessionKey as symbol]: session } } })
  await flushPromises()
  return { wrapper, server, router }
}

const names = (wrapper: Awaited<ReturnType<typeof mountPeople>>['wrapper']) =>
  wrapper.findAll('tr.person td.name').map((cell) => cell.text())

afterEach(() => {
  vi.unstubAllGlobals()
  setCsrfToken(null)
})

describe('PeopleView', () => {
  it('offers a scoped editor only their administrative village and lists its people by natural village', async () => {
    const { wrapper } = await mountPeople()
    expect(wrapper.findAll('[data-testid="admin-village-select"] option').map((o) => o.text())).toEqual(['羊街营社区'])
    expect(wrapper.findAll('[data-testid="village-select"] option').map((o) => o.text())).toEqual(['全部自然村', '羊街营', '牛场坝子'])
    expect(wrapper.findAll('section.village h2').map((h) => h.text())).toEqual([
      '羊街营（羊街营社区）· 2 人',
      '牛场坝子（羊街营社区）· 2 人',
    ])
    expect(names(wrapper)).toEqual(['寸云文', '张莲勇', '苏会芳', '余英英'])
    expect(wrapper.find('[data-testid="count-total"]').text()).toBe('共 4 人')
    expect(wrapper.find('[data-category="child"]').text()).toBe('留守儿童 1')
    expect(wrapper.find('[data-testid="count-without"]').text()).toBe('无包保责任人 2 人')
  })

  it('asks the server for people without a responsible person when 仅显示无包保责任人 is ticked', async () => {
    const { wrapper, server, router } = await mountPeople()
    await wrapper.find('[data-testid="without-responsible"]').setValue(true)
    await flushPromises()

    const lists = server.seen.filter((request) => request.url.startsWith('/api/vulnerable-people'))
    expect(lists.at(-1)?.url).toBe('/api/vulnerable-people?withoutResponsible=true')
    expect(names(wrapper)).toEqual(['张莲勇', '余英英'])
    expect(wrapper.findAll('[data-testid="responsible-missing"]')).toHaveLength(2)
    expect(wrapper.find('[data-testid="count-total"]').text()).toBe('共 2 人')
    expect(wrapper.find('[data-testid="export-csv"]').attributes('href')).toBe('/api/vulnerable-people/export.csv?withoutResponsible=true')
    expect(router.currentRoute.value.query.without).toBe('1')

    await wrapper.find('[data-testid="village-select"]').setValue('2')
    await flushPromises()
    expect(server.seen.at(-1)?.url).toBe('/api/vulnerable-people?naturalVillageId=2&withoutResponsible=true')
    expect(names(wrapper)).toEqual(['余英英'])
  })

  it('drops a person from the filtered list once a responsible person is assigned inline', async () => {
    const { wrapper, server } = await mountPeople()
    await wrapper.find('[data-testid="without-responsible"]').setValue(true)
    await flushPromises()
    server.fetch.mockImplementationOnce(
      async () => new Response(JSON.stringify({ ...everyone[1], responsibleName: '李美清', responsiblePhone: '13800001382' })),
    )

    await wrapper.find('[data-testid="assign-2"]').trigger('click')
    const form = wrapper.find('[data-testid="assign-form-2"]')
    await form.find('input[name="responsibleName"]').setValue('李美清')
    await form.find('input[name="responsiblePhone"]').setValue('abc')
    await form.trigger('submit')
    expect(form.text()).toContain('责任人电话只能包含数字和短横线')

    await form.find('input[name="responsiblePhone"]').setValue('13800001382')
    await form.trigger('submit')
    await flushPromises()
    const patch = server.fetch.mock.calls.at(-1)!
    expect(patch[0]).toBe('/api/vulnerable-people/2')
    expect(patch[1]).toMatchObject({
      method: 'PATCH',
      body: JSON.stringify({ responsibleName: '李美清', responsiblePhone: '13800001382' }),
    })
    expect(names(wrapper)).toEqual(['余英英'])
    expect(wrapper.find('[data-testid="people-notice"]').text()).toBe('已为 张莲勇 指派包保责任人')
  })
})
