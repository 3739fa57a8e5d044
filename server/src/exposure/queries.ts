import { sql, type Kysely } from 'kysely'
import type { ExposureRequest, ExposureResponse } from '@riskatlas/shared'
import { exposureRequestSchema, vulnerableCategories } from '@riskatlas/shared'
import { canSeePersonalData, type Principal } from '../auth/scope.ts'
import { defaultCoverageRules } from '../coverage/season.ts'
import type { Database } from '../db/schema.ts'
import { intersects, latitude, longitude } from '../db/postgis.ts'
import { planFromInputs, readPlanInputs, type PlanDeps } from '../evacuation/planning.ts'
import { drawnArea, hazardZonesArea, warningArea, type ResolvedArea } from '../evacuation/queries.ts'
import { hazardContacts, readPeopleForEvacuationList } from '../people/queries.ts'
import { maskPhone } from '../people/rules.ts'

type Db = Kysely<Database>

/** The area of an exposure request, checked (400 / 404 with the reason, never an empty answer). */
export async function exposureArea(db: Db, request: ExposureRequest['area'], maxKm2: number): Promise<ResolvedArea> {
  switch (request.kind) {
    case 'polygon':
      return await drawnArea(db, request.geometry, maxKm2)
    case 'warning':
      return await warningArea(db, request.warningId)
    case 'hazards':
      return await hazardZonesArea(db, request.hazardIds)
  }
}

interface FacilityRow {
  id: number
  code: string
  name: string
  kind: 'school' | 'kindergarten' | 'nursing_home' | 'hospital'
  admin_code: string | null
  lon: number
  lat: number
  pupils: number | null
  residents: number | null
  beds: number | null
  hospital_level: string | null
}

/** Schools, kindergartens, nursing homes, hospitals and clinics inside an area. */
async function exposedFacilities(db: Db, area: ResolvedArea): Promise<FacilityRow[]> {
  const { rows } = await sql<FacilityRow>`
    SELECT f.id, f.code, f.name, f.kind, f.admin_code, ${longitude(sql`f.geom`)} AS lon, ${latitude(sql`f.geom`)} AS lat,
           f.pupils, f.residents, f.beds, f.hospital_level
    FROM facilities f
    WHERE f.kind IN ('school', 'kindergarten', 'nursing_home', 'hospital') AND ${intersects(area.geometry, sql`f.geom`)}
    ORDER BY f.kind, f.code`.execute(db)
  return rows
}

/**
 * Runs CPU-bound work after the event loop has had a turn, so that queries started just before
 * are on the wire (the pool hands out its idle connections on a later tick) and the database
 * answers them while this computes.
 */
async function afterQueriesSent<T>(work: () => T): Promise<T> {
  await new Promise((resolve) => setImmediate(resolve))
  return work()
}

/**
 * `POST /api/exposure`: who and what lies in an area, and the evacuation list — each affected
 * village's move planned by the evacuation planner (the area avoided, its shelters unusable).
 * Vulnerable people are counted; they are named only through the people capability, for a
 * reader allowed personal data in the village, with an audit row.
 */
export async function computeExposure(
  db: Db,
  deps: PlanDeps,
  principal: Principal | undefined,
  input: ExposureRequest,
  action: 'list' | 'export' = 'list',
): Promise<ExposureResponse> {
  const request = exposureRequestSchema.parse(input)
  const area = await exposureArea(db, request.area, deps.evacuation.maxExposureAreaKm2)
  const planRequest = { scope: { kind: 'all' as const }, avoidFlooded: request.avoidFlooded, avoidWarned: true }
  const [inputs, facilities] = await Promise.all([readPlanInputs(db, deps, planRequest, { area }), exposedFacilities(db, area)])
  // The plan's own reads carry the villages' threats and vulnerable counts; the contacts and the
  // named people depend on those only, so they are read while the planner computes.
  const totals = inputs.vulnerable
  const threats = inputs.threats.filter((threat) => !defaultCoverageRules.ignoredHazardStatuses.includes(threat.hazardStatus))
  const hazardsByVillage = new Map<number, { id: number; code: string }[]>()
  for (const threat of threats) {
    const list = hazardsByVillage.get(threat.naturalVillageId) ?? []
    if (!list.some((h) => h.id === threat.hazardPointId)) list.push({ id: threat.hazardPointId, code: threat.hazardCode })
    hazardsByVillage.set(threat.naturalVillageId, list)
  }
  const reads = Promise.all([
    hazardContacts(db, [...new Set(threats.map((t) => t.hazardPointId))]),
    readPeopleForEvacuationList(
      db,
      principal,
      inputs.villages.map((v) => ({ id: v.id, adminCode: v.adminCode })),
      action,
    ),
  ])
  const [[contacts, named], plan] = await Promise.all([reads, afterQueriesSent(() => planFromInputs(deps, inputs).response)])

  const byCategory = (villageId: number) =>
    Object.fromEntries(vulnerableCategories.map((category) => [category, totals.get(villageId)?.byCategory[category] ?? 0])) as Record<
      string,
      number
    >
  const villages = [...plan.villages].sort((a, b) => a.code.localeCompare(b.code))
  const shelterName = new Map(plan.shelters.map((s) => [s.shelterId, s.name]))
  const inside = plan.shelters.filter((s) => s.problems.some((p) => p.code === 'shelter_in_warned_area'))
  const available = plan.shelters.filter((s) => s.usable && s.spare > 0)
  const toShelter = (s: (typeof plan.shelters)[number]) => ({
    shelterId: s.shelterId,
    code: s.code,
    name: s.name,
    location: s.location,
    capacity: s.capacity,
    spare: s.spare,
    problems: s.problems,
  })
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)
  const summaryByCategory = Object.fromEntries(
    vulnerableCategories.map((category) => [category, sum(villages.map((v) => byCategory(v.villageId)[category]!))]),
  )

  return {
    area: { kind: request.area.kind, areaKm2: Math.round(area.areaKm2 * 1000) / 1000 },
    summary: {
      villages: villages.length,
      people: sum(villages.map((v) => v.persons)),
      households: sum(villages.map((v) => v.households)),
      vulnerable: sum(villages.map((v) => totals.get(v.villageId)?.total ?? 0)),
      vulnerableByCategory: summaryByCategory,
      schools: facilities.filter((f) => f.kind === 'school').length,
      kindergartens: facilities.filter((f) => f.kind === 'kindergarten').length,
      pupils: sum(facilities.filter((f) => f.kind === 'school' || f.kind === 'kindergarten').map((f) => f.pupils ?? 0)),
      nursingHomes: facilities.filter((f) => f.kind === 'nursing_home').length,
      residents: sum(facilities.filter((f) => f.kind === 'nursing_home').map((f) => f.residents ?? 0)),
      hospitals: facilities.filter((f) => f.kind === 'hospital').length,
      sheltersInside: inside.length,
      sheltersAvailable: available.length,
      placed: plan.summary.placed,
      unplaced: plan.summary.unplaced,
    },
    villages: villages.map((v) => ({
      villageId: v.villageId,
      code: v.code,
      name: v.name,
      adminCode: v.adminCode,
      adminName: v.adminName,
      location: v.location,
      population: v.persons,
      households: v.households,
      vulnerable: totals.get(v.villageId)?.total ?? 0,
      vulnerableByCategory: byCategory(v.villageId),
    })),
    facilities: facilities.map((f) => ({
      id: f.id,
      code: f.code,
      name: f.name,
      kind: f.kind,
      adminCode: f.admin_code,
      location: [f.lon, f.lat],
      pupils: f.pupils,
      residents: f.residents,
      beds: f.beds,
      hospitalLevel: f.hospital_level,
    })),
    shelters: { inside: inside.map(toShelter), available: available.map(toShelter) },
    evacuationList: villages.map((v) => {
      const personal = canSeePersonalData(principal, v.adminCode)
      const people = named.get(v.villageId)
      return {
        villageId: v.villageId,
        code: v.code,
        name: v.name,
        adminCode: v.adminCode,
        adminName: v.adminName,
        moving: v.persons,
        households: v.households,
        destinations: plan.assignments
          .filter((a) => a.villageId === v.villageId)
          .map((a) => ({
            shelterId: a.shelterId,
            shelterName: shelterName.get(a.shelterId) ?? '',
            persons: a.persons,
            lengthM: a.lengthM,
            walkingMinutes: a.walkingMinutes,
            geometry: a.geometry,
          })),
        unplaced: v.unplaced,
        reason: v.reason,
        contacts: (hazardsByVillage.get(v.villageId) ?? []).flatMap((hazard) => {
          const c = contacts.get(hazard.id)
          if (!c) return []
          const out: { role: 'monitor' | 'hazard_responsible'; name: string; phone: string | null; hazardCode: string }[] = []
          if (c.monitorName?.trim())
            out.push({
              role: 'monitor',
              name: c.monitorName,
              phone: personal ? c.monitorPhone : maskPhone(c.monitorPhone),
              hazardCode: hazard.code,
            })
          if (c.responsibleName?.trim())
            out.push({
              role: 'hazard_responsible',
              name: c.responsibleName,
              phone: personal ? c.responsiblePhone : maskPhone(c.responsiblePhone),
              hazardCode: hazard.code,
            })
          return out
        }),
        vulnerableByCategory: byCategory(v.villageId),
        people: personal && people ? people.map((p) => ({ ...p })) : null,
      }
    }),
    named: villages.some((v) => canSeePersonalData(principal, v.adminCode) && named.has(v.villageId)),
  }
}
