import { describe, expect, expectTypeOf, it } from 'vitest'
import type {
  CoverageResponse,
  Drill,
  EditFeature,
  EditUndo,
  FeatureBody,
  ImportSummary,
  LayerSummary,
  LedgerRecord,
  PrincipalView,
  RestoreResult,
  SafetyPlace,
  VulnerablePerson,
} from '@riskatlas/shared'
import type { RouteKey, RouteOf, RouteSuccess } from './client.ts'
import { importReportUrl, importTemplateUrl } from './imports.ts'
import { layerExportUrl } from './layers.ts'
import { peopleExportUrl } from './people.ts'

/**
 * The contract between server and client, checked by the compiler: each route's success body
 * as the typed client sees it (from the server's route schemas, `AppType`) is the shared type
 * the client's code is written against. Change a route's response schema on the server and
 * `pnpm typecheck` fails here (and wherever the client uses that route).
 */
describe('the typed contract', () => {
  it('answers each route with the shared schema’s type', () => {
    expectTypeOf<RouteSuccess<'GET /api/drills/:id'>>().toEqualTypeOf<Drill>()
    expectTypeOf<RouteSuccess<'GET /api/drills'>>().toEqualTypeOf<{ drills: Drill[] }>()
    expectTypeOf<RouteSuccess<'POST /api/vulnerable-people'>>().toEqualTypeOf<VulnerablePerson>()
    expectTypeOf<RouteSuccess<'GET /api/coverage'>>().toEqualTypeOf<CoverageResponse>()
    expectTypeOf<RouteSuccess<'GET /api/layers'>>().toEqualTypeOf<{ layers: LayerSummary[] }>()
    // Hono's JSON typing turns the open `unknown` geometry and properties into its own; the shape is the schema's.
    expectTypeOf<RouteSuccess<'GET /api/layers/:id/features/:featureId'>>().toMatchTypeOf<Pick<FeatureBody, 'type' | 'id'>>()
    expectTypeOf<RouteSuccess<'GET /api/auth/me'>>().toEqualTypeOf<{ user: PrincipalView | null; csrfToken: string | null }>()
    expectTypeOf<RouteSuccess<'DELETE /api/drills/:id'>>().toEqualTypeOf<undefined>()
    expectTypeOf<RouteSuccess<'POST /api/admin/restore'>>().toEqualTypeOf<RestoreResult>()
    expectTypeOf<RouteSuccess<'GET /api/imports'>>().toEqualTypeOf<{ imports: ImportSummary[] }>()
    expectTypeOf<RouteSuccess<'POST /api/imports/:id/undo'>>().toEqualTypeOf<ImportSummary>()
    expectTypeOf<RouteSuccess<'POST /api/imports/:id/commit'>>().toMatchTypeOf<{ import: ImportSummary }>()
    expectTypeOf<RouteSuccess<'PATCH /api/ledger/records/:kind/:id'>>().toEqualTypeOf<LedgerRecord>()
    expectTypeOf<RouteSuccess<'DELETE /api/ledger/records/:kind/:id'>>().toEqualTypeOf<undefined>()
    expectTypeOf<RouteSuccess<'POST /api/ledger/places'>>().toEqualTypeOf<SafetyPlace>()
    expectTypeOf<RouteSuccess<'PATCH /api/ledger/places/:id'>>().toEqualTypeOf<SafetyPlace>()
    expectTypeOf<RouteSuccess<'DELETE /api/ledger/places/:id'>>().toEqualTypeOf<undefined>()
    // The map's edit mode (api/edit.ts): the feature with its version, the undo's report, no body on delete.
    expectTypeOf<RouteSuccess<'POST /api/edit/:layer'>>().toMatchTypeOf<Pick<EditFeature, 'layer' | 'id' | 'version'>>()
    expectTypeOf<RouteSuccess<'PATCH /api/edit/:layer/:id'>>().toMatchTypeOf<Pick<EditFeature, 'layer' | 'id' | 'version'>>()
    expectTypeOf<RouteSuccess<'GET /api/edit/:layer/:id'>>().toMatchTypeOf<Pick<EditFeature, 'layer' | 'id' | 'version'>>()
    expectTypeOf<RouteSuccess<'DELETE /api/edit/:layer/:id'>>().toEqualTypeOf<undefined>()
    expectTypeOf<RouteSuccess<'POST /api/edit/undo'>>().toMatchTypeOf<Pick<EditUndo, 'undone'>>()
  })

  it('knows every route the server answers, and maps a concrete request to its route', () => {
    expectTypeOf<'PATCH /api/users/:id'>().toMatchTypeOf<RouteKey>()
    expectTypeOf<'GET /api/no-such-route'>().not.toMatchTypeOf<RouteKey>()
    expectTypeOf<RouteOf<'PATCH /api/drills/7'>>().toEqualTypeOf<'PATCH /api/drills/:id'>()
    expectTypeOf<RouteOf<'GET /api/gaps?year=2026'>>().toEqualTypeOf<'GET /api/gaps'>()
    expectTypeOf<RouteOf<'PATCH /api/edit/hazard_points/7'>>().toEqualTypeOf<'PATCH /api/edit/:layer/:id'>()
    expectTypeOf<RouteOf<'GET /api/exports/layers/roads.csv'>>().toEqualTypeOf<'GET /api/exports/layers/:file'>()
    expectTypeOf<RouteOf<'GET /api/villages/3/evacuation-card'>>().toEqualTypeOf<'GET /api/villages/:id/evacuation-card'>()
  })

  it('builds URLs from the same route table', () => {
    expect(peopleExportUrl({ naturalVillageId: 3, withoutResponsible: true })).toBe(
      '/api/vulnerable-people/export.csv?naturalVillageId=3&withoutResponsible=true',
    )
    expect(peopleExportUrl({})).toBe('/api/vulnerable-people/export.csv')
    expect(layerExportUrl('hazard_points', 'shp.zip')).toBe('/api/exports/layers/hazard_points.shp.zip')
    expect(layerExportUrl('roads', 'csv')).toBe('/api/exports/layers/roads.csv')
    expect(importReportUrl(12)).toBe('/api/imports/12/report.csv')
    expect(importTemplateUrl('vulnerable_people')).toBe('/api/imports/templates/vulnerable_people.xlsx')
  })
})
