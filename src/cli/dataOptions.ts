/**
 * The options several commands share, defined once so they read and document the same way:
 * the four model inputs (train, evaluate, ablate), how the tables' datetimes are read and
 * weather joined (those three plus predict and run), and the backend and run config.
 */
import type { Command } from 'commander';
import { DEFAULT_MAX_GAP_HOURS } from '../records/weather.js';
import { numberIn } from './command.js';

export const DATA_OPTIONS_HELP = {
  tiles: 'folder with manifest.jsonl and patches (co2sat tile output)',
  labels: 'labels.csv: site_id,datetime,active,generation_mw,co2_t_per_h (blank = unknown)',
  weather: 'weather.csv: site_id,datetime,temperature_c,relative_humidity,wind_u,wind_v',
  sites: 'sites GeoJSON (Point features with site_id, fuel, capacity_mw)',
};

/** `--tiles`, `--labels`, `--weather`, `--sites`, then the table options. */
export function addDataOptions(cmd: Command, weatherNote = '(optional: training means are imputed)'): Command {
  cmd
    .option('--tiles <dir>', DATA_OPTIONS_HELP.tiles)
    .option('--labels <file>', DATA_OPTIONS_HELP.labels)
    .option('--weather <file>', `${DATA_OPTIONS_HELP.weather} ${weatherNote}`)
    .option('--sites <file>', DATA_OPTIONS_HELP.sites);
  return addTableOptions(cmd);
}

export interface TableFlags {
  assumeUtc?: boolean;
  maxGap?: number;
}

/** `--assume-utc` and `--max-gap`: how labels.csv and weather.csv are read and joined. */
export function addTableOptions(cmd: Command): Command {
  return cmd
    .option('--assume-utc', 'read datetimes without a zone (2024-05-17T10:26:41) as UTC instead of refusing them')
    .option(
      '--max-gap <hours>',
      `interpolate weather between the rows around an overpass only when they are at most this many hours apart (default ${DEFAULT_MAX_GAP_HOURS})`,
      numberIn('--max-gap', 0, 24 * 366),
    );
}

/** The library's options from the flags (absent flags stay absent, so defaults apply). */
export function tableOptionsOf(flags: TableFlags): { assumeUtc?: boolean; maxGapHours?: number } {
  return { ...(flags.assumeUtc ? { assumeUtc: true } : {}), ...(flags.maxGap !== undefined ? { maxGapHours: flags.maxGap } : {}) };
}

/** `--backend` and `--config`; `configRole` says what the command takes from the config. */
export function addBackendOptions(cmd: Command, configRole = 'its backend is the default'): Command {
  return cmd
    .option('--backend <name>', "compute backend: auto, tensorflow-gpu, tensorflow, wasm or cpu (default: the config's, auto)")
    .option('--config <file>', `run config JSON (configs/default.json format); ${configRole}`);
}
