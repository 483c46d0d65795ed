/**
 * The run state file (`state.json`, or `state.shard-i-of-n.json`) in a run's output folder:
 * what has been done, with what. It is the commit record of a run: a scene counts as done
 * only once its predictions are in the predictions file AND the state says so (the
 * predictions file is written first, the state second, both atomically), so after a kill
 * at any moment a rerun redoes at most the scenes in flight and never trusts half a result.
 */
import { promises as fs } from 'node:fs';
import { InputError } from '../src/errors.js';
import { writeFileAtomic } from '../src/io/atomicWrite.js';

export const STATE_VERSION = 1;

export interface SceneState {
  /** Fingerprint of the scene's files when it was processed; a change means redo. */
  fingerprint: string;
  /**
   * done: predicted. failed: failed for good (corrupt, unreadable, wrong CRS) — not retried
   * until its fingerprint changes. retry: a transient failure outlasted the run's retries —
   * retried by the next run.
   */
  status: 'done' | 'failed' | 'retry';
  /** Acquisition time (ISO 8601), known once tiled. */
  datetime: string | null;
  /** Patches written and predicted. */
  patches: number;
  /** Why it failed (one line), for failed scenes. */
  error?: string;
}

export interface RunState {
  version: number;
  /** Id of the model the predictions came from. */
  model_id: string | null;
  /** Hash of everything per-patch predictions depend on besides the scene (sites, tiling, model, backend options). */
  predict_hash: string | null;
  /** Hash of the aggregation settings (window, thresholds). */
  aggregate_hash: string | null;
  scenes: Record<string, SceneState>;
  /** When the last run that wrote this state finished, ISO 8601. */
  updated: string | null;
}

export function emptyState(): RunState {
  return { version: STATE_VERSION, model_id: null, predict_hash: null, aggregate_hash: null, scenes: {}, updated: null };
}

/**
 * Reads a state file; a missing file is an empty state.
 * @throws InputError naming the file when it is not a co2sat state of this version
 */
export async function loadState(file: string): Promise<RunState> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw new InputError(file, `cannot read run state: ${(err as Error).message}`);
  }
  let raw: Partial<RunState>;
  try {
    raw = JSON.parse(text) as Partial<RunState>;
  } catch {
    throw new InputError(file, 'run state is not valid JSON (delete it to reprocess everything)');
  }
  if (raw.version !== STATE_VERSION || typeof raw.scenes !== 'object' || raw.scenes === null) {
    throw new InputError(file, `not a co2sat run state of version ${STATE_VERSION} (delete it to reprocess everything)`);
  }
  return {
    version: STATE_VERSION,
    model_id: raw.model_id ?? null,
    predict_hash: raw.predict_hash ?? null,
    aggregate_hash: raw.aggregate_hash ?? null,
    scenes: raw.scenes,
    updated: raw.updated ?? null,
  };
}

/** Writes the state atomically, scenes sorted by id so the file diffs cleanly. */
export async function saveState(file: string, state: RunState): Promise<void> {
  const scenes: Record<string, SceneState> = {};
  for (const id of Object.keys(state.scenes).sort()) scenes[id] = state.scenes[id]!;
  await writeFileAtomic(file, `${JSON.stringify({ ...state, scenes }, null, 1)}\n`);
}
