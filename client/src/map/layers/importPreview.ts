import type { LayerSpecification } from 'maplibre-gl'
import { slots } from './types.ts'

/** The 数据导入 preview's colours: a row to import, and one the server found far from the town. */
export const importPreviewColours = { ok: '#1f5fa5', far: '#d32f2f' } as const

const colour = ['case', ['get', 'far'], importPreviewColours.far, importPreviewColours.ok]
/** Above every catalogue point and area, below the labels: the rows to import must not hide under the basemap. */
const areaOrder = slots.indexOf('point') * 10_000 + 9_100
const pointOrder = slots.indexOf('point') * 10_000 + 9_200

/**
 * The rows of an import preview on the map (source `sourceId`, properties `{ row, far }`):
 * points as discs, polygons (danger zones) as an outlined fill, the far ones in red.
 */
export function importPreviewLayers(sourceId: string): LayerSpecification[] {
  return [
    {
      id: `${sourceId}:fill`,
      type: 'fill',
      source: sourceId,
      filter: ['==', ['geometry-type'], 'Polygon'],
      metadata: { order: areaOrder },
      paint: { 'fill-color': colour as never, 'fill-opacity': 0.25 },
    },
    {
      id: `${sourceId}:outline`,
      type: 'line',
      source: sourceId,
      filter: ['==', ['geometry-type'], 'Polygon'],
      metadata: { order: areaOrder + 1 },
      paint: { 'line-color': colour as never, 'line-width': 2 },
    },
    {
      id: `${sourceId}:points`,
      type: 'circle',
      source: sourceId,
      filter: ['==', ['geometry-type'], 'Point'],
      metadata: { order: pointOrder },
      paint: {
        'circle-color': colour as never,
        'circle-radius': ['case', ['get', 'far'], 8, 6] as never,
        'circle-stroke-color': '#fff',
        'circle-stroke-width': 2,
      },
    },
  ]
}
