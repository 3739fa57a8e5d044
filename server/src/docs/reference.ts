/**
 * A readable API reference rendered from the OpenAPI document itself, as one self-contained
 * HTML page: no script or style from anywhere else, so it works on an offline intranet.
 */
import type { OpenAPIHono } from '@hono/zod-openapi'

/** The document zod-openapi generates (OpenAPI 3.1). */
type OpenApiDocument = ReturnType<OpenAPIHono['getOpenAPI31Document']>
type OpenApiOperation = NonNullable<NonNullable<OpenApiDocument['paths']>[string]['get']>

const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!)

function renderOperation(method: string, path: string, operation: OpenApiOperation): string {
  const parameters = (operation.parameters ?? [])
    .flatMap((p) => ('name' in p ? [p] : []))
    .map((p) => {
      const type = p.schema && 'type' in p.schema ? String(p.schema.type ?? '') : ''
      return `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${p.in}</td><td>${p.required ? 'yes' : 'no'}</td><td>${escapeHtml(p.description ?? type)}</td></tr>`
    })
    .join('')
  const responses = Object.entries(operation.responses ?? {})
    .map(([status, response]) => `<li><b>${status}</b> ${escapeHtml((response as { description?: string }).description ?? '')}</li>`)
    .join('')
  return `<section><h3><span class="m">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p>${escapeHtml(operation.summary ?? '')}</p>${operation.description ? `<p>${escapeHtml(operation.description)}</p>` : ''}
${parameters ? `<table><tr><th>Parameter</th><th>In</th><th>Required</th><th>Description</th></tr>${parameters}</table>` : ''}
<ul>${responses}</ul></section>`
}

export function renderApiReference(document: OpenApiDocument): string {
  const sections = Object.entries(document.paths ?? {})
    .flatMap(([path, item]) => httpMethods.flatMap((method) => (item[method] ? [renderOperation(method, path, item[method])] : [])))
    .join('\n')
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(document.info.title)} API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1f2933}
h3{margin-bottom:.2rem}.m{background:#0b6e4f;color:#fff;border-radius:4px;padding:0 .4rem;font-size:.85em}
table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:.2rem .5rem;text-align:left}section{border-top:1px solid #e5e7eb;padding:.5rem 0}</style>
</head><body><h1>${escapeHtml(document.info.title)} API <small>${escapeHtml(document.info.version)}</small></h1>
<p>${escapeHtml(document.info.description ?? '')}</p><p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a></p>
${sections}</body></html>`
}
