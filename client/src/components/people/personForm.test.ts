import { describe, expect, it } from 'vitest'
import { emptyDraft, inputOf, problemsFromServer, validatePerson, validateResponsible } from './personForm.ts'

describe('person form', () => {
  it('refuses what the server schema refuses: village, category and name required, phone format, lengths', () => {
    const result = validatePerson({ ...emptyDraft(), phone: '12ab', address: '很'.repeat(121) })
    expect(result.problems).toEqual({
      naturalVillageId: { kind: 'required' },
      category: { kind: 'required' },
      name: { kind: 'required' },
      phone: { kind: 'phoneFormat' },
      address: { kind: 'tooLong', max: 120 },
    })
  })

  it('sends trimmed text and empty optional fields as null', () => {
    const draft = { ...emptyDraft(5), category: 'elderly' as const, name: ' 寸云文 ', phone: ' 138-0000-1234 ' }
    expect(inputOf(draft)).toEqual({
      naturalVillageId: 5,
      category: 'elderly',
      name: '寸云文',
      phone: '138-0000-1234',
      address: null,
      mobilityNeeds: null,
      responsibleName: null,
      responsiblePhone: null,
    })
    expect(validatePerson(draft).problems).toBeNull()
  })

  it('needs a name to assign a responsible person; the phone is optional but must be a phone', () => {
    expect(validateResponsible(' ', '')).toEqual({ responsibleName: { kind: 'required' } })
    expect(validateResponsible('李美清', '')).toEqual({})
    expect(validateResponsible('李美清', '1380')).toEqual({ responsiblePhone: { kind: 'phoneFormat' } })
  })

  it('puts a server refusal on its field', () => {
    expect(problemsFromServer({ issues: [{ path: 'responsiblePhone', message: 'phone: digits and dashes' }] })).toEqual({
      responsiblePhone: { kind: 'invalid' },
    })
    expect(problemsFromServer(undefined)).toEqual({})
  })
})
