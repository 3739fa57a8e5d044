import { describe, expect, it } from 'vitest'
import { ApiError } from '../errors.ts'
import { assertChangeable, assertValidity, defaultTitle, warningStatus } from './rules.ts'

const at = (text: string) => new Date(text)

describe('warning rules', () => {
  it('gives a warning its status from its validity and lifting', () => {
    const w = { validFrom: at('2026-07-18T12:00:00Z'), validTo: at('2026-07-19T12:00:00Z'), liftedAt: null }
    expect(warningStatus(w, at('2026-07-18T11:59:59Z'))).toBe('scheduled')
    expect(warningStatus(w, at('2026-07-18T12:00:00Z'))).toBe('active')
    expect(warningStatus(w, at('2026-07-19T12:00:00Z'))).toBe('expired')
    expect(warningStatus({ ...w, liftedAt: at('2026-07-18T13:00:00Z') }, at('2026-07-18T14:00:00Z'))).toBe('lifted')
  })

  it('writes the title the way bulletins are titled', () => {
    expect(defaultTitle('云岭镇', 'flash_flood', 'orange', 'prepare')).toBe('云岭镇山洪灾害橙色预警（准备转移）')
    expect(defaultTitle('云岭镇', 'rainstorm', 'red', 'move_now')).toBe('云岭镇暴雨红色预警（立即转移）')
    expect(defaultTitle('云岭镇', 'geological_hazard', 'yellow', 'prepare')).toBe('云岭镇地质灾害黄色预警（准备转移）')
  })

  it('refuses to change a lifted warning, and an expired one unless it is extended', () => {
    expect(() => assertChangeable({ status: 'lifted' }, { level: 'red' })).toThrow(ApiError)
    expect(() => assertChangeable({ status: 'expired' }, { level: 'red' })).toThrow(/expired/)
    expect(() => assertChangeable({ status: 'expired' }, { validTo: '2026-07-20T00:00:00+08:00' })).not.toThrow()
    expect(() => assertChangeable({ status: 'active' }, { stage: 'move_now' })).not.toThrow()
  })

  it('refuses a validity that ends before it starts', () => {
    expect(() => assertValidity(at('2026-07-19T00:00:00Z'), at('2026-07-18T00:00:00Z'))).toThrow(/after validFrom/)
    expect(() => assertValidity(at('2026-07-18T00:00:00Z'), at('2026-07-19T00:00:00Z'))).not.toThrow()
  })
})
