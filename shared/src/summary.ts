import { z } from 'zod'
import type { Bilingual } from './i18n.ts'
import { ledgerRowSchema } from './ledger.ts'

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

/** What each figure counts, in words: the rule shown beside the figure and in the docs. */
export const summaryFigureLabels: Record<SummaryFigureId, Bilingual & { rule: string }> = {
  enterprisesSelfChecked: {
    zh: '督促企业自查自改',
    en: 'Enterprises self-checking',
    rule: 'distinct places with a self-check dated in the period',
  },
  hiddenDangersFound: { zh: '排查隐患', en: 'Hidden dangers found', rule: 'hidden dangers found in the period' },
  rectified: { zh: '已整改', en: 'Rectified', rule: 'of the dangers found in the period, those rectified' },
  major: { zh: '重大隐患', en: 'Major', rule: 'of the dangers found in the period, level major' },
  supervised: { zh: '挂牌督办', en: 'Listed for supervision', rule: 'of the dangers found in the period, supervised' },
  enterprisesSanctioned: {
    zh: '曝光、约谈、联合惩戒企业',
    en: 'Enterprises exposed / interviewed / jointly sanctioned',
    rule: 'distinct places with a sanction imposed in the period',
  },
  interviews: { zh: '约谈通报', en: 'Interviews and notices', rule: 'sanctions of kind interview imposed in the period' },
  technicalInspectors: { zh: '专兼职安全技术检查员', en: 'Technical inspectors', rule: 'inspectors active at any time in the period' },
  supervisoryHelp: {
    zh: '督导帮扶企业和场所',
    en: 'Places given supervisory help',
    rule: 'distinct places with a supervisory visit in the period',
  },
  principalLedInspections: {
    zh: '主要负责人带队检查',
    en: 'Inspections led by the principal leader',
    rule: 'inspections in the period led by the principal leader',
  },
  hazardousOperations: { zh: '危险作业报备', en: 'Hazardous operations filed', rule: 'hazardous-operation filings dated in the period' },
  leaflets: { zh: '发放宣传资料（份）', en: 'Leaflets handed out', rule: 'sum of leaflets over publicity events in the period' },
  peopleAdvised: { zh: '接受咨询（人次）', en: 'People advised', rule: 'sum of people advised over publicity events in the period' },
  peopleTrained: { zh: '培训（人次）', en: 'People trained', rule: 'sum of people trained over events in the period' },
  drillsHeld: { zh: '开展应急演练（场）', en: 'Drills held', rule: 'drills held in the period' },
  drillParticipants: { zh: '参演群众（人次）', en: 'Drill participants', rule: 'sum of participants of the drills held in the period' },
  vulnerableListed: { zh: '特殊人群在册', en: 'Vulnerable people listed', rule: 'vulnerable people on the list now' },
  vulnerableWithResponsible: { zh: '落实包保责任人', en: 'With a responsible person', rule: 'of those listed, with a responsible person' },
  warningsIssued: { zh: '转发预警信息', en: 'Warnings passed on', rule: 'warnings valid from a day in the period' },
  openDangers: { zh: '尚未整改', en: 'Not yet rectified', rule: 'of the dangers found in the period, not rectified' },
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
  townName: z.string(),
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
