import { computed, onScopeDispose, shallowRef, type ComputedRef, type ShallowRef } from 'vue'

export interface Clock {
  /** The time now, renewed at each whole second. */
  now: ShallowRef<Date>
  /** Today in the town's time zone (Asia/Shanghai), `YYYY-MM-DD`: changes at local midnight. */
  today: ComputedRef<string>
}

/**
 * A wall clock that does not drift: every tick reads the system time afresh and the next tick is
 * scheduled for the next whole second (a `setInterval(…, 1000)` slips a few ms a tick and falls
 * behind over days). One timer, cleared when the owning scope ends.
 */
export function useClock(): Clock {
  const now = shallowRef(new Date())
  let timer: ReturnType<typeof setTimeout> | undefined
  const tick = () => {
    now.value = new Date()
    timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 2)
  }
  timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 2)
  onScopeDispose(() => clearTimeout(timer))
  return { now, today: computed(() => todayInBeijing(now.value)) }
}

/** A date as `YYYY-MM-DD` in the town's time zone. */
export function todayInBeijing(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

const monthDayTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

/** A moment as `12/3 21:41` (month/day hh:mm) in the town's time zone: validity, deadlines, reports. */
export function dateTimeText(iso: string): string {
  return monthDayTime.format(new Date(iso))
}

/** `hh:mm` (and `:ss`) in the town's time zone, 24-hour. */
export function clockText(date: Date, seconds = true): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Shanghai',
    hour: '2-digit',
    minute: '2-digit',
    ...(seconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
  }).format(date)
}
