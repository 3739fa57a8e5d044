import { describe, expect, it } from 'vitest'
import { gapReasonSchema, phraseGapReason, type GapReason } from './coverage.ts'

describe('gap reasons: codes with parameters, worded on the reader’s side', () => {
  const phrase = (reason: GapReason) => phraseGapReason(gapReasonSchema.parse(reason))

  it('words each code in Chinese and English from its parameters', () => {
    expect(phrase({ code: 'vulnerable_without_responsible', params: { village: '大寨', withoutResponsible: 2, total: 5 } })).toEqual({
      zh: '大寨：2 名特殊人群未落实包保责任人（共 5 名）',
      en: '大寨: 2 of 5 vulnerable people have no responsible person',
    })
    expect(
      phrase({ code: 'reservoir_missing_responsible', params: { name: '龙潭水库', missing: ['techResponsible', 'patrolResponsible'] } }),
    ).toEqual({
      zh: '龙潭水库 缺少技术责任人、巡查责任人',
      en: '龙潭水库 has no technical, patrol responsible person',
    })
    expect(phrase({ code: 'unmapped_settlement', params: { village: '小寨', zones: ['HP-001', 'HP-002'] } }).zh).toBe(
      '小寨 位于 HP-001、HP-002 危险区内，但没有隐患点将其列为威胁对象',
    )
    expect(phrase({ code: 'village_without_route', params: { village: '小寨' } }).en).toBe('小寨 has no evacuation route or shelter')
  })

  it('says so when the town has no broadcast speaker at all', () => {
    const reason: GapReason = { code: 'village_outside_broadcast', params: { village: '小寨', nearestName: null, nearestDistanceM: null } }
    expect(phrase(reason).zh).toBe('小寨 不在任何应急广播覆盖范围内（全镇无应急广播）')
  })

  it('refuses a reason whose parameters do not fit its code', () => {
    expect(gapReasonSchema.safeParse({ code: 'village_without_route', params: { name: '小寨' } }).success).toBe(false)
    expect(gapReasonSchema.safeParse({ code: 'reservoir_missing_responsible', params: { name: 'R', missing: [] } }).success).toBe(false)
    expect(gapReasonSchema.safeParse({ code: 'no_such_gap', params: {} }).success).toBe(false)
  })
})
