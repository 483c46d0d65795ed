/**
 * Byte-order helpers for decoded blocks: co2sat hands out samples in host (little-endian)
 * order whatever the file's order, and fills sparse blocks with nodata.
 */
import { rasterView, type RasterDataType } from '../rasterTypes.js';

/** A byte-swapped copy (each sample of `bytes` bytes reversed): big-endian → host order. */
export function swapBytes(data: ArrayBuffer, bytes: number): ArrayBuffer {
  const src = new Uint8Array(data);
  const n = src.length - (src.length % bytes);
  const dst = new Uint8Array(src.length);
  for (let i = 0; i < n; i += bytes) for (let b = 0; b < bytes; b++) dst[i + b] = src[i + bytes - 1 - b]!;
  return dst.buffer;
}

export function fillBlock(data: ArrayBuffer, type: RasterDataType, value: number): void {
  rasterView(type, data).fill(value);
}
