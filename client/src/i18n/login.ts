import { defineMessages } from './core.ts'
import { useAccountI18n, type AccountI18n } from './accounts.ts'

/** The sign-in page and the no-access notice (loaded with them, not with the map). */
export const loginZh = {
  noAccessTitle: '无权限',
  noAccessBody: '当前账号（{role}）无权查看此页面。如需访问，请联系管理员调整角色。',
  noAccessNeeds: '此页面需要{roles}权限。',
  noAccessBack: '返回一张图',
  noAccessSwitch: '换个账号登录',
  // Sign-in page
  loginTitle: '登录 RiskAtlas',
  loginSubtitle: '乡镇灾害风险一张图 · 应急办与村干部使用',
  username: '用户名',
  password: '密码',
  showPassword: '显示密码',
  hidePassword: '隐藏密码',
  loginSubmit: '登录',
  loggingIn: '正在登录…',
  usernameRequired: '请输入用户名',
  passwordRequired: '请输入密码',
  wrongCredentials: '用户名或密码错误',
  tooManyAttempts: '登录尝试次数过多，请在 {time}后再试',
  minutesSeconds: '{minutes} 分 {seconds} 秒',
  seconds: '{seconds} 秒',
  loginFailed: '登录失败：{message}',
  serverUnreachable: '无法连接服务器，请检查网络后重试',
  alreadySignedIn: '您已登录为 {name}（{role}）。',
  continue: '继续',
  loginNeededFor: '请先登录，登录后将返回刚才的页面。',
  anonymousHint: '不登录也可查看一张图上的公开图层。',
} as const

export type LoginMessageKey = keyof typeof loginZh

export const loginEn: Record<LoginMessageKey, string> = {
  noAccessTitle: 'No access',
  noAccessBody: 'Your account ({role}) may not see this page. Ask an administrator to change your role if you need it.',
  noAccessNeeds: 'This page needs the {roles} role.',
  noAccessBack: 'Back to the map',
  noAccessSwitch: 'Sign in with another account',
  loginTitle: 'Sign in to RiskAtlas',
  loginSubtitle: 'Township disaster-risk map · for the emergency office and village cadres',
  username: 'Username',
  password: 'Password',
  showPassword: 'Show password',
  hidePassword: 'Hide password',
  loginSubmit: 'Sign in',
  loggingIn: 'Signing in…',
  usernameRequired: 'Enter your username',
  passwordRequired: 'Enter your password',
  wrongCredentials: 'Wrong username or password',
  tooManyAttempts: 'Too many sign-in attempts; try again in {time}',
  minutesSeconds: '{minutes} min {seconds} s',
  seconds: '{seconds} s',
  loginFailed: 'Could not sign in: {message}',
  serverUnreachable: 'The server cannot be reached; check the network and try again',
  alreadySignedIn: 'You are signed in as {name} ({role}).',
  continue: 'Continue',
  loginNeededFor: 'Please sign in; you will come back to the page you asked for.',
  anonymousHint: 'The public layers of the map can be seen without signing in.',
}

const loginText = defineMessages('login', loginZh, loginEn)

export interface LoginI18n extends AccountI18n {
  tl: (key: LoginMessageKey, params?: Record<string, string | number>) => string
  /** "12 分 30 秒" / "45 秒" for a wait in seconds. */
  waitLabel: (seconds: number) => string
}

export function useLoginI18n(): LoginI18n {
  const base = useAccountI18n()
  const tl = loginText
  return {
    ...base,
    tl,
    waitLabel: (total) => {
      const whole = Math.max(0, Math.ceil(total))
      const minutes = Math.floor(whole / 60)
      const seconds = whole % 60
      return minutes > 0 ? tl('minutesSeconds', { minutes, seconds }) : tl('seconds', { seconds })
    },
  }
}
