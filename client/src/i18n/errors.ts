import { errorCodes, type ErrorCode } from '@riskatlas/shared'
import { ApiError } from '../api/http.ts'
import { defineMessages, locale, type Locale } from './core.ts'

/**
 * How the client words a failed request. The server's `error.message` is English prose for
 * developers and logs; what a user reads is phrased here from the error's `code` (and, where
 * it says more, its `details`), in the app's locale. A code the client does not know yet falls
 * back to a phrase for its HTTP status; a request that never reached the server says so.
 * Nothing here ever shows the server's own text.
 */
const errorText = defineMessages(
  'errors',
  {
    bad_request: '请求无法识别，请刷新页面后重试',
    validation_failed: '提交的内容不符合要求，请检查后重试',
    validationFailedCount: '提交的内容有 {count} 处不符合要求，请检查后重试',
    unauthorized: '请先登录',
    forbidden: '当前账号无权进行此操作',
    csrf_failed: '页面已过期，请刷新后重试',
    not_found: '要找的内容不存在或已被删除',
    notFoundIds: '找不到编号为 {ids} 的记录',
    method_not_allowed: '不支持此操作',
    conflict: '与现有数据冲突（可能已被他人修改），请刷新后重试',
    conflictHeldDrill: '这次演练已实施，不能再改为其他状态；请修改记录或删除',
    payload_too_large: '文件或内容过大',
    unreadable_file: '文件无法读取',
    unreadableFileCrs: '文件缺少或无法使用坐标系（.prj），请选择坐标系后重试',
    unsupported_media_type: '不支持此文件类型',
    backup_refused: '无法恢复此备份，现有数据未改动',
    backupNotABackup: '这不是 RiskAtlas 备份文件，现有数据未改动',
    backupCorrupt: '备份文件已损坏，现有数据未改动',
    backupNewer: '备份来自更新版本的 RiskAtlas，请先升级本系统；现有数据未改动',
    backupSchema: '备份的数据结构与本系统版本不一致，请用生成该备份的版本恢复；现有数据未改动',
    rate_limited: '操作过于频繁，请稍后再试',
    rateLimitedFor: '操作过于频繁，请在 {seconds} 秒后重试',
    database_unavailable: '数据库暂时无法连接，请稍后重试',
    internal_error: '服务器出现内部错误（已记录），请稍后重试',
    status400: '请求有误，请检查后重试',
    status401: '请先登录',
    status403: '当前账号无权进行此操作',
    status404: '要找的内容不存在',
    status409: '与现有数据冲突，请刷新后重试',
    status413: '文件或内容过大',
    status415: '不支持此文件类型',
    status422: '内容无法处理',
    status429: '操作过于频繁，请稍后再试',
    status4xx: '请求被拒绝（HTTP {status}）',
    status5xx: '服务器暂时无法处理请求（HTTP {status}），请稍后重试',
    unreachable: '无法连接服务器，请检查网络后重试',
    unexpected: '出现意外错误，请刷新页面后重试',
  },
  {
    bad_request: 'The request could not be understood; reload the page and try again',
    validation_failed: 'Some of what was sent is not acceptable; check it and try again',
    validationFailedCount: '{count} entries are not acceptable; check them and try again',
    unauthorized: 'Please sign in',
    forbidden: 'Your account may not do this',
    csrf_failed: 'The page has expired; reload it and try again',
    not_found: 'What you asked for does not exist or has been deleted',
    notFoundIds: 'No record with the id {ids}',
    method_not_allowed: 'This operation is not supported',
    conflict: 'This clashes with the current data (someone may have changed it); reload and try again',
    conflictHeldDrill: 'This drill has been held and cannot change status; correct its record or delete it',
    payload_too_large: 'The file or content is too large',
    unreadable_file: 'The file cannot be read',
    unreadableFileCrs: 'The file has no usable coordinate system (.prj); choose one and try again',
    unsupported_media_type: 'This kind of file is not supported',
    backup_refused: 'This backup cannot be restored; the current data is unchanged',
    backupNotABackup: 'This is not a RiskAtlas backup; the current data is unchanged',
    backupCorrupt: 'The backup file is damaged; the current data is unchanged',
    backupNewer: 'The backup comes from a newer RiskAtlas; upgrade this one first. The current data is unchanged',
    backupSchema:
      'The backup’s data structure does not match this version; restore it with the version that made it. The current data is unchanged',
    rate_limited: 'Too many attempts; try again shortly',
    rateLimitedFor: 'Too many attempts; try again in {seconds} s',
    database_unavailable: 'The database cannot be reached at the moment; try again shortly',
    internal_error: 'The server hit an internal error (it has been logged); try again shortly',
    status400: 'The request was not acceptable; check it and try again',
    status401: 'Please sign in',
    status403: 'Your account may not do this',
    status404: 'What you asked for does not exist',
    status409: 'This clashes with the current data; reload and try again',
    status413: 'The file or content is too large',
    status415: 'This kind of file is not supported',
    status422: 'The content cannot be processed',
    status429: 'Too many attempts; try again shortly',
    status4xx: 'The request was refused (HTTP {status})',
    status5xx: 'The server cannot handle the request at the moment (HTTP {status}); try again shortly',
    unreachable: 'The server cannot be reached; check the network and try again',
    unexpected: 'Something unexpected went wrong; reload the page and try again',
  },
)

type StatusKey = 'status400' | 'status401' | 'status403' | 'status404' | 'status409' | 'status413' | 'status415' | 'status422' | 'status429'
const statusKeys: Record<number, StatusKey> = {
  400: 'status400',
  401: 'status401',
  403: 'status403',
  404: 'status404',
  409: 'status409',
  413: 'status413',
  415: 'status415',
  422: 'status422',
  429: 'status429',
}

const backupRefusalKeys: Record<string, 'backupNotABackup' | 'backupCorrupt' | 'backupNewer' | 'backupSchema'> = {
  not_a_backup: 'backupNotABackup',
  corrupt: 'backupCorrupt',
  checksum_mismatch: 'backupCorrupt',
  newer_format: 'backupNewer',
  schema_mismatch: 'backupSchema',
}

const knownCodes = new Set<string>(errorCodes)
const isKnownCode = (code: string): code is ErrorCode => knownCodes.has(code)
const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}

/** The phrase for a code the client knows, refined by the details where they say more. */
function phraseCode(lang: Locale, code: ErrorCode, details: Record<string, unknown>): string {
  switch (code) {
    case 'validation_failed': {
      const issues = details.issues
      return Array.isArray(issues) && issues.length > 1
        ? errorText.in(lang, 'validationFailedCount', { count: issues.length })
        : errorText.in(lang, 'validation_failed')
    }
    case 'not_found': {
      const ids = details.unknownIds
      return Array.isArray(ids) && ids.length > 0 && ids.every((id) => typeof id === 'number' || typeof id === 'string')
        ? errorText.in(lang, 'notFoundIds', { ids: ids.join(lang === 'zh' ? '、' : ', ') })
        : errorText.in(lang, 'not_found')
    }
    case 'conflict':
      return details.status === 'held' ? errorText.in(lang, 'conflictHeldDrill') : errorText.in(lang, 'conflict')
    case 'unreadable_file':
      return details.code === 'crs_required' || details.code === 'unsupported_crs'
        ? errorText.in(lang, 'unreadableFileCrs')
        : errorText.in(lang, 'unreadable_file')
    case 'backup_refused':
      return errorText.in(lang, backupRefusalKeys[String(details.reason)] ?? 'backup_refused')
    case 'rate_limited': {
      const seconds = details.retryAfterSeconds
      return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0
        ? errorText.in(lang, 'rateLimitedFor', { seconds: Math.ceil(seconds) })
        : errorText.in(lang, 'rate_limited')
    }
    default:
      return errorText.in(lang, code)
  }
}

/** The generic phrase for an HTTP status, for a code the client does not know. */
export function phraseStatus(status: number, lang: Locale = locale.value): string {
  const key = statusKeys[status]
  if (key) return errorText.in(lang, key)
  if (status >= 500) return errorText.in(lang, 'status5xx', { status })
  return errorText.in(lang, 'status4xx', { status })
}

/**
 * What to tell the user about a failure, in `lang` (the app's locale by default): a server
 * answer is phrased from its code and details, a fetch that never reached the server says the
 * server is unreachable, anything else is "something unexpected". Never the server's English text.
 */
export function describeError(failure: unknown, lang: Locale = locale.value): string {
  if (failure instanceof ApiError) {
    return isKnownCode(failure.code) ? phraseCode(lang, failure.code, record(failure.details)) : phraseStatus(failure.status, lang)
  }
  // `fetch` rejects with a TypeError when the request never got an answer (offline, server down).
  if (failure instanceof TypeError) return errorText.in(lang, 'unreachable')
  return errorText.in(lang, 'unexpected')
}
