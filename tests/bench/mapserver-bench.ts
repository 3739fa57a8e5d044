/**
 * Issue 14 §6: MapServer 8 beside RiskAtlas on the same PostGIS tables in the same run.
 * MapServer (Debian's `cgi-mapserver` + `mapserver-bin`) runs as a persistent FastCGI pool of
 * two `mapserv` processes under lighttpd, each keeping one PostgreSQL connection across
 * requests (`PROCESSING "CLOSE_CONNECTION=DEFER"`); it serves OGC API – Features (JSON) and MVT
 * (`mode=tile`) from a mapfile written at bench time into a temporary directory. Nothing of
 * MapServer is needed by CI or the tests: without it the bench says so and goes on.
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { freePort } from './server-process.ts'

/** Why MapServer cannot be run here, or undefined when `mapserv` (OGC API, FastCGI) and lighttpd are installed. */
export function mapServerMissing(): string | undefined {
  const mapserv = spawnSync('mapserv', ['-v'], { encoding: 'utf8' })
  if (mapserv.error || !/MapServer version 8/.test(mapserv.stdout))
    return 'MapServer 8 is not installed (apt-get install cgi-mapserver mapserver-bin lighttpd)'
  if (!/SUPPORTS=OGCAPI_SERVER/.test(mapserv.stdout) || !/SUPPORTS=FASTCGI/.test(mapserv.stdout))
    return 'this mapserv lacks OGC API or FastCGI support'
  const lighttpd = spawnSync('lighttpd', ['-v'], { encoding: 'utf8' })
  if (lighttpd.error) return 'lighttpd is not installed (apt-get install lighttpd)'
  return undefined
}

/** A libpq connection string from a postgresql:// URL (MapServer's CONNECTION). */
function libpq(url: string): string {
  const parsed = new URL(url)
  const parts = [
    `host=${parsed.hostname}`,
    `port=${parsed.port || 5432}`,
    `user=${decodeURIComponent(parsed.username || 'postgres')}`,
    `dbname=${parsed.pathname.slice(1)}`,
  ]
  if (parsed.password) parts.push(`password=${decodeURIComponent(parsed.password)}`)
  return parts.join(' ')
}

/** One road layer of the mapfile: the public attributes of the RiskAtlas roads layer, the id as feature id. */
function roadLayer(name: string, databaseUrl: string): string {
  return `
  LAYER
    NAME "${name}"
    TYPE LINE
    STATUS ON
    CONNECTIONTYPE POSTGIS
    CONNECTION "${libpq(databaseUrl)}"
    PROCESSING "CLOSE_CONNECTION=DEFER"
    DATA "geom FROM roads USING UNIQUE id USING SRID=4326"
    PROJECTION "init=epsg:4326" END
    TEMPLATE "void"
    METADATA
      "ows_title" "${name}"
      "gml_include_items" "name,class,passable_in_flood"
      "gml_featureid" "id"
      "oga_max_limit" "10000"
    END
    CLASS STYLE COLOR 0 0 0 END END
  END`
}

/** The ids of the processes whose parent is `parent` (Linux /proc). */
function childrenOf(parent: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        // Fields after the command's closing parenthesis: state, then the parent's id.
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent
      } catch {
        return false
      }
    })
    .map(Number)
}

export interface RunningMapServer {
  /** `http://127.0.0.1:port` */
  base: string
  /** OGC API – Features items of a collection (`roads`: the county's, `town_roads`: the demo town's). */
  itemsUrl(collection: 'roads' | 'town_roads', query: string): string
  /** The county roads as MVT, MapServer's tile mode (Google/XYZ addressing). */
  tileUrl(z: number, x: number, y: number): string
  close(): Promise<void>
}

/** Writes the mapfile, MapServer's config and lighttpd's config into a temporary directory and starts lighttpd. */
export async function startMapServer(databases: { county: string; town: string }): Promise<RunningMapServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'riskatlas-mapserver-'))
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const mapfile = path.join(dir, 'riskatlas.map')
  // The map is in Web Mercator so tile mode cuts in it; the layers are WGS84 and OGC API answers CRS84.
  fs.writeFileSync(
    mapfile,
    `MAP
  NAME "riskatlas"
  EXTENT -20037508 -20037508 20037508 20037508
  PROJECTION "init=epsg:3857" END
  CONFIG "MS_ERRORFILE" "${path.join(dir, 'mapserver.log')}"
  OUTPUTFORMAT
    NAME "mvt"
    DRIVER MVT
    FORMATOPTION "EXTENT=4096"
  END
  WEB
    METADATA
      "ows_enable_request" "*"
      "oga_enable_request" "*"
      "ows_title" "RiskAtlas bench"
      "oga_onlineresource" "${base}/ms/riskatlas/ogcapi"
      "ows_srs" "EPSG:4326 EPSG:3857"
      "oga_max_limit" "10000"
    END
  END${roadLayer('roads', databases.county)}${roadLayer('town_roads', databases.town)}
END
`,
  )
  const escaped = dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  fs.writeFileSync(
    path.join(dir, 'mapserver.conf'),
    `CONFIG
  ENV
    MS_MAP_PATTERN "^${escaped}/"
    OGCAPI_HTML_TEMPLATE_DIRECTORY "/usr/share/mapserver/ogcapi/templates/html-plain/"
  END
  MAPS
    riskatlas "${mapfile}"
  END
END
`,
  )
  fs.writeFileSync(
    path.join(dir, 'lighttpd.conf'),
    `server.modules = ("mod_fastcgi")
server.document-root = "${dir}"
server.bind = "127.0.0.1"
server.port = ${port}
server.errorlog = "${path.join(dir, 'lighttpd.log')}"
server.max-keep-alive-requests = 100000
fastcgi.server = ( "/ms" => ((
  "socket" => "${path.join(dir, 'mapserv.sock')}",
  "bin-path" => "/usr/bin/mapserv",
  "max-procs" => 2,
  "bin-environment" => ( "MAPSERVER_CONFIG_FILE" => "${path.join(dir, 'mapserver.conf')}" ),
  "check-local" => "disable"
)))
`,
  )
  const child = spawn('lighttpd', ['-D', '-f', path.join(dir, 'lighttpd.conf')], { stdio: 'ignore' })
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      // lighttpd leaves the mapserv processes it spawned (in their own sessions) running: stop them by id.
      const pool = childrenOf(child.pid)
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
      for (const pid of pool) {
        try {
          process.kill(pid, 'SIGTERM')
        } catch {
          // already gone
        }
      }
    }
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const server: RunningMapServer = {
    base,
    itemsUrl: (collection, query) => `${base}/ms/riskatlas/ogcapi/collections/${collection}/items?f=json&${query}`,
    tileUrl: (z, x, y) =>
      `${base}/ms?map=${encodeURIComponent(mapfile)}&mode=tile&tilemode=gmap&tile=${x}+${y}+${z}&layers=roads&map.imagetype=mvt`,
    close: stop,
  }
  const started = performance.now()
  for (;;) {
    const ok = await fetch(server.itemsUrl('roads', 'limit=1')).then(
      (response) => response.ok,
      () => false,
    )
    if (ok) return server
    if (child.exitCode !== null || performance.now() - started > 20_000) {
      const log = [path.join(dir, 'lighttpd.log'), path.join(dir, 'mapserver.log')]
        .filter((file) => fs.existsSync(file))
        .map((file) => fs.readFileSync(file, 'utf8').slice(-2000))
        .join('\n')
      await stop()
      throw new Error(`MapServer did not start:\n${log}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
