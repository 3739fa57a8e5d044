import type { VulnerableCategory } from '@riskatlas/shared'
import { personName } from './names.ts'
import type { Rosters } from './people.ts'
import type { Rng } from './random.ts'
import type { VulnerablePersonProperties } from './types.ts'
import type { World } from './world.ts'

/** Share of the population on the special-population lists (老弱病残幼), about 4 %. */
export const vulnerableShare = 0.04

const mobility: Record<VulnerableCategory, readonly (string | null)[]> = {
  elderly: ['行动迟缓，需搀扶', '独居，需专人上门通知', '需轮椅', null, null],
  disabled: ['肢体残疾，需轮椅', '视力残疾，需专人引导', '听力残疾，需当面通知', '智力残疾，需监护人陪同'],
  sick: ['长期卧床，需担架转移', '需随身携带药品', '需医护人员陪同', '透析患者，需车辆转运'],
  child: ['留守儿童，需监护人陪同', '随祖父母生活，需专人接送', null],
  pregnant: ['孕晚期，需车辆转运', '需医护人员陪同', null],
}

/**
 * The special-population lists of every natural village, each person with a 包保 responsible
 * cadre of the village, except a few nobody has taken on yet (a gap to close).
 */
export function listVulnerablePeople(rng: Rng, world: World, rosters: Rosters): VulnerablePersonProperties[] {
  const total = world.villages.reduce((sum, village) => sum + village.population, 0)
  const counts = world.villages.map((village) => Math.max(0, Math.round(village.population * vulnerableShare * rng.range(0.6, 1.4))))
  const target = Math.round(total * vulnerableShare * rng.range(0.985, 1.015))
  while (counts.reduce((sum, count) => sum + count, 0) !== target) {
    const index = rng.int(0, counts.length - 1)
    const difference = target - counts.reduce((sum, count) => sum + count, 0)
    counts[index] = Math.max(0, (counts[index] as number) + Math.sign(difference))
  }
  const people: VulnerablePersonProperties[] = []
  world.villages.forEach((village, villageIndex) => {
    const admin = world.admins[village.admin] as { name: string }
    const cadres = rosters.cadres(villageIndex)
    for (let k = 0; k < (counts[villageIndex] as number); k++) {
      const category = rng.weighted<VulnerableCategory>([
        ['elderly', 42],
        ['child', 24],
        ['disabled', 14],
        ['sick', 12],
        ['pregnant', 8],
      ])
      const hasPhone = category === 'child' ? false : category === 'elderly' ? rng.chance(0.55) : rng.chance(0.85)
      const unassigned = rng.chance(0.03)
      const responsible = unassigned ? null : rng.pick(cadres)
      people.push({
        natural_village_code: village.code,
        category,
        name: personName(rng),
        phone: hasPhone ? rosters.phones.next() : null,
        address: `${admin.name}${village.name}${rng.int(1, Math.max(2, village.households))}号`,
        mobility_needs: rng.pick(mobility[category]),
        responsible_name: responsible?.name ?? null,
        responsible_phone: responsible?.phone ?? null,
      })
    }
  })
  return people
}
