import { describe, expect, it } from 'vitest'
import type { ImportIssue } from '@riskatlas/shared'
import { ApiError } from '../../api/http.ts'
import {
  crsChoice,
  importRefusal,
  issueLines,
  newIdempotencyKey,
  previewFeatures,
  refusedIssues,
  rowsBySeverity,
  withFieldMapped,
} from './importFlow.ts'

const badKind: ImportIssue = {
  row: 7,
  column: '类型',
  field: 'kind',
  code: 'not_allowed',
  params: { value: '火山', allowed: 'landslide,collapse,debris_flow,flash_flood,waterlogging' },
  severity: 'error',
}
const far: ImportIssue = { row: 3, field: 'lon', code: 'far_from_town', params: { km: 12 }, severity: 'warning' }
const point = (row: number, lon: number) => ({
  type: 'Feature',
  id: row,
  geometry: { type: 'Point', coordinates: [lon, 25.1] },
  properties: { row, code: `HZ-${row}`, name: null },
})

describe('the import view’s steps', () => {
  it('makes a new 32-hex-digit key per upload from the random source', () => {
    expect(newIdempotencyKey((bytes) => bytes.fill(171))).toBe(`import-${'ab'.repeat(16)}`)
    expect(newIdempotencyKey()).not.toBe(newIdempotencyKey())
  })

  it('flags on the map exactly the rows the server found far from the town', () => {
    const collection = previewFeatures({
      features: { type: 'FeatureCollection', features: [point(2, 99.1), point(3, 100.4)] },
      issues: [far, badKind],
    })
    expect(collection.features.map((feature) => [feature.id, feature.properties.far])).toEqual([
      [2, false],
      [3, true],
    ])
  })

  it('words each bad row with its row number, the file’s column and the reason, in either language', () => {
    expect(issueLines([badKind], 'hazard_points', 'zh')).toEqual([
      { row: 7, column: '类型', severity: 'error', reason: '取值无效 “火山”，应为 滑坡/崩塌/泥石流/山洪/内涝' },
    ])
    expect(issueLines([badKind], 'hazard_points', 'en')[0]!.reason).toBe(
      '“火山” is not one of Landslide/Rock fall / collapse/Debris flow/Flash flood/Waterlogging',
    )
  })

  it('counts a row with an error and a warning as an error row only', () => {
    const { errors, warnings } = rowsBySeverity([badKind, { ...far, row: 7 }, far])
    expect([...errors]).toEqual([7])
    expect([...warnings]).toEqual([3])
  })

  it('says why an undo or commit was refused from the import’s reason, else from the error code', () => {
    const changed = new ApiError(409, 'conflict', 'English prose', { reason: 'rows_changed', params: { touched: 5 } })
    expect(importRefusal(changed, 'hazard_points', 'zh')).toBe('导入后已有 5 条记录被修改，无法撤销')
    expect(importRefusal(changed, 'hazard_points', 'en')).toBe('5 of this import’s rows were changed since: it can no longer be undone')
    const plain = new ApiError(409, 'conflict', 'English prose', { reason: 'something_new' })
    expect(importRefusal(plain, 'hazard_points', 'zh')).toBe('与现有数据冲突（可能已被他人修改），请刷新后重试')
  })

  it('reads the rows a refused commit lists, and nothing from other failures', () => {
    const refused = new ApiError(400, 'validation_failed', 'x', { reason: 'rows_with_errors', params: { rows: 1 }, issues: [badKind] })
    expect(refusedIssues(refused)).toEqual([badKind])
    expect(refusedIssues(new ApiError(409, 'conflict', 'x', { issues: [badKind] }))).toBeUndefined()
    expect(refusedIssues(new ApiError(400, 'validation_failed', 'x', { issues: [{ path: ['mode'] }] }))).toBeUndefined()
  })

  it('maps a field to a column, or leaves it out', () => {
    const mapping = { code: '编号', lon: '东经' }
    expect(withFieldMapped(mapping, 'lat', '北纬')).toEqual({ code: '编号', lon: '东经', lat: '北纬' })
    expect(withFieldMapped(mapping, 'lon', '')).toEqual({ code: '编号' })
    expect(mapping).toEqual({ code: '编号', lon: '东经' })
  })

  it('builds the .prj choice the server takes, and nothing while the zone is missing', () => {
    expect(crsChoice('geographic', undefined)).toBe('geographic')
    expect(crsChoice('gk6', 17)).toBe('gk6:17')
    expect(crsChoice('gk3cm', ' 99 ')).toBe('gk3cm:99')
    expect(crsChoice('gk3', '')).toBeUndefined()
    expect(crsChoice('gk3', 'x1')).toBeUndefined()
  })
})
