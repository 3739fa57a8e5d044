import type { EditFeature, EditGeometry, EditLayer, EditUndo } from '@riskatlas/shared'
import { api, ok } from './client.ts'

/** Editing on the map: `/api/edit/{layer}` (add, read, move/reshape/change, delete) and `/api/edit/undo`. */

export async function fetchEditFeature(layer: EditLayer, id: number): Promise<EditFeature> {
  return ok(api.edit[':layer'][':id'].$get({ param: { layer, id: String(id) } })) as Promise<EditFeature>
}

export async function createFeature(layer: EditLayer, geometry: EditGeometry, properties: Record<string, unknown>): Promise<EditFeature> {
  return ok(api.edit[':layer'].$post({ param: { layer }, json: { geometry, properties } })) as Promise<EditFeature>
}

export async function updateFeature(
  layer: EditLayer,
  id: number,
  patch: { version: string; geometry?: EditGeometry; properties?: Record<string, unknown> },
): Promise<EditFeature> {
  return ok(api.edit[':layer'][':id'].$patch({ param: { layer, id: String(id) }, json: patch })) as Promise<EditFeature>
}

export async function deleteFeature(layer: EditLayer, id: number, version: string): Promise<void> {
  await ok(api.edit[':layer'][':id'].$delete({ param: { layer, id: String(id) }, query: { version } }))
}

export async function undoLastEdit(): Promise<EditUndo> {
  return ok(api.edit.undo.$post()) as Promise<EditUndo>
}
