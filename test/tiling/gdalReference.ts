/**
 * GDAL's independent answer for a tiled patch: the site is placed with `gdaltransform`
 * (WGS 84 → the scene's CRS as `gdalsrsinfo` reports it), the window rule is applied to
 * `gdalinfo`'s geotransform, and the pixels come from `gdal_translate -srcwin` of the scene
 * (for per-band scenes, of `gdalbuildvrt -separate -resolution highest -r nearest`).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Window } from '../../src/geo/window.js';
import { gdal, gdalinfoJson } from '../helpers/oracle.js';

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

function srcwin(file: string, w: Window, out: string): Buffer {
  gdal('gdal_translate', ['-q', '-of', 'ENVI', '-co', 'INTERLEAVE=BSQ', '-srcwin', String(w.xoff), String(w.yoff), String(w.width), String(w.height), file, out]);
  return readFileSync(out);
}

/**
 * @param reference a GDAL-readable scene (a file or a VRT built by the caller)
 * @param sites [site_id, lon, lat]
 * @param mask optional single-band VRT of the cloud mask on the same grid, with its classes
 */
export function gdalSceneAnswer(
  reference: string,
  sites: [string, number, number][],
  size: number,
  tmp: string,
  mask?: { file: string; classes: number[] },
): GdalSceneAnswer {
  const info = gdalinfoJson(reference);
  const gt = info.geoTransform!;
  const [width, height] = info.size;
  const type = info.bands[0]!.type as keyof typeof TYPED;
  const nd = info.bands[0]!.noDataValue;
  const nodata = nd === undefined ? null : nd === 'NaN' ? Number.NaN : Number(nd);
  const proj4 = gdal('gdalsrsinfo', ['-o', 'proj4', reference]).replace(/'/g, '').trim();
  const t = spawnSync('gdaltransform', ['-s_srs', 'EPSG:4326', '-t_srs', proj4, '-output_xy'], {
    input: sites.map(([, lon, lat]) => `${lon} ${lat}`).join('\n'),
    encoding: 'utf8',
  });
  if (t.status !== 0) throw new Error(`gdaltransform failed: ${t.stderr}`);
  const xy = t.stdout
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number));
  const answer: GdalSceneAnswer = { epsg_proj4: proj4, inside: [], outside: [] };
  sites.forEach(([id], i) => {
    const [x, y] = xy[i]!;
    const col = Math.floor((x! - gt[0]!) / gt[1]!);
    const row = Math.floor((y! - gt[3]!) / gt[5]!);
    if (!(col >= 0 && col < width && row >= 0 && row < height)) {
      answer.outside.push(id);
      return;
    }
    const half = Math.floor(size / 2);
    const window = { xoff: col - half, yoff: row - half, width: size, height: size };
    const bytes = srcwin(reference, window, path.join(tmp, 'ref.img'));
    const outInfo = gdalinfoJson(path.join(tmp, 'ref.img'));
    const values = TYPED[type](bytes);
    const n = size * size;
    const bandCount = values.length / n;
    const maskValues = mask ? TYPED.Byte(srcwin(mask.file, window, path.join(tmp, 'mask.img'))) : null;
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
      if (maskValues && mask!.classes.includes(maskValues[p]!)) cloudy++;
    }
    answer.inside.push({
      site_id: id,
      window,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      geoTransform: outInfo.geoTransform!,
      valid_fraction: valid / n,
      cloud_fraction: maskValues && valid > 0 ? cloudy / valid : null,
    });
  });
  return answer;
}
