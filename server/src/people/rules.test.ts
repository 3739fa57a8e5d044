import { describe, expect, it } from 'vitest'
import type { VulnerablePerson } from '@riskatlas/shared'
import { maskName, maskPhone, peopleCsv } from './rules.ts'

describe('masking', () => {
  it('masks names keeping surname and last character, and phones keeping 3 + 4 digits', () => {
    expect(maskName('张三明')).toBe('张*明')
    expect(maskName('欧阳小明')).toBe('欧**明')
    expect(maskName('李四')).toBe('李*')
    expect(maskPhone('13800001234')).toBe('138****1234')
    expect(maskPhone('139-0000-5678')).toBe('139****5678')
    expect(maskPhone(null)).toBeNull()
  })
})

describe('the people CSV', () => {
  const person: VulnerablePerson = {
    id: 1,
    naturalVillageId: 2,
    naturalVillageName: '羊街营',
    adminCode: '530502199001',
    adminName: '羊街营社区',
    category: 'elderly',
    name: '=HYPERLINK("x")',
    phone: '13800000001',
    address: '羊街营 "1" 号',
    mobilityNeeds: null,
    responsibleName: '李四',
    responsiblePhone: null,
    updatedAt: '2026-11-30T00:00:00.000Z',
  }

  it('opens in Excel with Chinese headers, the administrative village and the category in Chinese', () => {
    const [header, row] = peopleCsv([person])
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n')
    expect(header).toBe('"行政村","自然村","类别","姓名","电话","住址","行动需求","包保责任人","责任人电话"')
    expect(row).toBe(`"羊街营社区","羊街营","老年人","'=HYPERLINK(""x"")","13800000001","羊街营 ""1"" 号","","李四",""`)
    expect(peopleCsv([]).startsWith('\uFEFF')).toBe(true)
  })
})
