/**
 * GDAL as a test oracle, with golden files for machines without it.
 *
 * `oracle(name, live)`: where GDAL is installed, runs `live()` (a GDAL query) and returns
 * its answer; with REGEN=1 it also rewrites the golden file, and without REGEN it checks the
 * golden file still matches, so the goldens used on GDAL-less machines never go stale.
 * Where GDAL is missing it returns the golden answer; where that is missing too it returns
 * undefined and the caller skips (saying so). Goldens are only valid for deterministic
 * inputs (files the synthetic generator writes from a seed, files in ../shared).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const HAS_GDAL = spawnSync('gdalinfo', ['--version'], { encoding: 'utf8' }).status === 0;
export const REGEN = process.env.REGEN === '1';
/** Real GeoTIFFs written by others; absent on a fresh clone without ../shared. */
export const SHARED_REAL = path.resolve(REPO_ROOT, '../shared/data/real');
export const HAS_SHARED_REAL = existsSync(path.join(SHARED_REAL, 'SOURCES.md'));

/** Runs a GDAL program and returns stdout; throws with stderr on failure. */
export function gdal(program: string, args: readonly string[]): string {
  const r = spawnSync(program, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${program} ${args.join(' ')} failed: ${r.stderr || r.error?.message}`);
  return r.stdout;
}

/** Parsed `gdalinfo -json` of a file (optionally with extra flags such as -checksum). */
export function gdalinfoJson(file: string, extra: readonly string[] = []): GdalInfo {
  return JSON.parse(gdal('gdalinfo', ['-json', ...extra, file])) as GdalInfo;
}

export interface GdalInfo {
  size: [number, number];
  geoTransform?: number[];
  coordinateSystem?: { wkt: string; dataAxisToSRSAxisMapping?: number[] };
  stac?: Record<string, unknown>;
  metadata?: Record<string, Record<string, string>>;
  bands: {
    band: number;
    type: string;
    block: [number, number];
    noDataValue?: number | string;
    checksum?: number;
    description?: string;
  }[];
  [key: string]: unknown;
}

function goldenPath(name: string): string {
  return path.join(REPO_ROOT, 'test', 'fixtures', 'gdal', `${name}.json`);
}

/**
 * GDAL's answer to a question, live where GDAL is installed, else from the golden file.
 * @param name golden file name under test/fixtures/gdal/ (may contain '/'), without .json
 */
export function oracle<T>(name: string, live: () => T): T | undefined {
  const file = goldenPath(name);
  if (HAS_GDAL) {
    const answer = live();
    const normalised = JSON.parse(JSON.stringify(answer)) as T;
    if (REGEN || !existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(normalised, null, 1)}\n`);
    } else {
      const golden = readFileSync(file, 'utf8');
      if (golden !== `${JSON.stringify(normalised, null, 1)}\n`) {
        throw new Error(`golden ${path.relative(REPO_ROOT, file)} differs from live GDAL: rerun the tests with REGEN=1 and review the diff`);
      }
    }
    return normalised;
  }
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as T;
  return undefined;
}

/** Why a GDAL-backed check is skipped, for the test's name or a console note. */
export const ORACLE_NOTE = HAS_GDAL ? 'live GDAL' : 'GDAL not installed: golden answers';
