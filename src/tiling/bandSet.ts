/**
 * Band sets: which bands a per-band scene folder holds, in stacking order, how file names
 * carry band ids and which band is the cloud mask. They are data in configs/bands/*.json
 * (checked against band-set.schema.json's rules here), like TorchGeo's sensor classes.
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { packageFile } from '../io/packageFiles.js';

export interface BandSpec {
  id: string;
  resolution_m?: number;
  wavelength_nm?: number;
}

export interface BandSet {
  name: string;
  description?: string;
  /** Source of the file-name regex; group 1 is the band id (case-insensitive). */
  file_pattern: string;
  bands: BandSpec[];
  cloud_mask?: CloudMaskSpec;
}

/**
 * Which mask pixels are cloudy: a class map lists its cloudy classes (Sentinel-2 SCL 3, 8,
 * 9, 10); a bit-packed quality band lists bits, one of which set means cloudy (Landsat
 * Collection 2 QA_PIXEL bits 1-4). Exactly one of `classes` and `bits` is given.
 */
export type CloudMaskSpec = { band: string; meaning?: string } & ({ classes: number[]; bits?: undefined } | { bits: number[]; classes?: undefined });

/** The band sets shipped in configs/bands, in the order `auto` tries them. */
export const BUILTIN_BAND_SETS = ['sentinel2-l2a', 'sentinel2-l1c', 'landsat-c2-l2', 'landsat8'] as const;

/** The band sets shipped in configs/bands. */
export function bandSetDir(): string {
  return packageFile('configs', 'bands');
}

function fail(file: string, problem: string): never {
  throw new InputError(file, problem);
}

/** Checks a parsed band-set object; every problem names the file and the key. */
export function validateBandSet(raw: unknown, file: string): BandSet {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(file, 'band set must be a JSON object');
  const r = raw as Record<string, unknown>;
  const known = new Set(['$schema', 'name', 'description', 'file_pattern', 'bands', 'cloud_mask']);
  for (const k of Object.keys(r)) if (!known.has(k)) fail(file, `unknown key '${k}'`);
  if (typeof r.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(r.name)) fail(file, `'name' must be a lower-case id, got ${JSON.stringify(r.name)}`);
  if (typeof r.file_pattern !== 'string') fail(file, "'file_pattern' must be a string");
  let re: RegExp;
  try {
    re = new RegExp(r.file_pattern, 'i');
  } catch (err) {
    fail(file, `'file_pattern' is not a valid regular expression: ${(err as Error).message}`);
  }
  if (!/\((?!\?)/.test(re.source)) fail(file, "'file_pattern' needs a capture group for the band id");
  if (!Array.isArray(r.bands) || r.bands.length === 0) fail(file, "'bands' must be a non-empty array");
  const ids = new Set<string>();
  const bands: BandSpec[] = r.bands.map((b: unknown, i: number) => {
    const o = b as Record<string, unknown>;
    if (typeof o !== 'object' || o === null || typeof o.id !== 'string' || o.id.length === 0) fail(file, `bands[${i}].id must be a non-empty string`);
    const id = o.id.toUpperCase();
    if (ids.has(id)) fail(file, `band '${id}' listed twice`);
    ids.add(id);
    for (const k of ['resolution_m', 'wavelength_nm'] as const) {
      if (o[k] !== undefined && !(typeof o[k] === 'number' && (o[k] as number) > 0)) fail(file, `bands[${i}].${k} must be a positive number`);
    }
    return { id, ...(o.resolution_m !== undefined ? { resolution_m: o.resolution_m as number } : {}), ...(o.wavelength_nm !== undefined ? { wavelength_nm: o.wavelength_nm as number } : {}) };
  });
  let cloud: BandSet['cloud_mask'];
  if (r.cloud_mask !== undefined) {
    const c = r.cloud_mask as Record<string, unknown>;
    if (typeof c !== 'object' || c === null || typeof c.band !== 'string') fail(file, "'cloud_mask.band' must be a string");
    for (const k of Object.keys(c)) if (!['band', 'classes', 'bits', 'meaning'].includes(k)) fail(file, `unknown key 'cloud_mask.${k}'`);
    if ((c.classes === undefined) === (c.bits === undefined)) fail(file, "'cloud_mask' needs exactly one of 'classes' (a class map) and 'bits' (a bit-packed quality band)");
    const list = (c.classes ?? c.bits) as unknown;
    const max = c.classes !== undefined ? 255 : 15;
    const key = c.classes !== undefined ? 'classes' : 'bits';
    if (!Array.isArray(list) || list.length === 0 || !list.every((v) => Number.isInteger(v) && v >= 0 && v <= max)) {
      fail(file, `'cloud_mask.${key}' must be a non-empty array of integers 0-${max}`);
    }
    if (ids.has(c.band.toUpperCase())) fail(file, `cloud mask band '${c.band}' must not also be a model band`);
    const meaning = typeof c.meaning === 'string' ? { meaning: c.meaning } : {};
    cloud = key === 'classes' ? { band: c.band.toUpperCase(), classes: list as number[], ...meaning } : { band: c.band.toUpperCase(), bits: list as number[], ...meaning };
  }
  return { name: r.name, ...(typeof r.description === 'string' ? { description: r.description } : {}), file_pattern: r.file_pattern, bands, ...(cloud ? { cloud_mask: cloud } : {}) };
}

/**
 * Loads a band set by built-in name (`sentinel2-l2a`) or by path to a JSON file.
 * @throws InputError for an unknown name, an unreadable file or an invalid set
 */
export function loadBandSet(nameOrPath: string): BandSet {
  const looksLikePath = nameOrPath.includes('/') || nameOrPath.endsWith('.json');
  const file = looksLikePath ? nameOrPath : path.join(bandSetDir(), `${nameOrPath}.json`);
  if (!existsSync(file)) {
    if (looksLikePath) fail(nameOrPath, 'band set file not found');
    fail(nameOrPath, `unknown band set (built in: ${BUILTIN_BAND_SETS.join(', ')}; or give a path to a JSON file)`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    fail(file, `not valid JSON: ${(err as Error).message}`);
  }
  return validateBandSet(raw, file);
}

/**
 * A test for mask values: true where the value is cloudy under `spec` (a class in the list,
 * or one of the listed bits set).
 */
export function cloudTest(spec: CloudMaskSpec): (value: number) => boolean {
  if (spec.bits !== undefined) {
    const bits = spec.bits.reduce((m, b) => m | (1 << b), 0);
    return (v) => (v & bits) !== 0;
  }
  const cloudy = new Uint8Array(256);
  for (const c of spec.classes) cloudy[c] = 1;
  return (v) => cloudy[v] === 1;
}

/** The band id a file name carries under `set` (upper-case), or null. */
export function bandIdOf(fileName: string, set: BandSet): string | null {
  const m = new RegExp(set.file_pattern, 'i').exec(fileName);
  return m?.[1] ? m[1].toUpperCase() : null;
}

/**
 * The band set a scene tiles as: the first in `bandSets` (their order of preference) whose
 * files `match` finds complete — an L1C folder also holds every L2A band and tiles as L2A by
 * default — or, with none complete, the first, whose match's `problem` says what is missing.
 * Null only for an empty list. Folders and STAC items both choose this way.
 */
export function preferredBandSet<M extends { problem: string | null }>(bandSets: readonly BandSet[], match: (set: BandSet) => M): { set: BandSet; m: M } | null {
  let first: { set: BandSet; m: M } | null = null;
  for (const set of bandSets) {
    const m = match(set);
    if (!m.problem) return { set, m };
    first ??= { set, m };
  }
  return first;
}
