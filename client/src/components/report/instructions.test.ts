import { describe, expect, it } from 'vitest'
import type { Instruction } from '@riskatlas/shared'
import { cadreInstructions } from './instructions.ts'

const own = '530000000001'
const other = '530000000002'
const target = (adminCode: string, state: 'open' | 'acked' | 'overdue') => ({
  adminCode,
  adminName: adminCode === own ? '本村' : '他村',
  acknowledgedAt: state === 'acked' ? '2026-07-01T08:05:00Z' : null,
  overdue: state === 'overdue',
})
const instruction = (id: number, targets: Instruction['targets']): Instruction => ({
  id,
  warningId: 1,
  text: `指令 ${id}`,
  sentAt: '2026-07-01T08:00:00Z',
  ackDeadline: '2026-07-01T08:15:00Z',
  ackWithinMinutes: 15,
  targets,
  acknowledged: targets.filter((t) => t.acknowledgedAt).length,
  total: targets.length,
  overdue: targets.some((t) => t.overdue),
})
const mine = (code: string) => code === own

describe('cadreInstructions', () => {
  it('keeps only the cadre’s own targets and drops instructions to other villages only', () => {
    const list = cadreInstructions(
      [instruction(2, [target(other, 'open')]), instruction(1, [target(own, 'open'), target(other, 'overdue')])],
      mine,
    )
    expect(list.map((i) => i.id)).toEqual([1])
    expect(list[0]!.targets.map((t) => t.adminCode)).toEqual([own])
    // Another village being overdue does not make the cadre's instruction late.
    expect(list[0]!.late).toBe(false)
  })

  it('puts an overdue instruction first, then the others still to acknowledge, then the three latest acknowledged', () => {
    const list = cadreInstructions(
      [
        instruction(9, [target(own, 'acked')]),
        instruction(8, [target(own, 'open')]),
        instruction(7, [target(own, 'acked')]),
        instruction(6, [target(own, 'acked')]),
        instruction(5, [target(own, 'acked')]),
        instruction(4, [target(own, 'overdue')]),
      ],
      mine,
    )
    expect(list.map((i) => [i.id, i.open, i.late])).toEqual([
      [4, true, true],
      [8, true, false],
      [9, false, false],
      [7, false, false],
      [6, false, false],
    ])
  })
})
