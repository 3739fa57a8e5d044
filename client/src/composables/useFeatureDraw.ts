import { onBeforeUnmount, ref, type ShallowRef } from 'vue'
import type { Map as MapLibreMap } from 'maplibre-gl'
import type { EditGeometry } from '@riskatlas/shared'

export type DrawKind = 'point' | 'line' | 'polygon'

const modeOf: Record<DrawKind, 'point' | 'linestring' | 'polygon'> = { point: 'point', line: 'linestring', polygon: 'polygon' }
const colour = '#d84315'

interface Draw {
  enabled: boolean
  start(): void
  stop(): void
  clear(): void
  setMode(mode: string): void
  addFeatures(features: unknown[]): { id?: string | number; valid: boolean }[]
  selectFeature(id: string | number): void
  getSnapshot(): { id?: string | number; geometry: { type: string; coordinates: unknown } }[]
  on(event: 'finish', cb: (id: string | number, context: { mode: string; action: string }) => void): void
}

/**
 * One feature drawn or edited with terra-draw on the workspace map: `add(kind)` lets the user
 * place a point or draw a line or polygon; `load(geometry)` puts an existing feature in the
 * select mode, where the feature and its vertices drag. terra-draw and its MapLibre adapter
 * are imported the first time editing starts, so the public map never loads them.
 */
export function useFeatureDraw(map: ShallowRef<MapLibreMap | undefined>, onChange: () => void) {
  /** 'add' while the user places or draws; 'edit' while a feature is selected for dragging. */
  const state = ref<'idle' | 'add' | 'edit'>('idle')
  let draw: Draw | undefined
  let featureId: string | number | undefined

  async function ready(): Promise<Draw | undefined> {
    const target = map.value
    if (!target) return undefined
    if (!draw) {
      const [terra, { TerraDrawMapLibreGLAdapter }] = await Promise.all([import('terra-draw'), import('terra-draw-maplibre-gl-adapter')])
      const editable = { feature: { draggable: true, coordinates: { draggable: true, midpoints: true, deletable: true } } }
      const instance = new terra.TerraDraw({
        adapter: new TerraDrawMapLibreGLAdapter({ map: target }),
        modes: [
          new terra.TerraDrawPointMode({
            styles: { pointColor: colour, pointWidth: 8, pointOutlineColor: '#ffffff', pointOutlineWidth: 2 },
          }),
          new terra.TerraDrawLineStringMode({ styles: { lineStringColor: colour, lineStringWidth: 3 } }),
          new terra.TerraDrawPolygonMode({ styles: { fillColor: colour, fillOpacity: 0.2, outlineColor: colour, outlineWidth: 2 } }),
          new terra.TerraDrawSelectMode({
            flags: { point: { feature: { draggable: true } }, linestring: editable, polygon: editable },
            styles: {
              selectedPointColor: colour,
              selectedPointWidth: 9,
              selectedPointOutlineColor: '#ffffff',
              selectedPointOutlineWidth: 2,
              selectedLineStringColor: colour,
              selectedLineStringWidth: 4,
              selectedPolygonColor: colour,
              selectedPolygonFillOpacity: 0.25,
              selectedPolygonOutlineColor: colour,
              selectionPointColor: colour,
              midPointColor: '#ffffff',
            },
          }),
        ],
      })
      instance.on('finish', (id, context) => {
        if (state.value === 'add' && context.action === 'draw') {
          featureId = id
          state.value = 'edit'
          instance.setMode('select')
          instance.selectFeature(id)
        }
        onChange()
      })
      draw = instance as unknown as Draw
    }
    if (!draw.enabled) draw.start()
    return draw
  }

  /** Starts drawing a new feature of this kind (anything drawn before is cleared). */
  async function add(kind: DrawKind): Promise<void> {
    const instance = await ready()
    if (!instance) return
    instance.clear()
    featureId = undefined
    instance.setMode(modeOf[kind])
    state.value = 'add'
  }

  /** Puts an existing feature on the map, selected, so it and its vertices drag. */
  async function load(geometry: EditGeometry): Promise<void> {
    const instance = await ready()
    if (!instance) return
    instance.clear()
    // terra-draw edits single geometries: a one-part MultiPolygon (danger zones are stored so) is edited as its polygon.
    const single = geometry.type === 'MultiPolygon' ? { type: 'Polygon', coordinates: geometry.coordinates[0] } : geometry
    const kind: DrawKind = single.type === 'Point' ? 'point' : single.type === 'LineString' ? 'line' : 'polygon'
    const id = crypto.randomUUID()
    instance.setMode('select')
    const [result] = instance.addFeatures([{ id, type: 'Feature', geometry: single, properties: { mode: modeOf[kind] } }])
    if (!result?.valid) return
    featureId = id
    instance.selectFeature(id)
    state.value = 'edit'
  }

  /** The feature as drawn now (a danger zone is sent as a Polygon; the server stores it as a MultiPolygon). */
  function geometry(): EditGeometry | undefined {
    if (!draw || featureId === undefined) return undefined
    const found = draw.getSnapshot().find((feature) => feature.id === featureId)
    return found ? (found.geometry as EditGeometry) : undefined
  }

  function clear(): void {
    featureId = undefined
    state.value = 'idle'
    if (!draw?.enabled) return
    draw.clear()
    draw.setMode('select')
  }

  function stop(): void {
    clear()
    if (draw?.enabled) draw.stop()
  }

  onBeforeUnmount(stop)

  return { state, add, load, geometry, clear, stop }
}
