import {
  evacuationStages,
  type Contact,
  type CoverageReason,
  type EvacuationCard,
  type FloodSeason,
  type WarningLevel,
  type WarningStage,
} from '@riskatlas/shared'
import { canSeePersonalData, type Principal } from '../auth/scope.ts'
import { drillHistory, drillReasons, groupBy, seasonStatus, type DrillRow, type ThreatRow } from '../coverage/rules.ts'
import type { CoverageRules } from '../coverage/season.ts'
import type { CardPerson, HazardContacts, VillageVulnerableTotals } from '../people/queries.ts'
import { maskPhone } from '../people/rules.ts'

/**
 * The evacuation card (避险明白卡 / 村级转移预案卡) put together from what `villages/queries.ts`
 * read: pure, so what a card says — who moves, where to, whom to call, what is masked — is
 * decided in one place that needs no database.
 */
type Lonlat = [number, number]
export type InsetBox = [number, number, number, number]

export interface CardVillage {
  id: number
  code: string
  name: string
  adminCode: string
  adminName: string
  townName: string | null
  population: number
  households: number
  lon: number
  lat: number
  /** GeoJSON text of the boundary (or the point when it has none). */
  geometry: string
}

export interface CardHazard {
  id: number
  threatenedPeople: number
  lon: number
  lat: number
  dangerZone: string | null
}

export interface CardRoute {
  naturalVillageId: number
  id: number
  lengthM: number
  walkingMinutes: number
  geometry: string
  shelterId: number
  shelterCode: string
  shelterName: string
  shelterAddress: string | null
  capacityPersons: number | null
  areaM2: number | null
  shelterLon: number
  shelterLat: number
}

/** Everything the cards of a set of villages are made from, keyed or tagged by natural village. */
export interface CardFacts {
  season: FloodSeason
  today: string
  principal: Principal | undefined
  reasons: ReadonlyMap<number, CoverageReason[]>
  drills: readonly DrillRow[]
  hazards: readonly CardHazard[]
  contacts: ReadonlyMap<number, HazardContacts>
  routes: readonly CardRoute[]
  /** Named vulnerable people, only for villages the caller may see personally. */
  named: ReadonlyMap<number, CardPerson[]>
  vulnerable: ReadonlyMap<number, VillageVulnerableTotals>
  warnings: readonly { naturalVillageId: number; title: string; level: WarningLevel; stage: WarningStage; validTo: string }[]
  speakers: readonly { naturalVillageId: number; name: string; distanceM: number }[]
  frames: ReadonlyMap<number, InsetBox>
  lines: readonly { villageId: number; layer: 'roads' | 'rivers'; class: string; geometry: string | null }[]
}

/** Each village's drill reasons (the coverage rule), for every village asked about. */
export function cardReasons(
  villageIds: readonly number[],
  threats: readonly ThreatRow[],
  rules: CoverageRules,
): Map<number, CoverageReason[]> {
  const byVillage = groupBy(threats, (threat) => threat.naturalVillageId)
  return new Map(villageIds.map((id) => [id, drillReasons(byVillage.get(id) ?? [], rules)]))
}

/** A contact as the caller may see it: the full phone only with personal-data rights, otherwise 138****1234. */
function contact(
  role: Contact['role'],
  name: string | null,
  phone: string | null,
  forWhat: string | null,
  personal: boolean,
): Contact | null {
  if (!name || name.trim() === '') return null
  return { role, name, phone: personal ? phone : maskPhone(phone), phoneMasked: !personal && phone !== null, for: forWhat }
}

/**
 * One village's card: its threats, routes and shelters, who moves (counts), when (the two
 * stages), and whom to call. Phones are masked and vulnerable people left unnamed unless the
 * caller may see personal data in the village.
 */
export function assembleCard(village: CardVillage, facts: CardFacts): EvacuationCard {
  const personal = canSeePersonalData(facts.principal, village.adminCode)
  const reasons = facts.reasons.get(village.id) ?? []
  const drills = facts.drills.filter((drill) => drill.naturalVillageId === village.id)
  const { status, seasonDrill } = seasonStatus(reasons.length > 0, drills, facts.season, facts.today)
  const { lastDrill } = drillHistory(drills, facts.season, facts.today)
  const organiserDrill = drills.find((drill) => drill.id === (seasonDrill ?? lastDrill)?.id)
  const hazardById = new Map(facts.hazards.map((hazard) => [hazard.id, hazard]))
  const people = facts.named.get(village.id) ?? []

  const contacts: Contact[] = []
  const seen = new Set<string>()
  const add = (entry: Contact | null) => {
    if (!entry || seen.has(`${entry.role}:${entry.name}`)) return
    seen.add(`${entry.role}:${entry.name}`)
    contacts.push(entry)
  }
  for (const reason of reasons) {
    const hazard = facts.contacts.get(reason.hazardPointId)
    if (!hazard) continue
    add(contact('monitor', hazard.monitorName, hazard.monitorPhone, reason.hazardCode, personal))
    add(contact('hazard_responsible', hazard.responsibleName, hazard.responsiblePhone, reason.hazardCode, personal))
  }
  add(contact('drill_organiser', organiserDrill?.organiser ?? null, null, null, personal))
  const byResponsible = new Map<string, { phone: string | null; n: number }>()
  for (const person of people) {
    if (!person.responsibleName?.trim()) continue
    const entry = byResponsible.get(person.responsibleName) ?? { phone: person.responsiblePhone, n: 0 }
    entry.n += 1
    byResponsible.set(person.responsibleName, entry)
  }
  for (const [name, entry] of byResponsible) add(contact('vulnerable_responsible', name, entry.phone, String(entry.n), personal))

  const totals = facts.vulnerable.get(village.id)
  const firstResponsible =
    reasons.map((reason) => facts.contacts.get(reason.hazardPointId)).find((hazard) => hazard?.responsibleName?.trim())?.responsibleName ??
    null
  const [xmin, ymin, xmax, ymax] = facts.frames.get(village.id)!
  const lines = facts.lines.filter((line) => line.villageId === village.id && line.geometry)

  return {
    village: {
      id: village.id,
      code: village.code,
      name: village.name,
      adminCode: village.adminCode,
      adminName: village.adminName,
      townName: village.townName,
      population: village.population,
      households: village.households,
      location: [village.lon, village.lat],
      geometry: JSON.parse(village.geometry),
    },
    coverage: { required: reasons.length > 0, status, season: facts.season },
    threats: reasons.map((reason) => {
      const hazard = hazardById.get(reason.hazardPointId)
      return {
        ...reason,
        threatenedPeople: hazard?.threatenedPeople ?? 0,
        dangerZone: hazard?.dangerZone ? JSON.parse(hazard.dangerZone) : null,
        location: [hazard?.lon ?? village.lon, hazard?.lat ?? village.lat] as Lonlat,
      }
    }),
    routes: facts.routes
      .filter((route) => route.naturalVillageId === village.id)
      .map((route) => ({
        id: route.id,
        lengthM: Math.round(route.lengthM),
        walkingMinutes: Math.round(route.walkingMinutes),
        geometry: JSON.parse(route.geometry),
        shelter: {
          id: route.shelterId,
          code: route.shelterCode,
          name: route.shelterName,
          address: route.shelterAddress,
          capacityPersons: route.capacityPersons,
          areaM2: route.areaM2,
          location: [route.shelterLon, route.shelterLat] as Lonlat,
        },
      })),
    movers: {
      population: village.population,
      households: village.households,
      vulnerable: { elderly: 0, disabled: 0, sick: 0, child: 0, pregnant: 0, ...totals?.byCategory },
      vulnerableTotal: totals?.total ?? 0,
      vulnerableWithoutResponsible: totals?.withoutResponsible ?? 0,
    },
    vulnerablePeople: personal ? people.map((person) => ({ ...person })) : null,
    organiser: organiserDrill?.organiser ?? firstResponsible,
    contacts,
    stages: evacuationStages.map((stage) => ({ ...stage })),
    activeWarnings: facts.warnings
      .filter((warning) => warning.naturalVillageId === village.id)
      .map(({ title, level, stage, validTo }) => ({ title, level, stage, validTo })),
    broadcastSpeakers: facts.speakers
      .filter((speaker) => speaker.naturalVillageId === village.id)
      .map((speaker) => ({ name: speaker.name, distanceM: Math.round(speaker.distanceM) })),
    context: {
      bbox: [xmin, ymin, xmax, ymax],
      roads: lines.filter((line) => line.layer === 'roads').map((line) => ({ class: line.class, geometry: JSON.parse(line.geometry!) })),
      rivers: lines.filter((line) => line.layer === 'rivers').map((line) => ({ class: line.class, geometry: JSON.parse(line.geometry!) })),
    },
    personalData: personal,
    generatedOn: facts.today,
  }
}
