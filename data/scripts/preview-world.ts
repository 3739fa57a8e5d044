import { writeFileSync } from 'node:fs'
import { Rng } from '../src/random.ts'
import { buildWorld } from '../src/world.ts'
import { encodePng } from './png.ts'

const seed = Number(process.argv[2] ?? 1)
const t0 = performance.now()
const world = buildWorld(new Rng(seed), [99.1, 25.1], '530502199', '')
console.log(
  'world',
  (performance.now() - t0).toFixed(0),
  'ms',
  'villages',
  world.villages.length,
  'admins',
  world.admins.length,
  'rivers',
  world.rivers.length,
  'roads',
  world.roads.features.length,
  'pop',
  world.villages.reduce((s, v) => s + v.population, 0),
)
const size = 900
const rgb = new Uint8Array(size * size * 3)
const { grid } = world
const extent = (grid.size - 1) * grid.cell
const toPixel = ([lon, lat]: [number, number]): [number, number] => {
  const [x, y] = world.projection.toXY([lon, lat])
  return [Math.round(((x - grid.originXY[0]) / extent) * (size - 1)), Math.round((1 - (y - grid.originXY[1]) / extent) * (size - 1))]
}
for (let py = 0; py < size; py++)
  for (let px = 0; px < size; px++) {
    const i = Math.round((px / (size - 1)) * (grid.size - 1)),
      j = Math.round((1 - py / (size - 1)) * (grid.size - 1))
    const idx = j * grid.size + i
    const s = grid.slope[idx]!
    const shade = Math.max(0.35, 1 - s / 45)
    const inside = world.inside[idx] ? 1 : 0.6
    rgb.set([200 * shade * inside, 200 * shade * inside, 180 * shade * inside], (py * size + px) * 3)
  }
const plot = (p: [number, number], c: number[]) => {
  if (p[0] >= 0 && p[1] >= 0 && p[0] < size && p[1] < size) rgb.set(c, (p[1] * size + p[0]) * 3)
}
const line = (coords: [number, number][], c: number[]) => {
  for (let k = 1; k < coords.length; k++) {
    const a = toPixel(coords[k - 1]!),
      b = toPixel(coords[k]!)
    const n = Math.max(Math.abs(b[0] - a[0]), Math.abs(b[1] - a[1]), 1)
    for (let t = 0; t <= n; t++) plot([Math.round(a[0] + ((b[0] - a[0]) * t) / n), Math.round(a[1] + ((b[1] - a[1]) * t) / n)], c)
  }
}
for (const admin of world.admins)
  for (const poly of admin.polygon) for (const ring of poly) line(ring as [number, number][], [120, 60, 160])
for (const river of world.rivers) line(river.coordinates as [number, number][], river.class === 'stream' ? [110, 160, 255] : [20, 60, 230])
for (const road of world.roads.features)
  line(
    road.coordinates as [number, number][],
    road.class === 'county'
      ? [230, 30, 30]
      : road.class === 'township'
        ? [240, 140, 0]
        : road.class === 'village'
          ? [90, 90, 90]
          : [150, 120, 90],
  )
for (const v of world.villages) {
  const p = toPixel(v.position as [number, number])
  for (let dx = -2; dx <= 2; dx++)
    for (let dy = -2; dy <= 2; dy++) plot([p[0] + dx, p[1] + dy], v.seat ? [255, 0, 0] : v.adminCentre ? [255, 200, 0] : [0, 0, 0])
}
writeFileSync(process.argv[3] ?? '/tmp/world.png', encodePng(size, size, rgb))
