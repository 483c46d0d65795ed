/**
 * `--assume-utc` and `--max-gap`: how the commands that read labels.csv and weather.csv
 * (train, evaluate, ablate, predict, run) read their datetimes and join weather to an
 * overpass. One definition, so every command reads the tables the same way.
 */
import type { Command } from 'commander';
import { DEFAULT_MAX_GAP_HOURS } from '../records/weather.js';
import { numberIn } from './command.js';

export interface TableFlags {
  assumeUtc?: boolean;
  maxGap?: number;
}

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
