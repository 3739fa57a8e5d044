/**
 * A server-side tile cache bounded in bytes (least recently used goes first). Entries carry
 * the data version they were cut at; a newer version makes them stale, so an edit, an import
 * or a seed invalidates every tile without anyone having to know which tiles it touched.
 */
export class TileCache {
  private entries = new Map<string, { version: number; body: Uint8Array }>()
  private bytes = 0

  constructor(readonly maxBytes = 64 * 1024 * 1024) {}

  get(key: string, version: number): Uint8Array | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    this.entries.delete(key)
    if (entry.version !== version) {
      this.bytes -= entry.body.byteLength
      return undefined
    }
    this.entries.set(key, entry)
    return entry.body
  }

  set(key: string, version: number, body: Uint8Array): void {
    const old = this.entries.get(key)
    if (old) {
      this.bytes -= old.body.byteLength
      this.entries.delete(key)
    }
    if (body.byteLength > this.maxBytes) return
    this.entries.set(key, { version, body })
    this.bytes += body.byteLength
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break
      this.entries.delete(oldest)
      this.bytes -= entry.body.byteLength
    }
  }

  get size() {
    return { entries: this.entries.size, bytes: this.bytes }
  }
}
