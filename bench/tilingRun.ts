/**
 * Child process of `co2sat bench tiling`: runs tileScenes once and prints one JSON line
 * with its own wall time and peak RSS (process.resourceUsage().maxRSS), so the number is
 * co2sat's alone, measured the same way the Python peer measures GDAL's.
 * Usage: node dist/bench/tilingRun.js SCENES_DIR SITES OUT SIZE CONCURRENCY
 */
import { tileScenes } from '../src/tiling/tileScenes.js';

const [scenesDir, sitesFile, outDir, size, concurrency] = process.argv.slice(-5);
const t0 = performance.now();
const summary = await tileScenes({
  scenesDir: scenesDir!,
  sitesFile: sitesFile!,
  outDir: outDir!,
  size: Number(size),
  concurrency: Number(concurrency),
  force: true,
});
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(
  `${JSON.stringify({ patches: summary.patches.written, seconds, peak_rss_mb: process.resourceUsage().maxRSS / 1024, failures: summary.failures })}\n`,
);
