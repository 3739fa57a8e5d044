import { z } from 'zod'
import type { Bilingual } from './i18n.ts'
import { drillScenarios } from './enums.ts'
import { ledgerRowSchema } from './ledger.ts'
import { ledgerTextIn, ledgerTextSchema } from './ledgerText.ts'

/**
 * The annual work summary (安全生产、防灾减灾和消防工作总结): every figure of its opening
 * paragraph and later sections, each computed from ledger rows for a period and each with the
 * rows it counts (`GET /api/summary/figures/:figure`).
 */
export const summaryFigureIds = [
  'enterprisesSelfChecked',
  'hiddenDangersFound',
  'rectified',
  'major',
  'supervised',
  'enterprisesSanctioned',
  'interviews',
  'technicalInspectors',
  'supervisoryHelp',
  'principalLedInspections',
  'hazardousOperations',
  'leaflets',
  'peopleAdvised',
  'peopleTrained',
  'drillsHeld',
  'drillParticipants',
  'vulnerableListed',
  'vulnerableWithResponsible',
  'warningsIssued',
  'openDangers',
] as const
export type SummaryFigureId = (typeof summaryFigureIds)[number]

/** What each figure counts, in words: the rule shown beside the figure and in the docs (`rule` English, `ruleZh` Chinese). */
export const summaryFigureLabels: Record<SummaryFigureId, Bilingual & { rule: string; ruleZh: string }> = {
  enterprisesSelfChecked: {
    zh: '督促企业自查自改',
    en: 'Enterprises self-checking',
    rule: 'distinct places with a self-check dated in the period',
    ruleZh: '期内有自查自改记录的企业（按企业去重）',
  },
  hiddenDangersFound: { zh: '排查隐患', en: 'Hidden dangers found', rule: 'hidden dangers found in the period', ruleZh: '期内发现的隐患' },
  rectified: {
    zh: '已整改',
    en: 'Rectified',
    rule: 'of the dangers found in the period, those rectified',
    ruleZh: '期内发现的隐患中已整改的',
  },
  major: { zh: '重大隐患', en: 'Major', rule: 'of the dangers found in the period, level major', ruleZh: '期内发现的隐患中等级为重大的' },
  supervised: {
    zh: '挂牌督办',
    en: 'Listed for supervision',
    rule: 'of the dangers found in the period, supervised',
    ruleZh: '期内发现的隐患中挂牌督办的',
  },
  enterprisesSanctioned: {
    zh: '曝光、约谈、联合惩戒企业',
    en: 'Enterprises exposed / interviewed / jointly sanctioned',
    rule: 'distinct places with a sanction imposed in the period',
    ruleZh: '期内被曝光、约谈或联合惩戒的企业/场所（去重）',
  },
  interviews: {
    zh: '约谈通报',
    en: 'Interviews and notices',
    rule: 'sanctions of kind interview imposed in the period',
    ruleZh: '期内约谈通报次数',
  },
  technicalInspectors: {
    zh: '专兼职安全技术检查员',
    en: 'Technical inspectors',
    rule: 'inspectors active at any time in the period',
    ruleZh: '期内任一时间在岗的专兼职安全技术检查员',
  },
  supervisoryHelp: {
    zh: '督导帮扶企业和场所',
    en: 'Places given supervisory help',
    rule: 'distinct places with a supervisory visit in the period',
    ruleZh: '期内接受督导帮扶的企业/场所（去重）',
  },
  principalLedInspections: {
    zh: '主要负责人带队检查',
    en: 'Inspections led by the principal leader',
    rule: 'inspections in the period led by the principal leader',
    ruleZh: '期内由主要负责人带队的检查',
  },
  hazardousOperations: {
    zh: '危险作业报备',
    en: 'Hazardous operations filed',
    rule: 'hazardous-operation filings dated in the period',
    ruleZh: '期内报备的危险作业',
  },
  leaflets: {
    zh: '发放宣传资料（份）',
    en: 'Leaflets handed out',
    rule: 'sum of leaflets over publicity events in the period',
    ruleZh: '期内宣传活动发放资料份数之和',
  },
  peopleAdvised: {
    zh: '接受咨询（人次）',
    en: 'People advised',
    rule: 'sum of people advised over publicity events in the period',
    ruleZh: '期内宣传活动接受咨询人次之和',
  },
  peopleTrained: {
    zh: '培训（人次）',
    en: 'People trained',
    rule: 'sum of people trained over events in the period',
    ruleZh: '期内培训人次之和',
  },
  drillsHeld: { zh: '开展应急演练（场）', en: 'Drills held', rule: 'drills held in the period', ruleZh: '期内已开展的演练' },
  drillParticipants: {
    zh: '参演群众（人次）',
    en: 'Drill participants',
    rule: 'sum of participants of the drills held in the period',
    ruleZh: '期内已开展演练的参演人次之和',
  },
  vulnerableListed: {
    zh: '特殊人群在册',
    en: 'Vulnerable people listed',
    rule: 'vulnerable people on the list now',
    ruleZh: '当前在册特殊人群',
  },
  vulnerableWithResponsible: {
    zh: '落实包保责任人',
    en: 'With a responsible person',
    rule: 'of those listed, with a responsible person',
    ruleZh: '在册特殊人群中已落实包保责任人的',
  },
  warningsIssued: {
    zh: '转发预警信息',
    en: 'Warnings passed on',
    rule: 'warnings valid from a day in the period',
    ruleZh: '生效日期在期内的预警信息',
  },
  openDangers: {
    zh: '尚未整改',
    en: 'Not yet rectified',
    rule: 'of the dangers found in the period, not rectified',
    ruleZh: '期内发现的隐患中尚未整改的',
  },
}

export const summaryFiguresSchema = z.object(
  Object.fromEntries(summaryFigureIds.map((id) => [id, z.number()])) as Record<SummaryFigureId, z.ZodNumber>,
)
export type SummaryFigures = z.infer<typeof summaryFiguresSchema>

export const summarySectionIds = ['basic', 'work', 'problems', 'plans'] as const
export type SummarySectionId = (typeof summarySectionIds)[number]
export const summarySectionTitles: Record<SummarySectionId, Bilingual> = {
  basic: { zh: '一、基本情况', en: '1. Overview' },
  work: { zh: '二、重点工作开展情况', en: '2. Key work' },
  problems: { zh: '三、存在问题', en: '3. Problems' },
  plans: { zh: '四、下一步工作打算', en: '4. Plans for next year' },
}

export const summarySchema = z.object({
  period: z.object({ from: z.string(), to: z.string(), year: z.number().int().nullable() }),
  /** The town's name, or (over several towns) a phrase counting them. */
  townName: ledgerTextSchema,
  figures: summaryFiguresSchema,
  drillsByVillage: z.array(
    z.object({
      naturalVillageId: z.number().int(),
      naturalVillageName: z.string(),
      adminName: z.string(),
      drills: z.number().int(),
      participants: z.number().int(),
    }),
  ),
  /** Every drill held in the period, by date then natural village: the document's table in 二、重点工作开展情况. */
  drillsHeld: z.array(
    z.object({
      id: z.number().int(),
      naturalVillageId: z.number().int(),
      naturalVillageName: z.string(),
      adminName: z.string(),
      heldOn: z.string(),
      scenario: z.enum(drillScenarios),
      participants: z.number().int().nullable(),
      vulnerableMoved: z.number().int().nullable(),
      evacuationMinutes: z.number().nullable(),
    }),
  ),
  dangersByPlaceKind: z.array(z.object({ kind: z.string(), found: z.number().int(), rectified: z.number().int() })),
  /** vulnerableWithResponsible / vulnerableListed, 0…1. */
  vulnerableShareWithResponsible: z.number().nullable(),
  /** Saved paragraphs per section (empty string = none saved; the client drafts from the figures). */
  narratives: z.record(z.enum(summarySectionIds), z.string()),
})
export type Summary = z.infer<typeof summarySchema>

export const summaryFigureParamsSchema = z.object({ figure: z.enum(summaryFigureIds, { error: 'unknown figure' }) })
export const summaryFigureRowsSchema = z.object({ figure: z.enum(summaryFigureIds), value: z.number(), rows: z.array(ledgerRowSchema) })

export const summaryNarrativeUpdateSchema = z.strictObject({
  year: z.number().int().min(2000).max(2100),
  narratives: z.partialRecord(z.enum(summarySectionIds), z.string().max(20_000, 'a section must be at most 20000 characters')),
})
export type SummaryNarrativeUpdate = z.infer<typeof summaryNarrativeUpdateSchema>

/** A paragraph of the generated summary: text with figures in it (the client links each figure to its rows). */
export type SummarySegment = string | { figure: SummaryFigureId; value: number; unit?: string }
export type SummaryParagraph = SummarySegment[]

const percent = (share: number | null) => (share === null ? '—' : `${Math.round(share * 1000) / 10}%`)

/** The period as the town's document says it: 2023年, or 2023-01-01至2023-06-30. */
export function summaryPeriodText(period: Summary['period']): string {
  return period.year !== null ? `${period.year}年` : `${period.from}至${period.to}`
}

/** The document's title, in the town's wording: 云岭镇2023年安全生产、防灾减灾和消防工作总结. */
export function summaryTitle(summary: Pick<Summary, 'period' | 'townName'>): string {
  return `${ledgerTextIn('zh', summary.townName)}${summaryPeriodText(summary.period)}安全生产、防灾减灾和消防工作总结`
}

/** The document's short title (its Word properties): 2023年工作总结. */
export function summaryShortTitle(period: Summary['period']): string {
  return `${summaryPeriodText(period)}工作总结`
}

/**
 * The summary's generated paragraphs per section, in the town's own wording, with every figure
 * in place. Shared by the page and the .docx export, so both say the same.
 */
export function summaryParagraphs(summary: Summary): Record<SummarySectionId, SummaryParagraph[]> {
  const f = summary.figures
  const n = (figure: SummaryFigureId): SummarySegment => ({ figure, value: f[figure] })
  const when = summaryPeriodText(summary.period)
  const villages = summary.drillsByVillage
  const kinds = summary.dangersByPlaceKind.filter((k) => k.kind !== 'none').slice(0, 7)
  return {
    basic: [
      [
        `${when}，${ledgerTextIn('zh', summary.townName)}坚持人民至上、生命至上，统筹抓好安全生产、防灾减灾和消防工作。督促企业开展自查自改`,
        n('enterprisesSelfChecked'),
        '家，排查隐患',
        n('hiddenDangersFound'),
        '条，已整改',
        n('rectified'),
        '条，其中重大隐患',
        n('major'),
        '条，挂牌督办',
        n('supervised'),
        '条；曝光、约谈、联合惩戒企业',
        n('enterprisesSanctioned'),
        '家，约谈通报',
        n('interviews'),
        '次；配备专兼职安全技术检查员',
        n('technicalInspectors'),
        '名，督导帮扶企业和场所',
        n('supervisoryHelp'),
        '家，主要负责人带队检查',
        n('principalLedInspections'),
        '次，报备危险作业',
        n('hazardousOperations'),
        '次。',
      ],
    ],
    work: [
      [
        '（一）安全生产月宣传。设置宣传咨询点，发放宣传资料约',
        n('leaflets'),
        '份，接受群众咨询约',
        n('peopleAdvised'),
        '人次，开展培训',
        n('peopleTrained'),
        '人次。',
      ],
      [
        '（二）汛前应急演练。以自然村为单位开展应急避险演练',
        n('drillsHeld'),
        '场，参演群众',
        n('drillParticipants'),
        '人次',
        villages.length > 0
          ? `（${villages.map((v) => `${v.naturalVillageName}${v.drills > 1 ? `${v.drills}场` : ''}`).join('、')}）。`
          : '。',
      ],
      [
        '（三）特殊人群清单动态更新。在册老弱病残幼等特殊人群',
        n('vulnerableListed'),
        '人，落实包保责任人',
        n('vulnerableWithResponsible'),
        `人，占${percent(summary.vulnerableShareWithResponsible)}。`,
      ],
      [
        '（四）重点场所风险排查。对',
        kinds.length > 0
          ? kinds.map((k) => `${enumZh[k.kind] ?? k.kind}（发现隐患${k.found}条、已整改${k.rectified}条）`).join('、')
          : '各类场所',
        '开展风险排查。',
      ],
      ['（五）预警信息传递。转发预警信息', n('warningsIssued'), '条，通过应急广播、村民会议等方式传递到村到户。'],
    ],
    problems: [
      [
        '一是隐患整改仍有差距，尚有',
        n('openDangers'),
        '条隐患未完成整改；二是部分企业主体责任落实不到位，自查自改质量不高；三是群众安全意识和自救互救能力有待提升。',
      ],
    ],
    plans: [
      [
        '一是建立重大安全风险、重大隐患、突出问题、基础防范信息“四张清单”，实行动态管理；二是持续推进隐患排查整治，对逾期未整改隐患挂牌督办、跟踪问效；三是加强宣传培训和应急演练，提升基层应急能力。',
      ],
    ],
  }
}

const enumZh: Record<string, string> = {
  enterprise: '企业',
  construction_site: '建筑工地',
  market: '集贸市场',
  school: '学校',
  kindergarten: '幼儿园',
  hospital: '卫生院（室）',
  nursing_home: '敬老院',
  reservoir: '水库',
  pond: '塘坝',
  shelter: '避险安置点',
  house: '房屋',
  slope: '边坡',
  river: '河段',
}

/** A paragraph as plain text (for the .docx and for tests). */
export function paragraphText(paragraph: SummaryParagraph): string {
  return paragraph.map((segment) => (typeof segment === 'string' ? segment : `${segment.value}${segment.unit ?? ''}`)).join('')
}
