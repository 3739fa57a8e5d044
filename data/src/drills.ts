import type { DrillScenario, HazardKind } from '@riskatlas/shared'
import { day, floodSeason, isoDate } from './dates.ts'
import type { Hazard } from './hazards.ts'
import type { Rng } from './random.ts'
import type { DrillProperties } from './types.ts'
import type { Village, World } from './world.ts'

const scenarioOf: Record<HazardKind, DrillScenario> = {
  landslide: 'landslide',
  collapse: 'landslide',
  debris_flow: 'debris_flow',
  flash_flood: 'flash_flood',
  waterlogging: 'flood',
}

const findings = [
  '群众转移有序，转移路线熟悉，个别老人行动迟缓需加强包保。',
  '预警信号传递及时，应急广播部分区域听不清，需增设喇叭。',
  '转移时间偏长，安置点物资储备不足，需补充帐篷和饮用水。',
  '参演群众积极，特殊人群均有专人负责转移。',
  '夜间转移照明不足，需配备应急照明灯。',
  '部分外出务工人员家庭未通知到位，需完善联系名单。',
  '转移路线一处路段狭窄湿滑，需设置警示标志。',
  '演练组织规范，达到预期效果。',
]

const cancelReasons = ['因暴雨预警取消，汛期内未重新安排。', '因村两委换届推迟，未重新安排。']

export interface DrillInput {
  world: World
  hazards: readonly Hazard[]
  /** Vulnerable people per natural village (index-aligned with world.villages). */
  vulnerableCounts: readonly number[]
}

/** Status of each threatened village's 2026 drill, for tests and the README. */
export interface DrillMix {
  held: number[]
  overdue: number[]
  cancelled: number[]
  none: number[]
}

/**
 * Evacuation drills (演练) by natural village for the 2026 flood season, as a township records
 * them by its end: most threatened villages drilled, some planned but never held (overdue),
 * a couple cancelled, a few with no drill at all; fire and earthquake drills in other villages;
 * and the first plans for the 2027 season.
 */
export function recordDrills(rng: Rng, input: DrillInput): { drills: DrillProperties[]; mix: DrillMix } {
  const { world, hazards, vulnerableCounts } = input
  const threatened = hazards.flatMap((hazard) => hazard.villages.map((village) => ({ village, hazard })))
  const order = rng.shuffle(threatened)
  const cancelledCount = 2
  const noneCount = Math.max(3, Math.round(order.length * 0.12))
  const overdueCount = Math.max(3, Math.round(order.length * 0.14))
  const mix: DrillMix = { held: [], overdue: [], cancelled: [], none: [] }
  const season = floodSeason(2026)
  const drills: DrillProperties[] = []
  const organiser = (village: Village): string =>
    rng.chance(0.7)
      ? world.admins[village.admin]?.community
        ? `${world.admins[village.admin]?.name}居委会`
        : `${world.admins[village.admin]?.name}委会`
      : `${world.town.name}应急办`
  const heldDrill = (villageIndex: number, scenario: DrillScenario, plannedOn: number): DrillProperties => {
    const village = world.villages[villageIndex] as Village
    const heldOn = Math.min(season.end - 5, Math.max(season.start + 3, plannedOn + rng.int(-4, 10)))
    const vulnerable = vulnerableCounts[villageIndex] as number
    return {
      natural_village_code: village.code,
      scenario,
      status: 'held',
      planned_on: isoDate(plannedOn),
      held_on: isoDate(heldOn),
      participants: Math.max(8, Math.round(village.population * rng.range(0.3, 0.8))),
      vulnerable_moved: Math.round(vulnerable * rng.range(0.5, 1)),
      evacuation_minutes: Math.round(rng.range(8, 38) * 10) / 10,
      organiser: organiser(village),
      findings: rng.pick(findings),
    }
  }
  order.forEach(({ village: villageIndex, hazard }, rank) => {
    const village = world.villages[villageIndex] as Village
    const scenario = village.site.riverDistance < 250 && rng.chance(0.3) ? 'flood' : scenarioOf[hazard.kind]
    const plannedOn = rng.int(day(2026, 5, 8), day(2026, 8, 31))
    if (rank < cancelledCount) {
      mix.cancelled.push(villageIndex)
      drills.push({
        natural_village_code: village.code,
        scenario,
        status: 'cancelled',
        planned_on: isoDate(plannedOn),
        held_on: null,
        participants: null,
        vulnerable_moved: null,
        evacuation_minutes: null,
        organiser: organiser(village),
        findings: rng.pick(cancelReasons),
      })
    } else if (rank < cancelledCount + noneCount) {
      mix.none.push(villageIndex)
    } else if (rank < cancelledCount + noneCount + overdueCount) {
      mix.overdue.push(villageIndex)
      drills.push({
        natural_village_code: village.code,
        scenario,
        status: 'planned',
        planned_on: isoDate(plannedOn),
        held_on: null,
        participants: null,
        vulnerable_moved: null,
        evacuation_minutes: null,
        organiser: organiser(village),
        findings: null,
      })
    } else {
      mix.held.push(villageIndex)
      drills.push(heldDrill(villageIndex, scenario, plannedOn))
      // Some villages drill twice: a second scenario later in the season.
      if (rng.chance(0.15))
        drills.push(
          heldDrill(villageIndex, scenario === 'flood' ? scenarioOf[hazard.kind] : 'flood', rng.int(day(2026, 9, 1), day(2026, 10, 20))),
        )
    }
  })
  // Fire and earthquake drills in villages under no hazard: held, but never required.
  const threatenedSet = new Set(threatened.map(({ village }) => village))
  const others = rng.shuffle(world.villages.map((_, index) => index).filter((index) => !threatenedSet.has(index)))
  for (const villageIndex of others.slice(0, rng.int(8, 12))) {
    drills.push(
      heldDrill(villageIndex, rng.pick<DrillScenario>(['fire', 'fire', 'earthquake']), rng.int(day(2026, 5, 10), day(2026, 10, 15))),
    )
  }
  // The 2027 season: plans made before the season starts.
  const next = rng.shuffle([...threatenedSet]).slice(0, Math.round(threatenedSet.size * 0.45))
  for (const villageIndex of [...next, ...others.slice(-3)]) {
    const village = world.villages[villageIndex] as Village
    const hazard = hazards.find((candidate) => candidate.villages.includes(villageIndex))
    drills.push({
      natural_village_code: village.code,
      scenario: hazard ? scenarioOf[hazard.kind] : 'fire',
      status: 'planned',
      planned_on: isoDate(rng.int(day(2027, 5, 6), day(2027, 6, 30))),
      held_on: null,
      participants: null,
      vulnerable_moved: null,
      evacuation_minutes: null,
      organiser: organiser(village),
      findings: null,
    })
  }
  const key = (drill: DrillProperties): string => `${drill.planned_on ?? drill.held_on ?? ''} ${drill.natural_village_code}`
  drills.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
  return { drills, mix }
}
