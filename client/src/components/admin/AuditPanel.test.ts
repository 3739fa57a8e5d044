import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { fakeServer } from '../../test/fakeServer.ts'
import { setLocale } from '../../i18n/useI18n.ts'
import AuditPanel from './AuditPanel.vue'

const entry = (id: number, action: string, entity: string, reason: string | null) => ({
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
            entry(3, 'update', 'drill', 'recorded as held'),
            entry(2, 'export', 'evacuation_card', 'evacuation card (避险明白卡)'),
            entry(1, 'list', 'vulnerable_people', 'list view'),
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
    ])
    expect(panel.findAll('[data-testid="audit-entity"] option').map((option) => option.attributes('value'))).toContain('drill')
    setLocale('en')
    await flushPromises()
    expect(cells()[0]!.slice(2, 4).concat(cells()[0]![5]!)).toEqual(['Changed', 'Drill', 'Recorded as held'])
  })
})
