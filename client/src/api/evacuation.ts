import type {
  AuditResponse,
  ExposureRequest,
  ExposureResponse,
  PlanRequest,
  PlanResponse,
  PlanSaveRequest,
  PlanSaveResponse,
} from '@riskatlas/shared'
import { apiFetch, toApiError } from './http.ts'
import { api, ok, withSignal } from './client.ts'

/** Evacuation plans, the route audit and exposure (issue 12), over the typed client. */
export async function runPlan(request: PlanRequest, signal?: AbortSignal): Promise<PlanResponse> {
  return ok(api.evacuation.plan.$post({ json: request }, withSignal(signal)))
}

export async function savePlan(request: PlanSaveRequest): Promise<PlanSaveResponse> {
  return ok(api.evacuation.plan.save.$post({ json: request }))
}

export async function fetchRouteAudit(signal?: AbortSignal): Promise<AuditResponse> {
  return ok(api.evacuation.audit.$get(undefined, withSignal(signal)))
}

export async function runExposure(request: ExposureRequest, signal?: AbortSignal): Promise<ExposureResponse> {
  return ok(api.exposure.$post({ json: request }, withSignal(signal)))
}

/** The evacuation list as a file (CSV, Excel or the printable page), as a Blob to save or open. */
export async function exposureFile(request: ExposureRequest, format: 'csv' | 'xlsx' | 'html'): Promise<Blob> {
  const response = await apiFetch(`/api/exposure/list.${format}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  })
  if (!response.ok) throw await toApiError(response)
  return await response.blob()
}
