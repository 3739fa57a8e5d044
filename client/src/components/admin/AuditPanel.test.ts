import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { auditReasonCodes, type AuditReasonView } from '@riskatlas/shared'
import { fakeServer } from '../../test/fakeServer.ts'
import { setLocale } from '../../i18n/useI18n.ts'
import AuditPanel from './AuditPanel.vue'

const entry = (id: number, action: string, entity: string, reason: AuditReasonView | null) => ({
  id,
  at: '2026-12-01T02:00:00.000Z',
  actor: 'editor',
  action,
  entity,
  entityId: '12',
  reason,
  details: null,
})

afterEach(() => {
  vi.unstubAllGlobals()
  setLocale('zh')
})

describe('AuditPanel', () => {
  it('shows every action, subject and server-written reason by its label, in Chinese and in English', async () => {
    fakeServer({
      'GET /api/audit-log': {
        body: {
          entries: [
            entry(4, 'update', 'drill', { code: 'recorded_as_held' }),
            entry(3, 'export', 'evacuation_card', { code: 'evacuation_card' }),
            entry(2, 'list', 'vulnerable_people', { code: 'list_view' }),
            entry(1, 'read', 'vulnerable_people', '核对包保责任人'),
          ],
        },
      },
    })
    const panel = mount(AuditPanel)
    await flushPromises()
    const cells = () => panel.findAll('[data-testid="audit-table"] tbody tr').map((row) => row.findAll('td').map((cell) => cell.text()))
    expect(cells().map((row) => row.slice(2, 4).concat(row[5]!))).toEqual([
      ['修改', '演练', '记录为已实施'],
      ['导出', '避险明白卡', '打印避险明白卡'],
      ['查看列表', '特殊人群', '列表查看'],
      ['查看', '特殊人群', '核对包保责任人'],
    ])
    expect(panel.findAll('[data-testid="audit-entity"] option').map((option) => option.attributes('value'))).toContain('drill')
    setLocale('en')
    await flushPromises()
    expect(cells()[0]!.slice(2, 4).concat(cells()[0]![5]!)).toEqual(['Changed', 'Drill', 'Recorded as held'])
  })

  it('words every reason code the server writes, in Chinese and in English', async () => {
    fakeServer({
      'GET /api/audit-log': { body: { entries: auditReasonCodes.map((code, i) => entry(i + 1, 'update', 'drill', { code })) } },
    })
    const panel = mount(AuditPanel)
    await flushPromises()
    const reasons = () => panel.findAll('[data-testid="audit-table"] tbody tr').map((row) => row.findAll('td')[5]!.text())
    expect(reasons()).toHaveLength(auditReasonCodes.length)
    for (const text of reasons()) expect(text).toMatch(/[\u4e00-\u9fff]/)
    setLocale('en')
    await flushPromises()
    for (const [i, text] of reasons().entries()) {
      expect(text, auditReasonCodes[i]).toMatch(/^[A-Z]/)
      expect(text).not.toMatch(/[\u4e00-\u9fff]/)
    }
  })
})
