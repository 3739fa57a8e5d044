import type { Ref } from 'vue'
import { useMediaQuery } from '@vueuse/core'
import { useRouteQuery } from '@vueuse/router'

/**
 * View state kept in the URL (so a view can be bookmarked or sent) and the layout state of the
 * screen, through VueUse: `useRouteQuery` writes with `router.replace` (no history entries) and
 * batches several changes in one tick into one navigation.
 */

/** A whole number in `?name=`, undefined when absent or not a number above `min`. */
export function useNumberQuery(name: string, min = 0): Ref<number | undefined> {
  return useRouteQuery<string | undefined, number | undefined>(name, undefined, {
    transform: {
      get: (value) => {
        const parsed = Number(value)
        return value !== undefined && Number.isInteger(parsed) && parsed > min ? parsed : undefined
      },
      set: (value) => (value === undefined ? undefined : (String(value) as never)),
    },
  })
}

/** Text in `?name=`, undefined when absent. */
export function useTextQuery(name: string): Ref<string | undefined> {
  return useRouteQuery<string | undefined>(name, undefined, {
    transform: { get: (value) => (typeof value === 'string' && value !== '' ? value : undefined), set: (value) => value || undefined },
  })
}

/** True on a phone-sized screen; follows rotation and window resizes. */
export function usePhoneLayout(): Readonly<Ref<boolean>> {
  return useMediaQuery('(max-width: 720px)')
}
