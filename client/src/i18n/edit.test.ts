import { describe, expect, it } from 'vitest'
import { editAttributeSchemas } from '@riskatlas/shared'
import { setLocale } from './core.ts'
import { issueText, type FieldIssue } from './edit.ts'

/** The shared schema's issues, worded per field in Chinese as the edit form shows them. */
function fieldErrors(values: Record<string, unknown>): Record<string, string> {
  const parsed = editAttributeSchemas.hazard_points.safeParse(values)
  if (parsed.success) return {}
  // The first issue of a field is the one the form shows.
  const errors: Record<string, string> = {}
  for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issueText(issue as FieldIssue)
  return errors
}

const valid = {
  code: 'HZ-1',
  name: '小河山洪沟',
  kind: 'landslide',
  scale: 'small',
  risk_level: 2,
  threatened_households: 0,
  threatened_people: 0,
  threatened_property_10k_yuan: 0,
  monitor_name: null,
  responsible_name: null,
  status: 'active',
}

describe('edit form issues', () => {
  it('names what is wrong with each field in Chinese', () => {
    setLocale('zh')
    expect(fieldErrors(valid)).toEqual({})
    expect(
      fieldErrors({
        ...valid,
        code: '',
        risk_level: 7,
        threatened_people: 1.5,
        threatened_households: Number.NaN,
        kind: 'flood',
        name: '河'.repeat(101),
      }),
    ).toEqual({
      code: '必填',
      name: '最多 100 个字符',
      kind: '请选择',
      risk_level: '不能大于 4',
      threatened_households: '请填写数字',
      threatened_people: '请填写整数',
    })
    expect(fieldErrors({ ...valid, code: '编号 1' })).toEqual({ code: '只能包含字母、数字、- 和 _' })
    expect(fieldErrors({ ...valid, risk_level: 0 })).toEqual({ risk_level: '不能小于 1' })
  })

  it('follows the language switch', () => {
    setLocale('en')
    expect(fieldErrors({ ...valid, code: '' })).toEqual({ code: 'Required' })
    setLocale('zh')
  })

  it('words the server’s own codes: unknown references, geometry refused', () => {
    expect(issueText({ code: 'unknown_reference' })).toBe('编号不存在')
    expect(issueText({ code: 'outside_town' })).toBe('图形超出镇域范围')
    expect(issueText({ code: 'invalid_geometry' })).toMatch(/^图形无效/)
    expect(issueText({ code: 'something_else', message: 'raw English' })).toBe('填写有误')
  })
})
