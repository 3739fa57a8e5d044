/**
 * A cache bounded in bytes (least recently used goes first) whose entries carry the data
 * version they were made at: a newer version makes them stale, so an edit, an import or a seed
 * invalidates every entry without anyone having to know which ones it touched.
 */
export class VersionedLru<V> {
  private entries = new Map<string, { version: number; value: V; bytes: number }>()
  private bytes = 0

  constructor(
    readonly maxBytes: number,
    private readonly sizeOf: (value: V) => number,
  ) {}

  get(key: string, version: number): V | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    this.entries.delete(key)
    if (entry.version !== version) {
      this.bytes -= entry.bytes
      return undefined
    }
    this.entries.set(key, entry)
    return entry.value
  }

  set(key: string, version: number, value: V): void {
    this.delete(key)
    const bytes = this.sizeOf(value)
    if (bytes > this.maxBytes) return
    this.entries.set(key, { version, value, bytes })
    this.bytes += bytes
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break
      this.entries.delete(oldest)
      this.bytes -= entry.bytes
    }
  }

  delete(key: string): void {
    const old = this.entries.get(key)
    if (!old) return
    this.bytes -= old.bytes
    this.entries.delete(key)
  }

  get size() {
    return { entries: this.entries.size, bytes: this.bytes }
  }
}
