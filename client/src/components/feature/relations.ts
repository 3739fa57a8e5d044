import { findFeatures } from '../../composables/useFeatureStore.ts'
import type { LayerProperties } from '../../api/layers.ts'
import { asStringList } from './formatProperty.ts'

/** Another feature a card links to (a threatened village, a route, a danger zone). */
export interface RelatedFeature {
  layerId: string
  mapId: number
  label: string
  detail?: string
}

export interface Relations {
  /** Shown in the card as lists of links, under a message key heading. */
  lists: {
    heading: 'threatenedVillages' | 'threatsToVillage' | 'assignedVillages' | 'routesFromVillage'
    items: RelatedFeature[]
    /** The attribute this list shows as links, so the card does not list it twice. */
    property?: string
    /** The codes the links were matched by: never shown as a row of their own. */
    codeProperty?: string
  }[]
  /** Drawn selected along with the feature itself (a hazard point's danger zone, a village's routes). */
  highlighted: RelatedFeature[]
}

const text = (value: unknown) => (value === null || value === undefined ? '' : String(value))

/**
 * Natural villages by code (names repeat across a town; codes do not). `names` runs parallel to
 * `codes` (the server orders both by code) and labels a village that is not on the map.
 */
function villagesByCode(codes: string[], names: string[]): RelatedFeature[] {
  return codes.map((code, index) => {
    const [match] = findFeatures('natural_villages', (p) => text(p.code) === code)
    return {
      layerId: 'natural_villages',
      mapId: match?.mapId ?? -1,
      label: match ? text(match.feature.properties.name) : (names[index] ?? code),
    }
  })
}

function routes(predicate: (p: LayerProperties) => boolean, labelOf: (p: LayerProperties) => string): RelatedFeature[] {
  return findFeatures('evacuation_routes', predicate).map(({ mapId, feature }) => ({
    layerId: 'evacuation_routes',
    mapId,
    label: labelOf(feature.properties),
    detail: feature.properties.walking_minutes === undefined ? undefined : `${Math.round(Number(feature.properties.walking_minutes))}′`,
  }))
}

/** What a selected feature is linked to, from the loaded layers (links to unloaded layers are simply absent). */
export function relationsOf(layerId: string, properties: LayerProperties): Relations {
  switch (layerId) {
    case 'hazard_points': {
      const code = text(properties.code)
      const zones = findFeatures('danger_zones', (p) => text(p.hazard_code) === code).map(({ mapId }) => ({
        layerId: 'danger_zones',
        mapId,
        label: code,
      }))
      return {
        lists: [
          {
            heading: 'threatenedVillages',
            items: villagesByCode(asStringList(properties.threatened_village_codes), asStringList(properties.threatened_villages)),
            property: 'threatened_villages',
            codeProperty: 'threatened_village_codes',
          },
        ],
        highlighted: zones,
      }
    }
    case 'natural_villages': {
      const code = text(properties.code)
      const threats = findFeatures('hazard_points', (p) => code !== '' && asStringList(p.threatened_village_codes).includes(code)).map(
        ({ mapId, feature }) => ({
          layerId: 'hazard_points',
          mapId,
          label: text(feature.properties.name),
          detail: text(feature.properties.code),
        }),
      )
      const villageRoutes = routes(
        (p) => code !== '' && text(p.village_code) === code,
        (p) => text(p.shelter_name),
      )
      return {
        lists: [
          { heading: 'threatsToVillage', items: threats },
          { heading: 'routesFromVillage', items: villageRoutes },
        ],
        highlighted: villageRoutes,
      }
    }
    case 'shelters': {
      const code = text(properties.code)
      const shelterRoutes = routes(
        (p) => code !== '' && text(p.shelter_code) === code,
        (p) => text(p.village_name),
      )
      return {
        lists: [
          {
            heading: 'assignedVillages',
            items: villagesByCode(asStringList(properties.assigned_village_codes), asStringList(properties.assigned_villages)),
            property: 'assigned_villages',
            codeProperty: 'assigned_village_codes',
          },
        ],
        highlighted: shelterRoutes,
      }
    }
    default:
      return { lists: [], highlighted: [] }
  }
}
