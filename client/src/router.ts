import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import MapView from './views/MapView.vue'
import { accessTo, type Role, type Session } from './composables/useSession.ts'

declare module 'vue-router' {
  interface RouteMeta {
    /** Roles that may open the view; anonymous visitors are sent to /login, others see 无权限. */
    roles?: readonly Role[]
  }
}

/** Every signed-in role, big screens included. */
const signedIn: readonly Role[] = ['admin', 'editor', 'viewer', 'display']

/**
 * The map workspace is the landing view and loads with the app; other views (command screen,
 * drills, coverage, data) are lazy chunks so the first load stays small.
 */
export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'map', component: MapView },
  // Drill views: every signed-in role may read (the API decides who may write).
  { path: '/coverage', name: 'coverage', component: () => import('./views/CoverageView.vue'), meta: { roles: signedIn } },
  { path: '/drills', name: 'drills', component: () => import('./views/DrillPlannerView.vue'), meta: { roles: signedIn } },
  {
    path: '/villages/:id(\\d+)/card',
    name: 'village-card',
    component: () => import('./views/EvacuationCardView.vue'),
    meta: { roles: signedIn },
  },
  {
    path: '/admin-villages/:code(\\d{12})/cards',
    name: 'admin-village-cards',
    component: () => import('./views/EvacuationCardView.vue'),
    meta: { roles: signedIn },
  },
  {
    path: '/evacuation',
    name: 'evacuation',
    component: () => import('./views/EvacuationView.vue'),
    meta: { roles: ['admin', 'editor', 'viewer'] },
  },
  // The flood-season command: the wall screen (every signed-in role, big screens first), the
  // warning desk (the command's editors) and the cadres' phone page (editors, scoped to their villages).
  // A wall screen's sign-in with its one-time setup code (public: the code is the credential).
  { path: '/command/setup', name: 'command-setup', component: () => import('./views/SetupView.vue') },
  { path: '/command', name: 'command', component: () => import('./views/CommandView.vue'), meta: { roles: signedIn } },
  { path: '/report', name: 'report', component: () => import('./views/ReportView.vue'), meta: { roles: ['admin', 'editor'] } },
  { path: '/warnings', name: 'warnings', component: () => import('./views/WarningsView.vue'), meta: { roles: ['admin', 'editor'] } },
  // The safety ledger, the work summary and the four lists: staff with accounts (not big screens).
  { path: '/ledger', name: 'ledger', component: () => import('./views/LedgerView.vue'), meta: { roles: ['admin', 'editor', 'viewer'] } },
  { path: '/summary', name: 'summary', component: () => import('./views/SummaryView.vue'), meta: { roles: ['admin', 'editor', 'viewer'] } },
  { path: '/lists', name: 'lists', component: () => import('./views/FourListsView.vue'), meta: { roles: ['admin', 'editor', 'viewer'] } },
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue') },
  { path: '/people', name: 'people', component: () => import('./views/PeopleView.vue'), meta: { roles: ['admin', 'editor'] } },
  // 数据导入: editors and admins (the import API's own rule; vulnerable people within the editor's villages).
  { path: '/data', name: 'data', component: () => import('./views/DataView.vue'), meta: { roles: ['admin', 'editor'] } },
  { path: '/admin', name: 'admin', component: () => import('./views/AdminView.vue'), meta: { roles: ['admin'] } },
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

/** With a session, views that declare `meta.roles` send anonymous visitors to /login?next=…. */
export function createAppRouter(session?: Session) {
  const router = createRouter({ history: createWebHistory(), routes })
  if (session) {
    router.beforeEach(async (to) => {
      if (!to.meta.roles) return true
      await session.ready
      if (accessTo(to.meta.roles, session.user.value) !== 'sign-in') return true
      return { name: 'login', query: { next: to.fullPath } }
    })
  }
  return router
}
