/**
 * Which TIFF compressions co2sat reads, keyed by the Compression tag id: those checked
 * pixel for pixel against GDAL in test/geo. DEFLATE is decoded by co2sat itself
 * (inflatePrefix: node:zlib on libuv's pool, only the rows a window needs); LZW, PackBits,
 * ZSTD and uncompressed blocks go through geotiff.js's decoder registry.
 */
import { compressionNames } from '../tiff/tags.js';

/** Compression ids read and verified against GDAL: none, LZW, DEFLATE (both ids), PackBits, ZSTD. */
export const SUPPORTED_COMPRESSIONS: ReadonlySet<number> = new Set([1, 5, 8, 32946, 32773, 50000]);

/** 'LZW (5)' style name of a Compression id for messages. */
export function compressionLabel(id: number): string {
  const name = compressionNames[id];
  return name ? `${name} (${id})` : `id ${id}`;
}
