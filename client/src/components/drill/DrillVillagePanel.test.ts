import { afterEach, describe, expect, it } from 'vitest'
import { mount, type VueWrapper } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Drill, FloodSeason, VillageCoverage } from '@riskatlas/shared'
import { setLocale } from '../../i18n/useI18n.ts'
import DrillVillagePanel from './DrillVillagePanel.vue'

const season = (year: number): FloodSeason => ({ year, startsOn: `${year}-05-01`, endsOn: `${year}-10-31`, configured: false })

const village: VillageCoverage = {
  id: 12,
  code: '530502199001003',
  name: '河头',
  adminCode: '530502199001',
  adminName: '羊街营社区',
  location: [99.1, 25.1],
  population: 40,
  households: 11,
  required: true,
  status: 'overdue',
  reasons: [],
  peopleAtRisk: 40,
  vulnerableCount: 3,
  lastDrill: null,
  nextPlanned: null,
  seasonDrill: null,
  priority: 4,
}

const drill = (id: number, change: Partial<Drill>): Drill => ({
  id,
  naturalVillageId: 12,
  naturalVillageName: '河头',
  adminCode: '530502199001',
  adminName: '羊街营社区',
  scenario: 'flood',
  status: 'planned',
  plannedOn: null,
  heldOn: null,
  participants: null,
  vulnerableMoved: null,
  evacuationMinutes: null,
  organiser: null,
  findings: null,
  seasonYear: null,
  createdAt: '2026-04-01T00:00:00Z',
  updatedAt: '2026-04-01T00:00:00Z',
  ...change,
})

/** The walk-through's village: overdue for 2026, a 2027 plan made early, an old drill of 2025. */
const drills = [
  drill(7, { plannedOn: '2027-05-20', seasonYear: 2027 }),
  drill(3, { plannedOn: '2026-06-10', seasonYear: 2026 }),
  drill(1, { status: 'held', plannedOn: '2025-06-01', heldOn: '2025-06-03', participants: 30, seasonYear: 2025 }),
]

const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<p/>' } }] })

function mountPanel(props: Partial<InstanceType<typeof DrillVillagePanel>['$props']> = {}) {
  return mount(DrillVillagePanel, {
    props: { village, season: season(2026), today: '2026-12-02', drills, card: undefined, canWrite: true, busy: false, saved: 0, ...props },
    global: { plugins: [router] },
  })
}

const historyDates = (panel: VueWrapper) => panel.findAll('[data-testid="drill-history"] > li').map((li) => li.attributes('data-date'))

afterEach(() => setLocale('zh'))

describe('DrillVillagePanel', () => {
  it('lists the history by date, oldest first, each drill with the season it counts for', () => {
    const panel = mountPanel()
    expect(historyDates(panel)).toEqual(['2025-06-03', '2026-06-10', '2027-05-20'])
    expect(panel.findAll('.season-tag').map((tag) => tag.text())).toEqual(['2025 年汛期', '2026 年汛期', '2027 年汛期'])
  })

  it('never pre-fills a held date that counts for no season, says which season a date counts for, and asks before one outside it', async () => {
    const panel = mountPanel()
    await panel.find('[data-drill="7"] [data-testid="record-start"]').trigger('click')
    const form = panel.find('[data-testid="record-form"]')
    const heldOn = form.find<HTMLInputElement>('input[name="heldOn"]')
    // Today (2026-12-02) is after the season and the plan (2027-05-20) is ahead: nothing is pre-filled.
    expect(heldOn.element.value).toBe('')

    await heldOn.setValue('2026-10-20')
    expect(form.find('[data-testid="held-season"]').text()).toBe('计入 2026 年汛期（2026-05-01 至 2026-10-31）')
    expect(form.find('[data-testid="record-submit"]').attributes('disabled')).toBeUndefined()

    await heldOn.setValue('2026-12-01')
    expect(form.find('[data-testid="held-season"]').text()).toContain('不在 2026 年汛期')
    expect(form.find('[data-testid="record-submit"]').attributes('disabled')).toBeDefined()
    await form.find('[data-testid="confirm-outside-season"]').setValue(true)
    await form.trigger('submit')
    expect(panel.emitted('record')).toEqual([[7, { status: 'held', heldOn: '2026-12-01', confirmOutsideSeason: true }]])
  })

  it('pre-fills a planned date that has passed inside the season shown', async () => {
    const panel = mountPanel()
    await panel.find('[data-drill="3"] [data-testid="record-start"]').trigger('click')
    expect(panel.find<HTMLInputElement>('[data-testid="record-form"] input[name="heldOn"]').element.value).toBe('2026-06-10')
  })

  it('checks the figures with the shared rules before sending, marking the field and saying why in Chinese or English', async () => {
    const panel = mountPanel()
    await panel.find('[data-drill="3"] [data-testid="record-start"]').trigger('click')
    const form = panel.find('[data-testid="record-form"]')
    await form.find('input[name="participants"]').setValue('2')
    await form.find('input[name="vulnerableMoved"]').setValue('5')
    await form.trigger('submit')
    expect(panel.emitted('record')).toBeUndefined()
    const moved = form.find('input[name="vulnerableMoved"]')
    expect(moved.attributes('aria-invalid')).toBe('true')
    const error = panel.find(`#${moved.attributes('aria-describedby')}`)
    expect(error.text()).toBe('转移特殊人群 5 人超过参演人数 2')
    setLocale('en')
    await panel.vm.$nextTick()
    expect(panel.find(`#${moved.attributes('aria-describedby')}`).text()).toBe('5 vulnerable people moved exceed the 2 participants')

    await form.find('input[name="participants"]').setValue('50')
    await form.trigger('submit')
    expect(form.find('input[name="participants"]').attributes('aria-invalid')).toBe('true')
    expect(panel.text()).toContain('50 participants exceed the village’s population of 40')
  })

  it('marks the fields the server refused', async () => {
    const panel = mountPanel({
      serverProblems: { heldOn: { key: 'problemHeldInFuture', params: { date: '2026-12-09', today: '2026-12-02' } } },
    })
    await panel.find('[data-drill="3"] [data-testid="record-start"]').trigger('click')
    expect(panel.find('input[name="heldOn"]').attributes('aria-invalid')).toBe('true')
    expect(panel.find('[data-testid="field-error"]').text()).toBe('2026-12-09 还没到（今天是 2026-12-02）；演练实施后再记录')
  })

  it('records a drill held without a plan in one step', async () => {
    const panel = mountPanel({ today: '2026-08-15' })
    await panel.find('[data-testid="record-direct"]').trigger('click')
    const form = panel.find('[data-testid="record-form"]')
    expect(form.find<HTMLInputElement>('input[name="heldOn"]').element.value).toBe('2026-08-15')
    await form.find('select[name="scenario"]').setValue('fire')
    await form.find('input[name="participants"]').setValue('18')
    await form.trigger('submit')
    expect(panel.emitted('recordHeld')).toEqual([[{ naturalVillageId: 12, scenario: 'fire', heldOn: '2026-08-15', participants: 18 }]])
  })

  it('refuses to plan a date already past, and offers no planning once the season is over', async () => {
    expect(mountPanel().find('[data-testid="plan-form"]').exists()).toBe(false)
    expect(mountPanel().find('[data-testid="season-over"]').text()).toContain('2026 年汛期已结束')

    const panel = mountPanel({ season: season(2027), today: '2027-06-15' })
    const form = panel.find('[data-testid="plan-form"]')
    expect(form.find('input[name="plannedOn"]').attributes('min')).toBe('2027-06-15')
    await form.find('input[name="plannedOn"]').setValue('2027-06-01')
    await form.trigger('submit')
    expect(panel.emitted('plan')).toBeUndefined()
    expect(form.find('[data-testid="field-error"]').text()).toContain('2027-06-01 已经过去')
  })

  it('starts its forms afresh when the season changes or a drill is cancelled', async () => {
    const panel = mountPanel({ season: season(2027), today: '2027-06-15' })
    await panel.find('[data-testid="plan-form"] input[name="organiser"]').setValue('张站长')
    await panel.find('[data-testid="plan-form"] input[name="plannedOn"]').setValue('2027-07-01')
    await panel.setProps({ season: season(2028) })
    expect(panel.find<HTMLInputElement>('[data-testid="plan-form"] input[name="organiser"]').element.value).toBe('')
    expect(panel.find<HTMLInputElement>('[data-testid="plan-form"] input[name="plannedOn"]').element.value).toBe('')

    await panel.find('[data-testid="plan-form"] input[name="organiser"]').setValue('李干事')
    await panel.find('[data-drill="7"] [data-testid="record-start"]').trigger('click')
    expect(panel.find('[data-testid="record-form"]').exists()).toBe(true)
    // A cancel (or any save) is one more successful write.
    await panel.setProps({ saved: 1 })
    expect(panel.find('[data-testid="record-form"]').exists()).toBe(false)
    expect(panel.find<HTMLInputElement>('[data-testid="plan-form"] input[name="organiser"]').element.value).toBe('')
  })
})
