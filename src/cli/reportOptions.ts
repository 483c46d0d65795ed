/**
 * The report flags shared by `co2sat report`, `aggregate` and `run`, defined once so the
 * three commands cannot drift apart: labels to show beside the estimates, and an online
 * tile layer offered next to the offline basemap.
 */
import { Command } from 'commander';
import { UsageError } from '../errors.js';
import type { ReportExtras } from '../postprocess/writeAggregates.js';

export interface ReportFlags {
  labels?: string;
  tilesUrl?: string;
  tilesAttribution?: string;
}

export function addReportOptions(cmd: Command): Command {
  return cmd
    .option('--labels <file>', 'labels.csv to plot beside the estimates (e.g. the evaluate split); matched by site_id and overpass time')
    .option('--tiles-url <url>', 'an online XYZ tile layer the report offers beside its offline basemap, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png (off until switched on in the page)')
    .option('--tiles-attribution <text>', 'attribution shown for --tiles-url, e.g. "© OpenStreetMap contributors"');
}

/** Reads the labels file and checks the tile URL template; heavy parts load only when used. */
export async function reportExtras(flags: ReportFlags): Promise<ReportExtras> {
  const extras: ReportExtras = {};
  if (flags.tilesUrl !== undefined) {
    if (!/^https?:\/\//.test(flags.tilesUrl) || !['{z}', '{x}', '{y}'].every((p) => flags.tilesUrl?.includes(p))) {
      throw new UsageError(`--tiles-url: expected an http(s) URL template with {z}, {x} and {y}, got '${flags.tilesUrl}'`);
    }
    extras.tilesUrl = flags.tilesUrl;
    extras.tilesAttribution = flags.tilesAttribution ?? null;
  }
  if (flags.labels !== undefined) {
    const { readLabelsCsv } = await import('../records/labels.js');
    extras.labels = readLabelsCsv(flags.labels);
  }
  return extras;
}
