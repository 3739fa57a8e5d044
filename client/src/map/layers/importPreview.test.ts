import { describe, expect, it } from 'vitest'
import { layerCatalogue } from '@riskatlas/shared'
import { drawOrder } from './overlays.ts'
import { importPreviewColours, importPreviewLayers } from './importPreview.ts'

describe('the import preview’s style', () => {
  it('draws the rows above every catalogue point and colours a far row red', () => {
    const layers = importPreviewLayers('import-preview')
    const highestCataloguePoint = Math.max(...layerCatalogue.map((layer) => drawOrder(layer.id, { slot: 'point' } as never, 9)))
    for (const layer of layers) expect((layer.metadata as { order: number }).order, layer.id).toBeGreaterThan(highestCataloguePoint)
    const points = layers.find((layer) => layer.id === 'import-preview:points')!
    expect((points.paint as Record<string, unknown>)['circle-color']).toEqual([
      'case',
      ['get', 'far'],
      importPreviewColours.far,
      importPreviewColours.ok,
    ])
  })
})
