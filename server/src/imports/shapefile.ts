import { unzipSync } from 'fflate'
import * as shapefile from 'shapefile'
import { crsFromChoice, crsFromPrj, type Crs, type CrsChoice } from './crs.ts'
import { mapPositions } from './geometry.ts'
import { UnreadableFile, type Cell, type Geometry, type ParsedFile, type SourceRecord } from './types.ts'

/** A .cpg's content (or a .dbf's language driver) to a TextDecoder label. */
function encodingFromCpg(cpg: string): string | undefined {
  const text = cpg.trim().toUpperCase()
  if (/^(UTF-?8|65001)$/.test(text)) return 'utf-8'
  if (/^(GBK|CP936|936|GB2312|GB18030|ANSI 936|54936)$/.test(text)) return 'gb18030'
  if (/^(BIG5|CP950|950)$/.test(text)) return 'big5'
  if (/^(ISO-?8859-?1|LATIN1|1252|CP1252)$/.test(text)) return 'windows-1252'
  return undefined
}

/**
 * Without a .cpg: a .dbf whose language driver byte says code page 936 is GBK; otherwise its
 * text bytes are UTF-8 when they decode as UTF-8, and GBK (what Chinese GIS software writes) when not.
 */
function guessDbfEncoding(dbf: Uint8Array): string {
  if (dbf[29] === 0x4d) return 'gb18030'
  const headerLength = (dbf[8] ?? 0) | ((dbf[9] ?? 0) << 8)
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(dbf.subarray(headerLength))
    return 'utf-8'
  } catch {
    return 'gb18030'
  }
}

const toArrayBuffer = (bytes: Uint8Array) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer

/**
 * Reads a zipped Shapefile: the first .shp with its .dbf, .prj and .cpg (any folder, any letter
 * case). The .prj is honoured; without one the user must say which system (`crsChoice`), else
 * `crs_required` is thrown — coordinates are never guessed. Text fields are decoded by the .cpg,
 * or by a GBK/UTF-8 guess when there is none.
 */
export async function readZippedShapefile(bytes: Uint8Array, crsChoice?: CrsChoice): Promise<ParsedFile> {
  let files: Record<string, Uint8Array>
  try {
    files = unzipSync(bytes)
  } catch {
    throw new UnreadableFile('zip_invalid')
  }
  const names = Object.keys(files).filter((name) => !name.startsWith('__MACOSX/'))
  const shpName = names.find((name) => /\.shp$/i.test(name))
  if (!shpName) throw new UnreadableFile('shp_missing')
  const base = shpName.slice(0, -4)
  const sibling = (ext: string) => {
    const name = names.find((candidate) => candidate.toLowerCase() === `${base}.${ext}`.toLowerCase())
    return name ? files[name] : undefined
  }
  const dbf = sibling('dbf')
  const prj = sibling('prj')
  const cpg = sibling('cpg')
  const warnings: ParsedFile['warnings'] = []
  if (names.filter((name) => /\.shp$/i.test(name)).length > 1) warnings.push({ reason: 'several_layers', params: { read: shpName } })

  let crs: Crs
  if (prj) crs = crsFromPrj(new TextDecoder('utf-8').decode(prj))
  else if (crsChoice) crs = crsFromChoice(crsChoice)
  else throw new UnreadableFile('prj_missing', {}, 'crs_required')

  const encoding = (cpg && encodingFromCpg(new TextDecoder('utf-8').decode(cpg))) || (dbf ? guessDbfEncoding(dbf) : 'utf-8')
  let source: Awaited<ReturnType<typeof shapefile.open>>
  try {
    source = await shapefile.open(toArrayBuffer(files[shpName]!), dbf ? toArrayBuffer(dbf) : undefined, { encoding })
  } catch {
    throw new UnreadableFile('shp_unreadable')
  }
  const columns = new Set<string>()
  const records: SourceRecord[] = []
  for (let row = 1; ; row++) {
    let result
    try {
      result = await source.read()
    } catch {
      throw new UnreadableFile('shp_record_damaged', { row })
    }
    if (result.done) break
    const feature = result.value as { properties: Record<string, unknown> | null; geometry: Geometry | null }
    const values: Record<string, Cell> = {}
    for (const [key, value] of Object.entries(feature.properties ?? {})) {
      columns.add(key)
      values[key] =
        value === null || value === undefined
          ? null
          : value instanceof Date
            ? value
            : typeof value === 'object'
              ? JSON.stringify(value)
              : (value as Cell)
      if (typeof values[key] === 'string') values[key] = (values[key] as string).trim() || null
    }
    const geometry = feature.geometry && !crs.geographic ? mapPositions(feature.geometry, crs.toWgs84) : feature.geometry
    records.push({ row, values, geometry })
  }
  return {
    format: 'shapefile',
    encoding,
    sheets: [{ name: base.split('/').pop() ?? base, headerRow: 0, columns: [...columns], records }],
    spatial: true,
    crs: crs.label,
    warnings,
  }
}
