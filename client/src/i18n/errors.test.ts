import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import type { ErrorBody, VulnerablePerson } from '@riskatlas/shared'
import { setCsrfToken, toApiError } from '../api/http.ts'
import DeletePersonDialog from '../components/people/DeletePersonDialog.vue'
import { fakeServer } from '../test/fakeServer.ts'
import { setLocale } from './core.ts'
import { describeError } from './errors.ts'

const person: VulnerablePerson = {
  id: 7,
  naturalVillageId: 1,
  naturalVillageName: '羊街营',
  adminCode: '530502199001',
  adminName: '羊街营社区',
  category: 'elderly',
  name: '寸云文',
  phone: null,
  address: null,
  mobilityNeeds: null,
  responsibleName: null,
  responsiblePhone: null,
  updatedAt: '2026-12-01T00:00:00Z',
}

/** What the server's English prose looks like: none of it may reach the user. */
const serverProse = 'Row 7 was changed by another session at 10:02; SELECT failed'

const answer = (status: number, body: unknown) =>
  toApiError(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }))

afterEach(() => {
  vi.unstubAllGlobals()
  setCsrfToken(null)
  setLocale('zh')
})

describe('describeError', () => {
  it('phrases a known code in Chinese and in English, never with the server’s text', async () => {
    const conflict = await answer(409, { error: { code: 'conflict', message: serverProse } })
    expect(describeError(conflict, 'zh')).toBe('与现有数据冲突（可能已被他人修改），请刷新后重试')
    expect(describeError(conflict, 'en')).toBe('This clashes with the current data (someone may have changed it); reload and try again')
  })

  it('uses the details where they say more (the retry time, the ids not found)', async () => {
    const limited = await answer(429, { error: { code: 'rate_limited', message: serverProse, details: { retryAfterSeconds: 12.2 } } })
    expect(describeError(limited, 'zh')).toBe('操作过于频繁，请在 13 秒后重试')
    expect(describeError(limited, 'en')).toBe('Too many attempts; try again in 13 s')
    const missing = await answer(404, { error: { code: 'not_found', message: serverProse, details: { unknownIds: [3, 9] } } })
    expect(describeError(missing, 'zh')).toBe('找不到编号为 3、9 的记录')
    expect(describeError(missing, 'en')).toBe('No record with the id 3, 9')
  })

  it('says why a backup was refused, and that nothing was changed', async () => {
    const refused = (reason: string) => answer(422, { error: { code: 'backup_refused', message: serverProse, details: { reason } } })
    expect(describeError(await refused('checksum_mismatch'), 'zh')).toBe('备份文件已损坏，现有数据未改动')
    expect(describeError(await refused('newer_format'), 'en')).toBe(
      'The backup comes from a newer RiskAtlas; upgrade this one first. The current data is unchanged',
    )
    expect(describeError(await refused('something_else'), 'zh')).toBe('无法恢复此备份，现有数据未改动')
  })

  it('falls back to a phrase for the HTTP status when the code is unknown', async () => {
    const unknownClientError = await answer(409, { error: { code: 'quota_exceeded', message: serverProse } })
    expect(describeError(unknownClientError, 'zh')).toBe('与现有数据冲突，请刷新后重试')
    expect(describeError(unknownClientError, 'en')).toBe('This clashes with the current data; reload and try again')
    const teapot = await answer(418, { error: { code: 'teapot', message: serverProse } })
    expect(describeError(teapot, 'zh')).toBe('请求被拒绝（HTTP 418）')
    const gateway = await answer(502, { error: { code: 'upstream_down', message: serverProse } })
    expect(describeError(gateway, 'en')).toBe('The server cannot handle the request at the moment (HTTP 502); try again shortly')
    // Not our error shape at all (a proxy's HTML page): still the status phrase.
    const html = await toApiError(new Response('<html>Bad Gateway</html>', { status: 504, statusText: 'Gateway Timeout' }))
    expect(describeError(html, 'zh')).toBe('服务器暂时无法处理请求（HTTP 504），请稍后重试')
  })

  it('says the server is unreachable when the request got no answer, and is vague about anything else', () => {
    expect(describeError(new TypeError('Failed to fetch'), 'zh')).toBe('无法连接服务器，请检查网络后重试')
    expect(describeError(new Error(serverProse), 'en')).toBe('Something unexpected went wrong; reload the page and try again')
  })
})

describe('a view showing a refused request', () => {
  it('shows the phrase for the code in the current language, and the status phrase for an unknown code, never the server’s text', async () => {
    setCsrfToken('tok')
    let reply: { status: 409 | 500; body: ErrorBody } = { status: 409, body: { error: { code: 'conflict', message: serverProse } } }
    fakeServer({ 'DELETE /api/vulnerable-people/:id': () => reply })
    const dialog = mount(DeletePersonDialog, { props: { person } })
    const banner = () => dialog.find('[role="alert"]').text()

    await dialog.find('[data-testid="confirm-delete"]').trigger('click')
    await flushPromises()
    expect(banner()).toBe('保存失败：与现有数据冲突（可能已被他人修改），请刷新后重试')

    setLocale('en')
    await dialog.find('[data-testid="confirm-delete"]').trigger('click')
    await flushPromises()
    expect(banner()).toBe('Could not save: This clashes with the current data (someone may have changed it); reload and try again')

    // A code this client does not know yet (a newer server): the 500 phrase, no English prose.
    reply = { status: 500, body: { error: { code: 'disk_full', message: serverProse } as unknown as ErrorBody['error'] } }
    await dialog.find('[data-testid="confirm-delete"]').trigger('click')
    await flushPromises()
    expect(banner()).toBe('Could not save: The server cannot handle the request at the moment (HTTP 500); try again shortly')
    expect(dialog.html()).not.toContain(serverProse)
    expect(dialog.emitted('deleted')).toBeUndefined()
  })
})

// The views and components, by their source: a failure reaches the user only through `describeError`.
const screens = import.meta.glob<string>(['../views/**/*.vue', '../components/**/*.vue', '../composables/**/*.ts', '!../**/*.test.ts'], {
  query: '?raw',
  import: 'default',
  eager: true,
})

describe('the screens', () => {
  it('never put an error’s own message on screen', () => {
    expect(Object.keys(screens).length).toBeGreaterThan(20)
    const offenders = Object.entries(screens).filter(([, text]) => /[\w)\]]\.message\b|String\((error|reason|failure|e|err)\)/.test(text))
    expect(offenders.map(([file]) => file)).toEqual([])
  })
})
