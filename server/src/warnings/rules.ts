import {
  enumLabels,
  type Warning,
  type WarningKind,
  type WarningLevel,
  type WarningStage,
  type WarningStatus,
  type WarningUpdate,
} from '@riskatlas/shared'
import { Conflict, Invalid } from '../errors.ts'

/** Pure rules of warnings: status, title, what a change may do. No database here. */

export function warningStatus(w: { validFrom: Date; validTo: Date; liftedAt: Date | null }, now: Date): WarningStatus {
  if (w.liftedAt) return 'lifted'
  if (now < w.validFrom) return 'scheduled'
  if (now >= w.validTo) return 'expired'
  return 'active'
}

/** 云岭镇山洪灾害橙色预警（准备转移）: the title written when the issuer gives none. */
export function defaultTitle(town: string, kind: WarningKind, level: WarningLevel, stage: WarningStage): string {
  const kindText = kind === 'flash_flood' ? '山洪灾害' : (enumLabels[kind]?.zh ?? kind)
  return `${town}${kindText}${enumLabels[level]?.zh ?? level}预警（${enumLabels[stage]?.zh ?? stage}）`
}

/** A lifted or expired warning is history: it cannot be changed (issue a new one). */
export function assertChangeable(current: Pick<Warning, 'status'>, patch: WarningUpdate): void {
  if (current.status === 'lifted') throw new Conflict('This warning has been lifted; issue a new warning instead.')
  if (current.status === 'expired' && !patch.validTo) throw new Conflict('This warning has expired; extend validTo or issue a new warning.')
}

/** The validity after a change must still run forwards. */
export function assertValidity(validFrom: Date, validTo: Date): void {
  if (!(validTo > validFrom))
    throw new Invalid('validTo must be after validFrom', { issues: [{ path: ['validTo'], message: 'validTo must be after validFrom' }] })
}
