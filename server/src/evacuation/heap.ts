/**
 * A binary min-heap of (key, value) pairs in typed arrays, with lazy deletion left to the
 * caller (a popped entry whose key is stale is skipped): what Dijkstra and A* need, no more.
 */
export class MinHeap {
  private keys: Float64Array
  private values: Int32Array
  size = 0

  constructor(capacity = 1024) {
    this.keys = new Float64Array(capacity)
    this.values = new Int32Array(capacity)
  }

  push(key: number, value: number): void {
    if (this.size === this.keys.length) this.grow()
    let i = this.size++
    const keys = this.keys
    const values = this.values
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (keys[parent]! <= key) break
      keys[i] = keys[parent]!
      values[i] = values[parent]!
      i = parent
    }
    keys[i] = key
    values[i] = value
  }

  /** The smallest key (undefined when empty). */
  peekKey(): number | undefined {
    return this.size === 0 ? undefined : this.keys[0]
  }

  /** Removes the smallest entry and returns its value; `lastKey` holds its key. */
  lastKey = 0
  pop(): number {
    const keys = this.keys
    const values = this.values
    const topValue = values[0]!
    this.lastKey = keys[0]!
    const n = --this.size
    if (n > 0) {
      const key = keys[n]!
      const value = values[n]!
      let i = 0
      for (;;) {
        let child = 2 * i + 1
        if (child >= n) break
        if (child + 1 < n && keys[child + 1]! < keys[child]!) child++
        if (keys[child]! >= key) break
        keys[i] = keys[child]!
        values[i] = values[child]!
        i = child
      }
      keys[i] = key
      values[i] = value
    }
    return topValue
  }

  clear(): void {
    this.size = 0
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2)
    keys.set(this.keys)
    const values = new Int32Array(this.values.length * 2)
    values.set(this.values)
    this.keys = keys
    this.values = values
  }
}
