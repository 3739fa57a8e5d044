import { sql, type Kysely } from 'kysely'
import { importTargets, type ImportIssue, type ImportLayer, type ImportMode, type ImportTarget } from '@riskatlas/shared'
import type { Database } from '../db/schema.ts'
import { adminColumn, columnsOf, existingByKey, registerTable, villageAdminCodes, type PreparedRow, type TableSpec } from './queries.ts'
import type { ImportRow } from './rows.ts'
import { peopleImport } from '../people/queries.ts'

type Db = Kysely<Database>

/** How one import layer turns mapped rows into writes. People's lives in `people/queries.ts`. */
export interface LayerImport {
  target: ImportTarget
  spec: TableSpec
  modes: readonly ImportMode[]
  /** Resolves references (village codes, hazard codes) and the administrative village of each row. */
  resolve(db: Db, rows: readonly ImportRow[]): Promise<{ prepared: PreparedRow[]; issues: ImportIssue[] }>
  /** Ids replace mode deletes: rows within `scope` (null = all) whose key the file does not name. */
  replaceIds(db: Db, scope: readonly string[] | null, prepared: readonly PreparedRow[]): Promise<number[]>
}

const geometryText = (row: ImportRow) => (row.geometry ? JSON.stringify(row.geometry) : undefined)

/** A point layer keyed by `code` with an `admin_code` column (hazard points, facilities, natural villages). */
function pointLayer(
  layer: ImportLayer,
  table: string,
  fallbacks: Record<string, string | number>,
  geometryColumns: string[],
  adminRequired: boolean,
): LayerImport {
  const target = importTargets[layer]
  const spec = registerTable({
    table,
    key: 'code',
    columns: columnsOf(target.fields, fallbacks),
    geometry: { column: 'geom', kind: 'point' },
    geometryColumns,
    adminCode: adminColumn,
  })
  return {
    target,
    spec,
    modes: target.modes,
    async resolve(db, rows) {
      const codes = await villageAdminCodes(db)
      const issues: ImportIssue[] = []
      const prepared: PreparedRow[] = []
      for (const row of rows) {
        const adminCode = (row.values.admin_code as string | null) ?? null
        if (adminCode === null && adminRequired)
          issues.push({
            row: row.row,
            field: 'admin_code',
            code: 'admin_code_required',
            severity: 'error',
          })
        else if (adminCode !== null && !codes.has(adminCode))
          issues.push({
            row: row.row,
            field: 'admin_code',
            code: 'admin_village_unknown',
            params: { value: adminCode },
            severity: 'error',
          })
        else prepared.push({ row: row.row, values: row.values, geometry: geometryText(row), adminCode })
      }
      return { prepared, issues }
    },
    async replaceIds(db, scope, prepared) {
      const keep = prepared.map((row) => String(row.values.code))
      const { rows } = await sql<{ id: number }>`
        SELECT id FROM ${sql.table(table)} WHERE NOT (code = ANY(${keep}::text[]))
        ${scope === null ? sql`` : sql`AND admin_code = ANY(${[...scope]}::text[])`}`.execute(db)
      return rows.map((row) => row.id)
    },
  }
}

/** Danger zones: polygons written onto the hazard point with the same code (upsert only). */
function dangerZones(): LayerImport {
  const target = importTargets.danger_zones
  const spec = registerTable({
    table: 'hazard_points',
    key: 'code',
    columns: [],
    geometry: { column: 'danger_zone', kind: 'polygon' },
    geometryColumns: ['geom', 'danger_zone'],
    adminCode: adminColumn,
  })
  return {
    target,
    spec,
    modes: target.modes,
    async resolve(db, rows) {
      const existing = await existingByKey(
        db,
        spec,
        rows.map((row) => String(row.values.code)),
      )
      const issues: ImportIssue[] = []
      const prepared: PreparedRow[] = []
      for (const row of rows) {
        const found = existing.get(String(row.values.code))
        if (!found)
          issues.push({
            row: row.row,
            field: 'code',
            code: 'hazard_code_unknown',
            params: { value: String(row.values.code) },
            severity: 'error',
          })
        else
          prepared.push({
            row: row.row,
            values: { code: row.values.code ?? null },
            geometry: geometryText(row),
            adminCode: found.adminCode,
            existingId: found.id,
          })
      }
      return { prepared, issues }
    },
    async replaceIds() {
      return []
    },
  }
}

export const layerImports: Partial<Record<ImportLayer, LayerImport>> = {
  hazard_points: pointLayer(
    'hazard_points',
    'hazard_points',
    { scale: 'small', risk_level: 2, threatened_households: 0, threatened_people: 0, threatened_property_10k_yuan: 0, status: 'active' },
    ['geom', 'danger_zone'],
    false,
  ),
  facilities: pointLayer('facilities', 'facilities', {}, ['geom'], false),
  // Modes from the shared target: no replace (deleting a natural village would delete its people and drills).
  natural_villages: pointLayer('natural_villages', 'natural_villages', { households: 0, population: 0 }, ['geom', 'boundary'], true),
  // 特殊人群: the people capability's own import (personal data stays in people/).
  [peopleImport.target.layer]: peopleImport,
  danger_zones: dangerZones(),
}
