// Runs the compiled pipeline on toy stages in its own process, so tests can kill -9 it.
// Usage: CO2SAT_DIST=DIR node toyWorker.mjs SCENES OUT [WINDOW] [SHARD] ; env TOY_DELAY_MS slows each scene.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TOY_SITES, toyStages } from './toyStages.mjs';

// CO2SAT_DIST: the folder compile.ts wrote the bundled pipeline to (it holds dist/).
const dist = path.join(process.env.CO2SAT_DIST, 'dist');
const load = (rel) => import(pathToFileURL(path.join(dist, rel)).href);
const { runPipeline } = await load('pipeline/runPipeline.js');
const { parseWindowSpec } = await load('src/postprocess/windowSpec.js');
const { parseShard } = await load('pipeline/shard.js');

const [scenesDir, outDir, window = '30d', shard] = process.argv.slice(2);
try {
  const summary = await runPipeline({
    scenesDir,
    outDir,
    sites: TOY_SITES,
    window: parseWindowSpec(window),
    shard: shard ? parseShard(shard) : null,
    predictConfig: { toy: 1 },
    stages: toyStages({ delayMs: Number(process.env.TOY_DELAY_MS ?? 0) }),
    onScene: (done) => process.stdout.write(`scene ${done}\n`),
  });
  process.stdout.write(`${JSON.stringify(summary)}\n`);
} catch (err) {
  process.stderr.write(`${err.name}: ${err.message}\n`);
  process.exitCode = err.name === 'LockHeldError' ? 75 : 1;
}
