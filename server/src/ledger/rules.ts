import { daysBetween, type HiddenDangerStatus, type HiddenDangerTransition, photoContentTypes, photoMaxBytes } from '@riskatlas/shared'
import { ApiError, Conflict, Invalid } from '../errors.ts'

/**
 * The hidden-danger ledger's rules, pure: the status machine (open 待整改 → rectifying 整改中 →
 * rectified 已整改, each with its date), the dates a record may carry, overdue, photo limits.
 */

export interface DangerDates {
  status: HiddenDangerStatus
  foundOn: string
  deadline: string | null
  rectifyingOn: string | null
  rectifiedOn: string | null
  supervised: boolean
  supervisedBy: string | null
}

const order: Record<HiddenDangerStatus, number> = { open: 0, rectifying: 1, rectified: 2 }

const issue = (field: string, message: string) => ({ issues: [{ path: [field], message }] })

/** Throws `Invalid` unless the record's dates and supervision fields hang together. */
export function checkDangerRecord(record: DangerDates, today: string): void {
  if (record.foundOn > today) throw new Invalid('foundOn cannot be in the future.', issue('foundOn', 'cannot be in the future'))
  if (record.deadline !== null && record.deadline < record.foundOn)
    throw new Invalid('deadline cannot be before foundOn.', issue('deadline', 'cannot be before the day the danger was found'))
  if (record.rectifyingOn !== null && record.rectifyingOn < record.foundOn)
    throw new Invalid('foundOn cannot be after the day rectification started.', issue('foundOn', 'cannot be after rectifyingOn'))
  if (record.rectifiedOn !== null && record.rectifiedOn < record.foundOn)
    throw new Invalid('foundOn cannot be after the day it was rectified.', issue('foundOn', 'cannot be after rectifiedOn'))
  if (record.supervisedBy !== null && !record.supervised)
    throw new Invalid('supervisedBy only applies to a supervised danger.', issue('supervisedBy', 'only for a supervised (挂牌督办) danger'))
}

/**
 * The record after a status change. Forward (open → rectifying → rectified, or open straight to
 * rectified) needs a date on or after the last one and not in the future; backward (a reopened
 * danger) needs a reason and clears the dates of the stages undone.
 */
export function transitionDanger(record: DangerDates, change: HiddenDangerTransition, today: string): DangerDates {
  const { to, on } = change
  if (to === record.status) throw new Conflict(`The danger is already ${to}.`)
  if (on > today) throw new Invalid('on cannot be in the future.', issue('on', 'cannot be in the future'))
  if (on < record.foundOn) {
    const what = to === 'rectified' ? 'rectified' : to === 'rectifying' ? 'rectification started' : 'reopened'
    throw new Invalid(
      `A danger cannot be ${what} before it was found (${record.foundOn}).`,
      issue('on', `cannot be before foundOn ${record.foundOn}`),
    )
  }
  const forward = order[to] > order[record.status]
  if (forward) {
    if (to === 'rectified') {
      if (record.rectifyingOn !== null && on < record.rectifyingOn)
        throw new Invalid(
          `A danger cannot be rectified before rectification started (${record.rectifyingOn}).`,
          issue('on', `cannot be before rectifyingOn ${record.rectifyingOn}`),
        )
      return { ...record, status: 'rectified', rectifyingOn: record.rectifyingOn ?? on, rectifiedOn: on }
    }
    return { ...record, status: 'rectifying', rectifyingOn: on, rectifiedOn: null }
  }
  if (!change.reason) throw new Invalid('Going back to an earlier status needs a reason.', issue('reason', 'required when going back'))
  const last = record.rectifiedOn ?? record.rectifyingOn ?? record.foundOn
  if (on < last) throw new Invalid(`A danger cannot be reopened before its last change (${last}).`, issue('on', `cannot be before ${last}`))
  return to === 'open'
    ? { ...record, status: 'open', rectifyingOn: null, rectifiedOn: null }
    : { ...record, status: 'rectifying', rectifiedOn: null }
}

/** Past its deadline and not rectified (on `today`): how many days, 0 when not overdue. */
export function daysOverdue(record: Pick<DangerDates, 'status' | 'deadline'>, today: string): number {
  if (record.status === 'rectified' || record.deadline === null || record.deadline >= today) return 0
  return daysBetween(record.deadline, today)
}

/** Refuses a photo that is too large (413) or not a JPEG, PNG or WebP by its bytes (415). */
export function checkPhoto(bytes: Uint8Array, declaredType: string | undefined): (typeof photoContentTypes)[number] {
  if (bytes.byteLength === 0) throw new Invalid('The photo is empty.')
  if (bytes.byteLength > photoMaxBytes)
    throw new ApiError(413, 'payload_too_large', `A photo must be at most ${photoMaxBytes / 1024 / 1024} MB.`)
  const sniffed = sniffImage(bytes)
  if (!sniffed || (declaredType && declaredType.split(';')[0]!.trim() !== sniffed))
    throw new ApiError(415, 'unsupported_media_type', 'A photo must be a JPEG, PNG or WebP image, sent with its own content type.')
  return sniffed
}

function sniffImage(b: Uint8Array): (typeof photoContentTypes)[number] | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg'
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v)) return 'image/png'
  if (b.length >= 12 && String.fromCharCode(...b.slice(0, 4)) === 'RIFF' && String.fromCharCode(...b.slice(8, 12)) === 'WEBP')
    return 'image/webp'
  return null
}
