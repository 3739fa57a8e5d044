/**
 * The map's view in the URL, so a view can be bookmarked and shared:
 * `?map=zoom/lat/lon&layers=id,id&select=layerId/featureId`.
 */
export interface MapView {
  center: [lon: number, lat: number]
  zoom: number
}

export interface FeatureRef {
  layerId: string
  featureId: string
}

export interface UrlState {
  view?: MapView
  /** Undefined when the URL says nothing about layers (then storage or defaults decide). */
  layers?: string[]
  select?: FeatureRef
}

type Query = Record<string, string | null | (string | null)[] | undefined>

function single(value: Query[string]): string | undefined {
  const first = Array.isArray(value) ? value[0] : value
  return typeof first === 'string' ? first : undefined
}

export function parseView(text: string | undefined): MapView | undefined {
  if (!text) return undefined
  const parts = text.split('/').map(Number)
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n))) return undefined
  const [zoom, lat, lon] = parts as [number, number, number]
  if (zoom < 0 || zoom > 24 || Math.abs(lat) > 85 || Math.abs(lon) > 180) return undefined
  return { center: [lon, lat], zoom }
}

/** Enough decimals to place the view to about a pixel at that zoom, and no more. */
export function formatView({ center: [lon, lat], zoom }: MapView): string {
  const decimals = Math.max(2, Math.ceil((zoom * Math.LN2 + Math.log(512 / 360 / 0.5)) / Math.LN10))
  return `${zoom.toFixed(2).replace(/\.?0+$/, '')}/${lat.toFixed(decimals)}/${lon.toFixed(decimals)}`
}

export function parseUrlState(query: Query, knownLayers: readonly string[]): UrlState {
  const state: UrlState = {}
  const view = parseView(single(query.map))
  if (view) state.view = view
  const layers = single(query.layers)
  if (layers !== undefined) state.layers = layers.split(',').filter((id) => knownLayers.includes(id))
  const select = single(query.select)
  const slash = select?.indexOf('/') ?? -1
  if (select && slash > 0) {
    const layerId = select.slice(0, slash)
    if (knownLayers.includes(layerId)) state.select = { layerId, featureId: select.slice(slash + 1) }
  }
  return state
}

/** The query for a state; keys in a fixed order so equal states give equal URLs. */
export function toQuery(state: UrlState): Record<string, string> {
  const query: Record<string, string> = {}
  if (state.view) query.map = formatView(state.view)
  if (state.layers) query.layers = state.layers.join(',')
  if (state.select) query.select = `${state.select.layerId}/${state.select.featureId}`
  return query
}
