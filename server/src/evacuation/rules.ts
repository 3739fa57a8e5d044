import type { Reason } from '@riskatlas/shared'

/** The evacuation settings (DESIGN.md, issue 12): every figure configurable, these are the defaults. */
export interface EvacuationSettings {
  /** A village or shelter farther than this from every road is off the network. */
  snapDistanceM: number
  /** Square metres per person for a shelter's area capacity. */
  m2PerPerson: number
  walkingSpeedKmh: number
  /** The norm a route is audited against: at most this long … */
  normLengthM: number
  /** … and at most this many minutes on foot. */
  normMinutes: number
  /** A stored route's ends farther than this from a road are off the network. */
  routeEndToleranceM: number
  /** The largest area an exposure query accepts, in km². */
  maxExposureAreaKm2: number
  /** How many nearest shelters an overflow lists. */
  nearestShelters: number
}

export const defaultEvacuationSettings: EvacuationSettings = {
  snapDistanceM: 500,
  m2PerPerson: 2,
  walkingSpeedKmh: 4,
  normLengthM: 2000,
  normMinutes: 30,
  routeEndToleranceM: 50,
  maxExposureAreaKm2: 300,
  nearestShelters: 3,
}

/** Metres per minute at a speed in km/h. */
export const metresPerMinute = (kmh: number) => (kmh * 1000) / 60

export const walkingMinutes = (lengthM: number, kmh: number) => Math.round((lengthM / metresPerMinute(kmh)) * 10) / 10

/**
 * A shelter's effective capacity: the smaller of the persons declared and its area ÷ m² per
 * person; either alone when the other is not recorded; 0 when neither is.
 */
export function effectiveCapacity(declared: number | null, areaM2: number | null, m2PerPerson: number): number {
  const byArea = areaM2 === null ? null : Math.floor(areaM2 / m2PerPerson)
  if (declared === null) return byArea ?? 0
  if (byArea === null) return declared
  return Math.min(declared, byArea)
}

export interface ShelterState {
  open: boolean
  /** Codes of the danger zones (hazard points) it lies in. */
  dangerZones: readonly string[]
  inWarnedArea: boolean
  capacity: number
}

/** Why a shelter cannot take anyone (empty: usable). */
export function shelterProblems(shelter: ShelterState): Reason[] {
  const problems: Reason[] = []
  if (!shelter.open) problems.push({ code: 'shelter_closed', params: {} })
  if (shelter.dangerZones.length > 0) problems.push({ code: 'shelter_in_danger_zone', params: { zones: [...shelter.dangerZones] } })
  if (shelter.inWarnedArea) problems.push({ code: 'shelter_in_warned_area', params: {} })
  if (shelter.capacity <= 0) problems.push({ code: 'shelter_no_capacity', params: {} })
  return problems
}
