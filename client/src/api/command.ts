import type {
  CommandOverview,
  DisplaySession,
  DisplaySetupCode,
  EvacuationProgress,
  Instruction,
  ShelterProgress,
  VillageProgress,
  VillageProgressReport,
} from '@riskatlas/shared'
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

/** The newest active 立即转移 warning's progress (404 `not_found` when there is none). */
export function fetchEvacuationProgress(signal?: AbortSignal): Promise<EvacuationProgress> {
  return ok(api.evacuation.progress.$get({ query: {} }, withSignal(signal)))
}

/** A cadre's report of a natural village (the whole record); the server checks the village is theirs. */
export function reportVillageProgress(warningId: number, villageId: number, report: VillageProgressReport): Promise<VillageProgress> {
  return ok(
    api.evacuation.progress[':warningId'].villages[':villageId'].$put({
      param: { warningId: String(warningId), villageId: String(villageId) },
      json: report,
    }),
  )
}

/** A shelter's people checked in under a warning (the figure as it stands now); the server checks the shelter is the cadre's. */
export function reportShelterCheckIn(warningId: number, shelterId: number, checkedIn: number): Promise<ShelterProgress> {
  return ok(
    api.evacuation.progress[':warningId'].shelters[':shelterId'].$put({
      param: { warningId: String(warningId), shelterId: String(shelterId) },
      json: { checkedIn },
    }),
  )
}

/** The command's latest instructions, newest first. */
export async function fetchInstructions(signal?: AbortSignal): Promise<Instruction[]> {
  return (await ok(api.instructions.$get({ query: { limit: '50' } }, withSignal(signal)))).instructions
}

/** An administrative village acknowledges an instruction (a repeat keeps the first time). */
export function acknowledgeInstruction(id: number, adminCode: string): Promise<Instruction> {
  return ok(api.instructions[':id'].ack.$post({ param: { id: String(id) }, json: { adminCode } }))
}

/** A one-time setup code (and link) for a big screen (admin). */
export function issueSetupCode(displayTokenId: number): Promise<DisplaySetupCode> {
  return ok(api['display-tokens'][':id']['setup-code'].$post({ param: { id: String(displayTokenId) } }))
}

/** A screen exchanges its setup code for an HttpOnly cookie session. */
export function startDisplaySession(code: string): Promise<DisplaySession> {
  return ok(api['display-session'].$post({ json: { code } }))
}
