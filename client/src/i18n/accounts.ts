import type { PrincipalView } from '@riskatlas/shared'
import { defineMessages } from './core.ts'
import { useI18n, type I18n } from './useI18n.ts'

/**
 * Strings of the app chrome that concern accounts: the user menu and the account views' nav.
 * They load with the map, so only what the chrome needs lives here; the sign-in page, the
 * no-access notice, the people and admin views keep theirs in lazily loaded files.
 */
export const accountZh = {
  signIn: '登录',
  signOut: '退出登录',
  signedInAs: '当前账号',
  userMenu: '账号菜单',
  roleAdmin: '管理员',
  roleEditor: '编辑',
  roleViewer: '查看者',
  roleDisplay: '大屏',
  scopeTown: '全镇',
  scopeVillages: '限 {count} 个行政村',
  navMap: '一张图',
  navCoverage: '演练覆盖',
  navEvacuation: '转移避险',
  navDrills: '演练计划',
  navWarnings: '预警发布',
  navReport: '转移上报',
  navCommand: '指挥大屏',
  navPeople: '特殊人群',
  navLedger: '隐患台账',
  navSummary: '工作总结',
  navLists: '四张清单',
  navData: '数据导入',
  navAdmin: '系统管理',
  villageCard: '避险明白卡',
  villagePlanner: '演练计划',
  villageCoverage: '演练覆盖',
  villageLinks: '本村',
} as const

export type AccountMessageKey = keyof typeof accountZh

export const accountEn: Record<AccountMessageKey, string> = {
  signIn: 'Sign in',
  signOut: 'Sign out',
  signedInAs: 'Signed in as',
  userMenu: 'Account menu',
  roleAdmin: 'Administrator',
  roleEditor: 'Editor',
  roleViewer: 'Viewer',
  roleDisplay: 'Big screen',
  scopeTown: 'Whole town',
  scopeVillages: 'Limited to {count} administrative villages',
  navMap: 'One map',
  navCoverage: 'Drill coverage',
  navEvacuation: 'Evacuation',
  navDrills: 'Drill planner',
  navWarnings: 'Warnings',
  navReport: 'Progress report',
  navCommand: 'Command screen',
  navPeople: 'Vulnerable people',
  navLedger: 'Safety ledger',
  navSummary: 'Work summary',
  navLists: 'Four lists',
  navData: 'Import data',
  navAdmin: 'Administration',
  villageCard: 'Evacuation card',
  villagePlanner: 'Drill planner',
  villageCoverage: 'Drill coverage',
  villageLinks: 'This village',
}

const roleKeys: Record<PrincipalView['role'], AccountMessageKey> = {
  admin: 'roleAdmin',
  editor: 'roleEditor',
  viewer: 'roleViewer',
  display: 'roleDisplay',
}

const accountText = defineMessages('accounts', accountZh, accountEn)

export interface AccountI18n extends I18n {
  /** An account string in the current language. */
  ta: (key: AccountMessageKey, params?: Record<string, string | number>) => string
  roleLabel: (role: PrincipalView['role']) => string
}

/** The workspace's i18n plus the account strings, following the same locale switch. */
export function useAccountI18n(): AccountI18n {
  const base = useI18n()
  const ta = accountText
  return {
    ...base,
    ta,
    roleLabel: (role) => ta(roleKeys[role]),
  }
}
