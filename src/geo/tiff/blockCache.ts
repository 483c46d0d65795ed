/**
 * A small LRU of decoded blocks (tiles or strips), bounded in bytes, shared by the window
 * reads of one open raster. Neighbouring sites often share blocks, and concurrent reads of
 * the same block must not decode it twice, so in-flight decodes are shared too. The bound
 * keeps memory proportional to the patches in flight, never to the scene size.
 */
export class BlockCache {
  private readonly done = new Map<string, ArrayBuffer>();
  private readonly pending = new Map<string, Promise<ArrayBuffer>>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /**
   * The block under `key` holding at least `need` bytes (a decoded prefix of whole rows),
   * decoding it with `load` at most once while it stays cached.
   */
  async get(key: string, need: number, load: () => Promise<ArrayBuffer>): Promise<ArrayBuffer> {
    const hit = this.done.get(key);
    if (hit && hit.byteLength >= need) {
      this.done.delete(key); // move to the most-recent end
      this.done.set(key, hit);
      return hit;
    }
    const inflight = this.pending.get(key);
    if (inflight) {
      const data = await inflight;
      if (data.byteLength >= need) return data;
      const again = this.pending.get(key);
      if (again && again !== inflight) {
        const d = await again;
        if (d.byteLength >= need) return d;
      }
    }
    const p = load().then(
      (data) => {
        if (this.pending.get(key) === p) this.pending.delete(key);
        this.put(key, data);
        return data;
      },
      (err: unknown) => {
        if (this.pending.get(key) === p) this.pending.delete(key);
        throw err;
      },
    );
    this.pending.set(key, p);
    return p;
  }

  private put(key: string, data: ArrayBuffer): void {
    const old = this.done.get(key);
    if (old) {
      if (old.byteLength >= data.byteLength) return;
      this.done.delete(key);
      this.bytes -= old.byteLength;
    }
    if (data.byteLength > this.maxBytes) return;
    this.done.set(key, data);
    this.bytes += data.byteLength;
    for (const [k, v] of this.done) {
      if (this.bytes <= this.maxBytes) break;
      this.done.delete(k);
      this.bytes -= v.byteLength;
    }
  }

  /** Bytes held by finished blocks. */
  get size(): number {
    return this.bytes;
  }
}
