import { describe, expect, it } from 'vitest'
import { canSeePersonalData, personalDataScope, type Principal } from './scope.ts'

const principal = (role: Principal['role'], villageScope: string[] | null = null): Principal => ({
  id: 1,
  username: role,
  displayName: role,
  role,
  villageScope,
})

describe('personal data', () => {
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
