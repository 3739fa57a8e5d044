import fs from 'node:fs'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { PrincipalView, VulnerablePerson } from '@riskatlas/shared'
import { startRiskAtlas, type RunningServer } from '@riskatlas/server'
import { demoAccounts, seedDemoAccounts } from '../../server/src/seed/demo-accounts.ts'
import { desktopViewport, launchChromium, phoneViewport, recordPage } from '../support/browser.ts'
import { artifactsDir, clientDist, e2eDataDir, ensureClientBuilt, waitForMapIdle } from './harness.ts'

/**
 * Accounts and personal data in the browser: a village cadre signs in on the sign-in page and
 * keeps the vulnerable-people list of their own administrative village (add, assign the
 * responsible person, delete); a viewer gets 无权限 with no personal data in the page; the map
 * stays public and never asks for personal data; the admin page issues and revokes a big-screen
 * token and shows the audit log.
 */

type DemoUser = (typeof demoAccounts)[number]['username']

let server: RunningServer
let browser: Browser

const password = (username: DemoUser) => demoAccounts.find((account) => account.username === username)!.password

/** Signs in through the page, as a person would, and waits for the page it was sent back to. */
async function signInOnPage(page: Page, username: DemoUser, next: string): Promise<void> {
  await page.goto(`${server.url}/login?next=${encodeURIComponent(next)}`)
  await page.locator('input[name="username"]').fill(username)
  await page.locator('input[name="password"]').fill(password(username))
  await page.locator('[data-testid="login-submit"]').click()
  await page.waitForURL((url) => url.pathname === next.split('?')[0])
}

/** A browser context already signed in (through the API: the sign-in page is tested elsewhere). */
async function signedInContext(username: DemoUser, viewport = desktopViewport): Promise<BrowserContext> {
  const context = await browser.newContext(viewport)
  const response = await context.request.post(`${server.url}/api/auth/login`, { data: { username, password: password(username) } })
  expect(response.status()).toBe(200)
  return context
}

async function csrfOf(context: BrowserContext): Promise<string> {
  const me = (await (await context.request.get(`${server.url}/api/auth/me`)).json()) as { csrfToken: string }
  return me.csrfToken
}

/** The scoped editor's administrative village (the demo seed gives them the first one). */
async function firstAdminVillage(): Promise<string> {
  const row = await server.database.db
    .selectFrom('users')
    .select('village_scope')
    .where('username', '=', 'village_editor')
    .executeTakeFirstOrThrow()
  return row.village_scope![0]!
}

const personalDataRequests = (urls: readonly string[]) => urls.filter((url) => new URL(url).pathname.startsWith('/api/vulnerable-people'))

beforeAll(async () => {
  fs.mkdirSync(artifactsDir, { recursive: true })
  ensureClientBuilt()
  fs.mkdirSync(e2eDataDir, { recursive: true })
  server = await startRiskAtlas({ port: 0, dataDir: e2eDataDir, clientDist })
  // A data directory seeded before accounts existed has none: (re)create the demo accounts.
  await seedDemoAccounts(server.database.db)
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('sign-in page', () => {
  it('sends an anonymous visitor of /people to sign in, and says so plainly when the password is wrong', async () => {
    const context = await browser.newContext(desktopViewport)
    const page = await context.newPage()
    await page.goto(`${server.url}/people`)
    await page.waitForURL((url) => url.pathname === '/login')
    expect(new URL(page.url()).searchParams.get('next')).toBe('/people')
    await page.screenshot({ path: path.join(artifactsDir, 'accounts-login.png') })

    await page.locator('input[name="username"]').fill('village_editor')
    await page.locator('input[name="password"]').fill('not-the-password')
    await page.locator('[data-testid="login-submit"]').click()
    await expect.poll(() => page.locator('[data-testid="login-error"]').textContent()).toBe('用户名或密码错误')
    expect(new URL(page.url()).pathname).toBe('/login')
    await context.close()
  })
})

describe('village cadre (editor scoped to the first administrative village)', () => {
  let context: BrowserContext
  let page: Page
  let scope: string[]
  const name = `测试人员${Date.now() % 100000}`

  beforeAll(async () => {
    context = await browser.newContext(desktopViewport)
    page = await context.newPage()
    await signInOnPage(page, 'village_editor', '/people')
    const me = (await (await context.request.get(`${server.url}/api/auth/me`)).json()) as { user: PrincipalView }
    scope = me.user.villageScope!
    expect(scope).toHaveLength(1)
  })

  afterAll(() => context.close())

  it('lists only the people of their administrative village, with counts per category', async () => {
    const api = (await (await context.request.get(`${server.url}/api/vulnerable-people`)).json()) as { people: VulnerablePerson[] }
    const rows = page.locator('tr.person')
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(api.people.length)
    expect(api.people.length).toBeGreaterThan(0)
    const admins = await rows.evaluateAll((elements) => [...new Set(elements.map((element) => element.getAttribute('data-admin')))])
    expect(admins).toEqual(scope)
    expect(await page.locator('[data-testid="admin-village-select"] option').count()).toBe(1)
    expect(await page.locator('[data-testid="count-total"]').textContent()).toBe(`共 ${api.people.length} 人`)
    const elderly = api.people.filter((person) => person.category === 'elderly').length
    expect(await page.locator('[data-category="elderly"]').textContent()).toContain(String(elderly))
    // The user menu says who is signed in, and as what.
    expect(await page.locator('[data-testid="user-role"]').textContent()).toBe('编辑')
    await page.screenshot({ path: path.join(artifactsDir, 'accounts-people-desktop.png') })
  })

  it('adds a person, assigns the responsible person inline, and deletes them after confirming', async () => {
    await page.locator('[data-testid="add-person"]').click()
    const form = page.locator('[data-testid="person-form"]')
    await form.waitFor()
    // Client-side checks first: nothing is sent without a category and a name.
    await form.locator('[data-testid="person-save"]').click()
    await expect.poll(() => form.textContent()).toContain('请填写姓名')

    await form.locator('select[name="category"]').selectOption('disabled')
    await form.locator('input[name="name"]').fill(name)
    await form.locator('input[name="phone"]').fill('1380000-12')
    await form.locator('input[name="address"]').fill('端到端测试 1 号')
    await form.locator('textarea[name="mobilityNeeds"]').fill('需轮椅')
    await page.screenshot({ path: path.join(artifactsDir, 'accounts-people-dialog.png') })
    await form.locator('[data-testid="person-save"]').click()
    await form.waitFor({ state: 'detached' })

    const row = page.locator('tr.person', { hasText: name })
    await row.waitFor()
    const id = Number(await row.getAttribute('data-person'))
    expect(await row.getAttribute('data-admin')).toBe(scope[0])
    expect(await row.locator('[data-testid="responsible-missing"]').textContent()).toBe('未落实')

    await row.locator(`[data-testid="assign-${id}"]`).click()
    const assign = page.locator(`[data-testid="assign-form-${id}"]`)
    await assign.locator('input[name="responsibleName"]').fill('端到端责任人')
    await assign.locator('input[name="responsiblePhone"]').fill('13800007777')
    await assign.locator('[data-testid="assign-save"]').click()
    await expect.poll(() => row.locator('[data-testid="responsible-name"]').textContent()).toBe('端到端责任人')
    const stored = (await (await context.request.get(`${server.url}/api/vulnerable-people/${id}`)).json()) as VulnerablePerson
    expect(stored).toMatchObject({ name, responsibleName: '端到端责任人', responsiblePhone: '13800007777', category: 'disabled' })
    await page.screenshot({ path: path.join(artifactsDir, 'accounts-people-assigned.png') })

    await row.locator(`[data-testid="delete-${id}"]`).click()
    await page.locator('[data-testid="confirm-delete"]').click()
    await row.waitFor({ state: 'detached' })
    expect((await context.request.get(`${server.url}/api/vulnerable-people/${id}`)).status()).toBe(404)
  })

  it('lays the list out as cards on a phone', async () => {
    const phone = await signedInContext('village_editor', phoneViewport)
    const phonePage = await phone.newPage()
    const record = recordPage(phonePage)
    await phonePage.goto(`${server.url}/people`)
    await phonePage.locator('tr.person').first().waitFor()
    // No sideways scrolling on a 390 px screen.
    expect(await phonePage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await phonePage.screenshot({ path: path.join(artifactsDir, 'accounts-people-phone.png') })
    expect(record.consoleErrors).toEqual([])
    await phone.close()
  })
})

describe('a session that ends under an open page', () => {
  it('sends the cadre to sign in again at the next request, and back to the same list afterwards', async () => {
    const context = await signedInContext('village_editor')
    const page = await context.newPage()
    await page.goto(`${server.url}/people`)
    await page.locator('tr.person').first().waitFor()
    // The session ends on the server (as when it expires or the account is disabled).
    await context.request.post(`${server.url}/api/auth/logout`, { headers: { 'x-csrf-token': await csrfOf(context) } })
    await page.locator('[data-testid="without-responsible"]').click()
    await page.waitForURL((url) => url.pathname === '/login')
    const next = `/people?admin=${await firstAdminVillage()}&without=1`
    expect(new URL(page.url()).searchParams.get('next')).toBe(next)
    expect(await page.locator('tr.person').count()).toBe(0)

    await page.locator('input[name="username"]').fill('village_editor')
    await page.locator('input[name="password"]').fill(password('village_editor'))
    await page.locator('[data-testid="login-submit"]').click()
    await page.waitForURL((url) => `${url.pathname}${url.search}` === next)
    await page.locator('tr.person').first().waitFor()
    expect(await page.locator('[data-testid="without-responsible"]').isChecked()).toBe(true)
    expect(await page.locator('[data-testid="responsible-name"]').count()).toBe(0)
    await context.close()
  })
})

describe('viewer', () => {
  it('gets 无权限 on /people, with no personal data in the page and none requested', async () => {
    const editor = await signedInContext('village_editor')
    const { people } = (await (await editor.request.get(`${server.url}/api/vulnerable-people`)).json()) as { people: VulnerablePerson[] }
    await editor.close()

    const context = await browser.newContext(desktopViewport)
    const page = await context.newPage()
    const record = recordPage(page)
    await signInOnPage(page, 'viewer', '/people')
    await page.locator('[data-testid="no-access"]').waitFor()
    expect(await page.locator('[data-testid="no-access"] h2').textContent()).toBe('无权限')
    expect(await page.locator('tr.person').count()).toBe(0)
    const html = await page.content()
    const leaks = people
      .flatMap((person) => [person.name, person.phone, person.address, person.responsiblePhone])
      .filter((value) => value && html.includes(value))
    expect(leaks).toEqual([])
    expect(personalDataRequests(record.requests)).toEqual([])
    await context.close()
  })
})

describe('anonymous map', () => {
  it('stays usable without signing in and never asks for personal data', async () => {
    const context = await browser.newContext(desktopViewport)
    const page = await context.newPage()
    const record = recordPage(page)
    await page.goto(server.url)
    await waitForMapIdle(page)
    await page.locator('[data-testid="sign-in-link"]').waitFor()
    expect(await page.locator('[data-testid="sign-in-link"]').textContent()).toBe('登录')
    expect(record.requests.some((url) => new URL(url).pathname === '/api/auth/me')).toBe(true)
    expect(personalDataRequests(record.requests)).toEqual([])
    await context.close()
  })
})

describe('admin page', () => {
  it('lists accounts, issues a big-screen token shown once, revokes it, and shows the audit log', async () => {
    const context = await signedInContext('admin')
    const page = await context.newPage()
    const record = recordPage(page)
    await page.goto(`${server.url}/admin`)
    const users = page.locator('[data-testid="users-table"] tbody tr')
    await expect.poll(() => users.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(4)
    expect(await page.locator('tr[data-user="village_editor"]').textContent()).toContain('编辑')
    await page.screenshot({ path: path.join(artifactsDir, 'accounts-admin.png') })

    await page.locator('[data-testid="tab-tokens"]').click()
    await page.locator('input[name="tokenName"]').fill('端到端测试大屏')
    await page.locator('[data-testid="issue-token"]').click()
    const token = await page.locator('[data-testid="issued-token-text"]').inputValue()
    expect(token).toMatch(/^dsp_/)
    const screen = await fetch(`${server.url}/api/coverage`, { headers: { authorization: `Bearer ${token}` } })
    expect(screen.status).toBe(200)
    await page.screenshot({ path: path.join(artifactsDir, 'accounts-admin-token.png') })

    const row = page.locator('[data-testid="tokens-table"] tr', { hasText: '端到端测试大屏' }).last()
    await row.locator('button', { hasText: '撤销' }).click()
    await page.locator('[data-testid="confirm-revoke"]').click()
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('已撤销')
    expect((await fetch(`${server.url}/api/coverage`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401)

    await page.locator('[data-testid="tab-audit"]').click()
    const entries = page.locator('[data-testid="audit-table"] tbody tr')
    await expect.poll(() => entries.count(), { timeout: 15_000 }).toBeGreaterThan(0)
    const ids = await entries.evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-entry'))))
    expect(ids).toEqual([...ids].sort((a, b) => b - a))
    expect(await entries.first().textContent()).toContain('撤销')
    expect(record.consoleErrors).toEqual([])
    await context.close()
  })

  it('makes a backup with 立即备份, lists it with its time and size, and downloads that archive; not for an editor', async () => {
    const context = await signedInContext('admin', { ...desktopViewport, viewport: { width: 1920, height: 1080 } })
    const page = await context.newPage()
    const record = recordPage(page)
    await page.goto(`${server.url}/admin`)
    await page.locator('[data-testid="tab-backup"]').click()
    const rows = page.locator('[data-testid="backups-table"] tbody tr')
    const before = (await page.locator('[data-testid="backups-none"]').isVisible()) ? 0 : await rows.count()
    const started = Date.now()
    await page.locator('[data-testid="backup-make"]').click()
    await expect.poll(() => page.locator('[data-testid="admin-notice"]').textContent(), { timeout: 30_000 }).toMatch(/^已备份：riskatlas-/)
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(before + 1)

    // The newest row is the one just made: as the server lists it, with its size and Beijing time.
    const { backups } = (await (await context.request.get(`${server.url}/api/admin/backups`)).json()) as {
      backups: { name: string; bytes: number; createdAt: string }[]
    }
    const made = backups[0]!
    expect(Date.parse(made.createdAt)).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000 - 1000)
    const newest = rows.first()
    expect(await newest.getAttribute('data-backup')).toBe(made.name)
    const cells = await newest.locator('td').allTextContents()
    const beijing = new Date(Date.parse(made.createdAt) + 8 * 3_600_000).toISOString()
    expect(cells[0]).toContain(`${beijing.slice(0, 4)}/${beijing.slice(5, 7)}/${beijing.slice(8, 10)}`)
    expect(cells[0]).toContain(beijing.slice(11, 19))
    expect(cells[1]).toMatch(made.bytes < 1024 * 1024 ? /^\d+ KB$/ : /^\d+\.\d MB$/)
    expect(cells[2]).toBe(made.name)
    await page.screenshot({ path: path.join(artifactsDir, 'h2gaps-admin-backup.png') })

    // 下载: the browser saves that very archive — a RiskAtlas backup of this database, the listed size.
    const saving = page.waitForEvent('download')
    await newest.locator(`[data-testid="backup-download-${made.name}"]`).click()
    const download = await saving
    expect(download.suggestedFilename()).toBe(made.name)
    const archive = fs.readFileSync((await download.path())!)
    expect(archive.length).toBe(made.bytes)
    const manifest = JSON.parse(gunzipSync(archive).toString('utf8').split('\n')[0]!) as { format: string; tables: { name: string }[] }
    expect(manifest.format).toBe('riskatlas-backup')
    expect(manifest.tables.map((table) => table.name)).toContain('hazard_points')
    expect(record.consoleErrors).toEqual([])
    await context.close()

    // An editor has no 系统管理 in the menu, and /admin shows 无权限 without the backup tab.
    const editor = await signedInContext('editor')
    const editorPage = await editor.newPage()
    await editorPage.goto(`${server.url}/admin?tab=backup`)
    await editorPage.locator('[data-testid="no-access"]').waitFor()
    expect(await editorPage.locator('[data-testid="tab-backup"]').count()).toBe(0)
    expect(await editorPage.locator('[data-testid="app-nav"] a[href="/admin"]').count()).toBe(0)
    await editor.close()
  })
})
