import { sql, type RawBuilder } from 'kysely'
import { layerCatalogue } from '@riskatlas/shared'
import { discAround, expandByDegrees, intersects } from '../db/postgis.ts'
import { vulnerableCountOf } from '../people/queries.ts'

/**
 * Where each public layer's rows come from. Every identifier here is written in code, never
 * taken from a request: a layer id from the URL only selects one of these entries.
 *
 * `properties` must name exactly the catalogue's public properties (a unit test holds them
 * together), so no other column — and no personal data — can reach a layer.
 */
export interface LayerSource {
  from: RawBuilder<unknown>
  id: RawBuilder<unknown>
  /** What the id is: a record id (the default) or an administrative area code. */
  idKind?: 'record' | 'adminCode'
  geometry: RawBuilder<unknown>
  where?: RawBuilder<boolean>
  /** A bbox filter; defaults to `geometry && envelope`, which the GiST index serves. */
  bboxFilter?: (envelope: RawBuilder<unknown>) => RawBuilder<boolean>
  orderBy: RawBuilder<unknown>
  properties: Record<string, RawBuilder<unknown>>
}

const adminName = sql`(SELECT a.name FROM admin_areas a WHERE a.code = f.admin_code)`

function facilityLayer(kind: string, extra: Record<string, RawBuilder<unknown>>): LayerSource {
  return {
    from: sql`facilities f`,
    id: sql`f.id`,
    geometry: sql`f.geom`,
    where: sql<boolean>`f.kind = ${kind}`,
    orderBy: sql`f.id`,
    properties: {
      code: sql`f.code`,
      name: sql`f.name`,
      admin_name: adminName,
      address: sql`f.address`,
      ...extra,
    },
  }
}

const reservoirProperties = {
  storage_10k_m3: sql`f.storage_10k_m3`,
  dam_height_m: sql`f.dam_height_m`,
  admin_responsible: sql`f.admin_responsible`,
  tech_responsible: sql`f.tech_responsible`,
  patrol_responsible: sql`f.patrol_responsible`,
}

/** Broadcast reach: a disc of the speaker's coverage radius, on the ground. */
const reachDisc = discAround(sql`f.geom`, sql`f.coverage_radius_m`)

export const layerSources: Record<string, LayerSource> = {
  hazard_points: {
    from: sql`hazard_points h`,
    id: sql`h.id`,
    geometry: sql`h.geom`,
    orderBy: sql`h.id`,
    properties: {
      code: sql`h.code`,
      name: sql`h.name`,
      admin_name: sql`(SELECT a.name FROM admin_areas a WHERE a.code = h.admin_code)`,
      kind: sql`h.kind`,
      scale: sql`h.scale`,
      risk_level: sql`h.risk_level`,
      threatened_households: sql`h.threatened_households`,
      threatened_people: sql`h.threatened_people`,
      threatened_property_10k_yuan: sql`h.threatened_property_10k_yuan`,
      monitor_name: sql`h.monitor_name`,
      responsible_name: sql`h.responsible_name`,
      status: sql`h.status`,
      threatened_villages: sql`ARRAY(SELECT v.name FROM hazard_threatened_villages t
        JOIN natural_villages v ON v.id = t.natural_village_id
        WHERE t.hazard_point_id = h.id ORDER BY v.code)`,
      threatened_village_codes: sql`ARRAY(SELECT v.code FROM hazard_threatened_villages t
        JOIN natural_villages v ON v.id = t.natural_village_id
        WHERE t.hazard_point_id = h.id ORDER BY v.code)`,
    },
  },
  danger_zones: {
    from: sql`hazard_points h`,
    id: sql`h.id`,
    geometry: sql`h.danger_zone`,
    where: sql<boolean>`h.danger_zone IS NOT NULL`,
    orderBy: sql`h.id`,
    properties: {
      hazard_code: sql`h.code`,
      hazard_name: sql`h.name`,
      kind: sql`h.kind`,
      risk_level: sql`h.risk_level`,
    },
  },
  active_warnings: {
    from: sql`warnings w`,
    id: sql`w.id`,
    geometry: sql`w.geom`,
    where: sql<boolean>`now() >= w.valid_from AND now() < w.valid_to AND w.lifted_at IS NULL`,
    orderBy: sql`w.id`,
    properties: {
      title: sql`w.title`,
      kind: sql`w.kind`,
      level: sql`w.level`,
      stage: sql`w.stage`,
      issued_by: sql`w.issued_by`,
      valid_from: sql`w.valid_from`,
      valid_to: sql`w.valid_to`,
    },
  },
  natural_villages: {
    from: sql`natural_villages v`,
    id: sql`v.id`,
    geometry: sql`v.geom`,
    orderBy: sql`v.id`,
    properties: {
      code: sql`v.code`,
      name: sql`v.name`,
      admin_name: sql`(SELECT a.name FROM admin_areas a WHERE a.code = v.admin_code)`,
      households: sql`v.households`,
      population: sql`v.population`,
      // Vulnerable people reach a layer only as this count.
      vulnerable_count: vulnerableCountOf(sql`v.id`),
      hazard_count: sql`(SELECT count(*) FROM hazard_threatened_villages t WHERE t.natural_village_id = v.id)`,
      elevation_m: sql`v.elevation_m`,
    },
  },
  schools: facilityLayer('school', { pupils: sql`f.pupils`, boarders: sql`f.boarders` }),
  kindergartens: facilityLayer('kindergarten', { pupils: sql`f.pupils` }),
  nursing_homes: facilityLayer('nursing_home', { residents: sql`f.residents`, beds: sql`f.beds` }),
  hospitals: facilityLayer('hospital', { hospital_level: sql`f.hospital_level`, beds: sql`f.beds` }),
  reservoirs: facilityLayer('reservoir', { reservoir_scale: sql`f.reservoir_scale`, ...reservoirProperties }),
  ponds: facilityLayer('pond', reservoirProperties),
  shelters: facilityLayer('shelter', {
    capacity_persons: sql`f.capacity_persons`,
    area_m2: sql`f.area_m2`,
    assigned_villages: sql`ARRAY(SELECT v.name FROM natural_villages v
      WHERE v.id IN (SELECT r.natural_village_id FROM evacuation_routes r WHERE r.shelter_id = f.id) ORDER BY v.code)`,
    assigned_village_codes: sql`ARRAY(SELECT v.code FROM natural_villages v
      WHERE v.id IN (SELECT r.natural_village_id FROM evacuation_routes r WHERE r.shelter_id = f.id) ORDER BY v.code)`,
    assigned_people: sql`(SELECT coalesce(sum(v.population), 0) FROM natural_villages v
      WHERE v.id IN (SELECT r.natural_village_id FROM evacuation_routes r WHERE r.shelter_id = f.id))`,
  }),
  broadcast_speakers: facilityLayer('broadcast', { coverage_radius_m: sql`f.coverage_radius_m` }),
  broadcast_reach: {
    from: sql`facilities f`,
    id: sql`f.id`,
    geometry: reachDisc,
    where: sql<boolean>`f.kind = 'broadcast' AND f.coverage_radius_m > 0`,
    // Index prefilter with a margin wider than any speaker's reach (0.05° ≈ 5 km), then the exact test.
    bboxFilter: (envelope) => sql<boolean>`f.geom && ${expandByDegrees(envelope, 0.05)} AND ${intersects(reachDisc, envelope)}`,
    orderBy: sql`f.id`,
    properties: { code: sql`f.code`, name: sql`f.name`, coverage_radius_m: sql`f.coverage_radius_m` },
  },
  rain_gauges: facilityLayer('rain_gauge', {}),
  evacuation_routes: {
    from: sql`evacuation_routes r
      JOIN natural_villages v ON v.id = r.natural_village_id
      JOIN facilities s ON s.id = r.shelter_id
      LEFT JOIN hazard_points h ON h.id = r.hazard_point_id`,
    id: sql`r.id`,
    geometry: sql`r.geom`,
    orderBy: sql`r.id`,
    properties: {
      village_name: sql`v.name`,
      village_code: sql`v.code`,
      shelter_name: sql`s.name`,
      shelter_code: sql`s.code`,
      hazard_code: sql`h.code`,
      length_m: sql`r.length_m`,
      walking_minutes: sql`r.walking_minutes`,
      source: sql`r.source`,
    },
  },
  town_boundary: {
    from: sql`admin_areas a`,
    id: sql`a.code`,
    idKind: 'adminCode',
    geometry: sql`a.geom`,
    where: sql<boolean>`a.level = 'town'`,
    orderBy: sql`a.code`,
    properties: { code: sql`a.code`, name: sql`a.name`, population: sql`a.population` },
  },
  village_boundaries: {
    from: sql`admin_areas a`,
    id: sql`a.code`,
    idKind: 'adminCode',
    geometry: sql`a.geom`,
    where: sql<boolean>`a.level = 'village'`,
    orderBy: sql`a.code`,
    properties: { code: sql`a.code`, name: sql`a.name`, population: sql`a.population`, households: sql`a.households` },
  },
  rivers: {
    from: sql`rivers r`,
    id: sql`r.id`,
    geometry: sql`r.geom`,
    orderBy: sql`r.id`,
    properties: { name: sql`r.name`, class: sql`r.class` },
  },
  roads: {
    from: sql`roads r`,
    id: sql`r.id`,
    geometry: sql`r.geom`,
    orderBy: sql`r.id`,
    properties: { name: sql`r.name`, class: sql`r.class`, passable_in_flood: sql`r.passable_in_flood` },
  },
  contours: {
    from: sql`contours c`,
    id: sql`c.id`,
    geometry: sql`c.geom`,
    orderBy: sql`c.id`,
    properties: { elevation_m: sql`c.elevation_m` },
  },
}

/** Fails loudly at start if the catalogue and the sources ever drift apart. */
export function assertSourcesMatchCatalogue(): void {
  for (const layer of layerCatalogue) {
    const source = layerSources[layer.id]
    if (!source) throw new Error(`Layer ${layer.id} is in the catalogue but has no source`)
    const declared = layer.properties.map((property) => property.name).sort()
    const selected = Object.keys(source.properties).sort()
    if (declared.join() !== selected.join()) {
      throw new Error(`Layer ${layer.id}: catalogue properties [${declared}] differ from source [${selected}]`)
    }
  }
}
