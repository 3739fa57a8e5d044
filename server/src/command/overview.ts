import { sql, type Kysely } from 'kysely'
import { hazardKinds, type CommandOverview, type HazardKind } from '@riskatlas/shared'
import { computeCoverage, floodSeasonRows } from '../coverage/queries.ts'
import { defaultSeasonYear, floodSeason, inSeason } from '../coverage/season.ts'
import { intersects } from '../db/postgis.ts'
import type { Database } from '../db/schema.ts'
import { currentDataVersion } from '../events/changes.ts'
import { forStream, historyBounds, latestEvents } from '../events/history.ts'
import { vulnerableCounts } from '../people/queries.ts'
import { listWarnings } from '../warnings/queries.ts'
import { evacuationProgress, listInstructions } from './queries.ts'

type Levels = CommandOverview['hazardPoints']['byRiskLevel']
const noLevels = (): Levels => ({ 1: 0, 2: 0, 3: 0, 4: 0 })
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)

/**
 * `GET /api/command/overview`: every figure of the big screen, read together. Counts only —
 * vulnerable people leave through `vulnerableCounts`, contacts not at all — so a display token
 * may read it. Figures reuse the capabilities' own reads (coverage, warnings, progress).
 */
export async function commandOverview(db: Kysely<Database>, { now, today }: { now: Date; today: string }): Promise<CommandOverview> {
  const year = Number(today.slice(0, 4))
  const seasonYear = defaultSeasonYear(today)
  const [version, bounds, town, seasons, warnings, hazards, vulnerable, dangers, instructions, events] = await Promise.all([
    currentDataVersion(db),
    historyBounds(db),
    db.selectFrom('admin_areas').select(['code', 'name']).where('level', '=', 'town').orderBy('code').executeTakeFirst(),
    floodSeasonRows(db),
    listWarnings(db, { status: 'active' }, now),
    sql<{ kind: HazardKind; risk_level: number; n: number }>`
      SELECT kind, risk_level, count(*)::int AS n FROM hazard_points WHERE status = 'active' GROUP BY kind, risk_level`.execute(db),
    vulnerableCounts(db),
    sql<{ found: number; rectified: number; open: number }>`
      SELECT count(*) FILTER (WHERE found_on >= ${`${year}-01-01`} AND found_on <= ${`${year}-12-31`})::int AS found,
             count(*) FILTER (WHERE status = 'rectified' AND rectified_on >= ${`${year}-01-01`} AND rectified_on <= ${`${year}-12-31`})::int AS rectified,
             count(*) FILTER (WHERE status <> 'rectified')::int AS open
      FROM hidden_dangers`.execute(db),
    listInstructions(db, { limit: 200 }, now),
    latestEvents(db, 20),
  ])
  const coverage = await computeCoverage(db, { year: seasonYear, today })
  const season = floodSeason(seasonYear, seasons)

  const byKind = new Map<HazardKind, Levels>(hazardKinds.map((kind) => [kind, noLevels()]))
  const byRiskLevel = noLevels()
  for (const row of hazards.rows) {
    const level = row.risk_level as 1 | 2 | 3 | 4
    byKind.get(row.kind)![level] += row.n
    byRiskLevel[level] += row.n
  }
  const sum = (levels: Levels) => levels[1] + levels[2] + levels[3] + levels[4]

  const warnedIds = warnings.map((w) => w.id)
  const underWarning = await sql<{ natural: number; people: number }>`
    SELECT count(*)::int AS natural, coalesce(sum(v.population), 0)::int AS people FROM natural_villages v
    WHERE EXISTS (SELECT 1 FROM warnings w WHERE w.id = ANY(${warnedIds}::int[]) AND ${intersects(sql`v.geom`, sql`w.geom`)})`.execute(db)

  const moveNow = warnings.find((w) => w.stage === 'move_now')
  const progress = moveNow ? await evacuationProgress(db, moveNow.id, now) : undefined
  const shelterItems = progress
    ? progress.shelters.map((s) => ({ id: s.id, name: s.name, capacity: s.capacity, assigned: s.assigned, checkedIn: s.checkedIn }))
    : (
        await sql<{ id: number; name: string; capacity: number | null; assigned: number }>`
          SELECT f.id, f.name, f.capacity_persons AS capacity,
                 coalesce((SELECT sum(coalesce(r.persons, v.population)) FROM evacuation_routes r
                           JOIN natural_villages v ON v.id = r.natural_village_id WHERE r.shelter_id = f.id), 0)::int AS assigned
          FROM facilities f WHERE f.kind = 'shelter' ORDER BY f.code`.execute(db)
      ).rows.map((s) => ({ ...s, checkedIn: 0 }))

  const required = coverage.villages.filter((v) => v.required)
  const vulnerableTotal = vulnerable.reduce((n, v) => n + v.total, 0)
  const withResponsible = vulnerable.reduce((n, v) => n + v.total - v.withoutResponsible, 0)
  const counts = coverage.summary.requiredCounts

  return {
    generatedAt: now.toISOString(),
    town: { code: town?.code ?? '', name: town?.name ?? '' },
    version: version.version,
    latestEventId: bounds.latest,
    floodSeason: {
      year: season.year,
      startsOn: season.startsOn,
      endsOn: season.endsOn,
      day: inSeason(today, season) ? daysBetween(season.startsOn, today) + 1 : null,
    },
    warnings: warnings.map((w) => ({
      id: w.id,
      kind: w.kind,
      level: w.level,
      stage: w.stage,
      title: w.title,
      validFrom: w.validFrom,
      validTo: w.validTo,
      adminCodes: w.adminCodes,
    })),
    hazardPoints: {
      total: sum(byRiskLevel),
      byKind: [...byKind.entries()].map(([kind, levels]) => ({ kind, total: sum(levels), byRiskLevel: levels })),
      byRiskLevel,
    },
    peopleThreatened: {
      people: required.reduce((n, v) => n + v.population, 0),
      households: required.reduce((n, v) => n + v.households, 0),
      villages: required.length,
    },
    villagesUnderWarning: {
      admin: new Set(warnings.flatMap((w) => w.adminCodes)).size,
      natural: underWarning.rows[0]?.natural ?? 0,
      people: underWarning.rows[0]?.people ?? 0,
    },
    progress: progress ? { warningId: progress.warning.id, town: progress.town, adminVillages: progress.adminVillages } : null,
    shelters: {
      count: shelterItems.length,
      capacity: shelterItems.reduce((n, s) => n + (s.capacity ?? 0), 0),
      assigned: shelterItems.reduce((n, s) => n + s.assigned, 0),
      checkedIn: shelterItems.reduce((n, s) => n + s.checkedIn, 0),
      items: shelterItems,
    },
    drillCoverage: {
      year: season.year,
      required: coverage.summary.required,
      drilled: counts.drilled,
      planned: counts.planned,
      overdue: counts.overdue,
      missing: counts.missing,
    },
    vulnerable: { total: vulnerableTotal, withResponsible, share: vulnerableTotal > 0 ? withResponsible / vulnerableTotal : null },
    hiddenDangers: { year, ...(dangers.rows[0] ?? { found: 0, rectified: 0, open: 0 }) },
    instructions: {
      total: instructions.length,
      acknowledged: instructions.filter((i) => i.acknowledged === i.total).length,
      overdue: instructions.filter((i) => i.overdue).length,
      latest: instructions
        .slice(0, 5)
        .map((i) => ({ id: i.id, text: i.text, sentAt: i.sentAt, acknowledged: i.acknowledged, total: i.total, overdue: i.overdue })),
    },
    latestEvents: events.map(forStream),
  }
}
