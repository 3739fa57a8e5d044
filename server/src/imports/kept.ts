import type { ImportIssue } from '@riskatlas/shared'
import { personalDataScope, type Principal } from '../auth/scope.ts'
import type { PreparedRow } from './queries.ts'

/** What a commit needs of a preview's evaluation: the rows ready to write and the report, without the parsed file. */
export interface KeptEvaluation {
  mapping: Record<string, string>
  prepared: PreparedRow[]
  issues: ImportIssue[]
  /** `code_exists` for every row whose code is taken: the errors an append adds. */
  appendConflicts: ImportIssue[]
  repaired: number
}

interface Entry {
  /** The data version the evaluation was made at (the version its own options write produced). */
  version: number
  /** Whose scope the rows were checked against. */
  principal: string
  evaluation: KeptEvaluation
  keptAt: number
}

/**
 * The last preview's evaluation of each import, kept in memory for its commit so the commit
 * neither reads the stored file again nor checks every row again (issue 13 §8: half the commit's
 * time). An entry is used only while the data version is the one it was made at — every write
 * to any data table, `imports` itself (options) included, raises it — and for the same person's
 * scope; otherwise the commit evaluates afresh. Bounded by rows (at most one maximal import) and
 * age, so an upload left uncommitted costs no memory for long.
 */
export class KeptEvaluations {
  private readonly entries = new Map<number, Entry>()

  constructor(
    private readonly maxRows = 100_000,
    private readonly maxAgeMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  keep(importId: number, version: number, principal: Principal, evaluation: KeptEvaluation): void {
    this.entries.delete(importId)
    if (evaluation.prepared.length > this.maxRows) return
    this.entries.set(importId, { version, principal: principalKey(principal), evaluation, keptAt: this.now() })
    // Oldest first out, until the rows fit.
    let rows = 0
    for (const entry of this.entries.values()) rows += entry.evaluation.prepared.length
    for (const [id, entry] of this.entries) {
      if (rows <= this.maxRows) break
      this.entries.delete(id)
      rows -= entry.evaluation.prepared.length
    }
  }

  /** The kept evaluation if it was made at `version` for this principal's scope and is not too old. */
  take(importId: number, version: number, principal: Principal): KeptEvaluation | undefined {
    const entry = this.entries.get(importId)
    if (!entry) return undefined
    if (this.now() - entry.keptAt > this.maxAgeMs) {
      this.entries.delete(importId)
      return undefined
    }
    return entry.version === version && entry.principal === principalKey(principal) ? entry.evaluation : undefined
  }

  drop(importId: number): void {
    this.entries.delete(importId)
  }

  get size(): number {
    return this.entries.size
  }
}

const principalKey = (principal: Principal) => JSON.stringify([principal.username, principal.role, personalDataScope(principal)])
