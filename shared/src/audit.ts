import { z } from 'zod'
import type { Bilingual } from './i18n.ts'

/** What an audit-log entry records: the action, the subject it was done to, the reason. */
export const auditActions = ['login', 'logout', 'list', 'read', 'export', 'create', 'update', 'delete', 'revoke', 'restore'] as const
export type AuditAction = (typeof auditActions)[number]

export const auditActionLabels: Record<AuditAction, Bilingual> = {
  login: { zh: '登录', en: 'Sign-in' },
  logout: { zh: '退出登录', en: 'Sign-out' },
  list: { zh: '查看列表', en: 'Listed' },
  read: { zh: '查看', en: 'Viewed' },
  export: { zh: '导出', en: 'Exported' },
  create: { zh: '新增', en: 'Created' },
  update: { zh: '修改', en: 'Changed' },
  delete: { zh: '删除', en: 'Deleted' },
  revoke: { zh: '撤销', en: 'Revoked' },
  restore: { zh: '恢复', en: 'Restored' },
}

/** The subjects the server writes into `audit_log.entity`. */
export const auditEntities = [
  'session',
  'vulnerable_people',
  'users',
  'display_tokens',
  'drill',
  'evacuation_card',
  'evacuation_plan',
  'shelter',
  'evacuation_list',
  'hidden_danger',
  'safety_place',
  'ledger_record',
  'work_summary',
  'warning',
  'imports',
  'evacuation_progress',
  'shelter_checkin',
  'instruction',
  'display_session',
  'hazard_point',
  'facility',
  'evacuation_route',
  'danger_zone',
  'backup',
] as const
export type AuditEntity = (typeof auditEntities)[number]

export const auditEntityLabels: Record<AuditEntity, Bilingual> = {
  session: { zh: '登录会话', en: 'Session' },
  vulnerable_people: { zh: '特殊人群', en: 'Vulnerable people' },
  users: { zh: '账号', en: 'Accounts' },
  display_tokens: { zh: '大屏令牌', en: 'Big-screen tokens' },
  drill: { zh: '演练', en: 'Drill' },
  evacuation_card: { zh: '避险明白卡', en: 'Evacuation card' },
  warning: { zh: '预警', en: 'Warning' },
  imports: { zh: '数据导入', en: 'Data import' },
  hidden_danger: { zh: '隐患', en: 'Hidden danger' },
  safety_place: { zh: '企业/场所', en: 'Enterprise / place' },
  ledger_record: { zh: '安全生产台账记录', en: 'Ledger record' },
  work_summary: { zh: '工作总结', en: 'Work summary' },
  evacuation_plan: { zh: '转移方案', en: 'Evacuation plan' },
  shelter: { zh: '避险安置点', en: 'Shelter' },
  evacuation_list: { zh: '转移名单', en: 'Evacuation list' },
  evacuation_progress: { zh: '转移进度', en: 'Evacuation progress' },
  shelter_checkin: { zh: '安置点入住', en: 'Shelter check-in' },
  instruction: { zh: '指挥指令', en: 'Command instruction' },
  display_session: { zh: '大屏会话', en: 'Big-screen session' },
  hazard_point: { zh: '隐患点', en: 'Hazard point' },
  facility: { zh: '设施/安置点', en: 'Facility / shelter' },
  evacuation_route: { zh: '转移路线', en: 'Evacuation route' },
  danger_zone: { zh: '危险区', en: 'Danger zone' },
  backup: { zh: '数据备份', en: 'Backup' },
}

/**
 * The reasons the server writes by itself, stored as these codes in `audit_log.reason`; a reason
 * a user typed is stored, and shown, as written.
 */
export const auditReasonCodes = [
  'list_view',
  'export',
  'record_view',
  'recorded_as_held',
  'cancelled',
  're_planned',
  'edited',
  'evacuation_card',
  'evacuation_list',
  'replace_drawn_routes',
  'warning_issued',
  'warning_lifted',
  'warning_contacts',
  'import_committed',
  'import_undone',
  'progress_reported',
  'shelter_checkin_reported',
  'instruction_sent',
  'instruction_acknowledged',
  'display_setup_code_issued',
  'display_signed_in',
  'status_change',
  'photo_uploaded',
  'ledger_contacts',
  'map_edit',
  'map_edit_undone',
] as const
export type AuditReasonCode = (typeof auditReasonCodes)[number]

export const auditReasonLabels: Record<AuditReasonCode, Bilingual> = {
  list_view: { zh: '列表查看', en: 'List view' },
  export: { zh: '导出', en: 'Export' },
  record_view: { zh: '查看单条记录', en: 'Record view' },
  recorded_as_held: { zh: '记录为已实施', en: 'Recorded as held' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
  re_planned: { zh: '重新安排', en: 'Re-planned' },
  edited: { zh: '修改记录', en: 'Edited' },
  evacuation_card: { zh: '打印避险明白卡', en: 'Evacuation card' },
  evacuation_list: { zh: '查看转移名单', en: 'Evacuation list' },
  replace_drawn_routes: { zh: '替换手绘路线', en: 'Drawn routes replaced' },
  warning_issued: { zh: '发布预警', en: 'Warning issued' },
  warning_lifted: { zh: '解除预警', en: 'Warning lifted' },
  warning_contacts: { zh: '查看预警联系人', en: 'Warning contacts' },
  import_committed: { zh: '导入提交', en: 'Import committed' },
  import_undone: { zh: '导入撤销', en: 'Import undone' },
  progress_reported: { zh: '上报转移进度', en: 'Progress reported' },
  shelter_checkin_reported: { zh: '上报安置点入住人数', en: 'Shelter check-in reported' },
  instruction_sent: { zh: '下达指令', en: 'Instruction sent' },
  instruction_acknowledged: { zh: '签收指令', en: 'Instruction acknowledged' },
  display_setup_code_issued: { zh: '生成大屏配对码', en: 'Display setup code issued' },
  display_signed_in: { zh: '大屏已配对', en: 'Display signed in' },
  status_change: { zh: '状态变更', en: 'Status change' },
  photo_uploaded: { zh: '上传照片', en: 'Photo uploaded' },
  ledger_contacts: { zh: '查看台账联系人', en: 'Ledger contacts' },
  map_edit: { zh: '地图编辑', en: 'Map edit' },
  map_edit_undone: { zh: '撤销地图编辑', en: 'Map edit undone' },
}

/** The English prose rows written before the codes: read back as their codes, so old entries are worded too. */
export const legacyAuditReasons: Record<string, AuditReasonCode> = {
  'list view': 'list_view',
  'record view': 'record_view',
  'recorded as held': 'recorded_as_held',
  're-planned': 're_planned',
  'evacuation card (避险明白卡)': 'evacuation_card',
  'evacuation list (转移名单)': 'evacuation_list',
  'replace drawn routes': 'replace_drawn_routes',
  'warning issued': 'warning_issued',
  'warning lifted': 'warning_lifted',
  'warning contacts': 'warning_contacts',
  'import committed': 'import_committed',
  'import undone': 'import_undone',
  'progress reported': 'progress_reported',
  'shelter check-in reported': 'shelter_checkin_reported',
  'instruction sent': 'instruction_sent',
  'instruction acknowledged': 'instruction_acknowledged',
  'display setup code issued': 'display_setup_code_issued',
  'display signed in': 'display_signed_in',
  'status change': 'status_change',
  'photo uploaded': 'photo_uploaded',
  'ledger contacts': 'ledger_contacts',
}

/** What the server writes as a reason: one of its codes, or the words a user typed. */
export type AuditReason = AuditReasonCode | { typed: string }

/** An entry's reason as the audit view receives it: a code to word, or a user's words (and older prose) as stored. */
export const auditReasonSchema = z.union([z.object({ code: z.enum(auditReasonCodes) }), z.string()])
export type AuditReasonView = z.infer<typeof auditReasonSchema>

/** Reads a stored reason: a code (or the prose it replaced) becomes `{ code }`; anything else is a user's words. */
export function auditReasonOf(stored: string): AuditReasonView {
  if ((auditReasonCodes as readonly string[]).includes(stored)) return { code: stored as AuditReasonCode }
  const legacy = legacyAuditReasons[stored]
  return legacy ? { code: legacy } : stored
}
