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
  }[]
  /** Drawn selected along with the feature itself (a hazard point's danger zone, a village's routes). */
  highlighted: RelatedFeature[]
}

const text = (value: unknown) => (value === null || value === undefined ? '' : String(value))

function villagesNamed(names: string[]): RelatedFeature[] {
  return names.map((name) => {
    const [match] = findFeatures('natural_villages', (p) => p.name === name)
    return { layerId: 'natural_villages', mapId: match?.mapId ?? -1, label: name }
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
            items: villagesNamed(asStringList(properties.threatened_villages)),
            property: 'threatened_villages',
          },
        ],
        highlighted: zones,
      }
    }
    case 'natural_villages': {
      const name = text(properties.name)
      const code = text(properties.code)
      const threats = findFeatures('hazard_points', (p) => asStringList(p.threatened_villages).includes(name)).map(
        ({ mapId, feature }) => ({
          layerId: 'hazard_points',
          mapId,
          label: text(feature.properties.name),
          detail: text(feature.properties.code),
        }),
      )
      const villageRoutes = routes(
        (p) => (code !== '' && text(p.village_code) === code) || text(p.village_name) === name,
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
      const name = text(properties.name)
      const shelterRoutes = routes(
        (p) => text(p.shelter_name) === name,
        (p) => text(p.village_name),
      )
      return {
        lists: [
          { heading: 'assignedVillages', items: villagesNamed(asStringList(properties.assigned_villages)), property: 'assigned_villages' },
        ],
        highlighted: shelterRoutes,
      }
    }
    default:
      return { lists: [], highlighted: [] }
  }
}
