import type { FacilityKind } from '@riskatlas/shared'
import { datasetAsOf, day, isoDate } from './dates.ts'
import type { Position } from './geo.ts'
import type { Rng } from './random.ts'
import type {
  EnterpriseSelfCheckProperties,
  HiddenDangerLevel,
  HiddenDangerProperties,
  HiddenDangerStatus,
  LedgerFigures,
} from './types.ts'

/**
 * The 2023 figures of the town's annual work summary, which the ledger reproduces exactly:
 * 53 enterprises self-checked, 207 hidden dangers found, 197 rectified, 4 major,
 * 12 listed for supervision (挂牌督办), 5 enterprises sanctioned.
 */
export const LEDGER_2023: LedgerFigures = Object.freeze({
  enterprisesSelfChecked: 53,
  hiddenDangersFound: 207,
  rectified: 197,
  major: 4,
  supervised: 12,
  enterprisesSanctioned: 5,
})

/**
 * Every year of the ledger, each reproduced exactly (2026 runs to the dataset's date, so more
 * of its dangers are still being rectified). Years other than 2023 are invented but plausible.
 */
export const LEDGER_BY_YEAR: Readonly<Record<number, LedgerFigures>> = Object.freeze({
  2023: LEDGER_2023,
  2024: Object.freeze({
    enterprisesSelfChecked: 57,
    hiddenDangersFound: 226,
    rectified: 219,
    major: 3,
    supervised: 10,
    enterprisesSanctioned: 4,
  }),
  2025: Object.freeze({
    enterprisesSelfChecked: 60,
    hiddenDangersFound: 194,
    rectified: 185,
    major: 2,
    supervised: 8,
    enterprisesSanctioned: 3,
  }),
  2026: Object.freeze({
    enterprisesSelfChecked: 58,
    hiddenDangersFound: 163,
    rectified: 138,
    major: 2,
    supervised: 9,
    enterprisesSanctioned: 2,
  }),
})

/** A facility the ledger can refer to. */
export interface LedgerFacility {
  code: string
  kind: FacilityKind
  name: string
  industry: string | null
}

/** A place without a facility record (a house, a road cut, a river reach), with its position. */
export interface LedgerPlace {
  name: string
  position: Position
  kind: 'house' | 'slope' | 'river'
}

const descriptions: Record<string, readonly string[]> = {
  general: [
    '消防通道被杂物堵塞',
    '灭火器压力不足或已过期',
    '电气线路私拉乱接',
    '安全出口指示灯损坏',
    '应急照明灯不亮',
    '员工未经安全培训上岗',
    '安全生产责任制未落实到岗位',
    '应急预案未按要求组织演练',
    '库房物品堆放过高、距灯具过近',
    '配电箱未上锁、无警示标志',
    '安全台账记录不全',
    '用火用电管理制度未上墙',
  ],
  非煤矿山: ['采场边坡未按设计放坡，存在坍塌风险', '爆破器材领退记录不全', '排土场未设置截排水沟', '作业人员未佩戴安全帽'],
  建材: ['粉尘作业场所未配备防护用品', '皮带输送机防护罩缺失', '窑炉区域高温作业防护不到位', '厂区道路未设置限速标志'],
  危化品经营: ['储罐区可燃气体报警仪未定期检定', '卸油作业未设置静电接地', '危险化学品储存不规范', '防雷装置检测过期'],
  茶叶加工: ['揉捻机传动部位无防护罩', '烘干机燃气管道老化', '车间电线老化'],
  咖啡加工: ['脱皮机传动部位无防护罩', '晒场照明线路老化', '烘焙设备燃气软管老化'],
  木材加工: ['锯木机防护装置缺失', '木屑堆积未及时清理，存在火灾隐患', '车间内吸烟'],
  住宿餐饮: ['厨房液化气瓶未设置专用存放间', '燃气泄漏报警装置缺失', '客房内疏散图缺失'],
  水力发电: ['压力前池护栏缺失', '厂房内消防器材不足', '发电机组防护罩松动'],
  construction_site: ['施工现场临边防护缺失', '脚手架连墙件设置不足', '特种作业人员无证上岗', '临时用电未做到一机一闸一漏'],
  market: ['市场内电动车违规充电', '消防栓无水或被遮挡', '摊位占用疏散通道'],
  school: ['宿舍楼疏散楼梯堆放杂物', '食堂燃气管道未定期检查', '围墙局部开裂'],
  kindergarten: ['户外活动场地地面破损', '厨房燃气报警器失效'],
  nursing_home: ['老人居室使用大功率电器', '自动喷淋系统故障', '夜间值班人员不足'],
  hospital: ['医用氧气瓶存放不规范', '消防通道被车辆占用'],
  reservoir: ['坝体背水坡出现渗水点', '溢洪道被杂物阻塞', '放水设施锈蚀启闭困难', '水位标尺缺失'],
  pond: ['坝顶出现裂缝', '溢洪道淤积', '坝坡杂草丛生影响巡查'],
  shelter: ['安置点应急物资储备不足', '标识标牌缺失'],
  house: ['房屋后边坡开裂，雨季有滑塌风险', '自建房墙体开裂', '房屋建在沟道边，汛期受山洪威胁'],
  slope: ['公路边坡落石', '挡土墙变形开裂', '路基下沉，路面开裂'],
  river: ['河道内堆放砂石阻塞行洪', '护岸冲毁', '涉水路段未设警示标志'],
}

const majorDescriptions: Record<string, readonly string[]> = {
  非煤矿山: ['采场形成高陡边坡，未按设计分台阶开采（重大隐患）'],
  危化品经营: ['液化气储罐安全阀失效未更换（重大隐患）', '加油站油罐区防渗设施破损（重大隐患）'],
  建材: ['窑炉区域未设置可燃气体检测报警装置（重大隐患）'],
  construction_site: ['深基坑未按方案支护（重大隐患）', '高支模未经专家论证施工（重大隐患）'],
  general: ['未依法取得安全生产许可擅自组织生产（重大隐患）'],
}

const sanctions = [
  '罚款人民币1万元',
  '责令停产整顿',
  '罚款人民币2万元并责令限期整改',
  '暂扣安全生产许可证',
  '罚款人民币5000元',
  '责令停止使用相关设备',
]

/** The last day the dataset knows about; ledger dates never pass it. */
export { datasetAsOf }

/**
 * The hidden-danger ledger (隐患台账) and the enterprises' self-checks, reproducing
 * {@link LEDGER_BY_YEAR} exactly for every year. Self-check findings fall on the enterprise's
 * self-check dates; inspections reach enterprises, other facilities and bare places.
 */
export function writeLedger(
  rng: Rng,
  enterprises: readonly LedgerFacility[],
  otherFacilities: readonly LedgerFacility[],
  places: readonly LedgerPlace[],
): { dangers: { properties: HiddenDangerProperties; position: Position | null }[]; checks: EnterpriseSelfCheckProperties[] } {
  const dangers: { properties: HiddenDangerProperties; position: Position | null }[] = []
  const checks: EnterpriseSelfCheckProperties[] = []
  for (const [yearText, figures] of Object.entries(LEDGER_BY_YEAR)) {
    const year = Number(yearText)
    const lastDay = Math.min(day(year, 12, 20), datasetAsOf - 8)
    if (figures.enterprisesSelfChecked > enterprises.length)
      throw new Error(`the ledger needs ${figures.enterprisesSelfChecked} enterprises`)
    const checked = rng.shuffle(enterprises).slice(0, figures.enterprisesSelfChecked)
    const checkDays = new Map<string, number[]>()
    for (const enterprise of checked) {
      const count = rng.int(1, 3)
      const days = new Set<number>()
      while (days.size < count) days.add(rng.int(day(year, 2, 20), lastDay))
      const sorted = [...days].sort((a, b) => a - b)
      checkDays.set(enterprise.code, sorted)
      for (const checkedOn of sorted) checks.push({ facility_code: enterprise.code, checked_on: isoDate(checkedOn) })
    }

    type Draft = { facility: LedgerFacility | null; place: LedgerPlace | null; foundOn: number; source: 'self_check' | 'inspection' }
    const drafts: Draft[] = []
    const selfCheckCount = Math.round(figures.hiddenDangersFound * 0.58)
    for (let k = 0; k < figures.hiddenDangersFound; k++) {
      if (k < selfCheckCount) {
        const facility = rng.pick(checked)
        drafts.push({ facility, place: null, foundOn: rng.pick(checkDays.get(facility.code) as number[]), source: 'self_check' })
        continue
      }
      const foundOn = rng.int(day(year, 1, 8), lastDay)
      const target = rng.weighted<'enterprise' | 'facility' | 'place'>([
        ['enterprise', 62],
        ['facility', 24],
        ['place', 14],
      ])
      if (target === 'place') drafts.push({ facility: null, place: rng.pick(places), foundOn, source: 'inspection' })
      else
        drafts.push({
          facility: rng.pick(target === 'enterprise' ? enterprises : otherFacilities),
          place: null,
          foundOn,
          source: 'inspection',
        })
    }

    // Major dangers come from inspections of mines, hazardous chemicals, building materials, sites.
    const riskyIndustry = (draft: Draft): boolean =>
      draft.source === 'inspection' &&
      draft.facility !== null &&
      (draft.facility.kind === 'construction_site' || ['非煤矿山', '危化品经营', '建材'].includes(draft.facility.industry ?? ''))
    const indices = drafts.map((_, index) => index)
    const risky = rng.shuffle(indices.filter((index) => riskyIndustry(drafts[index] as Draft)))
    const fallback = rng.shuffle(
      indices.filter((index) => (drafts[index] as Draft).source === 'inspection' && !riskyIndustry(drafts[index] as Draft)),
    )
    const major = new Set([...risky, ...fallback].slice(0, figures.major))
    const supervised = new Set([
      ...major,
      ...rng.shuffle(indices.filter((index) => !major.has(index))).slice(0, figures.supervised - figures.major),
    ])
    // Not yet rectified: half the major ones, then the most recent (later years) or any (earlier years).
    const open = new Set([...major].slice(0, Math.ceil(major.size / 2)))
    const recentFirst = [...indices].sort((a, b) => (drafts[b] as Draft).foundOn - (drafts[a] as Draft).foundOn || a - b)
    const pool = year >= 2026 ? recentFirst : rng.shuffle(indices)
    for (const index of pool) {
      if (open.size >= figures.hiddenDangersFound - figures.rectified) break
      if (!major.has(index)) open.add(index)
    }
    const sanctionable = [
      ...new Set(drafts.filter((draft) => draft.facility?.kind === 'enterprise').map((draft) => draft.facility as LedgerFacility)),
    ]
    const sanctioned = rng.shuffle(sanctionable).slice(0, figures.enterprisesSanctioned)
    const sanctionRows = new Set<number>()
    for (const enterprise of sanctioned) {
      const rows = indices.filter((index) => (drafts[index] as Draft).facility === enterprise)
      for (const row of rng.shuffle(rows).slice(0, rng.int(1, Math.min(2, rows.length)))) sanctionRows.add(row)
    }

    drafts.forEach((draft, index) => {
      const level: HiddenDangerLevel = major.has(index) ? 'major' : 'general'
      const deadline = draft.foundOn + (level === 'major' ? rng.int(60, 120) : rng.int(7, 45))
      let status: HiddenDangerStatus = 'rectified'
      let rectifiedOn: number | null = null
      if (open.has(index)) {
        status = year >= 2026 && rng.chance(0.35) ? 'open' : 'rectifying'
      } else {
        const late = rng.chance(0.08) ? rng.int(5, 40) : 0
        rectifiedOn = Math.min(datasetAsOf, draft.foundOn + rng.int(1, Math.max(1, deadline - draft.foundOn)) + late)
      }
      const topic = draft.facility
        ? draft.facility.kind === 'enterprise'
          ? (draft.facility.industry ?? 'general')
          : draft.facility.kind
        : (draft.place as LedgerPlace).kind
      const pool =
        level === 'major'
          ? (majorDescriptions[topic] ?? majorDescriptions.general)
          : rng.chance(0.55)
            ? (descriptions[topic] ?? descriptions.general)
            : descriptions.general
      dangers.push({
        properties: {
          facility_code: draft.facility?.code ?? null,
          place_name: draft.facility?.name ?? (draft.place as LedgerPlace).name,
          found_on: isoDate(draft.foundOn),
          source: draft.source,
          description: rng.pick(pool as readonly string[]),
          level,
          status,
          deadline: isoDate(deadline),
          rectified_on: rectifiedOn === null ? null : isoDate(rectifiedOn),
          supervised: supervised.has(index),
          sanction: sanctionRows.has(index) ? rng.pick(sanctions) : null,
        },
        position: draft.place?.position ?? null,
      })
    })
  }
  const byDate = <T extends { found_on?: string; checked_on?: string }>(a: T, b: T): number => {
    const x = a.found_on ?? a.checked_on ?? ''
    const y = b.found_on ?? b.checked_on ?? ''
    return x < y ? -1 : x > y ? 1 : 0
  }
  dangers.sort((a, b) => byDate(a.properties, b.properties))
  checks.sort((a, b) => byDate(a, b) || (a.facility_code < b.facility_code ? -1 : a.facility_code > b.facility_code ? 1 : 0))
  return { dangers, checks }
}

/** Computes one year's figures from ledger rows, the way the annual summary counts them. */
export function ledgerFigures(
  year: number,
  dangers: readonly HiddenDangerProperties[],
  checks: readonly EnterpriseSelfCheckProperties[],
  enterpriseCodes: ReadonlySet<string>,
): LedgerFigures {
  const inYear = (date: string): boolean => date.startsWith(`${year}-`)
  const found = dangers.filter((danger) => inYear(danger.found_on))
  return {
    enterprisesSelfChecked: new Set(checks.filter((check) => inYear(check.checked_on)).map((check) => check.facility_code)).size,
    hiddenDangersFound: found.length,
    rectified: found.filter((danger) => danger.status === 'rectified' && danger.rectified_on !== null).length,
    major: found.filter((danger) => danger.level === 'major').length,
    supervised: found.filter((danger) => danger.supervised).length,
    enterprisesSanctioned: new Set(
      found
        .filter((danger) => danger.sanction !== null && danger.facility_code !== null && enterpriseCodes.has(danger.facility_code))
        .map((danger) => danger.facility_code),
    ).size,
  }
}
