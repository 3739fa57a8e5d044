import { computed, type ComputedRef } from 'vue'
import { useAccountI18n } from '../i18n/accounts.ts'
import type { AccountMessageKey } from '../i18n/accounts.ts'
import type { Role, Session } from './useSession.ts'

export interface NavLink {
  to: string
  label: string
  name: string
}

/** Every view a signed-in user may open, by role, in one order: the one navigation of every page. */
const views: { to: string; name: string; label: AccountMessageKey; roles: readonly Role[] | 'everyone' }[] = [
  { to: '/', name: 'map', label: 'navMap', roles: 'everyone' },
  { to: '/coverage', name: 'coverage', label: 'navCoverage', roles: ['admin', 'editor', 'viewer', 'display'] },
  { to: '/drills', name: 'drills', label: 'navDrills', roles: ['admin', 'editor', 'viewer', 'display'] },
  { to: '/evacuation', name: 'evacuation', label: 'navEvacuation', roles: ['admin', 'editor', 'viewer'] },
  { to: '/warnings', name: 'warnings', label: 'navWarnings', roles: ['admin', 'editor'] },
  { to: '/report', name: 'report', label: 'navReport', roles: ['admin', 'editor'] },
  { to: '/command', name: 'command', label: 'navCommand', roles: ['admin', 'editor', 'viewer', 'display'] },
  { to: '/ledger', name: 'ledger', label: 'navLedger', roles: ['admin', 'editor', 'viewer'] },
  { to: '/summary', name: 'summary', label: 'navSummary', roles: ['admin', 'editor', 'viewer'] },
  { to: '/lists', name: 'lists', label: 'navLists', roles: ['admin', 'editor', 'viewer'] },
  { to: '/people', name: 'people', label: 'navPeople', roles: ['admin', 'editor'] },
  { to: '/data', name: 'data', label: 'navData', roles: ['admin', 'editor'] },
  { to: '/admin', name: 'admin', label: 'navAdmin', roles: ['admin'] },
]

/** The links the signed-in user's role may follow (only 一张图 for an anonymous visitor). */
export function useNavigation(session: Session): ComputedRef<NavLink[]> {
  const { ta } = useAccountI18n()
  return computed(() =>
    views
      .filter((view) => view.roles === 'everyone' || session.hasRole(...view.roles))
      .map((view) => ({ to: view.to, name: view.name, label: ta(view.label) })),
  )
}
