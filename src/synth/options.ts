/**
 * Options of a synthetic run (the `co2sat synth` flags, and what `demo` passes to
 * `generateWorld`), their defaults and their validation. Bad values are UsageErrors naming
 * the flag, so the CLI exits 2 before anything is written.
 */
import { OptionError } from '../errors.js';

export type SynthLayout = 'per-band' | 'multiband';
export const SYNTH_LAYOUTS: readonly SynthLayout[] = ['per-band', 'multiband'];

export interface SynthProgress {
  /** Files written so far and in total. */
  done: number;
  total: number;
  /** What is being written, e.g. the scene id. */
  label: string;
}

export interface SynthOptions {
  /** Output folder; created, or replaced when it holds an earlier synthetic world. */
  out: string;
  /** Number of plants. */
  sites?: number;
  /** Number of acquisitions (5-day revisit). */
  dates?: number;
  /** Pixels a side of the 10 m grid (10980 = a full Sentinel-2 tile). */
  size?: number;
  seed?: number;
  /** Fleet profile: `eu` (default), `us`, or a profile file (configs/fleets/fleet.schema.json). */
  fleet?: string;
  layout?: SynthLayout;
  /** Fraction of each task's labels blanked, independently per task, in [0, 1). */
  missing?: number;
  /** Write a preview PNG: true for `<out>/preview.png`, or a path. */
  preview?: boolean | string;
  /** Called after each file is written. */
  onProgress?: (progress: SynthProgress) => void;
}

export type ResolvedSynthOptions = Required<Omit<SynthOptions, 'preview' | 'onProgress'>> & {
  preview: string | null;
  onProgress: ((progress: SynthProgress) => void) | null;
};

/** The defaults for `co2sat synth`. */
export const SYNTH_DEFAULTS = { sites: 20, dates: 60, size: 1024, seed: 42, layout: 'per-band', missing: 0.3, fleet: 'eu' } as const;

/** A world small enough for the demo to generate in seconds on 2 cores. */
export const DEMO_WORLD = { sites: 6, dates: 36, size: 512 } as const;

function intIn(value: number, option: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new OptionError(option, `must be an integer in [${min}, ${max}], got ${value}`);
  return value;
}

/** The options that decide the world model (not how or where it is written). */
export type WorldOptions = Pick<ResolvedSynthOptions, 'sites' | 'dates' | 'size' | 'seed' | 'fleet'>;

export function resolveWorldOptions(o: Omit<SynthOptions, 'out'>): WorldOptions {
  const fleet = o.fleet ?? SYNTH_DEFAULTS.fleet;
  if (typeof fleet !== 'string' || fleet.length === 0) throw new OptionError('fleet', 'must name a fleet profile (eu, us) or a profile file');
  return {
    sites: intIn(o.sites ?? SYNTH_DEFAULTS.sites, 'sites', 1, 1000),
    dates: intIn(o.dates ?? SYNTH_DEFAULTS.dates, 'dates', 1, 1000),
    size: intIn(o.size ?? SYNTH_DEFAULTS.size, 'size', 128, 10980),
    seed: intIn(o.seed ?? SYNTH_DEFAULTS.seed, 'seed', 0, 4294967295),
    fleet,
  };
}

export function resolveSynthOptions(o: SynthOptions, join: (a: string, b: string) => string): ResolvedSynthOptions {
  if (typeof o.out !== 'string' || o.out.length === 0) throw new OptionError('out', 'is required');
  const layout = o.layout ?? SYNTH_DEFAULTS.layout;
  if (!SYNTH_LAYOUTS.includes(layout)) throw new OptionError('layout', `must be one of ${SYNTH_LAYOUTS.join(', ')}, got '${String(layout)}'`);
  const missing = o.missing ?? SYNTH_DEFAULTS.missing;
  if (!(Number.isFinite(missing) && missing >= 0 && missing < 1)) throw new OptionError('missing', `must be a fraction in [0, 1), got ${missing}`);
  return {
    out: o.out,
    ...resolveWorldOptions(o),
    layout,
    missing,
    preview: o.preview === true ? join(o.out, 'preview.png') : typeof o.preview === 'string' && o.preview.length > 0 ? o.preview : null,
    onProgress: o.onProgress ?? null,
  };
}
