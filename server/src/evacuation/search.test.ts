import { describe, expect, it } from 'vitest'
import { haversine, type LonLat } from './geo.ts'
import { buildGraph, snapToGraph, type RoadInput, type Snap } from './graph.ts'
import { routeBetween, searchFrom } from './search.ts'

// A hand-made grid, 0.001° apart (≈ 100 m east, 111 m north at 25°N):
//
//   D(0,1) ── E(1,1) ── F(2,1)
//     │         │         │
//   A(0,0) ── B(1,0) ── C(2,0)          G(5,5) ── H(6,5)   (a piece on its own)
const u = 0.001
const at = (x: number, y: number): LonLat => [99.1 + x * u, 25.05 + y * u]
const P = { A: at(0, 0), B: at(1, 0), C: at(2, 0), D: at(0, 1), E: at(1, 1), F: at(2, 1), G: at(5, 5), H: at(6, 5) }
type Name = keyof typeof P
let nextId = 1
const road = (a: Name, b: Name, extra: Partial<RoadInput> = {}): RoadInput => ({
  id: nextId++,
  coordinates: [P[a], P[b]],
  passableInFlood: true,
  ...extra,
})
const len = (a: Name, b: Name) => haversine(P[a][0], P[a][1], P[b][0], P[b][1])

function grid(overrides: Partial<Record<string, Partial<RoadInput>>> = {}) {
  nextId = 1
  const pairs: [Name, Name][] = [
    ['A', 'B'],
    ['B', 'C'],
    ['D', 'E'],
    ['E', 'F'],
    ['A', 'D'],
    ['B', 'E'],
    ['C', 'F'],
    ['G', 'H'],
  ]
  return buildGraph(pairs.map(([a, b]) => road(a, b, overrides[a + b])))
}
const snap = (graph: ReturnType<typeof grid>, p: LonLat): Snap => {
  const result = snapToGraph(graph, p, 500)
  if (!result.ok) throw new Error('not snapped')
  return result.snap
}
const mid = (a: Name, b: Name): LonLat => [(P[a][0] + P[b][0]) / 2, (P[a][1] + P[b][1]) / 2]

describe('walking graph', () => {
  it('shares nodes between road pieces that meet and measures lengths along the line', () => {
    const graph = grid()
    expect(graph.nodeCount).toBe(8)
    expect(graph.edgeCount).toBe(8)
    expect(graph.edgeLength[0]).toBeCloseTo(len('A', 'B'), 6)
  })

  it('snaps a point to the nearest road within the distance, and reports the distance of one too far', () => {
    const graph = grid()
    const near = snapToGraph(graph, [P.A[0] + 0.5 * u, P.A[1] - 0.0002], 500)
    expect(near.ok).toBe(true)
    if (near.ok) {
      expect(graph.edgeRoadId[near.snap.edge]).toBe(1) // A–B
      expect(near.snap.offsetM).toBeCloseTo(len('A', 'B') / 2, 0)
      expect(near.snap.distanceM).toBeCloseTo(0.0002 * 111_195, -1)
    }
    const far = snapToGraph(graph, [P.A[0], P.A[1] - 0.01], 500)
    expect(far).toEqual({ ok: false, distanceM: expect.closeTo(0.01 * 111_195, -1) })
  })
})

describe('shortest walking paths', () => {
  it('finds the known shortest path and its geometry', () => {
    const graph = grid()
    const path = routeBetween(graph, snap(graph, P.A), snap(graph, P.C))!
    expect(path.lengthM).toBeCloseTo(len('A', 'B') + len('B', 'C'), 3)
    expect(path.coordinates[0]).toEqual(P.A)
    expect(path.coordinates[path.coordinates.length - 1]).toEqual(P.C)
    expect(path.roadIds).toContain(2) // B–C
  })

  it('starts and ends part-way along roads', () => {
    const graph = grid()
    const path = routeBetween(graph, snap(graph, mid('A', 'B')), snap(graph, mid('E', 'F')))!
    expect(path.lengthM).toBeCloseTo(len('A', 'B') / 2 + len('B', 'E') + len('E', 'F') / 2, 0)
  })

  it('walks along one road when both points are on it', () => {
    const graph = grid()
    const path = routeBetween(graph, snap(graph, at(0.2, 0)), snap(graph, at(0.7, 0)))!
    expect(path.lengthM).toBeCloseTo(len('A', 'B') / 2, 0)
    expect(path.coordinates).toHaveLength(2)
  })

  it('detours around a danger zone it may not enter', () => {
    const graph = grid({ BC: { zones: [9] }, BE: { zones: [9] } })
    const path = routeBetween(graph, snap(graph, P.A), snap(graph, P.C))!
    expect(path.lengthM).toBeCloseTo(len('A', 'D') + len('D', 'E') + len('E', 'F') + len('C', 'F'), 3)
    expect(path.roadIds).not.toContain(2)
    // Ignoring zones (diagnostics) the direct road is back.
    expect(routeBetween(graph, snap(graph, P.A), snap(graph, P.C), { ignoreZones: true })!.lengthM).toBeCloseTo(
      len('A', 'B') + len('B', 'C'),
      3,
    )
  })

  it('lets a village inside its own zone cross it on the way out, but never come back in', () => {
    // Zone 7 covers A–B and C–F, zone 8 B–E; the village is half-way along A–B, the shelter at F.
    const graph = grid({ AB: { zones: [7] }, CF: { zones: [7] }, BE: { zones: [8] } })
    const village = snap(graph, mid('A', 'B'))
    const shelter = snap(graph, P.F)
    // Not its zone: it cannot even start.
    expect(routeBetween(graph, village, shelter)).toBeUndefined()
    const out = routeBetween(graph, village, shelter, { ownZones: new Set([7]) })!
    // B → C → F would re-enter zone 7 on C–F; the way out is by A, D, E.
    expect(out.lengthM).toBeCloseTo(len('A', 'B') / 2 + len('A', 'D') + len('D', 'E') + len('E', 'F'), 0)
    expect(out.roadIds).not.toContain(7)
  })

  it('avoids a warned area on request, given as zones of its own', () => {
    const graph = grid()
    const warned = new Map([[graph.edgeOfRoad.get(2)!, [-1]]]) // B–C warned
    const path = routeBetween(graph, snap(graph, P.B), snap(graph, P.C), { extraZones: warned })!
    expect(path.lengthM).toBeCloseTo(len('B', 'E') + len('E', 'F') + len('C', 'F'), 3)
  })

  it('leaves out roads impassable in flood when asked', () => {
    const graph = grid({ AB: { passableInFlood: false } })
    expect(routeBetween(graph, snap(graph, P.A), snap(graph, P.B))!.lengthM).toBeCloseTo(len('A', 'B'), 3)
    expect(routeBetween(graph, snap(graph, P.A), snap(graph, P.B), { avoidFlooded: true })!.lengthM).toBeCloseTo(
      len('A', 'D') + len('D', 'E') + len('B', 'E'),
      3,
    )
  })

  it('reports an unreachable target as not found', () => {
    const graph = grid()
    const result = searchFrom(graph, snap(graph, P.A), [snap(graph, P.G), snap(graph, P.F)])
    expect(result.found.map((f) => f.target)).toEqual([1])
    expect(result.path(0)).toBeUndefined()
  })

  it('reports targets nearest first and stops when told', () => {
    const graph = grid()
    const targets = [snap(graph, P.F), snap(graph, P.B), snap(graph, P.E)]
    const all = searchFrom(graph, snap(graph, P.A), targets)
    expect(all.found.map((f) => f.target)).toEqual([1, 2, 0])
    const first = searchFrom(graph, snap(graph, P.A), targets, {}, { onFound: () => true })
    expect(first.found.map((f) => f.target)).toEqual([1])
  })

  it('answers from a dead-end mask only what a full search would: nothing, from a pocket cut off by zones', () => {
    // 20 × 20 lattice, half the pieces in danger zones 1–3: pockets no target can be reached from.
    let seed = 7
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const node = (x: number, y: number): LonLat => [99 + x * u, 25 + y * u]
    const roads: RoadInput[] = []
    let id = 1
    for (let x = 0; x < 20; x++)
      for (let y = 0; y < 20; y++)
        for (const [dx, dy] of [
          [1, 0],
          [0, 1],
        ] as const) {
          if (x + dx >= 20 || y + dy >= 20) continue
          const zones = random() < 0.5 ? [1 + Math.floor(random() * 3)] : []
          roads.push({ id: id++, coordinates: [node(x, y), node(x + dx, y + dy)], passableInFlood: true, zones })
        }
    const graph = buildGraph(roads)
    const targets = [snap(graph, node(0, 0)), snap(graph, node(19, 19)), snap(graph, node(10, 3))]
    let skipped = 0
    for (const ownZones of [new Set<number>(), new Set([1]), new Set([2, 3])]) {
      const deadEnds = new Uint8Array(2 * graph.nodeCount)
      for (let trial = 0; trial < 150; trial++) {
        const start = snap(graph, [99 + random() * 19 * u, 25 + random() * 19 * u])
        const wasDead = deadEnds.some((d) => d === 1)
        const plain = searchFrom(graph, start, targets, { ownZones }).found
        const masked = searchFrom(graph, start, targets, { ownZones }, { deadEnds }).found
        expect(masked).toEqual(plain)
        if (wasDead && plain.length === 0) skipped++
      }
    }
    // Some starts were in pockets already known to be dead (the mask was of use).
    expect(skipped).toBeGreaterThan(10)
  })

  it('A* agrees with Dijkstra on a larger random network', () => {
    // 30 × 30 lattice with jittered nodes and a fifth of the links missing.
    let seed = 42
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const node = (x: number, y: number): LonLat => [99 + x * u + (((x * 7 + y * 13) % 5) - 2) * 0.0001, 25 + y * u]
    const roads: RoadInput[] = []
    let id = 1
    for (let x = 0; x < 30; x++)
      for (let y = 0; y < 30; y++) {
        if (x < 29 && random() > 0.2) roads.push({ id: id++, coordinates: [node(x, y), node(x + 1, y)], passableInFlood: true })
        if (y < 29 && random() > 0.2) roads.push({ id: id++, coordinates: [node(x, y), node(x, y + 1)], passableInFlood: true })
      }
    const graph = buildGraph(roads)
    for (let trial = 0; trial < 40; trial++) {
      const a = snap(graph, node(Math.floor(random() * 30), Math.floor(random() * 30)))
      const b = snap(graph, node(Math.floor(random() * 30), Math.floor(random() * 30)))
      const dijkstra = searchFrom(graph, a, [b]).found[0]?.lengthM
      const astar = routeBetween(graph, a, b)?.lengthM
      expect(astar).toBeCloseTo(dijkstra ?? NaN, 6)
      if (dijkstra !== undefined) expect(astar).toBeGreaterThan(haversine(a.point[0], a.point[1], b.point[0], b.point[1]) - 1e-6)
    }
  })
})
