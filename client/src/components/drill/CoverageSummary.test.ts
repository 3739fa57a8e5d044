import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import type { CoverageSummary as Summary } from '@riskatlas/shared'
import CoverageSummary from './CoverageSummary.vue'

const counts = (missing: number, planned: number, overdue: number, drilled: number, notRequired: number) => ({
  not_required: notRequired,
  missing,
  planned,
  overdue,
  drilled,
})

/** The demo town's 2026 figures as the walk-through saw them: 31 must drill, 20 did; 11 others drilled too. */
const summary: Summary = {
  villages: 60,
  required: 31,
  drilled: 20,
  coveragePercent: 64.5,
  counts: counts(8, 0, 3, 31, 18),
  requiredCounts: counts(8, 0, 3, 20, 0),
  peopleAtRisk: 4000,
  peopleNotDrilled: 1200,
  season: { year: 2026, startsOn: '2026-05-01', endsOn: '2026-10-31', configured: false },
  today: '2026-12-02',
  rules: { zoneDistanceM: 300, ignoredHazardStatuses: ['closed'] },
  byAdminVillage: [],
}

describe('CoverageSummary', () => {
  it('counts the same set in the headline and the chips, and says which set the rest belongs to', () => {
    const view = mount(CoverageSummary, { props: { summary, statuses: [], adminCode: null } })
    const chip = (status: string) => Number(view.find(`[data-testid="count-${status}"]`).text())
    expect(view.text()).toContain('应演练 31 个自然村，已演练 20 个')
    expect(chip('drilled')).toBe(20)
    expect(chip('missing') + chip('planned') + chip('overdue') + chip('drilled')).toBe(summary.required)
    expect(chip('not_required')).toBe(summary.villages - summary.required)
    expect(view.find('[data-testid="not-required-drilled"]').text()).toContain('11')
  })
})
