import { sql, type RawBuilder } from 'kysely'
import { findLayer, type Bilingual, type LayerDefinition } from '@riskatlas/shared'

/**
 * The vector tilesets: the large layers, each from its catalogue layer's source, with only the
 * attributes the map styles (and a click's lookup) need. A tileset can carry nothing its layer
 * does not declare public (a unit test holds that), so no tile holds personal data.
 */
export interface Tileset {
  id: string
  /** The catalogue layer (and `layers/sources.ts` entry) it is cut from; also the MVT layer name. */
  layer: LayerDefinition
  title: Bilingual
  minzoom: number
  maxzoom: number
  /** Public properties carried in the tile. */
  attributes: string[]
  /** The source id is a whole number and becomes the MVT feature id (else the tile carries `code`). */
  integerId: boolean
  /**
   * Below `zoom`, only the features a map at that scale shows (a county on one screen): the
   * condition is on the layer's public properties, by their source expressions. From `zoom` on,
   * every feature.
   */
  overview?: { zoom: number; keep: (property: (name: string) => RawBuilder<unknown>) => RawBuilder<unknown> }
}

const tileset = (
  id: string,
  layerId: string,
  attributes: string[],
  { integerId = true, minzoom = 8, maxzoom = 14, overview }: Partial<Pick<Tileset, 'integerId' | 'minzoom' | 'maxzoom' | 'overview'>> = {},
): Tileset => {
  const layer = findLayer(layerId)!
  return { id, layer, title: layer.title, minzoom, maxzoom, attributes, integerId, ...(overview ? { overview } : {}) }
}

/** The zoom from which the road and contour tiles carry every feature (a township fills the screen). */
export const overviewBelowZoom = 11

export const tilesets: readonly Tileset[] = [
  // Over a county only county and township roads (县道, 乡道) and index contours (计曲线, every
  // 100 m, the ones the style draws thick and labels): the village roads, tracks and
  // intermediate contours of 24 townships are a grey mat at that scale, and most of the tiles' weight.
  tileset('roads', 'roads', ['name', 'class', 'passable_in_flood'], {
    overview: { zoom: overviewBelowZoom, keep: (property) => sql`${property('class')} IN ('county', 'township')` },
  }),
  tileset('rivers', 'rivers', ['name', 'class']),
  tileset('contours', 'contours', ['elevation_m'], {
    overview: { zoom: overviewBelowZoom, keep: (property) => sql`(${property('elevation_m')})::int % 100 = 0` },
  }),
  tileset('natural_villages', 'natural_villages', ['code', 'name', 'population']),
  // The id is the area's 12-digit code, a whole number too: the MVT id is the API id everywhere.
  tileset('admin_areas', 'village_boundaries', ['code', 'name']),
  tileset('danger_zones', 'danger_zones', ['hazard_code', 'kind', 'risk_level']),
]

export const findTileset = (id: string) => tilesets.find((candidate) => candidate.id === id)

/** The tile extent (MVT units per tile side) and the buffer kept beyond each edge. */
export const tileExtent = 4096
export const tileBuffer = 64
/** Simplification, in tile units: one unit is a 4096th of a tile at that zoom. */
export const tileTolerance = 1

export const attribution = '© RiskAtlas 一张图（演示数据 demo data）'
