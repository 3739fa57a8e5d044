import { describe, expect, it } from 'vitest'
import type { LonLat } from './geo.ts'
import { buildGraph, snapToGraph, type RoadInput } from './graph.ts'
import { planEvacuation, type PlanShelterInput, type PlanVillageInput } from './plan.ts'
import { searchFrom } from './search.ts'

// A road along y = 0 from x = 0 to x = 10 (0.001° ≈ 100 m a step), nodes every step, and a
// separate road far away (x 20–21). Villages and shelters sit on it.
const u = 0.001
const at = (x: number, y = 0): LonLat => [99.1 + x * u, 25.05 + y * u]
function line(zones: Record<number, number[]> = {}): ReturnType<typeof buildGraph> {
  const roads: RoadInput[] = []
  for (let x = 0; x < 10; x++) roads.push({ id: x + 1, coordinates: [at(x), at(x + 1)], passableInFlood: x !== 7, zones: zones[x] ?? [] })
  roads.push({ id: 100, coordinates: [at(20), at(21)], passableInFlood: true })
  return buildGraph(roads)
}
const village = (id: number, x: number, persons: number, extra: Partial<PlanVillageInput> = {}): PlanVillageInput => ({
  id,
  code: `V${id}`,
  name: `村${id}`,
  adminCode: '530502199201',
  adminName: '村委会',
  location: at(x),
  persons,
  households: Math.ceil(persons / 3),
  vulnerable: 0,
  risk: 1,
  ownZones: [],
  ...extra,
})
const shelter = (id: number, x: number, capacity: number, extra: Partial<PlanShelterInput> = {}): PlanShelterInput => ({
  id,
  location: at(x),
  capacity,
  usable: true,
  ...extra,
})
const options = { snapDistanceM: 500, walkingSpeedKmh: 4, nearestShelters: 3, constraints: {} }

describe('evacuation plan', () => {
  it('sends a village to its nearest shelter with room, with the route, length and walking time', () => {
    const plan = planEvacuation(line(), [village(1, 2, 50)], [shelter(10, 9, 100), shelter(11, 4, 100)], options)
    expect(plan.assignments).toHaveLength(1)
    const [a] = plan.assignments
    expect(a).toMatchObject({ villageId: 1, shelterId: 11, persons: 50 })
    expect(a!.lengthM).toBeCloseTo(2 * 100.8, -1)
    expect(a!.walkingMinutes).toBeCloseTo(a!.lengthM / (4000 / 60), 1)
    expect(a!.geometry.coordinates[0]).toEqual(at(2))
    expect(a!.geometry.coordinates.at(-1)).toEqual(at(4))
    expect(plan.villages[0]).toMatchObject({ status: 'assigned', placed: 50, unplaced: 0, reason: null })
    expect(plan.shelters.find((s) => s.shelterId === 11)!.assigned).toBe(50)
  })

  it('splits a village over shelters when the nearest is too small', () => {
    const plan = planEvacuation(line(), [village(1, 2, 150)], [shelter(10, 9, 100), shelter(11, 4, 100)], options)
    expect(plan.assignments.map((a) => [a.shelterId, a.persons])).toEqual([
      [11, 100],
      [10, 50],
    ])
    expect(plan.overflow).toEqual([])
  })

  it('lets villages at higher risk and with more vulnerable people choose first', () => {
    const villages = [village(1, 3, 80), village(2, 5, 80, { vulnerable: 4 }), village(3, 6, 80, { risk: 2 })]
    const plan = planEvacuation(line(), villages, [shelter(10, 4, 100), shelter(11, 9, 200)], options)
    const placements = (id: number) => plan.assignments.filter((a) => a.villageId === id).map((a) => [a.shelterId, a.persons])
    expect(placements(3)).toEqual([[10, 80]]) // inside a zone: first
    expect(placements(2)).toEqual([
      [10, 20],
      [11, 60],
    ])
    expect(placements(1)).toEqual([[11, 80]])
    expect(plan.villages.map((v) => v.villageId)).toEqual([3, 2, 1])
  })

  it('reports overflow with the nearest shelters that would do and the places needed', () => {
    const plan = planEvacuation(line(), [village(1, 2, 300)], [shelter(10, 9, 100), shelter(11, 4, 100)], options)
    expect(plan.villages[0]).toMatchObject({
      status: 'partly_assigned',
      placed: 200,
      unplaced: 100,
      reason: { code: 'no_room', params: { placesNeeded: 100 } },
    })
    expect(plan.overflow).toEqual([
      {
        villageId: 1,
        unplaced: 100,
        placesNeeded: 100,
        nearestShelters: [expect.objectContaining({ shelterId: 11, spare: 100 }), expect.objectContaining({ shelterId: 10, spare: 100 })],
      },
    ])
    // `spare` is what it had when this village looked; now both are full.
    expect(plan.shelters.map((s) => s.assigned)).toEqual([100, 100])
  })

  it('never routes through a danger zone, and says a village is cut off by one', () => {
    // Zone 5 on the road piece x 5–6: the village at 2 cannot reach the shelter at 9.
    const plan = planEvacuation(line({ 5: [5] }), [village(1, 2, 10)], [shelter(10, 9, 100)], options)
    expect(plan.assignments).toEqual([])
    expect(plan.villages[0]).toMatchObject({ status: 'unplaced', reason: { code: 'cut_off_by_zones' } })
    expect(plan.overflow[0]).toMatchObject({ villageId: 1, placesNeeded: 10, nearestShelters: [] })
  })

  it('lets a village inside its own zone walk out of it', () => {
    const zones = { 1: [5], 2: [5], 3: [5] }
    const inside = planEvacuation(line(zones), [village(1, 2, 10, { ownZones: [5], risk: 2 })], [shelter(10, 9, 100)], options)
    expect(inside.assignments).toHaveLength(1)
    // A village elsewhere must not cross that zone.
    const across = planEvacuation(line(zones), [village(2, 0, 10)], [shelter(10, 9, 100)], options)
    expect(across.villages[0]!.reason?.code).toBe('cut_off_by_zones')
  })

  it('says when flooded roads cut a village off', () => {
    const plan = planEvacuation(line(), [village(1, 2, 10)], [shelter(10, 9, 100)], { ...options, constraints: { avoidFlooded: true } })
    expect(plan.villages[0]!.reason?.code).toBe('cut_off_by_flood')
  })

  it('says when no shelter is reachable at all (another network), and skips unusable shelters', () => {
    const far = planEvacuation(line(), [village(1, 2, 10)], [shelter(10, 20.5, 100), shelter(11, 3, 100, { usable: false })], options)
    expect(far.villages[0]!.reason?.code).toBe('no_reachable_shelter')
    const none = planEvacuation(line(), [village(1, 2, 10)], [shelter(11, 3, 100, { usable: false })], options)
    expect(none.villages[0]!.reason?.code).toBe('no_usable_shelter')
  })

  it('considers no shelter beyond the longest walk allowed', () => {
    const plan = planEvacuation(line(), [village(1, 2, 10)], [shelter(10, 9, 100)], { ...options, maxRouteM: 300 })
    expect(plan.assignments).toEqual([])
    expect(plan.villages[0]!.reason?.code).toBe('no_reachable_shelter')
    expect(planEvacuation(line(), [village(1, 2, 10)], [shelter(10, 9, 100)], { ...options, maxRouteM: 800 }).assignments).toHaveLength(1)
  })

  it('reports a village too far from any road with its distance', () => {
    const plan = planEvacuation(line(), [village(1, 2, 10, { location: at(2, 8) })], [shelter(10, 9, 100)], options)
    expect(plan.villages[0]!.reason).toEqual({ code: 'village_off_network', params: { distanceM: expect.closeTo(890, -1), maxM: 500 } })
  })

  it('marks a shelter too far from any road as not snapped', () => {
    const plan = planEvacuation(
      line(),
      [village(1, 2, 10)],
      [shelter(10, 9, 100), { id: 11, location: at(3, 10), capacity: 100, usable: true }],
      options,
    )
    expect(plan.shelters.find((s) => s.shelterId === 11)).toMatchObject({
      snapped: false,
      assigned: 0,
      distanceM: expect.closeTo(1112, -1),
    })
    expect(plan.assignments[0]!.shelterId).toBe(10)
  })
})

describe('the shared nearest-shelter indexes', () => {
  /** A jittered lattice with a few links missing, some pieces in zones or flooded: a small county. */
  function county(seed: number, n = 24) {
    let s = seed >>> 0
    const random = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32
    const jitter = Array.from({ length: n * n * 2 }, () => (random() - 0.5) * 0.0006)
    const node = (x: number, y: number): LonLat => [
      99 + x * 0.002 + jitter[2 * (y * n + x)]!,
      25 + y * 0.002 + jitter[2 * (y * n + x) + 1]!,
    ]
    const roads: RoadInput[] = []
    let id = 1
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++)
        for (const [dx, dy] of [
          [1, 0],
          [0, 1],
        ] as const) {
          if (x + dx >= n || y + dy >= n || random() < 0.06) continue
          roads.push({
            id: id++,
            coordinates: [node(x, y), node(x + dx, y + dy)],
            passableInFlood: random() > 0.05,
            zones: random() < 0.04 ? [1 + Math.floor(random() * 5)] : [],
          })
        }
    const villages: PlanVillageInput[] = Array.from({ length: 150 }, (_, i) => {
      const inZone = random() < 0.1
      return village(i + 1, 0, 20 + Math.floor(random() * 200), {
        location: [99 + random() * (n - 1) * 0.002, 25 + random() * (n - 1) * 0.002],
        vulnerable: Math.floor(random() * 6),
        risk: inZone ? 2 : random() < 0.5 ? 1 : 0,
        ownZones: inZone ? [1 + Math.floor(random() * 5)] : [],
      })
    })
    const shelters: PlanShelterInput[] = Array.from({ length: 25 }, (_, i) =>
      shelter(1000 + i, 0, 100 + Math.floor(random() * 700), {
        location: [99 + random() * (n - 1) * 0.002, 25 + random() * (n - 1) * 0.002],
        usable: random() > 0.1,
      }),
    )
    return { graph: buildGraph(roads), villages, shelters }
  }

  it('plan exactly as one search per village does: same assignments, lengths, overflow and reasons', () => {
    let overflowing = 0
    for (const seed of [1, 2, 3, 4]) {
      const { graph, villages, shelters } = county(seed)
      for (const constraints of [{}, { avoidFlooded: true }])
        for (const maxRouteM of [undefined, 1500]) {
          const settings = { ...options, constraints, maxRouteM }
          const fast = planEvacuation(graph, villages, shelters, settings)
          const reference = planEvacuation(graph, villages, shelters, { ...settings, nearestIndex: false })
          const shape = (plan: typeof fast) => ({
            villages: plan.villages,
            overflow: plan.overflow,
            shelters: plan.shelters,
            assignments: plan.assignments.map(({ geometry, ...rest }) => ({
              ...rest,
              ends: [geometry.coordinates[0], geometry.coordinates.at(-1)],
            })),
          })
          expect(shape(fast), `seed ${seed} ${JSON.stringify(settings)}`).toEqual(shape(reference))
          expect(fast.assignments.length).toBeGreaterThan(0)
          if (fast.overflow.length > 0) overflowing++
        }
    }
    // The counties are short of room, so overflow (the costly case) is compared too.
    expect(overflowing).toBeGreaterThan(4)
  }, 30_000)

  it('says why a village reaches no shelter as its own searches would, inside a warned area', () => {
    let cutOff = 0
    for (const seed of [5, 6]) {
      const { graph, villages, shelters } = county(seed)
      // The lower half of the county warned: its pieces are zone -1, its villages may leave it.
      const warned = new Map<number, number[]>()
      for (let e = 0; e < graph.edgeCount; e++) if (graph.nodeLat[graph.edgeFrom[e]!]! < 25.02) warned.set(e, [-1])
      const inArea = villages.map((v) => (v.location[1] < 25.02 ? { ...v, ownZones: [...v.ownZones, -1] } : v))
      for (const avoidFlooded of [false, true]) {
        const constraints = { avoidFlooded, extraZones: warned }
        const settings = { ...options, constraints, maxRouteM: 2500 }
        const plan = planEvacuation(graph, inArea, shelters, settings)
        const targets = shelters
          .map((s) => snapToGraph(graph, s.location, settings.snapDistanceM))
          .flatMap((r, i) => (r.ok && shelters[i]!.usable ? [r.snap] : []))
        const reaches = (start: Parameters<typeof searchFrom>[1], c: Parameters<typeof searchFrom>[3]) =>
          searchFrom(graph, start, targets, c, { maxLengthM: 2500 }).found.length > 0
        for (const outcome of plan.villages) {
          const input = inArea.find((v) => v.id === outcome.villageId)!
          const start = snapToGraph(graph, input.location, settings.snapDistanceM)
          if (!start.ok || outcome.persons === 0) continue
          const own = { ...constraints, ownZones: new Set(input.ownZones) }
          expect(outcome.placed > 0 || outcome.reason?.code === 'no_room', `village ${input.id}`).toBe(reaches(start.snap, own))
          if (reaches(start.snap, own)) continue
          cutOff++
          const expected = reaches(start.snap, { avoidFlooded, ignoreZones: true })
            ? 'cut_off_by_zones'
            : avoidFlooded && reaches(start.snap, { ignoreZones: true })
              ? 'cut_off_by_flood'
              : 'no_reachable_shelter'
          expect(outcome.reason?.code, `village ${input.id}`).toBe(expected)
        }
      }
    }
    expect(cutOff).toBeGreaterThan(10)
  }, 30_000)
})
