import { PatternRouter } from 'hono/router/pattern-router'
import { principalRoles, type PrincipalRole } from '@riskatlas/shared'

/** Who a request acts as (shared with the client). `display` is a big screen's token: read-only, no personal data. */
export const roles = principalRoles
export type Role = PrincipalRole

/**
 * A route's access rule. `public`: anyone, signed in or not (only for surfaces that hold no
 * personal data); no session is looked up. `identify`: anyone too, but the caller's session is
 * looked up so the route can say who they are. Otherwise the roles allowed; object-level checks (an editor's villages) are
 * made by the route itself with `assertVillageInScope` / `villageScope`.
 */
export type Policy = 'public' | 'identify' | { roles: readonly Role[] }

/** Every signed-in principal, big screens included. */
const everyone: Policy = { roles: ['admin', 'editor', 'viewer', 'display'] }
/** People with accounts (not big screens). */
const staff: Policy = { roles: ['admin', 'editor', 'viewer'] }
/** Those who may write, and read personal data within their scope. */
const editors: Policy = { roles: ['admin', 'editor'] }
const admins: Policy = { roles: ['admin'] }

/**
 * The built client: its static files and its page routes (`/`, `/coverage`, `/assets/…`). It
 * covers only what the app's catch-all handlers answer: a concrete route the app serves (say
 * `GET /ogc/collections`) is never covered by it and is denied until declared below.
 */
export const clientPagesKey = 'GET /*'

/**
 * Every route the server answers and its policy, in one reviewable table — `/api`, the basemap
 * file, the client and whatever later surfaces (`/ogc`, `/tiles`) add. A route missing here is
 * denied (403) — new routes are protected by default — and the permission-matrix test fails
 * until the route is declared here and given rows in the matrix. Outside `/api` only GET and
 * HEAD are answered (405 otherwise): state changes live under `/api`, behind CSRF.
 */
export const routePolicies: Record<string, Policy> = {
  'GET /api/health': 'identify',
  'GET /api/config': 'public',
  'GET /api/openapi.json': 'public',
  'GET /api/docs': 'public',
  'GET /api/layers': 'public',
  'GET /api/layers/:id': 'public',
  'GET /api/layers/:id/features/:featureId': 'public',
  // A public layer as GeoJSON, CSV, Excel or a zipped Shapefile (exports/routes.ts): the layer API's properties only.
  'GET /api/exports/layers/:file': 'public',
  'GET /api/data-version': 'public',
  // Live updates (events/stream.ts): tables, actions, ids and counts only — never personal data.
  'GET /api/events': everyone,

  // OGC API – Features (ogc/routes.ts): the public layers only, for QGIS and GDAL.
  'GET /ogc': 'public',
  'GET /ogc/conformance': 'public',
  'GET /ogc/api': 'public',
  'GET /ogc/collections': 'public',
  'GET /ogc/collections/:collectionId': 'public',
  'GET /ogc/collections/:collectionId/queryables': 'public',
  'GET /ogc/collections/:collectionId/items': 'public',
  'GET /ogc/collections/:collectionId/items/:featureId': 'public',
  // Vector tiles (tiles/routes.ts): public attributes of the large layers only.
  'GET /tiles': 'public',
  'GET /tiles/:tileset/tilejson.json': 'public',
  'GET /tiles/:tileset/:z/:x/:y': 'public',

  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': staff,
  'GET /api/auth/me': 'identify',

  'GET /api/users': admins,
  'POST /api/users': admins,
  'PATCH /api/users/:id': admins,
  'GET /api/display-tokens': admins,
  'POST /api/display-tokens': admins,
  'DELETE /api/display-tokens/:id': admins,
  // A wall screen signs in without a header (display/routes.ts): a one-time code → cookie session.
  'POST /api/display-tokens/:id/setup-code': admins,
  'POST /api/display-session': 'public',
  'DELETE /api/display-session': { roles: ['display'] },
  'GET /api/audit-log': admins,
  'GET /api/admin/backup': admins,
  'GET /api/admin/backups': admins,
  'POST /api/admin/backups': admins,
  'GET /api/admin/backups/:name': admins,
  'POST /api/admin/restore': admins,

  'GET /api/vulnerable-people/counts': everyone,
  'GET /api/vulnerable-people': editors,
  'GET /api/vulnerable-people/export.csv': editors,
  'GET /api/vulnerable-people/:id': editors,
  'POST /api/vulnerable-people': editors,
  'PATCH /api/vulnerable-people/:id': editors,
  'DELETE /api/vulnerable-people/:id': editors,

  'GET /api/drills': everyone,
  'POST /api/drills': editors,
  'POST /api/drills/batch': editors,
  'GET /api/drills/:id': everyone,
  'PATCH /api/drills/:id': editors,
  'DELETE /api/drills/:id': editors,
  'POST /api/imports': editors,
  'GET /api/imports': editors,
  'GET /api/imports/:id': editors,
  'POST /api/imports/:id/preview': editors,
  'GET /api/imports/:id/report.csv': editors,
  'POST /api/imports/:id/commit': editors,
  'POST /api/imports/:id/undo': editors,
  'GET /api/imports/templates/:file': editors,
  'GET /api/coverage': everyone,
  'GET /api/gaps': everyone,
  'GET /api/villages/:id/evacuation-card': everyone,
  'GET /api/admin-villages/:code/evacuation-cards': everyone,

  'GET /api/warnings': everyone,
  'POST /api/warnings': editors,
  'GET /api/warnings/:id': everyone,
  'PATCH /api/warnings/:id': editors,
  'GET /api/warnings/:id/impact': everyone,
  'GET /api/ledger/places': staff,
  'GET /api/ledger/places/:id': staff,
  'POST /api/ledger/places': editors,
  'PATCH /api/ledger/places/:id': editors,
  'DELETE /api/ledger/places/:id': editors,
  'GET /api/ledger/dangers': staff,
  'POST /api/ledger/dangers': editors,
  'GET /api/ledger/dangers/:id': staff,
  'PATCH /api/ledger/dangers/:id': editors,
  'DELETE /api/ledger/dangers/:id': editors,
  'POST /api/ledger/dangers/:id/transition': editors,
  'POST /api/ledger/dangers/:id/photos': editors,
  'GET /api/ledger/photos/:id': staff,
  'GET /api/ledger/overdue': staff,
  'GET /api/ledger/rates': staff,
  'GET /api/ledger/map': staff,
  'GET /api/ledger/records/:kind': staff,
  'POST /api/ledger/records': editors,
  'PATCH /api/ledger/records/:kind/:id': editors,
  'DELETE /api/ledger/records/:kind/:id': editors,
  // Editing on the map (edit/routes.ts): undo first — it is matched before a layer named "undo" could be.
  'POST /api/edit/undo': editors,
  'POST /api/edit/:layer': editors,
  'GET /api/edit/:layer/:id': editors,
  'PATCH /api/edit/:layer/:id': editors,
  'DELETE /api/edit/:layer/:id': editors,
  'GET /api/summary': staff,
  'GET /api/summary/figures/:figure': staff,
  'PUT /api/summary/narratives': editors,
  'GET /api/summary/export.docx': staff,
  'GET /api/ledger/lists/:list': staff,
  'GET /api/ledger/lists/:list/export.xlsx': staff,
  'GET /api/evacuation/audit': everyone,
  'POST /api/evacuation/plan': staff,
  'POST /api/evacuation/plan/save': editors,
  'PATCH /api/shelters/:id': editors,
  'POST /api/exposure': everyone,
  'POST /api/exposure/list.csv': staff,
  'POST /api/exposure/list.xlsx': staff,
  'POST /api/exposure/list.html': staff,

  // The flood-season command (command/): progress from the phone, instructions, the big screen's figures.
  'GET /api/evacuation/progress': everyone,
  'PUT /api/evacuation/progress/:warningId/villages/:villageId': editors,
  'PUT /api/evacuation/progress/:warningId/shelters/:shelterId': editors,
  'GET /api/instructions': everyone,
  'POST /api/instructions': editors,
  'POST /api/instructions/:id/ack': editors,
  'GET /api/command/overview': everyone,

  'GET /basemap/local.pmtiles': 'public',
  // Last: the client's catch-all; it never covers a concrete route (see clientPagesKey).
  [clientPagesKey]: 'public',
}

type Entry = { key: string; policy: Policy }
let router: PatternRouter<Entry> | undefined

function policyRouter(): PatternRouter<Entry> {
  if (router) return router
  router = new PatternRouter<Entry>()
  for (const [key, policy] of Object.entries(routePolicies)) {
    const [method, path] = key.split(' ') as [string, string]
    router.add(method, path, { key, policy })
  }
  return router
}

/** The declared policy for a request, or undefined when the route is not declared (→ deny). */
export function policyFor(method: string, path: string): Entry | undefined {
  const [matches] = policyRouter().match(method === 'HEAD' ? 'GET' : method, path)
  return matches[0]?.[0]
}
