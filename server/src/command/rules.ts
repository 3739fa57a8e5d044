import type {
  AdminVillageProgress,
  Instruction,
  ProgressTotals,
  ShelterProgress,
  VillageProgress,
  WarningStage,
  WarningStatus,
} from '@riskatlas/shared'
import { Conflict } from '../errors.ts'

/**
 * The command's pure rules: progress totals per administrative village and for the town,
 * when reports are accepted, and when an instruction is overdue. No database here.
 */

/** A natural village of a warning, from the data. */
export interface WarnedVillage {
  naturalVillageId: number
  code: string
  name: string
  adminCode: string
  adminName: string
  population: number
  vulnerable: number
}

/** What a cadre reported for one village. */
export interface ProgressRecord {
  naturalVillageId: number
  moved: number
  shelterId: number | null
  shelterName: string | null
  refused: number
  unreachable: number
  alreadySafe: number
  vulnerableMoved: number
  reports: number
  updatedAt: Date
}

/** Reports are accepted only while the warning is active at 立即转移 (move now). */
export function reportingOpen(status: WarningStatus, stage: WarningStage): boolean {
  return status === 'active' && stage === 'move_now'
}

export function assertReportingOpen(status: WarningStatus, stage: WarningStage): void {
  if (!reportingOpen(status, stage))
    throw new Conflict(
      status !== 'active'
        ? `The warning is ${status}: progress is reported only while it is active at 立即转移.`
        : 'The warning is at 准备转移 (prepare): progress is reported once it is raised to 立即转移 (move now).',
      { status, stage },
    )
}

/** One village's record: the data's figures with what was reported (zeros before any report). */
export function villageProgress(village: WarnedVillage, record: ProgressRecord | undefined): VillageProgress {
  const staying = { refused: record?.refused ?? 0, unreachable: record?.unreachable ?? 0, alreadySafe: record?.alreadySafe ?? 0 }
  const moved = record?.moved ?? 0
  return {
    naturalVillageId: village.naturalVillageId,
    code: village.code,
    name: village.name,
    adminCode: village.adminCode,
    adminName: village.adminName,
    toMove: village.population,
    moved,
    shelterId: record?.shelterId ?? null,
    shelterName: record?.shelterName ?? null,
    staying,
    remaining: Math.max(0, village.population - moved - staying.refused - staying.unreachable - staying.alreadySafe),
    vulnerableToMove: village.vulnerable,
    vulnerableMoved: record?.vulnerableMoved ?? 0,
    updatedAt: record ? record.updatedAt.toISOString() : null,
    reports: record?.reports ?? 0,
  }
}

/** Sums villages' records (an administrative village's, or the town's). */
export function progressTotals(villages: readonly VillageProgress[]): ProgressTotals {
  const totals: ProgressTotals = {
    villages: villages.length,
    villagesReported: 0,
    toMove: 0,
    moved: 0,
    staying: { refused: 0, unreachable: 0, alreadySafe: 0 },
    remaining: 0,
    vulnerableToMove: 0,
    vulnerableMoved: 0,
  }
  for (const v of villages) {
    if (v.reports > 0) totals.villagesReported++
    totals.toMove += v.toMove
    totals.moved += v.moved
    totals.staying.refused += v.staying.refused
    totals.staying.unreachable += v.staying.unreachable
    totals.staying.alreadySafe += v.staying.alreadySafe
    totals.remaining += v.remaining
    totals.vulnerableToMove += v.vulnerableToMove
    totals.vulnerableMoved += v.vulnerableMoved
  }
  return totals
}

/** Totals per administrative village, in code order. */
export function adminVillageTotals(villages: readonly VillageProgress[]): AdminVillageProgress[] {
  const groups = new Map<string, VillageProgress[]>()
  for (const v of villages) groups.set(v.adminCode, [...(groups.get(v.adminCode) ?? []), v])
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([adminCode, members]) => ({ adminCode, adminName: members[0]!.adminName, ...progressTotals(members) }))
}

/** Each shelter's people reported as moved there, from the villages' records. */
export function reportedMovedByShelter(villages: readonly VillageProgress[]): Map<number, number> {
  const moved = new Map<number, number>()
  for (const v of villages) if (v.shelterId !== null) moved.set(v.shelterId, (moved.get(v.shelterId) ?? 0) + v.moved)
  return moved
}

export interface ShelterRow {
  id: number
  code: string
  name: string
  /** The administrative village the shelter lies in (whose cadres report its check-ins). */
  adminCode: string | null
  capacity: number | null
  assigned: number
  checkedIn: number | null
  updatedAt: Date | null
}

export function shelterProgress(row: ShelterRow, reportedMoved: Map<number, number>): ShelterProgress {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    adminCode: row.adminCode,
    capacity: row.capacity,
    assigned: row.assigned,
    reportedMoved: reportedMoved.get(row.id) ?? 0,
    checkedIn: row.checkedIn ?? 0,
    updatedAt: row.updatedAt ? row.updatedAt.toISOString() : null,
  }
}

export interface InstructionRow {
  id: number
  warningId: number | null
  text: string
  sentAt: Date
  ackWithinMinutes: number
  targets: { adminCode: string; adminName: string; acknowledgedAt: Date | null }[]
}

/** An instruction with its deadline; a target unacknowledged past it is `overdue`. */
export function instructionView(row: InstructionRow, now: Date): Instruction {
  const deadline = new Date(row.sentAt.getTime() + row.ackWithinMinutes * 60_000)
  const late = now.getTime() > deadline.getTime()
  const targets = row.targets.map((t) => ({
    adminCode: t.adminCode,
    adminName: t.adminName,
    acknowledgedAt: t.acknowledgedAt ? t.acknowledgedAt.toISOString() : null,
    overdue: t.acknowledgedAt === null && late,
  }))
  return {
    id: row.id,
    warningId: row.warningId,
    text: row.text,
    sentAt: row.sentAt.toISOString(),
    ackDeadline: deadline.toISOString(),
    ackWithinMinutes: row.ackWithinMinutes,
    targets,
    acknowledged: targets.filter((t) => t.acknowledgedAt !== null).length,
    total: targets.length,
    overdue: targets.some((t) => t.overdue),
  }
}
