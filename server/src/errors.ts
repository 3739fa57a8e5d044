import type { ErrorCode } from '@riskatlas/shared'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** The one error type domain code throws; `onError` turns it into `{ error: { code, message, details } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export class Invalid extends ApiError {
  constructor(message: string, details?: unknown) {
    super(400, 'validation_failed', message, details)
  }
}

export class NotFound extends ApiError {
  constructor(message: string, details?: unknown) {
    super(404, 'not_found', message, details)
  }
}

export class Conflict extends ApiError {
  constructor(message: string, details?: unknown) {
    super(409, 'conflict', message, details)
  }
}

export class DatabaseUnavailable extends ApiError {
  constructor() {
    super(503, 'database_unavailable', 'The database is not reachable at the moment; try again shortly.')
  }
}

const connectionErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08006', // connection exceptions
  '57014', // query_canceled: statement_timeout
])

/** True for errors that mean "the database is away", as opposed to a bad query. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && connectionErrorCodes.has(code)) return true
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connect ECONNREFUSED|Query read timeout/i.test(
    error.message,
  )
}
