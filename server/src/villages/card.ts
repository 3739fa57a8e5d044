import { sql, type Kysely } from 'kysely'
import { evacuationStages, vulnerableCategories, type Contact, type EvacuationCard, type VulnerableCategory } from '@riskatlas/shared'
import type { Database } from '../db/schema.ts'
import { canSeePersonalData, maskPhone, type Principal } from '../auth/scope.ts'
import { NotFound } from '../errors.ts'
import { coverageDrills, floodSeasonRows, villageThreats } from '../coverage/queries.ts'
import { drillHistory, drillReasons, seasonStatus } from '../coverage/rules.ts'
import { defaultCoverageRules, floodSeason, type CoverageRules } from '../coverage/season.ts'

type Db = Kysely<Database>
type Lonlat = [number, number]

interface CardVillageRow {
  id: number
  code: string
  name: string
  admin_code: string
  admin_name: string
  town_name: string | null
  population: number
  households: number
  lon: number
  lat: number
  geometry: string
}

interface CardHazardRow {
  id: number
  threatened_people: number
  lon: number
  lat: number
  danger_zone: string | null
  monitor_name: string | null
  monitor_phone: string | null
  responsible_name: string | null
  responsible_phone: string | null
}

interface CardRouteRow {
  id: number
  length_m: number
  walking_minutes: number
  geometry: string
  shelter_id: number
  shelter_code: string
  shelter_name: string
  shelter_address: string | null
  capacity_persons: number | null
  area_m2: number | null
  shelter_lon: number
  shelter_lat: number
}

interface CardVulnerableRow {
  category: VulnerableCategory
  name: string
  mobility_needs: string | null
  responsible_name: string | null
  responsible_phone: string | null
}

export interface CardOptions {
  principal: Principal | undefined
  year: number
  today: string
  rules?: CoverageRules
}

async function cardVillages(db: Db, where: { id: number } | { adminCode: string }): Promise<CardVillageRow[]> {
  const filter = 'id' in where ? sql`v.id = ${where.id}` : sql`v.admin_code = ${where.adminCode}`
  const { rows } = await sql<CardVillageRow>`
    SELECT v.id, v.code, v.name, v.admin_code, a.name AS admin_name, t.name AS town_name, v.population, v.households,
           ST_X(v.geom) AS lon, ST_Y(v.geom) AS lat, ST_AsGeoJSON(coalesce(v.boundary, v.geom), 6) AS geometry
    FROM natural_villages v
    JOIN admin_areas a ON a.code = v.admin_code
    LEFT JOIN admin_areas t ON t.code = a.parent_code
    WHERE ${filter}
    ORDER BY v.code`.execute(db)
  return rows
}

/** Rounds a phone-bearing contact to what the caller may see. */
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
 * One village's evacuation card (避险明白卡 / 村级转移预案卡): its threats, routes and shelters,
 * who moves (counts), when (the two stages), and whom to call. Phones are masked and vulnerable
 * people left unnamed unless the caller may see personal data in the village.
 */
async function buildCard(db: Db, village: CardVillageRow, options: CardOptions): Promise<EvacuationCard> {
  const rules = options.rules ?? defaultCoverageRules
  const personal = canSeePersonalData(options.principal, village.admin_code)
  const season = floodSeason(options.year, await floodSeasonRows(db), rules)
  const reasons = drillReasons(await villageThreats(db, rules, [village.id]), rules)
  const drills = await coverageDrills(db, season, options.today, [village.id])
  const { status, seasonDrill } = seasonStatus(reasons.length > 0, drills, season, options.today)
  const { lastDrill } = drillHistory(drills, season, options.today)
  const organiserDrill = drills.find((drill) => drill.id === (seasonDrill ?? lastDrill)?.id)

  const hazardIds = reasons.map((reason) => reason.hazardPointId)
  const { rows: hazards } = await sql<CardHazardRow>`
    SELECT h.id, h.threatened_people, ST_X(h.geom) AS lon, ST_Y(h.geom) AS lat, ST_AsGeoJSON(h.danger_zone, 6) AS danger_zone,
           h.monitor_name, h.monitor_phone, h.responsible_name, h.responsible_phone
    FROM hazard_points h WHERE h.id = ANY(${hazardIds}::int[])`.execute(db)
  const hazardById = new Map(hazards.map((hazard) => [hazard.id, hazard]))

  const { rows: routes } = await sql<CardRouteRow>`
    SELECT r.id, r.length_m, r.walking_minutes, ST_AsGeoJSON(r.geom, 6) AS geometry,
           s.id AS shelter_id, s.code AS shelter_code, s.name AS shelter_name, s.address AS shelter_address,
           s.capacity_persons, s.area_m2, ST_X(s.geom) AS shelter_lon, ST_Y(s.geom) AS shelter_lat
    FROM evacuation_routes r JOIN facilities s ON s.id = r.shelter_id
    WHERE r.natural_village_id = ${village.id}
    ORDER BY r.walking_minutes, r.id`.execute(db)

  // Personal data is fetched only when it may be shown.
  const { rows: people } = personal
    ? await sql<CardVulnerableRow>`
        SELECT category, name, mobility_needs, responsible_name, responsible_phone
        FROM vulnerable_people WHERE natural_village_id = ${village.id} ORDER BY category, name`.execute(db)
    : { rows: [] as CardVulnerableRow[] }
  const { rows: vulnerableCounts } = await sql<{ category: VulnerableCategory; n: number; unassigned: number }>`
    SELECT category, count(*)::int AS n, (count(*) FILTER (WHERE nullif(btrim(responsible_name), '') IS NULL))::int AS unassigned
    FROM vulnerable_people WHERE natural_village_id = ${village.id} GROUP BY category`.execute(db)

  const { rows: warnings } = await sql<{
    title: string
    level: EvacuationCard['activeWarnings'][number]['level']
    stage: EvacuationCard['activeWarnings'][number]['stage']
    valid_to: Date
  }>`
    SELECT w.title, w.level, w.stage, w.valid_to FROM warnings w, natural_villages v
    WHERE v.id = ${village.id} AND now() >= w.valid_from AND now() < w.valid_to
      AND w.geom && v.geom AND ST_Intersects(w.geom, v.geom)
    ORDER BY w.valid_from`.execute(db)

  const { rows: speakers } = await sql<{ name: string; distance_m: number }>`
    SELECT f.name, ST_Distance(f.geom::geography, v.geom::geography) AS distance_m
    FROM facilities f, natural_villages v
    WHERE v.id = ${village.id} AND f.kind = 'broadcast' AND f.coverage_radius_m > 0
      AND ST_DWithin(f.geom::geography, v.geom::geography, f.coverage_radius_m)
    ORDER BY distance_m`.execute(db)

  // The inset's frame: village, zones, routes and shelters, with a margin; roads and rivers clipped to it.
  const { rows: frame } = await sql<{ xmin: number; ymin: number; xmax: number; ymax: number }>`
    WITH parts AS (
      SELECT geom FROM natural_villages WHERE id = ${village.id}
      UNION ALL SELECT danger_zone FROM hazard_points WHERE id = ANY(${hazardIds}::int[]) AND danger_zone IS NOT NULL
      UNION ALL SELECT geom FROM evacuation_routes WHERE natural_village_id = ${village.id}
    ), box AS (SELECT ST_Extent(geom)::geometry AS b FROM parts)
    SELECT ST_XMin(b) - m AS xmin, ST_YMin(b) - m AS ymin, ST_XMax(b) + m AS xmax, ST_YMax(b) + m AS ymax
    FROM box, LATERAL (SELECT greatest(0.004, 0.15 * greatest(ST_XMax(b) - ST_XMin(b), ST_YMax(b) - ST_YMin(b))) AS m) margin`.execute(db)
  const { xmin, ymin, xmax, ymax } = frame[0]!
  const envelope = sql`ST_MakeEnvelope(${xmin}, ${ymin}, ${xmax}, ${ymax}, 4326)`
  const clipped = (table: 'roads' | 'rivers') =>
    sql<{ class: string; geometry: string }>`
    SELECT class, ST_AsGeoJSON(ST_Intersection(geom, ${envelope}), 5) AS geometry
    FROM ${sql.table(table)} WHERE geom && ${envelope} AND ST_Intersects(geom, ${envelope}) ORDER BY id`.execute(db)
  const [roads, rivers] = [(await clipped('roads')).rows, (await clipped('rivers')).rows]

  const contacts: Contact[] = []
  const seen = new Set<string>()
  const add = (entry: Contact | null) => {
    if (!entry || seen.has(`${entry.role}:${entry.name}`)) return
    seen.add(`${entry.role}:${entry.name}`)
    contacts.push(entry)
  }
  for (const reason of reasons) {
    const hazard = hazardById.get(reason.hazardPointId)
    if (!hazard) continue
    add(contact('monitor', hazard.monitor_name, hazard.monitor_phone, reason.hazardCode, personal))
    add(contact('hazard_responsible', hazard.responsible_name, hazard.responsible_phone, reason.hazardCode, personal))
  }
  add(contact('drill_organiser', organiserDrill?.organiser ?? null, null, null, personal))
  const byResponsible = new Map<string, { phone: string | null; n: number }>()
  for (const person of people) {
    if (!person.responsible_name?.trim()) continue
    const entry = byResponsible.get(person.responsible_name) ?? { phone: person.responsible_phone, n: 0 }
    entry.n += 1
    byResponsible.set(person.responsible_name, entry)
  }
  for (const [name, entry] of byResponsible) add(contact('vulnerable_responsible', name, entry.phone, String(entry.n), personal))

  const vulnerable = Object.fromEntries(vulnerableCategories.map((category) => [category, 0])) as Record<VulnerableCategory, number>
  for (const row of vulnerableCounts) vulnerable[row.category] = row.n
  const firstResponsible = hazards.find((hazard) => hazard.responsible_name?.trim())?.responsible_name ?? null

  return {
    village: {
      id: village.id,
      code: village.code,
      name: village.name,
      adminCode: village.admin_code,
      adminName: village.admin_name,
      townName: village.town_name,
      population: village.population,
      households: village.households,
      location: [village.lon, village.lat],
      geometry: JSON.parse(village.geometry),
    },
    coverage: { required: reasons.length > 0, status, season },
    threats: reasons.map((reason) => {
      const hazard = hazardById.get(reason.hazardPointId)
      return {
        ...reason,
        threatenedPeople: hazard?.threatened_people ?? 0,
        dangerZone: hazard?.danger_zone ? JSON.parse(hazard.danger_zone) : null,
        location: [hazard?.lon ?? village.lon, hazard?.lat ?? village.lat] as Lonlat,
      }
    }),
    routes: routes.map((route) => ({
      id: route.id,
      lengthM: Math.round(route.length_m),
      walkingMinutes: Math.round(route.walking_minutes),
      geometry: JSON.parse(route.geometry),
      shelter: {
        id: route.shelter_id,
        code: route.shelter_code,
        name: route.shelter_name,
        address: route.shelter_address,
        capacityPersons: route.capacity_persons,
        areaM2: route.area_m2,
        location: [route.shelter_lon, route.shelter_lat] as Lonlat,
      },
    })),
    movers: {
      population: village.population,
      households: village.households,
      vulnerable,
      vulnerableTotal: vulnerableCounts.reduce((sum, row) => sum + row.n, 0),
      vulnerableWithoutResponsible: vulnerableCounts.reduce((sum, row) => sum + row.unassigned, 0),
    },
    vulnerablePeople: personal
      ? people.map((person) => ({
          category: person.category,
          name: person.name,
          mobilityNeeds: person.mobility_needs,
          responsibleName: person.responsible_name,
          responsiblePhone: person.responsible_phone,
        }))
      : null,
    organiser: organiserDrill?.organiser ?? firstResponsible,
    contacts,
    stages: evacuationStages.map((stage) => ({ ...stage })),
    activeWarnings: warnings.map((warning) => ({
      title: warning.title,
      level: warning.level,
      stage: warning.stage,
      validTo: new Date(warning.valid_to).toISOString(),
    })),
    broadcastSpeakers: speakers.map((speaker) => ({ name: speaker.name, distanceM: Math.round(speaker.distance_m) })),
    context: {
      bbox: [xmin, ymin, xmax, ymax],
      roads: roads.filter((road) => road.geometry).map((road) => ({ class: road.class, geometry: JSON.parse(road.geometry) })),
      rivers: rivers.filter((river) => river.geometry).map((river) => ({ class: river.class, geometry: JSON.parse(river.geometry) })),
    },
    personalData: personal,
    generatedOn: options.today,
  }
}

/** The card of one natural village; `NotFound` for an unknown id. */
export async function evacuationCard(db: Db, villageId: number, options: CardOptions): Promise<EvacuationCard> {
  const [village] = await cardVillages(db, { id: villageId })
  if (!village) throw new NotFound(`No natural village with id ${villageId}`)
  return buildCard(db, village, options)
}

/** The cards of every natural village of an administrative village, in code order, for printing at once. */
export async function evacuationCards(db: Db, adminCode: string, options: CardOptions) {
  const admin = await db
    .selectFrom('admin_areas')
    .select(['code', 'name'])
    .where('code', '=', adminCode)
    .where('level', '=', 'village')
    .executeTakeFirst()
  if (!admin) throw new NotFound(`No administrative village with code ${adminCode}`)
  const cards: EvacuationCard[] = []
  for (const village of await cardVillages(db, { adminCode })) cards.push(await buildCard(db, village, options))
  return { adminCode: admin.code, adminName: admin.name, cards }
}
