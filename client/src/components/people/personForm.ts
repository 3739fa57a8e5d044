import {
  vulnerablePersonInputSchema,
  vulnerablePersonUpdateSchema,
  type VulnerablePerson,
  type VulnerablePersonInput,
} from '@riskatlas/shared'

/** The form's fields, as the user types them (strings; the village as an id or 0). */
export interface PersonDraft {
  naturalVillageId: number
  category: VulnerablePersonInput['category'] | ''
  name: string
  phone: string
  address: string
  mobilityNeeds: string
  responsibleName: string
  responsiblePhone: string
}

export type PersonField = keyof PersonDraft

/** Why a field is refused, in terms the view translates. */
export type FieldProblem = { kind: 'required' } | { kind: 'tooLong'; max: number } | { kind: 'phoneFormat' } | { kind: 'invalid' }

export type FieldProblems = Partial<Record<PersonField, FieldProblem>>

export const personFields: readonly PersonField[] = [
  'naturalVillageId',
  'category',
  'name',
  'phone',
  'address',
  'mobilityNeeds',
  'responsibleName',
  'responsiblePhone',
]

/** Limits of the shared schema, for `maxlength` on the inputs. */
export const maxLengths: Partial<Record<PersonField, number>> = {
  name: 40,
  phone: 20,
  address: 120,
  mobilityNeeds: 200,
  responsibleName: 40,
  responsiblePhone: 20,
}

export function emptyDraft(naturalVillageId = 0): PersonDraft {
  return { naturalVillageId, category: '', name: '', phone: '', address: '', mobilityNeeds: '', responsibleName: '', responsiblePhone: '' }
}

export function draftOf(person: VulnerablePerson): PersonDraft {
  return {
    naturalVillageId: person.naturalVillageId,
    category: person.category,
    name: person.name,
    phone: person.phone ?? '',
    address: person.address ?? '',
    mobilityNeeds: person.mobilityNeeds ?? '',
    responsibleName: person.responsibleName ?? '',
    responsiblePhone: person.responsiblePhone ?? '',
  }
}

const orNull = (text: string) => (text.trim() === '' ? null : text.trim())

/** What the API receives: trimmed text, empty optional fields as null. */
export function inputOf(draft: PersonDraft): Record<string, unknown> {
  return {
    naturalVillageId: draft.naturalVillageId,
    category: draft.category,
    name: draft.name.trim(),
    phone: orNull(draft.phone),
    address: orNull(draft.address),
    mobilityNeeds: orNull(draft.mobilityNeeds),
    responsibleName: orNull(draft.responsibleName),
    responsiblePhone: orNull(draft.responsiblePhone),
  }
}

function problemOf(field: PersonField, issue: { code: string; maximum?: unknown; format?: unknown }): FieldProblem {
  if (issue.code === 'too_big' && typeof issue.maximum === 'number') return { kind: 'tooLong', max: issue.maximum }
  if (issue.code === 'invalid_format' && (field === 'phone' || field === 'responsiblePhone')) return { kind: 'phoneFormat' }
  if (field === 'naturalVillageId' || field === 'category' || field === 'name') return { kind: 'required' }
  return { kind: 'invalid' }
}

/**
 * Checks a draft with the very schema the server applies (`vulnerablePersonInputSchema`), so the
 * form refuses exactly what the server would. Returns the input to send, or the field problems.
 */
export function validatePerson(
  draft: PersonDraft,
): { input: VulnerablePersonInput; problems: null } | { input: null; problems: FieldProblems } {
  const result = vulnerablePersonInputSchema.safeParse(inputOf(draft))
  if (result.success) return { input: result.data, problems: null }
  const problems: FieldProblems = {}
  for (const issue of result.error.issues) {
    const field = issue.path[0]
    if (typeof field !== 'string' || !personFields.includes(field as PersonField)) continue
    problems[field as PersonField] ??= problemOf(field as PersonField, issue as { code: string; maximum?: unknown })
  }
  return { input: null, problems }
}

/**
 * The responsible person alone (inline assignment): the shared update schema checks the
 * formats; a name is required here, since assigning nobody is not an assignment.
 */
export function validateResponsible(name: string, phone: string): FieldProblems {
  const problems: FieldProblems = name.trim() ? {} : { responsibleName: { kind: 'required' } }
  const result = vulnerablePersonUpdateSchema.safeParse({ responsibleName: orNull(name), responsiblePhone: orNull(phone) })
  for (const issue of result.success ? [] : result.error.issues) {
    const field = issue.path[0] as PersonField
    problems[field] ??= problemOf(field, issue as { code: string; maximum?: unknown })
  }
  return problems
}

/** Field problems from a 400's `details.issues` (`path` like "phone"), so server refusals land on their field. */
export function problemsFromServer(details: unknown): FieldProblems {
  const issues = (details as { issues?: { path?: unknown; message?: unknown }[] } | undefined)?.issues
  const problems: FieldProblems = {}
  for (const issue of Array.isArray(issues) ? issues : []) {
    const field = typeof issue.path === 'string' ? issue.path.split('.')[0] : undefined
    if (field && personFields.includes(field as PersonField)) problems[field as PersonField] ??= { kind: 'invalid' }
  }
  return problems
}
