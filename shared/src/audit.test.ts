import { describe, expect, it } from 'vitest'
import { auditReasonCodes, auditReasonLabels, auditReasonOf, legacyAuditReasons } from './audit.ts'

describe('audit reasons', () => {
  it('reads a stored code as that code', () => {
    expect(auditReasonOf('display_setup_code_issued')).toEqual({ code: 'display_setup_code_issued' })
  })

  it('reads the prose written before the codes as the code that replaced it', () => {
    expect(auditReasonOf('display setup code issued')).toEqual({ code: 'display_setup_code_issued' })
    expect(auditReasonOf('evacuation card (避险明白卡)')).toEqual({ code: 'evacuation_card' })
    for (const code of Object.values(legacyAuditReasons)) expect(auditReasonCodes).toContain(code)
  })

  it('leaves a reason a user typed as written', () => {
    expect(auditReasonOf('核对包保责任人')).toBe('核对包保责任人')
  })

  it('words every code in both languages', () => {
    for (const code of auditReasonCodes) {
      expect(auditReasonLabels[code].zh, code).toMatch(/[\u4e00-\u9fff]/)
      expect(auditReasonLabels[code].en, code).toMatch(/^[A-Z][^\u4e00-\u9fff]*$/)
    }
  })
})
