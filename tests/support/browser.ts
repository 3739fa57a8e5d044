import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core'

/** Debian's Chromium (`apt-get install -y chromium fonts-noto-cjk`). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Headless Chromium that renders WebGL in software (SwiftShader) and makes no network call of
 * its own (no component updates, no background services), so every request it makes is the page's.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  })
}

export const desktopViewport: BrowserContextOptions = { viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, locale: 'zh-CN' }
export const phoneViewport: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
}

/** What a page did that a test may want to refuse: console errors, uncaught errors, requests. */
export interface PageRecord {
  consoleErrors: string[]
  requests: string[]
}

export function recordPage(page: Page): PageRecord {
  const record: PageRecord = { consoleErrors: [], requests: [] }
  page.on('console', (message) => {
    if (message.type() === 'error') record.consoleErrors.push(`${message.text()} @ ${message.location().url}`)
  })
  page.on('pageerror', (error) => record.consoleErrors.push(`uncaught: ${error.message}`))
  page.on('request', (request) => record.requests.push(request.url()))
  return record
}

/** Requests that left this machine: anything but loopback, data: and blob:. */
export function externalRequests(urls: readonly string[]): string[] {
  return urls.filter((url) => {
    if (url.startsWith('data:') || url.startsWith('blob:')) return false
    const { hostname } = new URL(url)
    return !(hostname === 'localhost' || hostname === '[::1]' || hostname.startsWith('127.'))
  })
}
