import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import type { ImportSummary } from '@riskatlas/shared'
import { setCsrfToken } from '../../api/http.ts'
import { setLocale } from '../../i18n/core.ts'
import { fakeServer } from '../../test/fakeServer.ts'
import ImportHistory from './ImportHistory.vue'

const entry = (id: number, fields: Partial<ImportSummary>): ImportSummary => ({
  id,
  layer: 'hazard_points',
  fileName: `隐患点-${id}.csv`,
  fileFormat: 'csv',
  fileBytes: 900,
  status: 'committed',
  mode: 'append',
  counts: { inserted: 5, updated: 0, deleted: 0, repaired: 0 },
  createdBy: 'editor',
  createdAt: '2026-12-03T01:00:00Z',
  committedBy: 'editor',
  committedAt: '2026-12-03T01:01:00Z',
  undoneBy: null,
  undoneAt: null,
  undoable: true,
  ...fields,
})

afterEach(() => {
  vi.unstubAllGlobals()
  setCsrfToken(null)
  setLocale('zh')
})

describe('the import history', () => {
  it('lists committed and undone imports, offers undo only where the server says it is undoable', async () => {
    fakeServer({
      'GET /api/imports': {
        body: {
          imports: [
            entry(4, {}),
            entry(3, { status: 'uploaded', mode: null, counts: null, committedBy: null, committedAt: null, undoable: false }),
            entry(2, { undoable: false, mode: 'upsert', counts: { inserted: 0, updated: 5, deleted: 0, repaired: 0 } }),
            entry(1, { status: 'undone', undoable: false, undoneBy: 'admin', undoneAt: '2026-12-03T02:00:00Z' }),
          ],
        },
      },
    })
    const history = mount(ImportHistory)
    await flushPromises()
    const rows = history.findAll('tbody tr')
    expect(rows.map((row) => row.attributes('data-import'))).toEqual(['4', '2', '1'])
    expect(rows.map((row) => row.find('button').exists())).toEqual([true, false, false])
    expect(rows[0]!.findAll('td').map((cell) => cell.text())).toEqual([
      '12/3 09:01',
      '地质灾害/山洪隐患点',
      '隐患点-4.csv',
      'editor',
      '追加（编号已存在则报错）',
      '5 / 0 / 0',
      '已导入 撤销',
    ])
    expect(rows[1]!.text()).toContain('记录已被修改，不能撤销')
    expect(rows[2]!.text()).toContain('admin 于 12/3 10:00 撤销')
    history.unmount()
  })

  it('says why an undo was refused, in the words of the refusal, and asks for the list again', async () => {
    setCsrfToken('tok')
    const server = fakeServer({
      'GET /api/imports': { body: { imports: [entry(4, {})] } },
      'POST /api/imports/:id/undo': {
        status: 409,
        body: { error: { code: 'conflict', message: 'English prose', details: { reason: 'rows_changed', params: { touched: 2 } } } },
      },
    })
    const history = mount(ImportHistory)
    await flushPromises()
    await history.find('[data-testid="undo-4"]').trigger('click')
    await flushPromises()
    expect(history.find('[data-testid="import-history-message"]').text()).toBe('不能撤销：导入后已有 2 条记录被修改，无法撤销')
    expect(history.html()).not.toContain('English prose')
    expect(server.seen.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /api/imports',
      'POST /api/imports/4/undo',
      'GET /api/imports',
    ])
    history.unmount()
  })
})
