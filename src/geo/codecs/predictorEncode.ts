/**
 * TIFF predictors on the writing side (the decoders undo them): 2 = horizontal
 * differencing of integer samples, 3 = the floating-point predictor (Adobe TIFF Technote 3:
 * bytes split into planes most-significant first, then byte differencing along the row).
 * Both make smooth imagery compress better under DEFLATE. Blocks hold one sample per pixel
 * (co2sat writes planar-separate), rows of `width` samples; the input is not modified.
 */
export type PredictorId = 1 | 2 | 3;

/** Horizontal differencing of each row; wraps modulo the sample width as TIFF requires. */
export function encodeHorizontal<T extends Uint8Array | Uint16Array | Int16Array>(block: T, width: number): T {
  const out = block.slice() as T;
  const rows = Math.floor(block.length / width);
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    for (let x = width - 1; x > 0; x--) out[base + x] = block[base + x]! - block[base + x - 1]!;
  }
  return out;
}

/** Floating-point predictor for Float32 rows; returns the encoded bytes. */
export function encodeFloatingPoint(block: Float32Array, width: number): Uint8Array {
  const bytes = new Uint8Array(block.buffer, block.byteOffset, block.byteLength);
  const out = new Uint8Array(block.byteLength);
  const rowBytes = width * 4;
  const rows = Math.floor(block.length / width);
  for (let r = 0; r < rows; r++) {
    const src = r * rowBytes;
    // Byte planes, most significant first (host is little-endian: byte 3 is the MSB).
    for (let i = 0; i < width; i++) {
      for (let b = 0; b < 4; b++) out[src + b * width + i] = bytes[src + i * 4 + (3 - b)]!;
    }
    for (let j = rowBytes - 1; j > 0; j--) out[src + j] = (out[src + j]! - out[src + j - 1]!) & 0xff;
  }
  return out;
}
