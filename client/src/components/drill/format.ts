import type { CoverageReason, DrillRef } from '@riskatlas/shared'
import type { DrillI18n } from '../../i18n/drills.ts'

/** Why a village must drill, in one line: the hazard point and how it threatens the village. */
export function reasonText(reason: CoverageReason, { td }: Pick<DrillI18n, 'td'>): string {
  const params = { code: reason.hazardCode, name: reason.hazardName }
  if (reason.listed) return td('reasonListed', params)
  if (reason.zoneDistanceM === 0) return td('reasonInside', params)
  return td('reasonZone', { ...params, distance: Math.round(reason.zoneDistanceM ?? 0) })
}

/** A drill reference as "2026-06-12 · 滑坡". */
export function drillRefText(ref: DrillRef | null, { td, enumLabel }: Pick<DrillI18n, 'td' | 'enumLabel'>): string {
  return ref ? `${ref.date} · ${enumLabel(ref.scenario)}` : td('none')
}

/** The seasons offered in a season switcher: two back, the current one, the next. */
export function seasonChoices(current: number): number[] {
  return [current - 2, current - 1, current, current + 1]
}
