import { onBeforeUnmount, ref, type ShallowRef } from 'vue'
import type { Map as MapLibreMap } from 'maplibre-gl'
import type { Polygon } from 'geojson'

/**
 * Drawing one polygon on the map with terra-draw and its MapLibre adapter, loaded only when
 * the user starts drawing (the libraries stay out of the first load). `finished` receives the
 * polygon when the user closes it.
 */
export function useAreaDraw(map: ShallowRef<MapLibreMap | undefined>, finished: (polygon: Polygon) => void) {
  const drawing = ref(false)
  let draw:
    | {
        start(): void
        stop(): void
        setMode(mode: string): void
        clear(): void
        getSnapshot(): { id?: string | number; geometry: unknown }[]
        on(event: 'finish', cb: (id: string | number) => void): void
        enabled: boolean
      }
    | undefined

  async function start(): Promise<void> {
    const target = map.value
    if (!target) return
    if (!draw) {
      const [{ TerraDraw, TerraDrawPolygonMode, TerraDrawRenderMode }, { TerraDrawMapLibreGLAdapter }] = await Promise.all([
        import('terra-draw'),
        import('terra-draw-maplibre-gl-adapter'),
      ])
      const instance = new TerraDraw({
        adapter: new TerraDrawMapLibreGLAdapter({ map: target }),
        modes: [
          new TerraDrawPolygonMode({ styles: { fillColor: '#1565c0', fillOpacity: 0.15, outlineColor: '#1565c0', outlineWidth: 2 } }),
          new TerraDrawRenderMode({ modeName: 'static', styles: {} }),
        ],
      })
      instance.on('finish', (id) => {
        const feature = instance.getSnapshot().find((f) => f.id === id)
        drawing.value = false
        instance.setMode('static')
        if (feature && feature.geometry.type === 'Polygon') finished(feature.geometry as Polygon)
      })
      draw = instance as unknown as typeof draw
    }
    if (!draw!.enabled) draw!.start()
    draw!.clear()
    draw!.setMode('polygon')
    drawing.value = true
  }

  function clear(): void {
    draw?.clear()
    if (draw?.enabled) draw.setMode('static')
    drawing.value = false
  }

  onBeforeUnmount(() => {
    if (draw?.enabled) draw.stop()
  })

  return { drawing, start, clear }
}
