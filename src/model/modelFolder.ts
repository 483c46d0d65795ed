/**
 * The self-describing model folder: `model.json` (architecture, band set, normalisation,
 * tasks, physics, weighting, training config, code version, validation metrics, splits,
 * emission factors used) and `weights.bin` (every parameter as little-endian float32, in the
 * order listed in model.json, with its SHA-256). Loading checks size and hash, so a
 * truncated or corrupt file is named in a clear error rather than producing wrong numbers.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { packageRoot, packageVersion } from '../io/packageFiles.js';
import type { CapacityBaseline } from './capacityBaseline.js';
import type { SiteHistoryModel } from './siteHistory.js';
import type { AuxStats } from './features.js';
import type { BandStats } from './patchInput.js';
import { LEGACY_BACKGROUND_QUANTILE } from './inputSteps/siteBackground.js';
import type { ParamStore } from './params.js';
import { type Fuel } from '../records/sites.js';
import type { TargetScales } from './physicsModes/index.js';
import type { ModelSpec, PhysicsName, Task } from './spec.js';

export const MODEL_FORMAT = 'co2sat-model';
export const MODEL_FORMAT_VERSION = 1;
export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

export interface WeightEntry {
  name: string;
  shape: number[];
  /** Offset in float32 values. */
  offset: number;
}

export interface ModelManifest {
  format: typeof MODEL_FORMAT;
  format_version: number;
  id: string;
  created: string;
  code_version: string;
  backend: string;
  spec: ModelSpec;
  tasks: Task[];
  physics: PhysicsName;
  weighting: { name: string; options: Record<string, unknown>; final_weights: Record<string, number>; sigmas: Record<string, number> | null };
  /** Statistics of the channels the network sees (the patch bands, then what input steps add). */
  band_stats: BandStats;
  /** Input steps (inputSteps/) the model runs on each patch; absent = none. */
  input_steps?: string[];
  /** The patches' own bands when input steps add channels (absent: band_stats.bands). */
  input_bands?: string[];
  /**
   * Per-pixel quantile of the site backgrounds (inputSteps/siteBackground.ts), written when a
   * step reads them; absent in models trained before it was recorded, which used the median.
   */
  background_quantile?: number;
  aux_stats: AuxStats;
  target_scales: TargetScales;
  /** σ factors fitted on the validation split (inputs.ts); absent in older models = 1. */
  interval_scale?: { generation: number; co2: number };
  /** Emission factors (t/MWh) the physics used, frozen into the model. */
  emission_factors: Record<Fuel, number>;
  /** Training config as given (JSON). */
  config: Record<string, unknown>;
  splits: Record<string, unknown>;
  /** The capacity-aware baseline learnt from the training split (absent in older models). */
  capacity_baseline?: CapacityBaseline;
  /** The temporal-context kernels fitted on the training plants (siteHistory.ts; absent in older models). */
  site_history?: SiteHistoryModel;
  val_metrics: Record<string, unknown>;
  history: Record<string, unknown>[];
  weights: { file: string; bytes: number; sha256: string; entries: WeightEntry[] };
}

/** The quantile a model's site backgrounds take: its recorded one, else the median older models used. */
export const backgroundQuantileOf = (m: Pick<ModelManifest, 'background_quantile'>): number => m.background_quantile ?? LEGACY_BACKGROUND_QUANTILE;

/** `<package version>+<git commit>` where git is available, else the package version. */
export function codeVersion(): string {
  const version = packageVersion();
  const root = packageRoot();
  const git = spawnSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  return git.status === 0 && git.stdout.trim() ? `${version}+${git.stdout.trim()}` : version;
}

/** Serialises the parameters (optionally only those with a prefix in `include`). */
export function serialiseParams(store: ParamStore): { bytes: Uint8Array; entries: WeightEntry[] } {
  const entries: WeightEntry[] = [];
  const snap = store.snapshot();
  let total = 0;
  for (const e of store.entries()) {
    entries.push({ name: e.name, shape: e.shape, offset: total });
    total += snap.get(e.name)!.length;
  }
  const all = new Float32Array(total);
  for (const e of entries) all.set(snap.get(e.name)!, e.offset);
  return { bytes: new Uint8Array(all.buffer), entries };
}

/** Writes weights.bin then model.json (each atomically; model.json last, so it never points at missing weights). */
export async function saveModelFolder(dir: string, manifest: Omit<ModelManifest, 'weights'>, store: ParamStore): Promise<ModelManifest> {
  await mkdir(dir, { recursive: true });
  const { bytes, entries } = serialiseParams(store);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await writeFileAtomic(path.join(dir, WEIGHTS_FILE), bytes);
  const full: ModelManifest = { ...manifest, weights: { file: WEIGHTS_FILE, bytes: bytes.byteLength, sha256, entries } };
  await writeFileAtomic(path.join(dir, MODEL_FILE), `${JSON.stringify(full, null, 2)}\n`);
  return full;
}

/**
 * Reads and checks a model folder.
 * @throws InputError naming model.json (missing, not JSON, wrong format) or weights.bin
 *   (missing, wrong size, SHA-256 mismatch).
 */
export function readModelFolder(dir: string): { manifest: ModelManifest; values: Map<string, Float32Array> } {
  const mfile = path.join(dir, MODEL_FILE);
  let manifest: ModelManifest;
  try {
    manifest = JSON.parse(readFileSync(mfile, 'utf8')) as ModelManifest;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new InputError(mfile, err.code === 'ENOENT' ? 'not found (is this a co2sat model folder?)' : `not valid JSON: ${err.message}`);
  }
  if (manifest.format !== MODEL_FORMAT) throw new InputError(mfile, `not a co2sat model (format '${String(manifest.format)}')`);
  if (manifest.format_version > MODEL_FORMAT_VERSION) {
    throw new InputError(mfile, `format version ${manifest.format_version} is newer than this co2sat understands (${MODEL_FORMAT_VERSION})`);
  }
  const wfile = path.join(dir, manifest.weights?.file ?? WEIGHTS_FILE);
  let buf: Buffer;
  try {
    buf = readFileSync(wfile);
  } catch {
    throw new InputError(wfile, 'weights file not found');
  }
  if (buf.byteLength !== manifest.weights.bytes) {
    throw new InputError(wfile, `corrupt weights: ${buf.byteLength} bytes, model.json says ${manifest.weights.bytes}`);
  }
  const sha = createHash('sha256').update(buf).digest('hex');
  if (sha !== manifest.weights.sha256) throw new InputError(wfile, `corrupt weights: SHA-256 ${sha.slice(0, 12)}… does not match model.json (${manifest.weights.sha256.slice(0, 12)}…)`);
  const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  const values = new Map<string, Float32Array>();
  for (const e of manifest.weights.entries) {
    const n = e.shape.reduce((a, b) => a * b, 1);
    values.set(e.name, all.slice(e.offset, e.offset + n));
  }
  return { manifest, values };
}
