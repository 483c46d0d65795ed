/**
 * `predictions.jsonl`: one line per patch (one site in one scene), written by `predict` and
 * `run`, read by `aggregate`. This module owns the on-disk record: the interface uses the
 * field names as written (units in the names), the parser checks every line and names the
 * line number, and the formatter writes keys in one documented order so that files from
 * different shards and runs compare byte for byte.
 */
import { parseObjectLine, requireStrings } from './jsonl.js';

/**
 * What a model says about one patch; null where the model has no head for a task. The one
 * type for a patch's estimate: the model's inference, the predict stage and this record share it.
 */
export interface PatchEstimate {
  /** Probability the plant is running, in [0, 1]. */
  p_on: number | null;
  generation_mw: number | null;
  generation_mw_sd: number | null;
  co2_t_per_h: number | null;
  co2_t_per_h_sd: number | null;
}

export interface PredictionRecord extends PatchEstimate {
  scene_id: string;
  site_id: string;
  /** Acquisition time of the scene, ISO 8601 UTC. */
  datetime: string;
  /** Fraction of the patch holding data (from the manifest). */
  valid_fraction: number;
  /** Fraction of valid pixels flagged cloud or shadow; null when the scene has no cloud mask. */
  cloud_fraction: number | null;
  /** Fingerprint of the source scene, so incremental runs can tell a changed scene. */
  fingerprint: string;
  /** 90% interval of generation_mw (mean ± 1.645 sd, clipped at 0). */
  generation_mw_p05: number | null;
  generation_mw_p95: number | null;
  co2_t_per_h_p05: number | null;
  co2_t_per_h_p95: number | null;
  /** Id of the model that made the prediction (its folder's checksum-based id). */
  model_id: string;
  /** The compute backend that ran it (wasm, tensorflow, cpu…). */
  backend: string;
}

/** The documented key order of a line. */
export const PREDICTION_KEYS = [
  'scene_id',
  'site_id',
  'datetime',
  'valid_fraction',
  'cloud_fraction',
  'fingerprint',
  'p_on',
  'generation_mw',
  'generation_mw_sd',
  'generation_mw_p05',
  'generation_mw_p95',
  'co2_t_per_h',
  'co2_t_per_h_sd',
  'co2_t_per_h_p05',
  'co2_t_per_h_p95',
  'model_id',
  'backend',
] as const satisfies readonly (keyof PredictionRecord)[];

export class PredictionParseError extends Error {
  override readonly name = 'PredictionParseError';
}

function fail(lineNo: number, what: string): never {
  throw new PredictionParseError(`line ${lineNo}: ${what}`);
}

function nullableNumber(r: Record<string, unknown>, key: string, lineNo: number, min: number, max = Infinity): number | null {
  const v = r[key];
  if (v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    fail(lineNo, `${key} must be ${max === Infinity ? `a number ≥ ${min}` : `a number in [${min}, ${max}]`} or null`);
  }
  return v;
}

/** Parses and checks one line; throws PredictionParseError naming the line. */
export function parsePredictionLine(line: string, lineNo: number): PredictionRecord {
  const r = parseObjectLine(line, lineNo, fail);
  requireStrings(r, ['scene_id', 'site_id', 'datetime', 'fingerprint', 'model_id', 'backend'], lineNo, fail);
  const valid = r.valid_fraction;
  if (typeof valid !== 'number' || !(valid >= 0 && valid <= 1)) fail(lineNo, 'valid_fraction must be in [0, 1]');
  for (const key of PREDICTION_KEYS) if (!(key in r)) fail(lineNo, `missing ${key}`);
  // Means may be slightly negative for an unconstrained regression head; sds and bounds may not.
  return {
    scene_id: r.scene_id as string,
    site_id: r.site_id as string,
    datetime: r.datetime as string,
    valid_fraction: valid,
    cloud_fraction: nullableNumber(r, 'cloud_fraction', lineNo, 0, 1),
    fingerprint: r.fingerprint as string,
    p_on: nullableNumber(r, 'p_on', lineNo, 0, 1),
    generation_mw: nullableNumber(r, 'generation_mw', lineNo, -Infinity),
    generation_mw_sd: nullableNumber(r, 'generation_mw_sd', lineNo, 0),
    generation_mw_p05: nullableNumber(r, 'generation_mw_p05', lineNo, 0),
    generation_mw_p95: nullableNumber(r, 'generation_mw_p95', lineNo, 0),
    co2_t_per_h: nullableNumber(r, 'co2_t_per_h', lineNo, -Infinity),
    co2_t_per_h_sd: nullableNumber(r, 'co2_t_per_h_sd', lineNo, 0),
    co2_t_per_h_p05: nullableNumber(r, 'co2_t_per_h_p05', lineNo, 0),
    co2_t_per_h_p95: nullableNumber(r, 'co2_t_per_h_p95', lineNo, 0),
    model_id: r.model_id as string,
    backend: r.backend as string,
  };
}

/** Parses a whole file's text; blank lines are skipped, errors name the line. */
export function parsePredictions(text: string): PredictionRecord[] {
  const out: PredictionRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line.length > 0) out.push(parsePredictionLine(line, i + 1));
  }
  return out;
}

/** One line (no newline), keys in PREDICTION_KEYS order. */
export function formatPredictionLine(r: PredictionRecord): string {
  const ordered: Record<string, unknown> = {};
  for (const key of PREDICTION_KEYS) ordered[key] = r[key];
  return JSON.stringify(ordered);
}

/** A whole file: records sorted by (scene_id, site_id) so output never depends on processing order. */
export function formatPredictions(records: readonly PredictionRecord[]): string {
  const sorted = [...records].sort(comparePredictions);
  return sorted.map((r) => `${formatPredictionLine(r)}\n`).join('');
}

/** Total order on records: scene, then site. */
export function comparePredictions(a: PredictionRecord, b: PredictionRecord): number {
  return a.scene_id < b.scene_id ? -1 : a.scene_id > b.scene_id ? 1 : a.site_id < b.site_id ? -1 : a.site_id > b.site_id ? 1 : 0;
}
