import { describe, expect, it } from 'vitest'
import { importFileProblemWords, importIssueWords, importRefusalWords, phraseImportIssue, phraseImportProblem } from './importWords.ts'
import { importTargets } from './imports.ts'

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('import words', () => {
  it.each(Object.entries({ ...importIssueWords, ...importFileProblemWords, ...importRefusalWords }))(
    '%s names the same parameters in zh and en',
    (_code, word) => {
      expect(placeholders(word.zh)).toEqual(placeholders(word.en))
      expect(word.zh).toMatch(/[\u4e00-\u9fff]/)
    },
  )
  it('words a field by its label and allowed values by their enum labels', () => {
    const target = importTargets.hazard_points
    expect(phraseImportIssue({ code: 'required', params: { field: 'name' } }, target, 'zh')).toBe('名称不能为空')
    expect(phraseImportIssue({ code: 'required', params: { field: 'name' } }, target, 'en')).toBe('Name is required')
    expect(phraseImportIssue({ code: 'not_allowed', params: { value: 'x', allowed: 'landslide,collapse' } }, target, 'zh')).toBe(
      '取值无效 “x”，应为 滑坡/崩塌',
    )
  })
  it('words a refusal with its parameters, and an unknown code as itself', () => {
    expect(phraseImportProblem({ reason: 'rows_changed', params: { touched: 3 } }, 'zh')).toBe('导入后已有 3 条记录被修改，无法撤销')
    expect(phraseImportProblem({ reason: 'no_such_code' }, 'en')).toBe('no_such_code')
  })
})
