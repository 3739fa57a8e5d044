/**
 * Seeded randomness for the generator. Every random choice in the demo town comes from a
 * {@link Rng}; nothing reads `Math.random` or the clock, so a seed always yields the same town.
 */

/** mulberry32: a tiny 32-bit PRNG, plenty for synthetic data (not for anything secret). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** FNV-1a hash of a label, to derive independent sub-streams from one seed. */
export function hashLabel(label: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}

export class Rng {
  readonly next: () => number

  constructor(readonly seed: number) {
    this.next = mulberry32(seed)
  }

  /**
   * An independent stream for one part of the town. Parts draw from their own stream so that
   * changing how many numbers one part draws does not reshuffle every other part.
   */
  fork(label: string): Rng {
    return new Rng((Math.imul(this.seed >>> 0, 0x9e3779b1) ^ hashLabel(label)) >>> 0)
  }

  /** Uniform in [min, max). */
  range(min: number, max: number): number {
    return min + (max - min) * this.next()
  }

  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(probability: number): boolean {
    return this.next() < probability
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list')
    return items[Math.floor(this.next() * items.length)] as T
  }

  /** Picks by weight; weights need not sum to one. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, weight]) => sum + weight, 0)
    let threshold = this.next() * total
    for (const [item, weight] of items) {
      threshold -= weight
      if (threshold < 0) return item
    }
    return (items[items.length - 1] as readonly [T, number])[0]
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = items.slice()
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      const swap = copy[i] as T
      copy[i] = copy[j] as T
      copy[j] = swap
    }
    return copy
  }

  /** Roughly normal (sum of uniforms), mean 0 and standard deviation 1. */
  normal(): number {
    let sum = 0
    for (let i = 0; i < 6; i++) sum += this.next()
    return (sum - 3) * Math.SQRT2
  }
}
