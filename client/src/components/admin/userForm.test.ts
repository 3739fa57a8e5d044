import { describe, expect, it } from 'vitest'
import type { UserAccount } from '../../api/accounts.ts'
import { draftOfUser, validateNewUser, validateUserChanges } from './userForm.ts'

const cadre: UserAccount = {
  id: 3,
  username: 'village_editor',
  displayName: '村干部',
  role: 'editor',
  villageScope: ['530502199001'],
  disabled: false,
  createdAt: '2026-11-30T00:00:00.000Z',
}

describe('account form', () => {
  it('refuses a new account the server would refuse', () => {
    const draft = { ...draftOfUser(), username: 'Bad Name', displayName: ' ', password: 'short', scopeMode: 'villages' as const }
    expect(validateNewUser(draft).fields.sort()).toEqual(['displayName', 'password', 'username', 'villageScope'])
  })

  it('scopes only editors: a viewer is created for the whole town whatever the form held', () => {
    const draft = {
      ...draftOfUser(),
      username: 'li.si',
      displayName: '李四',
      role: 'viewer' as const,
      scopeMode: 'villages' as const,
      password: 'long-enough-1',
    }
    expect(validateNewUser(draft).input).toMatchObject({ role: 'viewer', villageScope: null })
  })

  it('sends only what changed', () => {
    expect(validateUserChanges(cadre, draftOfUser(cadre)).patch).toEqual({})
    expect(validateUserChanges(cadre, { ...draftOfUser(cadre), villages: ['530502199001', '530502199002'] }).patch).toEqual({
      villageScope: ['530502199001', '530502199002'],
    })
    expect(validateUserChanges(cadre, { ...draftOfUser(cadre), scopeMode: 'town' }).patch).toEqual({ villageScope: null })
    expect(validateUserChanges(cadre, { ...draftOfUser(cadre), role: 'viewer', disabled: true }).patch).toEqual({
      role: 'viewer',
      disabled: true,
    })
    expect(validateUserChanges(cadre, { ...draftOfUser(cadre), password: 'short' }).fields).toEqual(['password'])
  })
})
