import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import MapView from './views/MapView.vue'

/**
 * The map workspace is the landing view and loads with the app; other views (command screen,
 * drills, coverage, data) are lazy chunks so the first load stays small.
 */
export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'map', component: MapView },
  { path: '/coverage', name: 'coverage', component: () => import('./views/CoverageView.vue') },
  { path: '/drills', name: 'drills', component: () => import('./views/DrillPlannerView.vue') },
  { path: '/villages/:id(\\d+)/card', name: 'village-card', component: () => import('./views/EvacuationCardView.vue') },
  { path: '/admin-villages/:code(\\d{12})/cards', name: 'admin-village-cards', component: () => import('./views/EvacuationCardView.vue') },
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

export function createAppRouter() {
  return createRouter({ history: createWebHistory(), routes })
}
