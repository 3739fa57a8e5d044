import type { CommandOverview } from '@riskatlas/shared'
import { api, ok, withSignal } from './client.ts'

/**
 * Everything the big screen shows, as counts: `GET /api/command/overview` (the shared
 * `commandOverviewSchema`), assembled on the server in one read. `hiddenDangers` is null where
 * the screen's role cannot read the ledger.
 */
export type ScreenOverview = CommandOverview

/** The overview in one request (the server caches it per data version). */
export function fetchCommandOverview(signal?: AbortSignal): Promise<ScreenOverview> {
  return ok(api.command.overview.$get(undefined, withSignal(signal)))
}
