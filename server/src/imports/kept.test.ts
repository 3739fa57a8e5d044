import { describe, expect, it } from 'vitest'
import type { Principal } from '../auth/scope.ts'
import { KeptEvaluations, type KeptEvaluation } from './kept.ts'

const editor: Principal = { id: 1, username: 'editor', displayName: '编辑', role: 'editor', villageScope: null }
const scoped: Principal = { ...editor, id: 2, username: 'village_editor', villageScope: ['530502199207'] }
const evaluation = (rows: number): KeptEvaluation => ({
  mapping: { code: '编号' },
  prepared: Array.from({ length: rows }, (_, i) => ({ row: i + 2, values: { code: `HZ-${i}` }, adminCode: null })),
  issues: [],
  appendConflicts: [],
  repaired: 0,
})

describe('KeptEvaluations', () => {
  it('gives the evaluation back only at the data version it was made at, and for the same scope', () => {
    const kept = new KeptEvaluations()
    const made = evaluation(3)
    kept.keep(7, 41, editor, made)
    expect(kept.take(7, 41, editor)).toBe(made)
    expect(kept.take(7, 42, editor)).toBeUndefined()
    expect(kept.take(7, 41, scoped)).toBeUndefined()
    expect(kept.take(8, 41, editor)).toBeUndefined()
    kept.drop(7)
    expect(kept.take(7, 41, editor)).toBeUndefined()
  })

  it('keeps at most its bound of rows, the oldest out first, and nothing older than its age limit', () => {
    let now = 0
    const kept = new KeptEvaluations(10, 1000, () => now)
    kept.keep(1, 5, editor, evaluation(6))
    kept.keep(2, 6, editor, evaluation(4))
    expect(kept.size).toBe(2)
    kept.keep(3, 7, editor, evaluation(5))
    expect(kept.take(1, 5, editor)).toBeUndefined()
    expect(kept.take(2, 6, editor)).toBeDefined()
    kept.keep(4, 8, editor, evaluation(11))
    expect(kept.take(4, 8, editor)).toBeUndefined()
    now = 1001
    expect(kept.take(3, 7, editor)).toBeUndefined()
  })
})
