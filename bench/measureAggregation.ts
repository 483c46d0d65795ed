/**
 * Measures what aggregation buys on a synthetic world with known truth: per-patch error
 * against per-window error (default 30-day windows), for the model's held-out test plants
 * and for all plants. Prints one JSON object.
 *
 *   npm run build && node dist/pipeline/measureAggregation.js --world W --run runs/X --model models/M [--window 30d]
 *
 * W is a `co2sat synth` folder (truth.json, sites.geojson), runs/X a `co2sat run` output
 * over W/scenes with that model, and the test plants come from the model's saved split.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readModelSites } from '../src/records/sites.js';
import { aggregatePredictions } from '../src/postprocess/aggregatePredictions.js';
import { patchErrors, windowErrors } from '../src/postprocess/compareWithTruth.js';
import { readTruth } from '../src/records/truth.js';
import { readPredictionFiles } from '../src/postprocess/readPredictionFiles.js';
import { parseWindowSpec } from '../src/postprocess/windowSpec.js';

export async function measureAggregation(o: { world: string; run: string; model: string; window: string }) {
  const truth = readTruth(path.join(o.world, 'truth.json')).samples;
  const model = JSON.parse(await readFile(path.join(o.model, 'model.json'), 'utf8')) as { id: string; splits: { test_sites?: string[] } };
  const sitesFile = path.join(o.world, 'sites.geojson');
  const sites = readModelSites(sitesFile);
  const predictions = await readPredictionFiles([path.join(o.run, 'predictions.jsonl')]);
  const spec = parseWindowSpec(o.window);
  const scaled = aggregatePredictions(predictions, sites, spec, { uncertainty: 'scaled' }).aggregates;
  const timeMean = aggregatePredictions(predictions, sites, spec, { combine: 'mean' }).aggregates;
  const randomEffects = aggregatePredictions(predictions, sites, spec, { combine: 'random' }).aggregates;
  const fixedEffects = aggregatePredictions(predictions, sites, spec, { combine: 'ivw' }).aggregates;
  const fixedEffectsIndependent = aggregatePredictions(predictions, sites, spec, { combine: 'ivw', uncertainty: 'independent' }).aggregates;
  const test = new Set(model.splits.test_sites ?? []);
  const report = (only?: Set<string>) => ({
    per_patch: patchErrors(predictions, truth, only ? { sites: only } : {}),
    per_window_default: windowErrors(scaled, truth, only ? { sites: only } : {}),
    per_window_ivw: windowErrors(fixedEffects, truth, only ? { sites: only } : {}),
    per_window_ivw_independent_sd: windowErrors(fixedEffectsIndependent, truth, only ? { sites: only } : {}),
    per_window_time_mean: windowErrors(timeMean, truth, only ? { sites: only } : {}),
    per_window_random_effects: windowErrors(randomEffects, truth, only ? { sites: only } : {}),
  });
  return { model_id: model.id, window: o.window, test_sites: [...test].sort(), held_out: report(test), all_sites: report() };
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const { values } = parseArgs({ options: { world: { type: 'string' }, run: { type: 'string' }, model: { type: 'string' }, window: { type: 'string', default: '30d' } } });
  if (!values.world || !values.run || !values.model) {
    process.stderr.write('usage: measureAggregation --world W --run RUN --model MODEL [--window 30d]\n');
    process.exitCode = 2;
  } else {
    const r = await measureAggregation({ world: values.world, run: values.run, model: values.model, window: values.window ?? '30d' });
    process.stdout.write(`${JSON.stringify(r, null, 1)}\n`);
  }
}
