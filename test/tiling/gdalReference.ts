/**
 * GDAL's independent answer for a tiled patch: the site is placed with `gdaltransform`
 * (WGS 84 → the scene's CRS as `gdalsrsinfo` reports it), the window rule is applied to
 * `gdalinfo`'s geotransform, and the pixels come from `gdal_translate -srcwin` of the scene
 * (for per-band scenes, of `gdalbuildvrt -separate -resolution highest -r nearest`), all
 * asked in a few python3-gdal batches (gdal_oracle.py).
 */
import { createHash } from 'node:crypto';
import type { Window } from '../../src/geo/window.js';
import type { GdalInfo } from '../helpers/oracle.js';
import { gdalBatch, type SrcwinAnswer } from './gdalBatch.js';

export interface GdalPatch {
  site_id: string;
  window: Window;
  sha256: string;
  geoTransform: number[];
  valid_fraction: number;
  cloud_fraction: number | null;
}

export interface GdalSceneAnswer {
  epsg_proj4: string;
  inside: GdalPatch[];
  outside: string[];
}

const TYPED = {
  Byte: (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
  UInt16: (b: Buffer) => new Uint16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)),
  Int16: (b: Buffer) => new Int16Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)),
  Float32: (b: Buffer) => new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)),
} as const;

/**
 * @param reference a GDAL-readable scene (a file or a VRT built by the caller)
 * @param sites [site_id, lon, lat]
 * @param mask optional single-band raster of the cloud mask on the same grid (Byte or UInt16),
 *   with its cloudy classes (a class map) or cloudy bits (a bit-packed quality band)
 */
export function gdalSceneAnswer(
  reference: string,
  sites: [string, number, number][],
  size: number,
  mask?: { file: string; classes?: number[]; bits?: number[] },
): GdalSceneAnswer {
  const [info, proj4] = gdalBatch([
    { op: 'info', file: reference },
    { op: 'proj4', file: reference },
  ]) as [GdalInfo, string];
  const gt = info.geoTransform!;
  const [width, height] = info.size;
  const type = info.bands[0]!.type as keyof typeof TYPED;
  const nd = info.bands[0]!.noDataValue;
  const nodata = nd === undefined ? null : nd === 'NaN' ? Number.NaN : Number(nd);
  const [xy] = gdalBatch([{ op: 'transform', proj4, points: sites.map(([, lon, lat]) => [lon, lat] as [number, number]) }]) as [([number, number] | null)[]];
  const answer: GdalSceneAnswer = { epsg_proj4: proj4, inside: [], outside: [] };
  const half = Math.floor(size / 2);
  const windows: { id: string; window: Window }[] = [];
  sites.forEach(([id], i) => {
    const point = xy[i];
    if (!point) {
      answer.outside.push(id); // outside the projection's domain
      return;
    }
    const [x, y] = point;
    const col = Math.floor((x - gt[0]!) / gt[1]!);
    const row = Math.floor((y - gt[3]!) / gt[5]!);
    if (!(col >= 0 && col < width && row >= 0 && row < height)) answer.outside.push(id);
    else windows.push({ id, window: { xoff: col - half, yoff: row - half, width: size, height: size } });
  });
  const reads = gdalBatch(
    windows.flatMap(({ window: w }) => [
      { op: 'srcwin' as const, file: reference, window: [w.xoff, w.yoff, w.width, w.height] as [number, number, number, number] },
      ...(mask ? [{ op: 'srcwin' as const, file: mask.file, window: [w.xoff, w.yoff, w.width, w.height] as [number, number, number, number] }] : []),
    ]),
  ) as SrcwinAnswer[];
  windows.forEach(({ id, window }, k) => {
    const read = reads[mask ? 2 * k : k]!;
    const bytes = Buffer.from(read.b64, 'base64');
    const values = TYPED[type](bytes);
    const n = size * size;
    const bandCount = values.length / n;
    const maskBytes = mask ? Buffer.from(reads[2 * k + 1]!.b64, 'base64') : null;
    const maskValues = maskBytes ? (maskBytes.length === 2 * n ? TYPED.UInt16 : TYPED.Byte)(maskBytes) : null;
    const cloudyBits = (mask?.bits ?? []).reduce((m, b) => m | (1 << b), 0);
    const isCloudy = (v: number): boolean => (mask?.bits ? (v & cloudyBits) !== 0 : (mask?.classes ?? []).includes(v));
    let valid = 0;
    let cloudy = 0;
    for (let p = 0; p < n; p++) {
      const px = window.xoff + (p % size);
      const py = window.yoff + Math.floor(p / size);
      if (px < 0 || py < 0 || px >= width || py >= height) continue;
      let ok = true;
      for (let b = 0; b < bandCount && nodata !== null; b++) {
        const v = values[b * n + p]!;
        if (Number.isNaN(nodata) ? Number.isNaN(v) : v === nodata) ok = false;
      }
      if (!ok) continue;
      valid++;
      if (maskValues && isCloudy(maskValues[p]!)) cloudy++;
    }
    answer.inside.push({
      site_id: id,
      window,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      geoTransform: read.geoTransform,
      valid_fraction: valid / n,
      cloud_fraction: maskValues && valid > 0 ? cloudy / valid : null,
    });
  });
  return answer;
}
