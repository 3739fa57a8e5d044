import type { Kysely } from 'kysely'
import {
  phraseImportProblem,
  type ImportCounts,
  type ImportIssue,
  type ImportIssueCode,
  type ImportMode,
  type ImportOptions,
  type ImportParams,
  type ImportPreview,
  type ImportSummary,
} from '@riskatlas/shared'
import { writeAudit } from '../audit/queries.ts'
import { personalDataScope, type Principal } from '../auth/scope.ts'
import type { AppContext } from '../context.ts'
import type { Database } from '../db/schema.ts'
import { currentDataVersion } from '../events/changes.ts'
import { ApiError, Conflict, Invalid } from '../errors.ts'
import { matchHeaders, headerScore } from './headers.ts'
import { layerImports, type LayerImport } from './layers.ts'
import type { KeptEvaluation, KeptEvaluations } from './kept.ts'
import { parseOffThread } from './offthread.ts'
import { detectFormat } from './parse.ts'
import {
  applyPlan,
  checkPolygons,
  existingByKey,
  findImport,
  lockDataVersion,
  findImportByKey,
  insertImport,
  markCommitted,
  markUndone,
  rememberedMapping,
  rememberMapping,
  saveImportOptions,
  toSummary,
  touchedSince,
  townExtent,
  undoChanges,
  type PreparedRow,
} from './queries.ts'
import { mapRows } from './rows.ts'
import { UnreadableFile, type ParsedFile, type ParsedSheet } from './types.ts'

type Db = Kysely<Database>

export const maxUploadBytes = 20 * 1024 * 1024
export const maxImportRows = 100_000

function layerOf(layer: string): LayerImport {
  const found = layerImports[layer as keyof typeof layerImports]
  if (!found) throw new Invalid(`Unknown import layer ${layer}.`)
  return found
}

/** The sheet to read: the one asked for, else the one whose header names the most fields (the last such). */
function chooseSheet(parsed: ParsedFile, layer: LayerImport, name?: string): ParsedSheet {
  if (name) {
    const sheet = parsed.sheets.find((s) => s.name === name)
    if (!sheet)
      throw new Invalid(`No sheet ${JSON.stringify(name)} in the workbook.`, {
        reason: 'no_such_sheet',
        params: { sheet: name },
        sheets: parsed.sheets.map((s) => s.name),
      })
    return sheet
  }
  let best = parsed.sheets[0]!
  let bestScore = -1
  for (const sheet of parsed.sheets) {
    const score = headerScore(sheet.columns, layer.target.fields) * 1_000_000 + sheet.records.length
    if (score > bestScore) {
      best = sheet
      bestScore = score
    }
  }
  return best
}

const cellText = (value: unknown) =>
  value === null || value === undefined ? null : value instanceof Date ? value.toISOString().slice(0, 10) : String(value)

interface Evaluation extends KeptEvaluation {
  parsed?: ParsedFile
  fileProblem: ImportPreview['fileProblem']
  sheet?: ParsedSheet
  swapSuggested: boolean
}

/**
 * Reads a stored upload with its options and checks every row: the file (worker thread for big
 * ones), the mapping, the pure row rules, then the database (villages exist, codes, scope,
 * polygons). The checks of a commit's mode come after (`forMode`). Writes nothing.
 */
async function evaluate(
  db: Db,
  principal: Principal,
  record: { layer: string; file_name: string; content: Buffer; options: ImportOptions },
  options: ImportOptions,
): Promise<Evaluation> {
  const layer = layerOf(record.layer)
  let parsed: ParsedFile
  try {
    parsed = await parseOffThread(record.file_name, new Uint8Array(record.content), {
      fields: layer.target.fields,
      crs: options.crs,
      maxRows: maxImportRows,
    })
  } catch (error) {
    if (error instanceof UnreadableFile)
      return {
        fileProblem: { code: error.code, reason: error.reason, params: error.params },
        mapping: {},
        swapSuggested: false,
        prepared: [],
        issues: [],
        appendConflicts: [],
        repaired: 0,
      }
    throw error
  }
  const sheet = chooseSheet(parsed, layer, options.sheet)
  const remembered = (await rememberedMapping(db, layer.target.layer)) ?? {}
  const fromMemory = Object.fromEntries(Object.entries(remembered).filter(([, column]) => sheet.columns.includes(column)))
  const mapping = options.mapping ?? { ...matchHeaders(sheet.columns, layer.target.fields), ...fromMemory }
  const town = await townExtent(db)
  const mapped = mapRows(
    sheet,
    layer.target,
    { mapping, coordinateSystem: options.coordinateSystem, swapCoordinates: options.swapCoordinates, town },
    parsed.spatial,
  )
  const issues = [...mapped.issues]
  const missing = layer.target.fields.filter((field) => field.required && !(field.key in mapping))
  for (const field of missing)
    issues.unshift({
      row: sheet.headerRow,
      field: field.key,
      code: 'field_unmapped',
      params: { field: field.key },
      severity: 'error',
    })
  const { prepared: resolved, issues: referenceIssues } = missing.length
    ? { prepared: [], issues: [] }
    : await layer.resolve(db, mapped.rows)
  issues.push(...referenceIssues)

  // Scope, duplicates and existing rows.
  const scope = personalDataScope(principal)
  const spec = layer.spec
  const existing = spec.key
    ? await existingByKey(
        db,
        spec,
        resolved.map((row) => String(row.values[spec.key!])),
      )
    : new Map()
  const seen = new Set<string>()
  let prepared: PreparedRow[] = []
  const appendConflicts: ImportIssue[] = []
  const keyColumn = spec.key ? (mapping[spec.key] ?? spec.key) : undefined
  for (const row of resolved) {
    const problems: { code: ImportIssueCode; field?: string; params?: ImportParams }[] = []
    if (scope !== null && (row.adminCode === null || !scope.includes(row.adminCode))) problems.push({ code: 'outside_scope' })
    if (spec.key) {
      const key = String(row.values[spec.key])
      const params = { value: key.slice(0, 100) }
      if (seen.has(key)) problems.push({ code: 'duplicate_code', field: spec.key, params })
      seen.add(key)
      const found = existing.get(key)
      if (found) appendConflicts.push({ row: row.row, column: keyColumn, code: 'code_exists', field: spec.key, params, severity: 'error' })
      if (found && scope !== null && (found.adminCode === null || !scope.includes(found.adminCode)))
        problems.push({ code: 'existing_outside_scope', field: spec.key, params })
      if (found) row.existingId = found.id
    }
    if (problems.length) for (const problem of problems) issues.push({ row: row.row, column: keyColumn, ...problem, severity: 'error' })
    else prepared.push(row)
  }
  let repaired = 0
  if (spec.geometry?.kind === 'polygon') {
    const checked = await checkPolygons(
      db,
      prepared.map((row) => ({ row: row.row, geometry: row.geometry! })),
    )
    issues.push(...checked.refused)
    for (const row of checked.repaired)
      issues.push({
        row,
        field: 'geometry',
        code: 'polygon_repaired',
        severity: 'warning',
      })
    repaired = checked.repaired.size
    const refused = new Set(checked.refused.map((issue) => issue.row))
    prepared = prepared.filter((row) => !refused.has(row.row))
  }
  // Issues about a field name the file's column for it, when one is mapped.
  for (const issue of issues) if (issue.column === undefined && issue.field && mapping[issue.field]) issue.column = mapping[issue.field]
  issues.sort((a, b) => a.row - b.row)
  return { parsed, fileProblem: null, sheet, mapping, swapSuggested: mapped.swapSuggested, prepared, issues, appendConflicts, repaired }
}

/** An evaluation with a commit mode's own checks (append: codes must be new; the layer must take the mode) and what replace deletes. */
async function forMode(
  db: Db,
  principal: Principal,
  layer: LayerImport,
  evaluation: KeptEvaluation,
  mode: ImportMode,
): Promise<{ prepared: PreparedRow[]; issues: ImportIssue[]; deletes: number[] }> {
  let { prepared, issues } = evaluation
  if (mode === 'append' && evaluation.appendConflicts.length) {
    const taken = new Set(evaluation.appendConflicts.map((issue) => issue.row))
    prepared = prepared.filter((row) => !taken.has(row.row))
    issues = [...issues, ...evaluation.appendConflicts].sort((a, b) => a.row - b.row)
  }
  if (!layer.modes.includes(mode)) issues = [{ row: 0, code: 'mode_unsupported', params: { mode }, severity: 'error' }, ...issues]
  const deletes =
    mode === 'replace' && layer.modes.includes('replace') ? await layer.replaceIds(db, personalDataScope(principal), prepared) : []
  return { prepared, issues, deletes }
}

function previewOf(record: Parameters<typeof toSummary>[0], evaluation: Evaluation, options: ImportOptions): ImportPreview {
  const { parsed, sheet } = evaluation
  const errors = evaluation.issues.filter((issue) => issue.severity === 'error')
  const errorRows = new Set(errors.map((issue) => issue.row))
  return {
    import: toSummary(record),
    fileProblem: evaluation.fileProblem,
    encoding: parsed?.encoding ?? null,
    crs: parsed?.crs ?? null,
    sheets: (parsed?.sheets ?? []).map((s) => ({ name: s.name, columns: s.columns, rows: s.records.length })),
    sheet: sheet?.name ?? null,
    columns: sheet?.columns ?? [],
    sample: (sheet?.records ?? [])
      .slice(0, 50)
      .map((r) => ({ row: r.row, values: Object.fromEntries(Object.entries(r.values).map(([k, v]) => [k, cellText(v)])) })),
    options,
    mapping: evaluation.mapping,
    swapSuggested: evaluation.swapSuggested,
    totals: {
      rows: sheet?.records.length ?? 0,
      valid: evaluation.prepared.length,
      errors: errorRows.size,
      warnings: evaluation.issues.length - errors.length,
    },
    issues: evaluation.issues.slice(0, 1000),
    features: {
      type: 'FeatureCollection',
      features: evaluation.prepared
        .filter((row) => row.geometry)
        .slice(0, 2000)
        .map((row) => ({
          type: 'Feature',
          id: row.row,
          properties: { row: row.row, code: row.values.code ?? null, name: row.values.name ?? null },
          geometry: JSON.parse(row.geometry!),
        })),
    },
    warnings: parsed?.warnings ?? [],
  }
}

/** What the import service runs on: the database, its writes, and the evaluations kept from previews. */
export type ImportContext = Pick<AppContext, 'db' | 'write'> & { evaluations: KeptEvaluations }

/** Stores an upload and answers its first preview (mapping proposed or remembered). */
export async function uploadImport(
  ctx: ImportContext,
  principal: Principal,
  layer: string,
  fileName: string,
  bytes: Uint8Array,
): Promise<ImportPreview> {
  const target = layerOf(layer)
  let format: string
  try {
    format = detectFormat(fileName, bytes)
  } catch (error) {
    if (error instanceof UnreadableFile)
      throw new ApiError(415, 'unsupported_media_type', phraseImportProblem(error, 'en'), { reason: error.reason, params: error.params })
    throw error
  }
  const record = await ctx.write(async (trx, changed) => {
    const inserted = await insertImport(trx, {
      layer: target.target.layer,
      fileName,
      fileFormat: format,
      content: bytes,
      createdBy: principal.username,
    })
    changed({ entity: 'imports', action: 'create', ids: [inserted.id] })
    return inserted
  })
  return await previewImport(ctx, principal, record.id, {})
}

/**
 * Re-reads an upload with new options (sheet, mapping, coordinate system, swap, crs) and saves
 * them. The evaluation is kept for the commit when nothing else was written while it ran: the
 * options write is then the only one since the version read before it.
 */
export async function previewImport(
  { db, write, evaluations }: ImportContext,
  principal: Principal,
  id: number,
  options: ImportOptions,
): Promise<ImportPreview> {
  const record = await findImport(db, id, principal)
  const merged = { ...record.options, ...options }
  // Another sheet has other columns: its mapping is proposed afresh unless one is given.
  if (options.sheet !== undefined && options.sheet !== record.options.sheet && !options.mapping) delete merged.mapping
  evaluations.drop(id)
  const before = (await currentDataVersion(db)).version
  const evaluation = await evaluate(db, principal, record, merged)
  const saved = evaluation.fileProblem ? merged : { ...merged, mapping: evaluation.mapping }
  const after = await write(async (trx, changed) => {
    await saveImportOptions(trx, id, saved, evaluation.issues)
    changed({ entity: 'imports', action: 'update', ids: [id] })
    return (await currentDataVersion(trx)).version
  })
  if (!evaluation.fileProblem && after === before + 1) {
    const { mapping, prepared, issues, appendConflicts, repaired } = evaluation
    evaluations.keep(id, after, principal, { mapping, prepared, issues, appendConflicts, repaired })
  }
  return previewOf(record, evaluation, merged)
}

/** The data changed between the commit's check of its kept evaluation and its transaction. */
class StaleEvaluation extends Error {}

/**
 * Commits an upload all or nothing: any error row refuses the whole import (400 with the report)
 * and writes nothing; otherwise one transaction writes every row, records every change for
 * undo, marks the import committed and remembers the mapping. A retry with the same idempotency
 * key answers the first commit. The rows are the last preview's when the data version is still
 * the one that preview was made at (checked again, under lock, inside the transaction);
 * otherwise the stored file is read and checked afresh.
 */
export async function commitImport(
  ctx: ImportContext,
  principal: Principal,
  id: number,
  mode: ImportMode,
  key: string,
): Promise<{ import: ImportSummary; issues: ImportIssue[]; replayed: boolean }> {
  const { db, evaluations } = ctx
  const earlier = await findImportByKey(db, key)
  if (earlier) {
    if (earlier.id !== id) throw new Conflict('This idempotency key belongs to another import.', { reason: 'key_used_elsewhere' })
    return { import: toSummary(earlier), issues: [], replayed: true }
  }
  const record = await findImport(db, id, principal)
  if (record.status !== 'uploaded')
    throw new Conflict(`This import is ${record.status} already.`, {
      reason: record.status === 'committed' ? 'already_committed' : 'already_undone',
    })
  const version = (await currentDataVersion(db)).version
  const kept = evaluations.take(id, version, principal)
  try {
    if (kept) {
      try {
        return await commitEvaluated(ctx, principal, record, mode, key, kept, version)
      } catch (error) {
        if (!(error instanceof StaleEvaluation)) throw error
      }
    }
    const evaluation = await evaluate(db, principal, record, record.options)
    if (evaluation.fileProblem)
      throw new ApiError(422, 'unreadable_file', phraseImportProblem(evaluation.fileProblem, 'en'), evaluation.fileProblem)
    return await commitEvaluated(ctx, principal, record, mode, key, evaluation)
  } catch (error) {
    // A concurrent retry with the same key committed first: answer its result.
    if ((error as { code?: string }).code === '23505') {
      const winner = await findImportByKey(db, key)
      if (winner?.id === id) return { import: toSummary(winner), issues: [], replayed: true }
    }
    throw error
  }
}

/** The commit's checks and transaction over an evaluation; with `validAt`, refused (`StaleEvaluation`) unless the data version still is that. */
async function commitEvaluated(
  { db, write, evaluations }: ImportContext,
  principal: Principal,
  record: Awaited<ReturnType<typeof findImport>>,
  mode: ImportMode,
  key: string,
  evaluation: KeptEvaluation,
  validAt?: number,
): Promise<{ import: ImportSummary; issues: ImportIssue[]; replayed: boolean }> {
  const id = record.id
  const layer = layerOf(record.layer)
  const { prepared, issues, deletes } = await forMode(db, principal, layer, evaluation, mode)
  const errors = issues.filter((issue) => issue.severity === 'error')
  if (errors.length > 0) {
    const rows = new Set(errors.map((e) => e.row)).size
    throw new Invalid(`Nothing was imported: ${rows} rows have errors; fix the rows listed and try again.`, {
      reason: 'rows_with_errors',
      params: { rows },
      issues: issues.slice(0, 1000),
    })
  }
  const result = await write(async (trx, changed) => {
    const locked = await findImport(trx, id, principal, true)
    if (locked.status !== 'uploaded')
      throw new Conflict(`This import is ${locked.status} already.`, {
        reason: locked.status === 'committed' ? 'already_committed' : 'already_undone',
      })
    // Every data write raises this row's version: locked, nothing can change under the kept rows until this commits.
    if (validAt !== undefined && (await lockDataVersion(trx)) !== validAt) throw new StaleEvaluation()
    const updates = prepared.filter((row) => row.existingId !== undefined)
    const inserts = prepared.filter((row) => row.existingId === undefined)
    const mapped = new Set(Object.keys(evaluation.mapping))
    const columns = layer.spec.columns.filter((column) => mapped.has(column.name) || column.name === 'natural_village_id')
    const written = await applyPlan(trx, { spec: layer.spec, importId: id, inserts, updates, deletes, columns })
    const counts: ImportCounts = {
      inserted: written.inserted.length,
      updated: written.updated.length,
      deleted: written.deleted.length,
      repaired: evaluation.repaired,
    }
    const done = await markCommitted(trx, id, { mode, counts, key, by: principal.username, issues })
    await rememberMapping(trx, layer.target.layer, evaluation.mapping, principal.username)
    await writeAudit(trx, principal, {
      action: 'create',
      entity: 'imports',
      entityId: id,
      reason: 'import_committed',
      details: { layer: layer.target.layer, fileName: record.file_name, mode, counts },
    })
    if (written.inserted.length) changed({ entity: layer.spec.table, action: 'create', ids: written.inserted })
    if (written.updated.length) changed({ entity: layer.spec.table, action: 'update', ids: written.updated })
    if (written.deleted.length) changed({ entity: layer.spec.table, action: 'delete', ids: written.deleted })
    return { import: toSummary(done), issues: issues.slice(0, 1000), replayed: false }
  })
  evaluations.drop(id)
  return result
}

/** Undoes a committed import as a whole, refused (409) when anything newer touched its rows. */
export async function undoImport(ctx: Pick<AppContext, 'db' | 'write'>, principal: Principal, id: number): Promise<ImportSummary> {
  return await ctx.write(async (trx, changed) => {
    const record = await findImport(trx, id, principal, true)
    if (record.status !== 'committed')
      throw new Conflict(`Only a committed import can be undone (this one is ${record.status}).`, { reason: 'not_committed' })
    const layer = layerOf(record.layer)
    const result = await undoChanges(trx, id)
    const done = await markUndone(trx, id, principal.username)
    await writeAudit(trx, principal, {
      action: 'delete',
      entity: 'imports',
      entityId: id,
      reason: 'import_undone',
      details: { layer: record.layer, ...result },
    })
    changed({ entity: layer.spec.table, action: 'update', ids: [] })
    return toSummary(done)
  })
}

/** The summary with `undoable`: committed, and none of its rows touched since — the rule `undoChanges` refuses by. */
export async function withUndoable(db: Db, summary: ImportSummary): Promise<ImportSummary> {
  if (summary.status !== 'committed') return { ...summary, undoable: false }
  return { ...summary, undoable: (await touchedSince(db, summary.id)) === 0 }
}
