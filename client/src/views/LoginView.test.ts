import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import { setCsrfToken } from '../api/http.ts'
import { createSession, sessionKey } from '../composables/useSession.ts'
import { setLocale } from '../i18n/useI18n.ts'
import { fakeServer, principal } from '../test/fakeServer.ts'
import LoginView from './LoginView.vue'

const anonymous = { 'GET /api/auth/me': { body: { user: null, csrfToken: null } } }

async function mountLogin(path = '/login') {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: { template: '<p>map</p>' } },
      { path: '/login', component: LoginView },
    ],
  })
  await router.push(path)
  await router.isReady()
  const session = createSession()
  await session.ready
  const wrapper = mount(LoginView, { global: { plugins: [router], provide: { [sessionKey as symbol]: session } } })
  return { wrapper, session }
}

async function submit(wrapper: Awaited<ReturnType<typeof mountLogin>>['wrapper'], username: string, password: string) {
  await wrapper.find('input[name="username"]').setValue(username)
  await wrapper.find('input[name="password"]').setValue(password)
  await wrapper.find('form').trigger('submit')
  await flushPromises()
}

let assign: ReturnType<typeof vi.fn>
beforeEach(() => {
  assign = vi.fn()
  vi.spyOn(window.location, 'assign').mockImplementation(assign)
})
afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
  vi.useRealTimers()
  setCsrfToken(null)
  setLocale('zh')
})

describe('LoginView', () => {
  it('asks for both fields before sending anything', async () => {
    const server = fakeServer(anonymous)
    const { wrapper } = await mountLogin()
    await submit(wrapper, '  ', '')
    expect(wrapper.text()).toContain('请输入用户名')
    expect(wrapper.text()).toContain('请输入密码')
    expect(server.seen.some((request) => request.url === '/api/auth/login')).toBe(false)
  })

  it('says 用户名或密码错误 on a wrong password and clears the password', async () => {
    fakeServer({
      ...anonymous,
      'POST /api/auth/login': { status: 401, body: { error: { code: 'unauthorized', message: 'Wrong username or password.' } } },
    })
    const { wrapper } = await mountLogin()
    await submit(wrapper, 'admin', 'not-the-password')
    expect(wrapper.find('[data-testid="login-error"]').text()).toBe('用户名或密码错误')
    expect((wrapper.find('input[name="password"]').element as HTMLInputElement).value).toBe('')
    expect(assign).not.toHaveBeenCalled()
  })

  it('shows the retry time of a 429 and counts it down, with the button disabled meanwhile', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    fakeServer({
      ...anonymous,
      'POST /api/auth/login': {
        status: 429,
        body: {
          error: { code: 'rate_limited', message: 'Too many sign-in attempts; try again in 754 s.', details: { retryAfterSeconds: 754 } },
        },
      },
    })
    const { wrapper } = await mountLogin()
    await submit(wrapper, 'admin', 'guess')
    expect(wrapper.find('[data-testid="login-error"]').text()).toBe('登录尝试次数过多，请在 12 分 34 秒后再试')
    expect(wrapper.find('[data-testid="login-submit"]').attributes('disabled')).toBeDefined()
    vi.advanceTimersByTime(5000)
    await flushPromises()
    expect(wrapper.find('[data-testid="login-error"]').text()).toBe('登录尝试次数过多，请在 12 分 29 秒后再试')

    setLocale('en')
    await flushPromises()
    expect(wrapper.find('[data-testid="login-error"]').text()).toBe('Too many sign-in attempts; try again in 12 min 29 s')
  })

  it('says so when the server cannot be reached', async () => {
    fakeServer(anonymous)
    const { wrapper } = await mountLogin()
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))),
    )
    await submit(wrapper, 'admin', 'demo-admin-2026')
    expect(wrapper.find('[data-testid="login-error"]').text()).toBe('无法连接服务器，请检查网络后重试')
  })

  it('signs in and loads the page it was asked for, never another site', async () => {
    const server = fakeServer({ ...anonymous, 'POST /api/auth/login': { body: { user: principal('editor'), csrfToken: 'tok' } } })
    const { wrapper, session } = await mountLogin('/login?next=/people%3Fadmin%3D530502199001')
    await submit(wrapper, ' village_editor ', 'demo-village-2026')
    expect(server.seen.find((request) => request.url === '/api/auth/login')?.body).toEqual({
      username: 'village_editor',
      password: 'demo-village-2026',
    })
    expect(session.user.value?.role).toBe('editor')
    expect(assign).toHaveBeenCalledWith('/people?admin=530502199001')

    const other = await mountLogin('/login?next=//evil.example/')
    await submit(other.wrapper, 'editor', 'demo-editor-2026')
    expect(assign).toHaveBeenLastCalledWith('/')
  })
})
