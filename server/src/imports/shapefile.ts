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
    throw new UnreadableFile('不是有效的 ZIP 文件 — not a readable .zip archive.')
  }
  const names = Object.keys(files).filter((name) => !name.startsWith('__MACOSX/'))
  const shpName = names.find((name) => /\.shp$/i.test(name))
  if (!shpName) throw new UnreadableFile('压缩包中没有 .shp 文件 — the archive holds no .shp file.')
  const base = shpName.slice(0, -4)
  const sibling = (ext: string) => {
    const name = names.find((candidate) => candidate.toLowerCase() === `${base}.${ext}`.toLowerCase())
    return name ? files[name] : undefined
  }
  const dbf = sibling('dbf')
  const prj = sibling('prj')
  const cpg = sibling('cpg')
  const warnings: string[] = []
  if (names.filter((name) => /\.shp$/i.test(name)).length > 1)
    warnings.push(`压缩包中有多个图层，只读取 ${shpName} — several layers in the archive; only ${shpName} was read.`)

  let crs: Crs
  if (prj) crs = crsFromPrj(new TextDecoder('utf-8').decode(prj))
  else if (crsChoice) crs = crsFromChoice(crsChoice)
  else throw new UnreadableFile('缺少 .prj 文件，请选择坐标系 — the Shapefile has no .prj: choose its coordinate system.', 'crs_required')

  const encoding = (cpg && encodingFromCpg(new TextDecoder('utf-8').decode(cpg))) || (dbf ? guessDbfEncoding(dbf) : 'utf-8')
  let source: Awaited<ReturnType<typeof shapefile.open>>
  try {
    source = await shapefile.open(toArrayBuffer(files[shpName]!), dbf ? toArrayBuffer(dbf) : undefined, { encoding })
  } catch {
    throw new UnreadableFile('无法读取 Shapefile — the .shp/.dbf could not be read.')
  }
  const columns = new Set<string>()
  const records: SourceRecord[] = []
  for (let row = 1; ; row++) {
    let result
    try {
      result = await source.read()
    } catch {
      throw new UnreadableFile(`Shapefile 第 ${row} 条记录损坏 — record ${row} of the Shapefile is damaged.`)
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
