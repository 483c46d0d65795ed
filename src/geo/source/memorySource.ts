/**
 * The byte layer for small local files: the whole file read once into memory, then sliced.
 * A tiling patch (64 × 64 × 12 UInt16, ~40 KB DEFLATE) is parsed with ~16 slice reads
 * (header, IFD values, one block per band); through a file handle each was an async read
 * call (~45 µs of syscall and thread hop on a VM), more than the whole file's one read.
 * Slices are views into the file's bytes, not copies.
 */
import { promises as fs } from 'node:fs';
import type { ByteSource, Slice } from './byteSource.js';

export class MemoryByteSource implements ByteSource {
  bytesRead = 0;
  requests = 0;

  private constructor(
    readonly path: string,
    private readonly bytes: Uint8Array,
  ) {}

  /** Reads all of `path`. @throws the fs error (the caller names the file) */
  static async open(path: string): Promise<MemoryByteSource> {
    const b = await fs.readFile(path);
    // A plain Uint8Array view: a Buffer's slice() would not copy, and fetch() relies on it.
    return new MemoryByteSource(path, new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  }

  get size(): number {
    return this.bytes.length;
  }

  get fileSize(): number {
    return this.bytes.length;
  }

  /** Bytes [offset, offset + length), zero-padded past the end (as FileByteSource). */
  async read(offset: number, length: number): Promise<Uint8Array> {
    this.requests++;
    const end = Math.min(this.bytes.length, offset + length);
    if (offset >= 0 && end - offset === length) {
      this.bytesRead += length;
      return this.bytes.subarray(offset, end);
    }
    const out = new Uint8Array(length);
    if (end > offset) out.set(this.bytes.subarray(Math.max(0, offset), end));
    this.bytesRead += Math.max(0, end - offset);
    return out;
  }

  async fetch(slices: Slice[]): Promise<ArrayBuffer[]> {
    // geotiff.js takes whole ArrayBuffers here: copy each slice out.
    return Promise.all(slices.map(async (s) => (await this.read(s.offset, s.length)).slice().buffer as ArrayBuffer));
  }

  async close(): Promise<void> {}
}
