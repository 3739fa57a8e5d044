import type { Instruction } from '@riskatlas/shared'

/** An instruction as the cadre sees it: only their villages' targets; `open` some still to acknowledge, `late` some overdue. */
export interface CadreInstruction extends Instruction {
  open: boolean
  late: boolean
}

/**
 * The instructions for a cadre's phone, from the command's list (newest first): each cut to the
 * targets in their scope (others dropped), every one still to acknowledge — overdue first — then
 * the `keepDone` latest fully acknowledged, so the list stays short on a phone.
 */
export function cadreInstructions(all: readonly Instruction[], inScope: (adminCode: string) => boolean, keepDone = 3): CadreInstruction[] {
  const mine = all.flatMap((i) => {
    const targets = i.targets.filter((t) => inScope(t.adminCode))
    return targets.length ? [{ ...i, targets, open: targets.some((t) => !t.acknowledgedAt), late: targets.some((t) => t.overdue) }] : []
  })
  const open = mine.filter((i) => i.open).sort((a, b) => Number(b.late) - Number(a.late))
  return [...open, ...mine.filter((i) => !i.open).slice(0, keepDone)]
}
