import { describe, expect, it } from 'vitest'
import { canSeePersonalData, maskName, maskPhone, personalDataScope, type Principal } from './scope.ts'

const principal = (role: Principal['role'], villageScope: string[] | null = null): Principal => ({
  id: 1,
  username: role,
  displayName: role,
  role,
  villageScope,
})

describe('personal data', () => {
  it('masks names keeping surname and last character, and phones keeping 3 + 4 digits', () => {
    expect(maskName('张三明')).toBe('张*明')
    expect(maskName('欧阳小明')).toBe('欧**明')
    expect(maskName('李四')).toBe('李*')
    expect(maskPhone('13800001234')).toBe('138****1234')
    expect(maskPhone('139-0000-5678')).toBe('139****5678')
    expect(maskPhone(null)).toBeNull()
  })

  it('shows personal data to admins and in-scope editors only', () => {
    expect(canSeePersonalData(principal('admin'), '530502199001')).toBe(true)
    expect(canSeePersonalData(principal('editor'), '530502199001')).toBe(true)
    expect(canSeePersonalData(principal('editor', ['530502199001']), '530502199001')).toBe(true)
    expect(canSeePersonalData(principal('editor', ['530502199001']), '530502199002')).toBe(false)
    expect(canSeePersonalData(principal('viewer'), '530502199001')).toBe(false)
    expect(canSeePersonalData(principal('display'), '530502199001')).toBe(false)
    expect(canSeePersonalData(undefined, '530502199001')).toBe(false)
    expect(personalDataScope(principal('viewer'))).toEqual([])
    expect(personalDataScope(principal('editor', ['x']))).toEqual(['x'])
  })
})
