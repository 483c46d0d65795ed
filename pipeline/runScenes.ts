/**
 * `co2sat run` as one library call from file names and flags: reads the config, sites,
 * weather and band sets, builds the real stages and runs the pipeline. The CLI command and
 * `co2sat demo` call this; tests call runPipeline with other stages.
 */
import { OptionError, optionText, UsageError } from '../src/errors.js';
import { parseWindowSpec, WindowSpecError } from '../src/postprocess/windowSpec.js';
import { contentHash } from '../src/io/configHash.js';
import { proj4Problem } from '../src/geo/crs.js';
import { defaultStages } from './defaultStages.js';
import { runPipeline, type RunSummary } from './runPipeline.js';
import type { ReportExtras } from '../src/postprocess/writeAggregates.js';
import { parseShard, ShardSpecError } from './shard.js';

export interface RunScenesOptions {
  scenesDir: string;
  sitesFile: string;
  modelDir: string;
  outDir: string;
  weatherFile?: string;
  /** Read weather datetimes without a zone as UTC. */
  assumeUtc?: boolean;
  /** The weather join's longest interpolation gap (default 2 h). */
  maxGapHours?: number;
  /** `30d`, `month`, `year`, `all` (default: config aggregate.window). */
  window?: string;
  /** `i/n` (default: no sharding). */
  shard?: string;
  backend?: string;
  /** Patch size (default: config tile.size). */
  tileSize?: number;
  /** Band set name or path (default: config tile.bands, then the other built-in sets). */
  bands?: string;
  /** proj4 definition (or WKT) for scenes whose CRS neither their GeoKeys nor their STAC item give. */
  crsProj4?: string;
  keepTiles?: boolean;
  force?: boolean;
  minValidFraction?: number;
  cloudyFraction?: number;
  /** Window sd rule: 'scaled' (default) or 'independent'. */
  uncertainty?: 'scaled' | 'independent';
  /** How observations are combined: 'mean' (default, clear-fraction-weighted time average), 'random' or 'ivw'. */
  combine?: 'ivw' | 'random' | 'mean';
  /** Also write sites.fgb (FlatGeobuf) beside sites.geojson. */
  flatGeobuf?: boolean;
  configFile?: string;
  /** Write OUT/report.html (default true; unsharded runs only). */
  report?: boolean;
  /** Labels, an online tile layer and a title for the report. */
  reportExtras?: ReportExtras;
  log?: (message: string) => void;
  warn?: (message: string) => void;
  onScene?: (done: number, total: number, sceneId: string) => void;
}

/**
 * @throws UsageError for a bad window, shard or size; InputError for unreadable inputs;
 *   LockHeldError when another run holds the output folder
 */
export async function runScenes(o: RunScenesOptions): Promise<RunSummary> {
  const { loadConfig } = await import('../src/records/runConfig.js');
  const { readSitesFile, toModelSites } = await import('../src/records/sites.js');
  const { DEFAULT_MAX_GAP_HOURS, readWeatherCsv } = await import('../src/records/weather.js');
  const { BUILTIN_BAND_SETS, loadBandSet } = await import('../src/tiling/bandSet.js');
  const config = loadConfig(o.configFile);
  let window;
  let shard = null;
  try {
    window = parseWindowSpec(o.window ?? config.aggregate.window);
    if (o.shard !== undefined) shard = parseShard(o.shard);
  } catch (err) {
    if (err instanceof WindowSpecError) throw new UsageError(`${optionText('window')}: ${err.message}`);
    if (err instanceof ShardSpecError) throw new UsageError(err.message);
    throw err;
  }
  const size = o.tileSize ?? config.tile.size;
  if (!Number.isInteger(size) || size < 1 || size > 4096) throw new OptionError('size', `must be an integer in [1, 4096], got ${size}`);
  const bandsName = o.bands ?? config.tile.bands;
  const bandSets = [loadBandSet(bandsName), ...BUILTIN_BAND_SETS.filter((n) => n !== bandsName).map((n) => loadBandSet(n))];
  // The sites file is read once: tiling needs every site, the model and the aggregates the
  // sites narrowed to a known fuel and capacity, the predict config the file's content hash.
  const sitesFile = await readSitesFile(o.sitesFile);
  const tilingSites = sitesFile.sites;
  const modelSites = toModelSites(sitesFile.sites, o.sitesFile);
  const weather = o.weatherFile ? readWeatherCsv(o.weatherFile, { assumeUtc: o.assumeUtc ?? false }) : null;
  const compression = config.tile.compression;
  if (o.crsProj4 !== undefined) {
    const problem = proj4Problem(o.crsProj4);
    if (problem) throw new OptionError('crs-proj4', `is not a proj4 definition: ${problem}`);
  }
  return runPipeline({
    scenesDir: o.scenesDir,
    outDir: o.outDir,
    sites: modelSites,
    window,
    shard,
    force: o.force,
    keepTiles: o.keepTiles,
    minValidFraction: o.minValidFraction,
    cloudyFraction: o.cloudyFraction,
    uncertainty: o.uncertainty,
    combine: o.combine,
    flatGeobuf: o.flatGeobuf ?? false,
    report: o.report,
    reportExtras: o.reportExtras,
    // What per-patch predictions depend on besides the scene and the model id. The weather
    // file is not in it (it grows with new scenes); use force after correcting old rows.
    predictConfig: { size, bands: bandSets.map((b) => b.name), compression, sites: contentHash(sitesFile.text), max_gap_hours: o.maxGapHours ?? DEFAULT_MAX_GAP_HOURS },
    stages: defaultStages({
      tilingSites,
      modelSites,
      sitesFile: o.sitesFile,
      weather,
      ...(o.maxGapHours !== undefined ? { maxGapHours: o.maxGapHours } : {}),
      modelDir: o.modelDir,
      backend: o.backend ?? config.backend,
      size,
      bandSets,
      compression,
      ...(o.crsProj4 !== undefined ? { crsProj4: o.crsProj4 } : {}),
      concurrency: config.tile.concurrency ?? undefined,
    }),
    log: o.log,
    warn: o.warn,
    onScene: o.onScene,
  });
}
