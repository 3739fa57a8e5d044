import { afterEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import { mount } from '@vue/test-utils'
import { gapKinds, type GapKind, type GapsResponse } from '@riskatlas/shared'
import { setLocale } from '../../i18n/core.ts'
import GapList from './GapList.vue'

const counts = Object.fromEntries(gapKinds.map((kind) => [kind, 0])) as Record<GapKind, number>

/** The server sends a code with parameters; the list words it in the reader's language. */
const gaps: GapsResponse = {
  season: { year: 2026, startsOn: '2026-05-01', endsOn: '2026-10-31', configured: false },
  counts: { ...counts, hazard_without_monitor: 1 },
  gaps: [
    {
      kind: 'hazard_without_monitor',
      subject: { type: 'hazard_point', id: 10, code: 'HP-010', name: '水井岭滑坡' },
      adminCode: '001',
      adminName: '云岭村',
      location: [99.1, 25.1],
      reason: { code: 'hazard_without_monitor', params: { hazardCode: 'HP-010', hazardName: '水井岭滑坡', threatenedPeople: 40 } },
      required: true,
      details: { threatenedPeople: 40 },
    },
  ],
}

describe('GapList', () => {
  afterEach(() => setLocale('zh'))

  it('phrases each gap’s reason code in Chinese, and in English after the switch', async () => {
    setLocale('zh')
    const view = mount(GapList, { props: { gaps, adminCode: null } })
    const item = () => view.find('[data-kind="hazard_without_monitor"] button.gap').text()
    expect(item()).toContain('隐患点 HP-010（水井岭滑坡）未落实监测员，威胁 40 人')
    setLocale('en')
    await nextTick()
    expect(item()).toContain('Hazard point HP-010 (水井岭滑坡) has no monitor; it threatens 40 people')
  })
})
