/**
 * `co2sat predict`: run a trained model over a tiles folder, one prediction line per patch
 * (P(on), generation and CO2 with sds and 90% intervals, model id, backend).
 */
import { Command } from 'commander';
import { action, positiveInt, requireOption, withGlobals } from '../command.js';
import { addBackendOptions, addTableOptions, tableOptionsOf, type TableFlags } from '../dataOptions.js';

interface PredictFlags extends TableFlags {
  model?: string;
  tiles?: string;
  sites?: string;
  weather?: string;
  out: string;
  backend?: string;
  config?: string;
  threads?: number;
}

export async function predictCommand(): Promise<Command> {
  const cmd = new Command('predict')
    .summary('predict activity, generation and CO2 for every patch of a tiles folder')
    .description(
      'Run a trained model over the patches listed in TILES/manifest.jsonl and write one JSON ' +
        'line per patch: p_on, generation_mw and co2_t_per_h with their standard deviations and ' +
        '90% intervals (mean +/- 1.645 sd, clipped at 0), the scene, site, datetime, valid and ' +
        'cloud fractions, the model id and the backend. Weather covariates (temperature, ' +
        'humidity, wind) are interpolated per site between the rows around each overpass (refused ' +
        'across gaps longer than --max-gap, like train and evaluate); missing weather is ' +
        'imputed with the training means saved in the model.',
    )
    .option('-m, --model <dir>', 'trained model folder (from co2sat train)')
    .option('-t, --tiles <dir>', 'tiles folder with manifest.jsonl (from co2sat tile)')
    .option('-s, --sites <file>', 'sites GeoJSON (fuel and capacity_mw are model inputs)')
    .option('--weather <file>', 'weather.csv: site_id,datetime,temperature_c,relative_humidity,wind_u,wind_v')
    .option('-o, --out <file>', 'output predictions file', 'predictions.jsonl')
    .option('--threads <n>', 'worker threads reading the patches (default: all cores; 1 reads in this thread)', positiveInt('--threads'));
  addTableOptions(cmd);
  addBackendOptions(cmd);
  withGlobals(cmd, [
    'co2sat predict --model models/mtl --tiles tiles/ --sites sites.geojson --weather weather.csv --out predictions.jsonl',
    'co2sat predict -m models/mtl -t tiles/ -s sites.geojson --backend wasm --json',
  ]);
  cmd.action(
    action(async (out, flags: PredictFlags) => {
      const t0 = Date.now();
      const modelDir = requireOption(flags.model, '--model');
      const tilesDir = requireOption(flags.tiles, '--tiles');
      const sitesFile = requireOption(flags.sites, '--sites');
      const { loadConfig } = await import('../../records/runConfig.js');
      const { readModelSites } = await import('../../records/sites.js');
      const { readWeatherCsv } = await import('../../records/weather.js');
      const { loadModelPredictor } = await import('../../predict/modelPredictor.js');
      const { predictTiles } = await import('../../predict/predictTiles.js');
      const config = loadConfig(flags.config);
      const sites = readModelSites(sitesFile);
      const table = tableOptionsOf(flags);
      const weather = flags.weather ? readWeatherCsv(flags.weather, table) : null;
      const predictor = await loadModelPredictor(modelDir, { backend: flags.backend ?? config.backend, sites, weather, sitesFile, ...table, ...(flags.threads !== undefined ? { readThreads: flags.threads } : {}) });
      out.debug(`model ${predictor.id} on backend ${predictor.backend}`);
      const bar = out.progress('predict', 0);
      let shown = 0;
      try {
        const r = await predictTiles({
          tilesDir,
          predictor,
          out: flags.out,
          onProgress: (done, total) => {
            bar.setTotal(total);
            bar.tick(done - shown);
            shown = done;
          },
        });
        bar.finish();
        const summary = { out: flags.out, patches: r.patches, model_id: predictor.id, backend: predictor.backend, seconds: (Date.now() - t0) / 1000 };
        out.result(summary, `${flags.out}: ${r.patches} patch predictions (model ${predictor.id}, ${predictor.backend})`);
      } finally {
        predictor.dispose();
      }
    }),
  );
  return cmd;
}
