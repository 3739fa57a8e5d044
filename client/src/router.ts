import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import MapView from './views/MapView.vue'

/**
 * The map workspace is the landing view and loads with the app; other views (command screen,
 * drills, coverage, data) are lazy chunks so the first load stays small.
 */
export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'map', component: MapView },
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

export function createAppRouter() {
  return createRouter({ history: createWebHistory(), routes })
}
