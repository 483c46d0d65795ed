/**
 * GDAL's band checksum (alg/gdalchecksum.cpp, as `gdalinfo -checksum` prints it), so tests
 * on machines without GDAL can compare pixels with GDAL's recorded answers: each value
 * (floats rounded as GDALCopyWords does, NaN/Inf as INT_MIN) modulo a cycling list of
 * primes, summed and masked to 16 bits after every line.
 */
import { createHash } from 'node:crypto';
import type { RasterArray } from '../../src/geo/rasterTypes.js';

const PRIMES = [7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43];

export function gdalChecksum(band: RasterArray, width: number, height: number): number {
  let sum = 0;
  let p = 0;
  const isFloat = band instanceof Float32Array;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = band[y * width + x]!;
      if (isFloat) {
        if (!Number.isFinite(v)) v = -2147483648;
        else {
          v += 0.5;
          v = v < -2147483647 ? -2147483647 : v > 2147483647 ? 2147483647 : Math.floor(v);
        }
      }
      sum += v % PRIMES[p++]!; // JS % truncates like C's
      if (p > 10) p = 0;
    }
    sum &= 0xffff;
  }
  return sum;
}

/** sha256 of the bands as band-sequential little-endian bytes (what `-of ENVI` writes). */
export function bsqSha256(bands: readonly RasterArray[]): string {
  const h = createHash('sha256');
  for (const b of bands) h.update(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  return h.digest('hex');
}

/** The EPSG code at the end of a WKT2 string (the CRS's own ID), or null. */
export function epsgOfWkt(wkt: string | undefined): number | null {
  if (!wkt) return null;
  const m = /ID\["EPSG",(\d+)\]\]\s*$/.exec(wkt.trim());
  return m ? Number(m[1]) : null;
}
