/**
 * How long report.html takes to open in Chromium for a large run: N sites × W month windows
 * with an overpass every few days (Sentinel-2's revisit), written through the same
 * writeAggregates path as `co2sat run`, then opened from file:// in headless Chromium
 * (puppeteer-core, a dev dependency, and /usr/bin/chromium). Reported per round: the page's
 * script done (navigation start → `co2satReport.ready`), the first two frames after it
 * (the map and table painted), and two interactions (moving the slider, opening a plant's
 * charts). The issue's target: under 3 s for 2,000 sites × 12 windows.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { makePredictionRecord } from '../src/postprocess/prediction.js';
import { parseWindowSpec } from '../src/postprocess/windowSpec.js';
import { writeAggregates } from '../src/postprocess/writeAggregates.js';
import { mulberry32 } from '../src/random.js';
import type { PredictionRecord } from '../src/records/predictions.js';
import type { Site } from '../src/records/sites.js';

export interface ReportLoadOptions {
  sites: number;
  windows: number;
  revisitDays: number;
  rounds: number;
  chromium: string;
  log?: (message: string) => void;
}

export interface ReportLoadRound {
  script_ms: number;
  painted_ms: number;
  slider_ms: number;
  open_plant_ms: number;
  /** Milliseconds since navigation start at the end of each setup step of the page script. */
  phases?: Record<string, number>;
}

export interface ReportLoadResult {
  sites: number;
  windows: number;
  overpasses: number;
  report_bytes: number;
  write_seconds: number;
  rounds: ReportLoadRound[];
  best: ReportLoadRound;
  chromium: string;
}

const FUELS = ['lignite', 'coal', 'gas', 'oil'] as const;

/**
 * Runs in the page (as text, so the build needs no DOM types): the time the page script
 * finished, the first two frames after it, then a slider move and a plant's charts (its
 * overpasses inflated, then drawn), each timed to the second frame after the action so the browser's layout and paint count.
 */
const IN_PAGE_TIMING = `(async () => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now()))));
  const painted = await frame();
  const slider = document.getElementById('window');
  const s0 = performance.now();
  slider.value = '0';
  slider.dispatchEvent(new Event('input'));
  const s1 = await frame();
  const c0 = performance.now();
  await window.co2satReport.loadSeries(0);
  window.co2satReport.select(0, true);
  const c1 = await frame();
  return { script_ms: window.co2satReport.readyAt, painted_ms: painted, slider_ms: s1 - s0, open_plant_ms: c1 - c0, phases: window.co2satReport.phases };
})()`;

/** Sites scattered over Europe's land and sea, overpasses every `revisitDays` from 2024-01-01. */
function world(o: ReportLoadOptions): { sites: Site[]; predictions: PredictionRecord[] } {
  const next = mulberry32(2026);
  const sites: Site[] = Array.from({ length: o.sites }, (_, i) => ({
    site_id: `plant-${String(i).padStart(5, '0')}`,
    name: `Plant ${i}`,
    fuel: FUELS[i % FUELS.length] ?? 'coal',
    capacity_mw: Math.round(100 + 3000 * next() ** 2),
    lon: -9 + 33 * next(),
    lat: 36 + 22 * next(),
    technology: null,
  }));
  const start = Date.UTC(2024, 0, 1, 10, 30);
  const end = Date.UTC(2024, o.windows, 1);
  const predictions: PredictionRecord[] = [];
  for (const s of sites) {
    const cap = s.capacity_mw ?? 1000;
    for (let t = start + Math.floor(next() * o.revisitDays) * 86400000; t < end; t += o.revisitDays * 86400000) {
      const on = next() < 0.7;
      const gen = on ? cap * (0.3 + 0.6 * next()) : 0;
      const datetime = new Date(t).toISOString();
      predictions.push(
        makePredictionRecord(
          { scene_id: `S2_${datetime.slice(0, 10)}`, site_id: s.site_id, datetime, valid_fraction: next() < 0.05 ? 0.2 : 1, cloud_fraction: next() < 0.3 ? 0.5 + 0.5 * next() : 0.2 * next(), fingerprint: 'f' },
          { p_on: on ? 0.6 + 0.4 * next() : 0.3 * next(), generation_mw: gen, generation_mw_sd: 50 + 150 * next(), co2_t_per_h: gen * 0.9, co2_t_per_h_sd: 60 + 150 * next() },
          { id: 'bench', backend: 'wasm' },
        ),
      );
    }
  }
  return { sites, predictions };
}

export async function runReportLoadBench(o: ReportLoadOptions): Promise<ReportLoadResult> {
  const log = o.log ?? (() => undefined);
  const { default: puppeteer } = await import('puppeteer-core');
  const dir = mkdtempSync(path.join(tmpdir(), 'co2sat-bench-report-'));
  try {
    const { sites, predictions } = world(o);
    const reportFile = path.join(dir, 'report.html');
    const t0 = performance.now();
    await writeAggregates({ predictions, sites, window: parseWindowSpec('month'), geojsonFile: path.join(dir, 'sites.geojson'), reportFile, report: { title: 'co2sat bench report' } });
    const writeSeconds = (performance.now() - t0) / 1000;
    const bytes = statSync(reportFile).size;
    log(`report: ${sites.length} sites, ${predictions.length} overpasses, ${(bytes / 1e6).toFixed(1)} MB, written in ${writeSeconds.toFixed(1)} s`);
    const browser = await puppeteer.launch({ executablePath: o.chromium, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    const rounds: ReportLoadRound[] = [];
    try {
      for (let r = 0; r < o.rounds; r++) {
        const page = await browser.newPage();
        await page.setViewport({ width: 1400, height: 900 });
        await page.goto(pathToFileURL(reportFile).href, { waitUntil: 'load', timeout: 120000 });
        await page.waitForFunction('window.co2satReport && window.co2satReport.ready === true', { timeout: 120000 });
        const timing = (await page.evaluate(IN_PAGE_TIMING)) as ReportLoadRound;
        rounds.push(timing);
        log(`round ${r + 1}: phases ${JSON.stringify(timing.phases, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))}; script ${timing.script_ms.toFixed(0)} ms, painted ${timing.painted_ms.toFixed(0)} ms, slider ${timing.slider_ms.toFixed(0)} ms, open plant ${timing.open_plant_ms.toFixed(0)} ms`);
        await page.close();
      }
    } finally {
      await browser.close();
    }
    const best = rounds.reduce((a, b) => (b.painted_ms < a.painted_ms ? b : a));
    return { sites: sites.length, windows: o.windows, overpasses: predictions.length, report_bytes: bytes, write_seconds: writeSeconds, rounds, best, chromium: o.chromium };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatReportLoadBench(r: ReportLoadResult): string {
  const ms = (v: number) => `${(v / 1000).toFixed(2)} s`;
  return [
    `report.html: ${r.sites} sites × ${r.windows} windows, ${r.overpasses} overpasses, ${(r.report_bytes / 1e6).toFixed(1)} MB, written in ${r.write_seconds.toFixed(1)} s`,
    ...r.rounds.map((x, i) => `round ${i + 1}: script done ${ms(x.script_ms)}, painted ${ms(x.painted_ms)}; slider ${x.slider_ms.toFixed(0)} ms; open a plant ${x.open_plant_ms.toFixed(0)} ms`),
    `best: painted ${ms(r.best.painted_ms)} after navigation start (target < 3 s)`,
  ].join('\n');
}
