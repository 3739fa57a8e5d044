import type { Context } from 'hono'
import type { AppContext } from '../context.ts'
import { NotFound } from '../errors.ts'
import { currentDataVersion } from '../events/changes.ts'
import { layerSummaries } from '../layers/queries.ts'
import { router } from '../router.ts'
import { tileBuilderFor, type TileBuilder } from './queries.ts'
import { tileAddress } from './rules.ts'
import { attribution, findTileset, tilesets, type Tileset } from './tilesets.ts'

/**
 * Vector tiles for the large layers: `/tiles/{tileset}/{z}/{x}/{y}.mvt` and a TileJSON per
 * tileset. Tiles are ETagged by the data version (If-None-Match → 304 without cutting a tile)
 * and kept in a bounded cache that a newer data version makes stale.
 */
const mvt = 'application/vnd.mapbox-vector-tile'
const tileCacheControl = 'public, max-age=60, must-revalidate'

function tilesetOf(id: string): Tileset {
  const tileset = findTileset(id)
  if (!tileset) throw new NotFound(`Unknown tileset: ${id}`, { tilesets: tilesets.map((candidate) => candidate.id) })
  return tileset
}

function tileJson(c: Context, tileset: Tileset, bounds: number[] | null, version: number) {
  const origin = new URL(c.req.url).origin
  return {
    tilejson: '3.0.0',
    name: `${tileset.title.zh} ${tileset.title.en}`,
    version: '1.0.0',
    scheme: 'xyz',
    // The data version in the URL: a client that re-reads this after an edit fetches fresh tiles.
    tiles: [`${origin}/tiles/${tileset.id}/{z}/{x}/{y}.mvt?v=${version}`],
    minzoom: tileset.minzoom,
    maxzoom: tileset.maxzoom,
    ...(bounds ? { bounds } : {}),
    attribution,
    vector_layers: [
      {
        id: tileset.id,
        description: `${tileset.title.zh} ${tileset.title.en}`,
        minzoom: tileset.minzoom,
        maxzoom: tileset.maxzoom,
        fields: Object.fromEntries(
          tileset.attributes.map((name) => [name, tileset.layer.properties.find((property) => property.name === name)!.type]),
        ),
      },
    ],
  }
}

export function tileRoutes(
  { db, home, dataVersions, tiles: cache }: Pick<AppContext, 'db' | 'home' | 'dataVersions' | 'tiles'>,
  options: { builder?: TileBuilder } = {},
) {
  const builder = options.builder ?? tileBuilderFor(home)
  const bboxes = async () => new Map((await layerSummaries(db)).map((summary) => [summary.id, summary.bbox]))
  return router()
    .get('/', async (c) => {
      const { version } = await currentDataVersion(db)
      const extents = await bboxes()
      return c.json({ tilesets: tilesets.map((tileset) => tileJson(c, tileset, extents.get(tileset.layer.id) ?? null, version)) })
    })
    .get('/:tileset/tilejson.json', async (c) => {
      const tileset = tilesetOf(c.req.param('tileset'))
      const { version } = await currentDataVersion(db)
      return c.json(tileJson(c, tileset, (await bboxes()).get(tileset.layer.id) ?? null, version))
    })
    .get('/:tileset/:z/:x/:y', async (c) => {
      const tileset = tilesetOf(c.req.param('tileset'))
      const address = tileAddress(tileset, c.req.param('z'), c.req.param('x'), c.req.param('y'))
      // Coalesced: a map asking for twenty tiles at once costs one or two version reads.
      const version = await dataVersions.current()
      const etag = `"v${version}"`
      const headers = { ETag: etag, 'Cache-Control': tileCacheControl, Vary: 'Accept-Encoding' }
      if (
        c.req
          .header('if-none-match')
          ?.split(',')
          .some((tag) => tag.trim().replace(/^W\//, '') === etag)
      )
        return c.body(null, 304, headers)
      const key = `${tileset.id}/${address.z}/${address.x}/${address.y}`
      let body = cache.get(key, version)
      if (!body) {
        body = await builder.build(db, tileset, address)
        cache.set(key, version, body)
      }
      return c.body(body as Uint8Array<ArrayBuffer>, 200, { ...headers, 'Content-Type': mvt, 'X-Tile-Builder': builder.name })
    })
}
