import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { setCsrfToken } from '../../api/http.ts'
import { fakeServer } from '../../test/fakeServer.ts'
import PersonDialog from './PersonDialog.vue'

const adminVillages = [
  {
    code: '530502199001',
    name: '羊街营社区',
    villages: [{ id: 1, name: '羊街营', code: '530502199001001', adminCode: '530502199001', adminName: '羊街营社区' }],
  },
]

afterEach(() => {
  vi.unstubAllGlobals()
  setCsrfToken(null)
})

describe('PersonDialog', () => {
  it('marks what is missing, clears a mark as soon as the field is fixed, and sends nothing until then', async () => {
    const server = fakeServer({})
    const dialog = mount(PersonDialog, { props: { adminVillages, naturalVillageId: 1 } })
    const marks = () => dialog.findAll('.problem').map((mark) => mark.text())
    await dialog.find('form').trigger('submit')
    expect(marks()).toEqual(['请选择类别', '请填写姓名'])

    await dialog.find('select[name="category"]').setValue('elderly')
    expect(marks()).toEqual(['请填写姓名'])
    await dialog.find('input[name="name"]').setValue('寸云文')
    expect(marks()).toEqual([])
    expect(dialog.find('[data-testid="person-form-error"]').exists()).toBe(false)
    expect(server.seen).toHaveLength(0)
  })

  it('shows the server’s refusal on the field it names', async () => {
    setCsrfToken('tok')
    const server = fakeServer({
      'POST /api/vulnerable-people': {
        status: 400,
        body: {
          error: {
            code: 'validation_failed',
            message: 'Invalid request: phone: digits and dashes',
            details: { issues: [{ path: 'phone', message: 'phone: digits and dashes' }] },
          },
        },
      },
    })
    const dialog = mount(PersonDialog, { props: { adminVillages, naturalVillageId: 1 } })
    await dialog.find('select[name="category"]').setValue('child')
    await dialog.find('input[name="name"]').setValue('张莲勇')
    await dialog.find('form').trigger('submit')
    await flushPromises()
    expect(server.seen[0]?.headers.get('x-csrf-token')).toBe('tok')
    expect(server.seen[0]?.body).toMatchObject({ naturalVillageId: 1, category: 'child', name: '张莲勇', phone: null })
    expect(dialog.find('input[name="phone"]').attributes('aria-invalid')).toBe('true')
    expect(dialog.find('[data-testid="person-form-error"]').text()).toBe('保存失败：提交的内容不符合要求，请检查后重试')
    expect(dialog.emitted('saved')).toBeUndefined()
  })
})
