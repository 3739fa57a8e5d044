import { VersionedLru } from '../cache/lru.ts'

/** Vector tiles cut at a data version, bounded in bytes (64 MB by default); see `VersionedLru`. */
export class TileCache extends VersionedLru<Uint8Array> {
  constructor(maxBytes = 64 * 1024 * 1024) {
    super(maxBytes, (body) => body.byteLength)
  }
}
