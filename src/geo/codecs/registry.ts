/**
 * Which TIFF compressions co2sat reads, keyed by the Compression tag id. Decoding itself is
 * geotiff.js's registry (`addDecoder`); this module decides which ids are accepted (those
 * checked pixel for pixel against GDAL in test/geo) and replaces the DEFLATE decoder with
 * node:zlib's, which is several times faster than the bundled pako and runs on libuv's
 * thread pool, so concurrent window reads decode on several cores.
 */
import { inflate } from 'node:zlib';
import { promisify } from 'node:util';
import { addDecoder, BaseDecoder } from 'geotiff';
import { compressionNames } from '../tiff/tags.js';

const inflateAsync = promisify(inflate);

/**
 * DEFLATE via node:zlib; the base class applies the predictor. The output chunk is sized
 * to the whole block: with zlib's default 16 KiB chunks a 1.5 MiB tile costs ~100 callbacks
 * and a final concatenation, which profiling showed as the largest JavaScript cost.
 */
class ZlibDeflateDecoder extends BaseDecoder {
  private blockBytes(): number {
    const p = this.parameters as { tileWidth: number; tileHeight: number; planarConfiguration: number; bitsPerSample: number | ArrayLike<number> };
    const bits = typeof p.bitsPerSample === 'number' ? [p.bitsPerSample] : Array.from(p.bitsPerSample);
    const perPixel = p.planarConfiguration === 2 ? bits[0]! / 8 : bits.reduce((a, b) => a + b, 0) / 8;
    return Math.ceil(p.tileWidth * p.tileHeight * perPixel);
  }

  override async decodeBlock(buffer: ArrayBufferLike): Promise<ArrayBuffer> {
    const out = await inflateAsync(new Uint8Array(buffer), { chunkSize: Math.max(64 * 1024, this.blockBytes() + 64) });
    // Hand over zlib's buffer when it is exactly the block; copy only out of a shared pool.
    if (out.byteOffset === 0 && out.byteLength === out.buffer.byteLength) return out.buffer as ArrayBuffer;
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer;
  }
}

let registered = false;

/** Installs co2sat's decoders into geotiff.js once per process. */
export function registerDecoders(): void {
  if (registered) return;
  registered = true;
  addDecoder([8, 32946], () => Promise.resolve(ZlibDeflateDecoder as unknown as typeof BaseDecoder));
}

/** Compression ids read and verified against GDAL: none, LZW, DEFLATE (both ids), PackBits, ZSTD. */
export const SUPPORTED_COMPRESSIONS: ReadonlySet<number> = new Set([1, 5, 8, 32946, 32773, 50000]);

/** 'LZW (5)' style name of a Compression id for messages. */
export function compressionLabel(id: number): string {
  const name = compressionNames[id];
  return name ? `${name} (${id})` : `id ${id}`;
}
