import { inject, readonly, ref, shallowRef, type DeepReadonly, type InjectionKey, type Ref, type ShallowRef } from 'vue'
import type { PrincipalView } from '@riskatlas/shared'
import { api, ok } from '../api/client.ts'
import { setCsrfToken, setSessionEndedHandler } from '../api/http.ts'

export type Role = PrincipalView['role']

/**
 * Who is signed in, app-wide. Created once in `main.ts` and provided under `sessionKey`; the
 * CSRF token it holds is handed to the api helper, so every POST/PATCH/DELETE made through
 * the typed client (`api`, through `apiFetch`) carries it without the caller knowing.
 */
export interface Session {
  /** The signed-in principal, or null when anonymous (also null until `ready` resolves). */
  user: Readonly<ShallowRef<PrincipalView | null>>
  csrfToken: DeepReadonly<Ref<string | null>>
  /** False until the first GET /api/auth/me has answered (or failed). */
  loaded: DeepReadonly<Ref<boolean>>
  /** Resolves once the first GET /api/auth/me has answered; never rejects (a failure means anonymous). */
  ready: Promise<void>
  /** Asks the server again (GET /api/auth/me). */
  refresh(): Promise<void>
  /** POST /api/auth/login; throws the server's ApiError (401 wrong password, 429 too many attempts). */
  login(username: string, password: string): Promise<PrincipalView>
  /** POST /api/auth/logout; the local state is cleared even when the server cannot be reached. */
  logout(): Promise<void>
  /** True when someone is signed in with one of the roles (any role when none are given). */
  hasRole(...roles: readonly Role[]): boolean
}

export const sessionKey: InjectionKey<Session> = Symbol('session')

/** Builds the app's session and starts asking the server who is signed in. */
export function createSession(): Session {
  const user = shallowRef<PrincipalView | null>(null)
  const csrfToken = ref<string | null>(null)
  const loaded = ref(false)

  const apply = (me: { user: PrincipalView | null; csrfToken: string | null }) => {
    user.value = me.user
    csrfToken.value = me.csrfToken
    setCsrfToken(me.csrfToken, renew)
  }
  const fetchMe = async () => apply(await ok(api.auth.me.$get()))
  const renew = async () => {
    await fetchMe()
    return csrfToken.value
  }
  // A 401 while signed in: the session expired or the account was disabled. Forget it.
  setSessionEndedHandler(() => apply({ user: null, csrfToken: null }))
  const refresh = async () => {
    try {
      await fetchMe()
    } finally {
      loaded.value = true
    }
  }

  return {
    user,
    csrfToken: readonly(csrfToken),
    loaded: readonly(loaded),
    ready: refresh().catch(() => apply({ user: null, csrfToken: null })),
    refresh,
    async login(username, password) {
      const me = await ok(api.auth.login.$post({ json: { username, password } }))
      apply(me)
      return me.user!
    },
    async logout() {
      try {
        await ok(api.auth.logout.$post())
      } finally {
        apply({ user: null, csrfToken: null })
      }
    },
    hasRole: (...roles) => !!user.value && (roles.length === 0 || roles.includes(user.value.role)),
  }
}

/** The app's session (see `createSession`); fails loudly when the app forgot to provide it. */
export function useSession(): Session {
  const session = inject(sessionKey, null)
  if (!session) throw new Error('useSession(): no session provided; main.ts provides one under sessionKey')
  return session
}

/** What a route's `meta.roles` means for a principal: go on, sign in first, or no access (无权限). */
export type Access = 'allowed' | 'sign-in' | 'denied'

export function accessTo(roles: readonly Role[] | undefined, user: PrincipalView | null): Access {
  if (!roles) return 'allowed'
  if (!user) return 'sign-in'
  return roles.includes(user.role) ? 'allowed' : 'denied'
}

/**
 * A `next=` target after signing in: a path on this site only. Parsed with `URL` the way the
 * browser will parse it — it drops tabs and newlines and reads `\` as `/`, so `/\t/evil.example/`
 * or `/\\evil.example` are another site — and accepted only if it stays on our origin; the
 * result is the parsed path (leading slashes collapsed), never the raw text.
 */
export function safeNext(next: unknown, origin: string = window.location.origin): string {
  if (typeof next !== 'string' || !next.startsWith('/')) return '/'
  let url: URL
  try {
    url = new URL(next, origin)
  } catch {
    return '/'
  }
  if (url.origin !== new URL(origin).origin) return '/'
  return `/${url.pathname.replace(/^\/+/, '')}${url.search}${url.hash}`
}
