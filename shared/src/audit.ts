import type { Bilingual } from './i18n.ts'

/** What an audit-log entry records: the action, the subject it was done to, the reason. */
export const auditActions = ['login', 'logout', 'list', 'read', 'export', 'create', 'update', 'delete', 'revoke'] as const
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
}

/** The reasons the server writes by itself (a reason a user typed is shown as written). */
export const auditReasonLabels: Record<string, Bilingual> = {
  'list view': { zh: '列表查看', en: 'List view' },
  export: { zh: '导出', en: 'Export' },
  'record view': { zh: '查看单条记录', en: 'Record view' },
  'recorded as held': { zh: '记录为已实施', en: 'Recorded as held' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
  're-planned': { zh: '重新安排', en: 'Re-planned' },
  edited: { zh: '修改记录', en: 'Edited' },
  'evacuation card (避险明白卡)': { zh: '打印避险明白卡', en: 'Evacuation card' },
  'warning issued': { zh: '发布预警', en: 'Warning issued' },
  'warning lifted': { zh: '解除预警', en: 'Warning lifted' },
  'warning contacts': { zh: '查看预警联系人', en: 'Warning contacts' },
  'import committed': { zh: '导入提交', en: 'Import committed' },
  'progress reported': { zh: '上报转移进度', en: 'Progress reported' },
  'shelter check-in reported': { zh: '上报安置点入住人数', en: 'Shelter check-in reported' },
  'instruction sent': { zh: '下达指令', en: 'Instruction sent' },
  'instruction acknowledged': { zh: '签收指令', en: 'Instruction acknowledged' },
  'display setup code issued': { zh: '生成大屏配对码', en: 'Display setup code issued' },
  'display signed in': { zh: '大屏已配对', en: 'Display signed in' },
  'import undone': { zh: '导入撤销', en: 'Import undone' },
  'status change': { zh: '状态变更', en: 'Status change' },
  'photo uploaded': { zh: '上传照片', en: 'Photo uploaded' },
  'ledger contacts': { zh: '查看台账联系人', en: 'Ledger contacts' },
  'evacuation list (转移名单)': { zh: '查看转移名单', en: 'Evacuation list' },
}
