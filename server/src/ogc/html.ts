import type { OgcCollection, OgcLink } from '@riskatlas/shared'

/**
 * The HTML face of `/ogc`: plain server-written pages a person can browse (the OGC HTML
 * conformance class). Every value is escaped; nothing is loaded from elsewhere.
 */
const escapeHtml = (value: unknown) =>
  String(value ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!)

function page(title: string, crumbs: { href: string; label: string }[], body: string): string {
  const trail = crumbs.map((crumb) => `<a href="${escapeHtml(crumb.href)}">${escapeHtml(crumb.label)}</a>`).join(' › ')
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · RiskAtlas OGC API</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:1.5rem auto;max-width:72rem;padding:0 1rem;color:#1f2933;line-height:1.5}
a{color:#1d4ed8}nav{font-size:.9rem;margin-bottom:1rem}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #d9dee3;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f3f5f7}
code{background:#f3f5f7;padding:0 .25rem}.muted{color:#5f6b76}.links li{margin:.15rem 0}</style></head>
<body><nav>${trail}</nav><h1>${escapeHtml(title)}</h1>${body}</body></html>`
}

const linkList = (links: OgcLink[]) =>
  `<ul class="links">${links.map((link) => `<li><a href="${escapeHtml(link.href)}">${escapeHtml(link.title ?? link.rel)}</a> <span class="muted">(${escapeHtml(link.rel)}${link.type ? `, ${escapeHtml(link.type)}` : ''})</span></li>`).join('')}</ul>`

export function landingHtml(base: string, links: OgcLink[]): string {
  return page(
    'RiskAtlas 一张图 — OGC API – Features',
    [{ href: base, label: '首页 Home' }],
    `<p>本服务以 OGC API – Features 标准发布全部公开图层，可在 QGIS、GDAL 中直接使用（连接地址 <code>${escapeHtml(base)}</code>）。</p>
<p class="muted">Every public RiskAtlas layer as an OGC API – Features collection, for QGIS and GDAL. No personal data is published here.</p>${linkList(links)}`,
  )
}

export function conformanceHtml(base: string, classes: readonly string[]): string {
  return page(
    '符合类 Conformance',
    [
      { href: base, label: '首页 Home' },
      { href: `${base}/conformance?f=html`, label: '符合类 Conformance' },
    ],
    `<ul>${classes.map((uri) => `<li><code>${escapeHtml(uri)}</code></li>`).join('')}</ul>`,
  )
}

export function collectionsHtml(base: string, collections: OgcCollection[], counts: Map<string, number>): string {
  const rows = collections
    .map(
      (
        collection,
      ) => `<tr><td><a href="${escapeHtml(`${base}/collections/${collection.id}?f=html`)}">${escapeHtml(collection.title)}</a></td>
<td><code>${escapeHtml(collection.id)}</code></td><td>${counts.get(collection.id) ?? ''}</td>
<td><a href="${escapeHtml(`${base}/collections/${collection.id}/items?f=html`)}">要素 items</a></td></tr>`,
    )
    .join('')
  return page(
    '数据集 Collections',
    [
      { href: base, label: '首页 Home' },
      { href: `${base}/collections?f=html`, label: '数据集 Collections' },
    ],
    `<table><thead><tr><th>名称 Title</th><th>标识 Id</th><th>要素数 Features</th><th></th></tr></thead><tbody>${rows}</tbody></table>`,
  )
}

export function collectionHtml(base: string, collection: OgcCollection, queryableNames: string[]): string {
  const bbox = collection.extent.spatial.bbox[0]
  return page(
    collection.title,
    [
      { href: base, label: '首页 Home' },
      { href: `${base}/collections?f=html`, label: '数据集 Collections' },
      { href: `${base}/collections/${collection.id}?f=html`, label: collection.id },
    ],
    `<p>${escapeHtml(collection.description)}</p>
<table><tbody><tr><th>范围 Extent (CRS84)</th><td>${bbox ? escapeHtml(bbox.map((n) => n.toFixed(5)).join(', ')) : '—'}</td></tr>
${collection.extent.temporal ? `<tr><th>时间范围 Temporal extent</th><td>${escapeHtml(collection.extent.temporal.interval[0]!.map((t) => t ?? '..').join(' / '))}</td></tr>` : ''}
<tr><th>坐标系 CRS</th><td>${collection.crs.map((crs) => `<code>${escapeHtml(crs)}</code>`).join('<br>')}</td></tr>
<tr><th>可筛选属性 Queryables</th><td>${queryableNames.map((name) => `<code>${escapeHtml(name)}</code>`).join(' ')}</td></tr></tbody></table>
${linkList(collection.links)}`,
  )
}

interface FeatureLike {
  id: string | number
  geometry: { type: string } | null
  properties: Record<string, unknown>
}

const cell = (value: unknown) => escapeHtml(Array.isArray(value) ? value.join('、') : value === null ? '—' : value)

export function itemsHtml(
  base: string,
  collection: OgcCollection,
  features: FeatureLike[],
  page_: { matched: number; offset: number; links: OgcLink[] },
): string {
  const names = features[0] ? Object.keys(features[0].properties) : []
  const head = `<tr><th>id</th><th>几何 Geometry</th>${names.map((name) => `<th>${escapeHtml(name)}</th>`).join('')}</tr>`
  const rows = features
    .map(
      (
        feature,
      ) => `<tr><td><a href="${escapeHtml(`${base}/collections/${collection.id}/items/${encodeURIComponent(String(feature.id))}?f=html`)}">${escapeHtml(feature.id)}</a></td>
<td>${escapeHtml(feature.geometry?.type)}</td>${names.map((name) => `<td>${cell(feature.properties[name])}</td>`).join('')}</tr>`,
    )
    .join('')
  const from = features.length ? page_.offset + 1 : 0
  return page(
    `${collection.title} — 要素 Items`,
    [
      { href: base, label: '首页 Home' },
      { href: `${base}/collections?f=html`, label: '数据集 Collections' },
      { href: `${base}/collections/${collection.id}?f=html`, label: collection.id },
    ],
    `<p>第 ${from}–${page_.offset + features.length} 个，共 ${page_.matched} 个 · features ${from}–${page_.offset + features.length} of ${page_.matched}</p>
${linkList(page_.links.filter((link) => link.rel !== 'self'))}<table><thead>${head}</thead><tbody>${rows}</tbody></table>`,
  )
}

export function featureHtml(base: string, collection: OgcCollection, feature: FeatureLike): string {
  const rows = Object.entries(feature.properties)
    .map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td>${cell(value)}</td></tr>`)
    .join('')
  return page(
    `${collection.title} ${feature.id}`,
    [
      { href: base, label: '首页 Home' },
      { href: `${base}/collections?f=html`, label: '数据集 Collections' },
      { href: `${base}/collections/${collection.id}/items?f=html`, label: collection.id },
    ],
    `<table><tbody><tr><th>id</th><td>${escapeHtml(feature.id)}</td></tr><tr><th>几何 Geometry</th><td>${escapeHtml(feature.geometry?.type)}</td></tr>${rows}</tbody></table>
<p><a href="${escapeHtml(`${base}/collections/${collection.id}/items/${encodeURIComponent(String(feature.id))}?f=json`)}">GeoJSON</a></p>`,
  )
}
