/**
 * `manifest.jsonl`: one line per written patch, in the tiles folder. This module owns the
 * on-disk record: the interface uses the field names as written, the parser checks every
 * line and names the line number, so later stages (dataset, predict) never see a half-valid
 * record, and the writer publishes the whole file atomically, sorted by scene then site.
 * Tiling rewrites it after every scene (one writer only), so a crash leaves the manifest of
 * the last completed scene and the next run redoes the rest. Train, evaluate and predict
 * read it with the same reader.
 */
import { readFileSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError, optionText } from '../errors.js';
import type { Window } from '../geo/window.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { parseObjectLine, requireStrings } from './jsonl.js';

export const MANIFEST_NAME = 'manifest.jsonl';

/** The manifest of a tiles folder. */
export function manifestPath(tilesDir: string): string {
  return path.join(tilesDir, MANIFEST_NAME);
}

/** `scene_id/site_id`: the key of one patch. */
export function patchKey(sceneId: string, siteId: string): string {
  return `${sceneId}/${siteId}`;
}

export interface ManifestRecord {
  /** Scene id from the file or folder name (e.g. `T32ULB_20240517T102559`). */
  scene_id: string;
  /** The scene's file or folder, as given on the command line. */
  source: string;
  site_id: string;
  /** Acquisition time, ISO 8601 UTC (`2024-05-17T10:25:59Z`). */
  datetime: string;
  /** Patch path relative to the manifest's folder: `<scene_id>/<site_id>.tif`. */
  path: string;
  /** EPSG code of the patch CRS, or null for a CRS given only as a proj4 definition. */
  epsg: number | null;
  window: Window;
  /** Band ids in file order (e.g. `["B01", …, "B12"]`, or `["1", "2", "3"]` for unnamed bands). */
  bands: string[];
  /** Fraction of the patch's pixels that hold data (not nodata, not outside the raster). */
  valid_fraction: number;
  /** Fraction of valid pixels flagged cloud or shadow by SCL (3, 8, 9, 10); null without SCL. */
  cloud_fraction: number | null;
  /** Fingerprint of the source scene (files, sizes, mtimes) the patch was cut from. */
  fingerprint: string;
}

export class ManifestParseError extends Error {
  override readonly name = 'ManifestParseError';
}

function fail(lineNo: number, what: string): never {
  throw new ManifestParseError(`line ${lineNo}: ${what}`);
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Parses and checks one manifest line; throws ManifestParseError naming the line. */
export function parseManifestLine(line: string, lineNo: number): ManifestRecord {
  const r = parseObjectLine(line, lineNo, fail);
  requireStrings(r, ['scene_id', 'source', 'site_id', 'datetime', 'path', 'fingerprint'], lineNo, fail);
  if (!(r.epsg === null || (Number.isInteger(r.epsg) && (r.epsg as number) > 0))) fail(lineNo, 'epsg must be a positive integer or null');
  const w = r.window as Record<string, unknown> | undefined;
  if (typeof w !== 'object' || w === null) fail(lineNo, 'window must be an object');
  for (const key of ['xoff', 'yoff', 'width', 'height'] as const) {
    if (!Number.isInteger(w[key])) fail(lineNo, `window.${key} must be an integer`);
  }
  if (!Array.isArray(r.bands) || r.bands.length === 0 || !r.bands.every((b) => typeof b === 'string')) {
    fail(lineNo, 'bands must be a non-empty array of strings');
  }
  if (!isFiniteNumber(r.valid_fraction) || r.valid_fraction < 0 || r.valid_fraction > 1) fail(lineNo, 'valid_fraction must be in [0, 1]');
  if (!(r.cloud_fraction === null || (isFiniteNumber(r.cloud_fraction) && r.cloud_fraction >= 0 && r.cloud_fraction <= 1))) {
    fail(lineNo, 'cloud_fraction must be in [0, 1] or null');
  }
  return {
    scene_id: r.scene_id as string,
    source: r.source as string,
    site_id: r.site_id as string,
    datetime: r.datetime as string,
    path: r.path as string,
    epsg: r.epsg as number | null,
    window: { xoff: w.xoff as number, yoff: w.yoff as number, width: w.width as number, height: w.height as number },
    bands: r.bands as string[],
    valid_fraction: r.valid_fraction as number,
    cloud_fraction: r.cloud_fraction as number | null,
    fingerprint: r.fingerprint as string,
  };
}

/** Parses a whole manifest; errors are prefixed with the file name by the caller. */
export function parseManifest(text: string): ManifestRecord[] {
  const out: ManifestRecord[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line.length > 0) out.push(parseManifestLine(line, i + 1));
  });
  return out;
}

/** One manifest line (no trailing newline), keys in the documented order. */
export function formatManifestLine(r: ManifestRecord): string {
  const ordered: ManifestRecord = {
    scene_id: r.scene_id,
    source: r.source,
    site_id: r.site_id,
    datetime: r.datetime,
    path: r.path,
    epsg: r.epsg,
    window: { xoff: r.window.xoff, yoff: r.window.yoff, width: r.window.width, height: r.window.height },
    bands: [...r.bands],
    valid_fraction: r.valid_fraction,
    cloud_fraction: r.cloud_fraction,
    fingerprint: r.fingerprint,
  };
  return JSON.stringify(ordered);
}

function cannotRead(file: string, err: unknown): InputError {
  const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  return new InputError(file, `cannot read the tiles manifest (${why}): run 'co2sat tile' first, or point ${optionText('tiles')} at its output folder`);
}

function parseManifestText(text: string, file: string, advice = ''): ManifestRecord[] {
  try {
    return parseManifest(text);
  } catch (err) {
    if (err instanceof ManifestParseError) throw new InputError(file, `${err.message}${advice}`);
    throw err;
  }
}

/** Reads and checks a manifest. @throws InputError naming the file (and the line) */
export async function readManifest(file: string): Promise<ManifestRecord[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw cannotRead(file, err);
  }
  return parseManifestText(text, file);
}

/** `readManifest` for the synchronous training-data loader. */
export function readManifestSync(file: string): ManifestRecord[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw cannotRead(file, err);
  }
  return parseManifestText(text, file);
}

/**
 * The manifest a tiling run resumes from: its records by patch key, empty when there is none
 * yet. A damaged manifest is not silently replaced: the error says how to recover.
 */
export async function readManifestToResume(file: string): Promise<Map<string, ManifestRecord>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw cannotRead(file, err);
  }
  const advice = ` (fix or delete the manifest, or rerun with ${optionText('force')} into a new ${optionText('out')})`;
  return new Map(parseManifestText(text, file, advice).map((r) => [patchKey(r.scene_id, r.site_id), r]));
}

/** Writes all records, sorted by scene then site, atomically. */
export async function writeManifest(file: string, records: Iterable<ManifestRecord>): Promise<void> {
  const sorted = [...records].sort((a, b) => a.scene_id.localeCompare(b.scene_id) || a.site_id.localeCompare(b.site_id));
  await writeFileAtomic(file, sorted.map((r) => `${formatManifestLine(r)}\n`).join(''));
}
