/**
 * GDAL as a test oracle, with golden files for machines without it.
 *
 * `oracle(name, live, { inputs })`: where GDAL is installed, runs `live()` (a GDAL query) and
 * returns its answer. Without REGEN the golden file must exist and hold the same answer (a
 * missing golden fails: run once with REGEN=1 where GDAL lives). With REGEN=1 the golden is
 * written only when the test that asked has passed, so a golden never records an answer the
 * live assertions rejected.
 *
 * Where GDAL is missing the golden answer is returned, but only for the bytes GDAL judged:
 * `inputs` are the files the question was about (a file co2sat wrote, or a fixture), and the
 * golden keeps their SHA-256. If the current output differs from what GDAL saw, the test
 * fails (the code changed; rerun where GDAL is installed) instead of comparing a stale golden
 * with constants. Without a golden and without GDAL the test fails too. Callers skip (and say
 * so) only where their inputs themselves are absent (../shared on a fresh clone).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * GDAL on PATH. `CO2SAT_TEST_WITHOUT_GDAL=1` runs the suite as a GDAL-less machine would (golden
 * answers only), so both paths can be exercised where GDAL is installed.
 */
export const HAS_GDAL =
  process.env.CO2SAT_TEST_WITHOUT_GDAL !== '1' && spawnSync('gdalinfo', ['--version'], { encoding: 'utf8' }).status === 0;
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

/** What a golden file holds: GDAL's answer and, where given, the SHA-256 of the bytes it judged. */
interface Golden<T> {
  inputs?: Record<string, string>;
  answer: T;
}

export interface OracleOptions {
  /** Files the GDAL question is about, keyed by a stable label (not a temporary path). */
  inputs?: Record<string, string>;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function hashInputs(inputs: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!inputs) return undefined;
  return Object.fromEntries(Object.entries(inputs).map(([label, file]) => [label, sha256(file)]));
}

function serialise<T>(golden: Golden<T>): string {
  return `${JSON.stringify(golden, null, 1)}\n`;
}

/**
 * GDAL's answer to a question, live where GDAL is installed, else from the golden file (only
 * while the inputs are byte-identical to what GDAL judged). Throws (failing the test) on a
 * missing golden, a stale golden, or changed inputs without GDAL.
 * @param name golden file name under test/fixtures/gdal/ (may contain '/'), without .json
 */
export function oracle<T>(name: string, live: () => T, options: OracleOptions = {}): T {
  const file = goldenPath(name);
  const rel = path.relative(REPO_ROOT, file);
  const inputs = hashInputs(options.inputs);
  if (HAS_GDAL) {
    const answer = JSON.parse(JSON.stringify(live())) as T;
    const fresh = serialise<T>(inputs ? { inputs, answer } : { answer });
    if (REGEN) {
      // Written only once the asking test has passed: its assertions are the check.
      onTestFinished(({ task }) => {
        if (task.result?.state !== 'pass') return;
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, fresh);
      });
      return answer;
    }
    if (!existsSync(file)) throw new Error(`golden ${rel} is missing: run the tests with REGEN=1 where GDAL is installed`);
    if (readFileSync(file, 'utf8') !== fresh) {
      throw new Error(`golden ${rel} differs from live GDAL or its inputs changed: rerun the tests with REGEN=1 and review the diff`);
    }
    return answer;
  }
  if (!existsSync(file)) throw new Error(`golden ${rel} is missing and GDAL is not installed: nothing to compare with`);
  const golden = JSON.parse(readFileSync(file, 'utf8')) as Golden<T>;
  if (inputs) {
    for (const [label, hash] of Object.entries(inputs)) {
      if (golden.inputs?.[label] !== hash) {
        throw new Error(`${label} differs from the file GDAL judged in ${rel}: the output changed; rerun the tests where GDAL is installed (REGEN=1 after review)`);
      }
    }
  }
  return golden.answer;
}

/** Why a GDAL-backed check is skipped, for the test's name or a console note. */
export const ORACLE_NOTE = HAS_GDAL ? 'live GDAL' : 'GDAL not installed: golden answers';
