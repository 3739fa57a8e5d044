import proj4 from 'proj4'
import { UnreadableFile } from './types.ts'

/**
 * The coordinate system of a projected or geographic file, as a transform to WGS84 longitude /
 * latitude. From a Shapefile's .prj (any WKT proj4 reads: CGCS2000 / WGS84 geographic, Gauss-Krüger
 * 3° and 6° zones with or without the zone number in the false easting …), or — when the .prj is
 * missing — from the user's choice, never guessed:
 *   'geographic'            longitude/latitude in degrees (WGS84 or CGCS2000)
 *   'gk3:<zone>'            CGCS2000 3° Gauss-Krüger zone (central meridian 3·zone), easting with the zone prefix
 *   'gk6:<zone>'            CGCS2000 6° zone (central meridian 6·zone − 3), easting with the zone prefix
 *   'gk3cm:<meridian>'      3° zone by central meridian, easting without the zone prefix (500 000 m false easting)
 *   'gk6cm:<meridian>'      the same for a 6° zone
 */
export type CrsChoice = string

export interface Crs {
  label: string
  geographic: boolean
  toWgs84: (x: number, y: number) => [number, number]
}

const cgcs2000 = '+ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs'
const gk = (meridian: number, falseEasting: number) =>
  `+proj=tmerc +lat_0=0 +lon_0=${meridian} +k=1 +x_0=${falseEasting} +y_0=0 ${cgcs2000}`

const identity: Crs = { label: 'CGCS2000 / WGS84 经纬度 (geographic)', geographic: true, toWgs84: (x, y) => [x, y] }

function fromProj4(definition: string, label: string): Crs {
  const converter = proj4(definition, 'EPSG:4326')
  return {
    label,
    geographic: false,
    toWgs84: (x, y) => {
      const [lon, lat] = converter.forward([x, y]) as [number, number]
      return [lon, lat]
    },
  }
}

/** The transform for a .prj file's WKT. Geographic systems on the WGS84/CGCS2000 ellipsoid are taken as they are. */
export function crsFromPrj(wkt: string): Crs {
  const text = wkt.trim()
  if (/^GEOGCS\[/i.test(text)) {
    if (/CGCS|China_2000|China Geodetic|WGS[_ ]?1?984|WGS_84|GRS[_ ]?1980/i.test(text)) return identity
    throw new UnreadableFile('prj_geographic_unsupported', {}, 'unsupported_crs')
  }
  if (!/^PROJCS\[/i.test(text)) throw new UnreadableFile('prj_not_wkt', {}, 'unsupported_crs')
  const name = text.match(/^PROJCS\["([^"]+)"/i)?.[1] ?? 'projected'
  try {
    return fromProj4(text, name)
  } catch {
    throw new UnreadableFile('prj_projection_unsupported', { name: String(name).slice(0, 80) }, 'unsupported_crs')
  }
}

/** The transform for a user's choice when the file names no system (see `CrsChoice`). */
export function crsFromChoice(choice: CrsChoice): Crs {
  if (choice === 'geographic') return identity
  const match = choice.match(/^gk(3|6)(cm)?:(\d{1,3})$/)
  if (!match) throw new UnreadableFile('crs_choice_unknown', { choice: String(choice).slice(0, 40) }, 'unsupported_crs')
  const width = Number(match[1])
  const byMeridian = Boolean(match[2])
  const n = Number(match[3])
  const meridian = byMeridian ? n : width === 3 ? 3 * n : 6 * n - 3
  const zone = byMeridian ? undefined : n
  if (meridian < 72 || meridian > 138) throw new UnreadableFile('crs_zone_outside_china', { choice, meridian }, 'unsupported_crs')
  const falseEasting = zone === undefined ? 500000 : zone * 1_000_000 + 500000
  const label = zone === undefined ? `CGCS2000 ${width}° 高斯-克吕格 中央经线 ${meridian}°E` : `CGCS2000 ${width}° 高斯-克吕格 ${zone} 带`
  return fromProj4(gk(meridian, falseEasting), label)
}
