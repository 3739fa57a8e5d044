import { describe, expect, it } from 'vitest'
import { checkDangerRecord, checkPhoto, daysOverdue, transitionDanger, type DangerDates } from './rules.ts'

const open: DangerDates = {
  status: 'open',
  foundOn: '2026-03-01',
  deadline: '2026-03-31',
  rectifyingOn: null,
  rectifiedOn: null,
  supervised: false,
  supervisedBy: null,
}
const today = '2026-11-30'

describe('the hidden-danger status machine', () => {
  it('moves open → rectifying → rectified, recording each date', () => {
    const rectifying = transitionDanger(open, { to: 'rectifying', on: '2026-03-05' }, today)
    expect(rectifying).toMatchObject({ status: 'rectifying', rectifyingOn: '2026-03-05', rectifiedOn: null })
    expect(transitionDanger(rectifying, { to: 'rectified', on: '2026-03-20' }, today)).toMatchObject({
      status: 'rectified',
      rectifyingOn: '2026-03-05',
      rectifiedOn: '2026-03-20',
    })
  })

  it('lets an open danger be rectified at once, starting and ending that day', () => {
    expect(transitionDanger(open, { to: 'rectified', on: '2026-03-02' }, today)).toMatchObject({
      status: 'rectified',
      rectifyingOn: '2026-03-02',
      rectifiedOn: '2026-03-02',
    })
  })

  it('refuses a date before the danger was found, before rectification started, or in the future', () => {
    expect(() => transitionDanger(open, { to: 'rectified', on: '2026-02-28' }, today)).toThrow(/before it was found/)
    const rectifying = transitionDanger(open, { to: 'rectifying', on: '2026-03-05' }, today)
    expect(() => transitionDanger(rectifying, { to: 'rectified', on: '2026-03-04' }, today)).toThrow(/before rectification started/)
    expect(() => transitionDanger(open, { to: 'rectifying', on: '2026-12-01' }, today)).toThrow(/future/)
  })

  it('goes back only with a reason, clearing the dates of the stages undone', () => {
    const rectified = transitionDanger(open, { to: 'rectified', on: '2026-03-10' }, today)
    expect(() => transitionDanger(rectified, { to: 'rectifying', on: '2026-04-01' }, today)).toThrow(/reason/)
    expect(transitionDanger(rectified, { to: 'rectifying', on: '2026-04-01', reason: '复查未通过' }, today)).toMatchObject({
      status: 'rectifying',
      rectifyingOn: '2026-03-10',
      rectifiedOn: null,
    })
    expect(transitionDanger(rectified, { to: 'open', on: '2026-04-01', reason: '反弹' }, today)).toMatchObject({
      status: 'open',
      rectifyingOn: null,
      rectifiedOn: null,
    })
    expect(() => transitionDanger(rectified, { to: 'open', on: '2026-03-09', reason: '反弹' }, today)).toThrow(/last change/)
  })

  it('refuses a move to the status it already has', () => {
    expect(() => transitionDanger(open, { to: 'open', on: '2026-03-02' }, today)).toThrow(/already/)
  })
})

describe('a hidden danger’s record', () => {
  it('refuses a deadline before it was found, found after rectified, and supervisedBy without supervision', () => {
    expect(() => checkDangerRecord({ ...open, deadline: '2026-02-01' }, today)).toThrow(/deadline/)
    expect(() => checkDangerRecord({ ...open, status: 'rectified', rectifyingOn: '2026-02-20', rectifiedOn: '2026-02-25' }, today)).toThrow(
      /foundOn/,
    )
    expect(() => checkDangerRecord({ ...open, supervisedBy: '镇安委会' }, today)).toThrow(/supervisedBy/)
    expect(() => checkDangerRecord({ ...open, foundOn: '2026-12-01', deadline: null }, today)).toThrow(/future/)
    expect(() => checkDangerRecord({ ...open, supervised: true, supervisedBy: '镇安委会' }, today)).not.toThrow()
  })

  it('counts days overdue for an unrectified danger past its deadline only', () => {
    expect(daysOverdue(open, '2026-04-10')).toBe(10)
    expect(daysOverdue(open, '2026-03-31')).toBe(0)
    expect(daysOverdue({ status: 'rectified', deadline: '2026-03-31' }, '2026-04-10')).toBe(0)
    expect(daysOverdue({ status: 'open', deadline: null }, '2026-04-10')).toBe(0)
  })
})

describe('photo uploads', () => {
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])
  it('accepts a PNG, JPEG or WebP sent with its own type, by its bytes', () => {
    expect(checkPhoto(png, 'image/png')).toBe('image/png')
    expect(checkPhoto(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg')).toBe('image/jpeg')
    expect(checkPhoto(Uint8Array.from([...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WEBP')]), 'image/webp')).toBe('image/webp')
  })
  it('refuses other bytes (415), a mismatched type (415) and more than 5 MB (413)', () => {
    expect(() => checkPhoto(Uint8Array.from(Buffer.from('<svg/>')), 'image/svg+xml')).toThrow(expect.objectContaining({ status: 415 }))
    expect(() => checkPhoto(png, 'image/jpeg')).toThrow(expect.objectContaining({ status: 415 }))
    const big = new Uint8Array(5 * 1024 * 1024 + 1)
    big.set(png)
    expect(() => checkPhoto(big, 'image/png')).toThrow(expect.objectContaining({ status: 413 }))
  })
})
