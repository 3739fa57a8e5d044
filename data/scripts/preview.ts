/**
 * Renders the committed demo town (or a freshly generated one with a seed argument) as a PNG,
 * for eyeballing the generator's output: `tsx data/scripts/preview.ts [seed] [out.png] [zoom-centre-lon,lat]`.
 */
import { writeFileSync } from 'node:fs'
import { generateTown, loadTown, type Position } from '../src/index.ts'
import { encodePng } from './png.ts'

const seedArgument = process.argv[2]
const town = seedArgument && seedArgument !== '-' ? generateTown({ seed: Number(seedArgument) }) : loadTown()
const out = process.argv[3] ?? '/tmp/town.png'
const size = 1000
const all = town.admin_areas.features[0]!.geometry.coordinates.flat(2)
let minLon = Math.min(...all.map((p) => p[0])),
  maxLon = Math.max(...all.map((p) => p[0]))
let minLat = Math.min(...all.map((p) => p[1])),
  maxLat = Math.max(...all.map((p) => p[1]))
if (process.argv[4]) {
  const [lon, lat] = process.argv[4].split(',').map(Number) as [number, number]
  const half = Number(process.argv[5] ?? 0.02)
  minLon = lon - half / Math.cos((lat * Math.PI) / 180)
  maxLon = lon + half / Math.cos((lat * Math.PI) / 180)
  minLat = lat - half
  maxLat = lat + half
}
const cos = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180)
const span = Math.max((maxLon - minLon) * cos, maxLat - minLat)
const rgb = new Uint8Array(size * size * 3).fill(255)
const px = ([lon, lat]: Position): [number, number] => [
  Math.round((((lon - minLon) * cos) / span) * (size - 1)),
  Math.round((1 - (lat - minLat) / span) * (size - 1)),
]
const plot = (p: [number, number], c: number[]): void => {
  if (p[0] >= 0 && p[1] >= 0 && p[0] < size && p[1] < size) rgb.set(c, (p[1] * size + p[0]) * 3)
}
const line = (coords: Position[], c: number[]): void => {
  for (let k = 1; k < coords.length; k++) {
    const a = px(coords[k - 1]!),
      b = px(coords[k]!)
    const n = Math.max(Math.abs(b[0] - a[0]), Math.abs(b[1] - a[1]), 1)
    for (let t = 0; t <= n; t++) plot([Math.round(a[0] + ((b[0] - a[0]) * t) / n), Math.round(a[1] + ((b[1] - a[1]) * t) / n)], c)
  }
}
const dot = (p: Position, r: number, c: number[]): void => {
  const [x, y] = px(p)
  for (let dx = -r; dx <= r; dx++) for (let dy = -r; dy <= r; dy++) plot([x + dx, y + dy], c)
}
for (const f of town.contours.features)
  line(f.geometry.coordinates, f.properties.elevation_m % 250 === 0 ? [170, 150, 120] : [215, 205, 190])
for (const f of town.admin_areas.features)
  for (const poly of f.geometry.coordinates) for (const ring of poly) line(ring, f.properties.level === 'town' ? [0, 0, 0] : [150, 90, 200])
for (const f of town.danger_zones.features) for (const poly of f.geometry.coordinates) for (const ring of poly) line(ring, [230, 0, 0])
for (const f of town.rivers.features) line(f.geometry.coordinates, f.properties.class === 'stream' ? [120, 170, 255] : [20, 70, 230])
for (const f of town.roads.features)
  line(
    f.geometry.coordinates,
    f.properties.class === 'county'
      ? [220, 40, 40]
      : f.properties.class === 'township'
        ? [240, 150, 0]
        : f.properties.passable_in_flood
          ? [110, 110, 110]
          : [255, 0, 255],
  )
for (const f of town.evacuation_routes.features) line(f.geometry.coordinates, [0, 170, 60])
for (const f of town.natural_villages.features) dot(f.geometry.coordinates, 2, [0, 0, 0])
for (const f of town.hazard_points.features) dot(f.geometry.coordinates, 2, [230, 0, 0])
for (const f of town.facilities.features) {
  if (f.properties.kind === 'shelter') dot(f.geometry.coordinates, 3, [0, 170, 60])
  if (f.properties.kind === 'reservoir') dot(f.geometry.coordinates, 3, [0, 0, 180])
}
writeFileSync(out, encodePng(size, size, rgb))
console.log('wrote', out)
