/**
 * Runs gdal_oracle.py (python3-gdal) once for a batch of GDAL questions; see that file for
 * the operations. Tests use it inside oracle() callbacks, so it only runs where GDAL lives.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'gdal_oracle.py');
/** Debian's python3 has python3-gdal; a pyenv shim earlier in PATH may not. */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export type GdalRequest =
  | { op: 'info'; file: string; checksum?: boolean }
  | { op: 'srcwin'; file: string; window: [number, number, number, number] }
  | { op: 'proj4'; file: string }
  | { op: 'transform'; proj4: string; points: [number, number][] }
  | { op: 'transform'; srs: string; points: [number, number][] }
  | { op: 'to_wgs84'; file: string; pixels: [number, number][] }
  | { op: 'buildvrt'; out: string; files: string[]; separate: boolean; nodata?: number }
  | { op: 'read'; file: string }
  | { op: 'band_vrt'; src: string; band: number; out: string };

export interface SrcwinAnswer {
  b64: string;
  geoTransform: number[];
}

export function gdalBatch(requests: readonly GdalRequest[]): unknown[] {
  const r = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(requests), encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`gdal_oracle.py failed (needs python3-gdal): ${r.stderr || r.error?.message}`);
  return JSON.parse(r.stdout) as unknown[];
}
