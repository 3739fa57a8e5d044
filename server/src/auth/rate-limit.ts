import { ApiError } from '../errors.ts'

/** 429 `rate_limited` with `details.retryAfterSeconds` (the route sets `Retry-After`). */
export class RateLimited extends ApiError {
  constructor(
    readonly retryAfterSeconds: number,
    message = `Too many attempts; try again in ${retryAfterSeconds} s.`,
  ) {
    super(429, 'rate_limited', message, { retryAfterSeconds })
  }
}

/**
 * Fixed-window counters for attempts (sign-ins, screen setup codes), per key (an account, a client address).
 * In memory: one instance guards its own door; several instances behind a balancer each
 * enforce the limit, which bounds a burst at instances × limit.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>()

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until the key may try again, or 0 if it may now. Does not count. */
  retryAfter(key: string): number {
    const window = this.windows.get(key)
    if (!window || window.resetAt <= this.now()) return 0
    return window.count >= this.limit ? Math.ceil((window.resetAt - this.now()) / 1000) : 0
  }

  /** Hits counted for the key in its current window. */
  count(key: string): number {
    const window = this.windows.get(key)
    return !window || window.resetAt <= this.now() ? 0 : window.count
  }

  hit(key: string): void {
    const now = this.now()
    const window = this.windows.get(key)
    if (!window || window.resetAt <= now) {
      this.windows.set(key, { count: 1, resetAt: now + this.windowMs })
      if (this.windows.size > 50_000) this.prune(now)
      return
    }
    window.count += 1
  }

  reset(key: string): void {
    this.windows.delete(key)
  }

  private prune(now: number) {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key)
  }
}
