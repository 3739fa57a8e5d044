import { dayNumber, isoDate, weekdayMondayFirst, withinDates, type Drill } from '@riskatlas/shared'

export interface CalendarDay {
  date: string
  /** Day of the month, 1–31. */
  day: number
  inSeason: boolean
  planned: number
  held: number
  /** Planned drills whose date has passed without being held. */
  overdue: number
}

export interface CalendarMonth {
  /** `YYYY-MM`. */
  month: string
  /** Weeks Monday first; `null` pads the days of other months. */
  weeks: (CalendarDay | null)[][]
}

/** The date a drill shows on: when held, its held date; otherwise its planned date. */
export function drillDate(drill: Pick<Drill, 'status' | 'plannedOn' | 'heldOn'>): string | null {
  return drill.status === 'held' ? drill.heldOn : drill.plannedOn
}

/**
 * The months of a flood season as calendar grids (Monday first) with the planned and held
 * drills counted per day. Cancelled drills are left out: they count as nothing.
 */
export function seasonCalendar(season: { startsOn: string; endsOn: string }, drills: readonly Drill[], today: string): CalendarMonth[] {
  const counts = new Map<string, { planned: number; held: number; overdue: number }>()
  for (const drill of drills) {
    const date = drillDate(drill)
    if (!date || drill.status === 'cancelled') continue
    const entry = counts.get(date) ?? { planned: 0, held: 0, overdue: 0 }
    if (drill.status === 'held') entry.held += 1
    else if (date < today) entry.overdue += 1
    else entry.planned += 1
    counts.set(date, entry)
  }
  const months: CalendarMonth[] = []
  const first = dayNumber(`${season.startsOn.slice(0, 7)}-01`)
  const last = dayNumber(season.endsOn)
  for (let day = first; day <= last;) {
    const month = isoDate(day).slice(0, 7)
    const weeks: (CalendarDay | null)[][] = []
    let week: (CalendarDay | null)[] = Array.from({ length: weekdayMondayFirst(isoDate(day)) }, () => null)
    for (; isoDate(day).slice(0, 7) === month; day++) {
      const date = isoDate(day)
      week.push({
        date,
        day: Number(date.slice(8)),
        inSeason: withinDates(date, season),
        planned: 0,
        held: 0,
        overdue: 0,
        ...counts.get(date),
      })
      if (week.length === 7) {
        weeks.push(week)
        week = []
      }
    }
    if (week.length > 0) weeks.push([...week, ...Array.from({ length: 7 - week.length }, () => null)])
    months.push({ month, weeks })
  }
  return months
}
