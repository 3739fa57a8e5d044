import type { PeriodQuery } from '@riskatlas/shared'

/** `?year=2023` is 1 January – 31 December; `?from=&to=` any period (both days included). */
export function periodOf(query: PeriodQuery): { from: string; to: string; year: number | null } {
  if (query.from && query.to) return { from: query.from, to: query.to, year: query.year ?? null }
  const year = query.year!
  return { from: `${year}-01-01`, to: `${year}-12-31`, year }
}
