/// <reference lib="dom" />
/**
 * report.html in a real headless Chromium (Debian `chromium` driven by puppeteer-core): the
 * page is written by writeAggregates from seeded, varying predictions over European plants
 * and month windows, opened from file:// with every non-file/data request refused, and
 * driven like a user: markers, the window slider, a click on a marker, the charts.
 * Skipped, saying so, where /usr/bin/chromium is absent (.ci/run installs it).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabelRow } from '../../src/records/labels.js';
import { makePredictionRecord } from '../../src/postprocess/prediction.js';
import type { Site } from '../../src/records/sites.js';
import { parseWindowSpec } from '../../src/postprocess/windowSpec.js';
import { writeAggregates } from '../../src/postprocess/writeAggregates.js';
import { mulberry32 } from '../../src/random.js';
import type { PredictionRecord } from '../../src/records/predictions.js';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`report.test.ts: skipped, no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`);

const SITES: Site[] = [
  { site_id: 'niederaussem', name: 'Niederaußem', fuel: 'lignite', capacity_mw: 3396, lon: 6.6706, lat: 50.9961, technology: null },
  { site_id: 'belchatow', name: 'Bełchatów', fuel: 'lignite', capacity_mw: 5102, lon: 19.3306, lat: 51.2664, technology: null },
  { site_id: 'drax', name: 'Drax', fuel: 'coal', capacity_mw: 2595, lon: -0.9967, lat: 53.7356, technology: null },
  { site_id: 'prunerov', name: 'Prunéřov', fuel: 'lignite', capacity_mw: 1490, lon: 13.2578, lat: 50.4203, technology: null },
  { site_id: 'as-pontes', name: 'As Pontes', fuel: 'coal', capacity_mw: 1469, lon: -7.8667, lat: 43.4403, technology: null },
  { site_id: 'eemshaven', name: 'Eemshaven <b>', fuel: 'gas', capacity_mw: 1750, lon: 6.8375, lat: 53.4369, technology: null },
  { site_id: 'torrevaldaliga', name: 'Torrevaldaliga Nord', fuel: 'coal', capacity_mw: 1980, lon: 11.7675, lat: 42.1236, technology: null },
  { site_id: 'oil-at-sea', name: null, fuel: 'oil', capacity_mw: 400, lon: 3.5, lat: 56.5, technology: null },
];

interface Fixture {
  dir: string;
  report: string;
  predictions: PredictionRecord[];
  geojson: { features: { properties: { site_id: string; window_start: string; co2_t_per_h: number | null } }[] };
}

/** Four months of overpasses every 2–7 days per site, with on/off spells, clouds and bad patches. */
async function makeFixture(seed: number): Promise<Fixture> {
  const dir = mkdtempSync(path.join(tmpdir(), 'co2sat-report-'));
  const next = mulberry32(seed);
  const predictions: PredictionRecord[] = [];
  const labels: LabelRow[] = [];
  for (const site of SITES) {
    const cap = site.capacity_mw ?? 1000;
    let t = Date.UTC(2024, 0, 1, 10, 30) + Math.floor(next() * 3) * 86400000;
    const end = Date.UTC(2024, 4, 1);
    let on = next() < 0.7;
    while (t < end) {
      if (next() < 0.25) on = !on;
      const cf = on ? 0.3 + 0.6 * next() : 0.02 * next();
      const gen = cf * cap;
      const co2 = gen * (site.fuel === 'lignite' ? 1.1 : site.fuel === 'gas' ? 0.37 : 0.9);
      const r = next();
      const cloud = r < 0.2 ? 0.6 + 0.4 * next() : 0.3 * next();
      const valid = r > 0.93 ? 0.3 : 1;
      const datetime = new Date(t).toISOString();
      predictions.push(
        makePredictionRecord(
          { scene_id: `S2_${datetime.slice(0, 10)}_${site.site_id}`, site_id: site.site_id, datetime, valid_fraction: valid, cloud_fraction: cloud >= 0.98 ? 1 : cloud, fingerprint: `f${t}` },
          { p_on: on ? 0.6 + 0.4 * next() : 0.3 * next(), generation_mw: gen * (0.8 + 0.4 * next()), generation_mw_sd: 80 + 200 * next(), co2_t_per_h: co2 * (0.8 + 0.4 * next()), co2_t_per_h_sd: 90 + 200 * next() },
          { id: 'm-report', backend: 'wasm' },
        ),
      );
      if (next() < 0.6) labels.push({ site_id: site.site_id, datetime, time_ms: t, active: on, generation_mw: gen, co2_t_per_h: co2, lineNo: labels.length + 2 });
      t += (2 + Math.floor(next() * 6)) * 86400000;
    }
  }
  const report = path.join(dir, 'report.html');
  const geojsonFile = path.join(dir, 'sites.geojson');
  await writeAggregates({ predictions, sites: SITES, window: parseWindowSpec('month'), geojsonFile, reportFile: report, report: { labels, title: 'co2sat test report' } });
  return { dir, report, predictions, geojson: JSON.parse(readFileSync(geojsonFile, 'utf8')) as Fixture['geojson'] };
}

describe.skipIf(!haveChromium)('report.html in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let fx: Fixture;
  const consoleErrors: string[] = [];
  const external: string[] = [];

  beforeAll(async () => {
    fx = await makeFixture(20260603);
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    page = await browser.newPage();
    await page.setViewport({ width: 1400, height: 900 });
    await page.setRequestInterception(true);
    page.on('request', (req) => {
      const url = req.url();
      if (url.startsWith('file:') || url.startsWith('data:')) void req.continue();
      else {
        external.push(url);
        void req.abort();
      }
    });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${String(e)}`));
    page.on('requestfailed', (req) => consoleErrors.push(`requestfailed: ${req.url()}`));
    await page.goto(pathToFileURL(fx.report).href, { waitUntil: 'load' });
    await page.waitForFunction('window.co2satReport && window.co2satReport.ready === true', { timeout: 20000 });
  }, 60000);

  afterAll(async () => {
    await browser?.close();
  });

  it('loads with no console errors and no network requests', () => {
    expect(consoleErrors).toEqual([]);
    expect(external).toEqual([]);
    const html = readFileSync(fx.report, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
  });

  it('draws one marker per site, with the site id on it', async () => {
    const ids = await page.$$eval('path.site-marker', (els) => els.map((e) => e.getAttribute('data-site')));
    expect(ids.sort()).toEqual(SITES.map((s) => s.site_id).sort());
  });

  it('the slider changes the window: marker sizes and the table follow', async () => {
    const snapshot = () =>
      page.evaluate(() => ({
        label: document.getElementById('window-label')?.textContent ?? '',
        radii: Array.from(document.querySelectorAll('path.site-marker')).map((p) => p.getAttribute('d')),
        firstRow: Array.from(document.querySelectorAll('#plants tbody tr:first-child td')).map((td) => td.textContent),
      }));
    const last = await snapshot();
    expect(last.label).toContain('window 4 of 4');
    await page.$eval('#window', (el) => {
      (el as HTMLInputElement).value = '0';
      el.dispatchEvent(new Event('input'));
    });
    const first = await snapshot();
    expect(first.label).toContain('2024-01-01 to 2024-02-01');
    expect(first.radii).not.toEqual(last.radii);
    // The table is sorted by CO2, largest first: its top row is the window's largest emitter.
    const jan = fx.geojson.features.filter((f) => f.properties.window_start === '2024-01-01T00:00:00Z' && f.properties.co2_t_per_h !== null);
    const top = jan.reduce((a, b) => ((b.properties.co2_t_per_h ?? 0) > (a.properties.co2_t_per_h ?? 0) ? b : a));
    const name = SITES.find((s) => s.site_id === top.properties.site_id)?.name ?? top.properties.site_id;
    expect(first.firstRow[0]).toBe(name);
    expect(Number(first.firstRow[4]?.replace(/,/g, ''))).toBeCloseTo(top.properties.co2_t_per_h ?? NaN, 0); // shown with 1 decimal
    expect(first.firstRow).not.toEqual(last.firstRow);
  });

  it('clicking a marker shows charts with one point per overpass', async () => {
    // The site whose overpasses mix the most clear, cloudy and invalid ones.
    const statusCounts = (id: string) => {
      const mine = fx.predictions.filter((p) => p.site_id === id);
      const invalid = mine.filter((p) => p.valid_fraction < 0.5 || (p.cloud_fraction ?? 0) >= 1);
      const cloudy = mine.filter((p) => !invalid.includes(p) && (p.cloud_fraction ?? 0) >= 0.5);
      return { mine, invalid, cloudy };
    };
    const site = SITES.map((s) => s.site_id).reduce((a, b) => {
      const score = (id: string) => Math.min(statusCounts(id).invalid.length, statusCounts(id).cloudy.length);
      return score(b) > score(a) ? b : a;
    });
    await page.click(`path.site-marker[data-site="${site}"]`);
    await page.waitForSelector('#detail:not([hidden]) .uplot');
    const counts = await page.evaluate(() => {
      const charts = (window as unknown as { co2satReport: { charts(): { data: (number | null)[][] }[] } }).co2satReport.charts();
      const nonNull = (s: (number | null)[] | undefined) => (s ?? []).filter((v) => v !== null).length;
      // generation chart: x, window high, low, mean, clear, cloudy, invalid, label
      return { charts: charts.length, perStatus: [4, 5, 6].map((k) => nonNull(charts[0]?.data[k])), pon: [2, 3, 4].map((k) => nonNull(charts[2]?.data[k])) };
    });
    const { mine, invalid, cloudy } = statusCounts(site);
    expect(counts.charts).toBe(3);
    expect(counts.perStatus).toEqual([mine.length - invalid.length - cloudy.length, cloudy.length, invalid.length]);
    expect(counts.pon).toEqual(counts.perStatus);
    expect(cloudy.length).toBeGreaterThan(0);
    expect(invalid.length).toBeGreaterThan(0);
    const title = await page.$eval('#detail-title', (e) => e.textContent ?? '');
    expect(title).toContain(SITES.find((s) => s.site_id === site)?.name ?? site);
    expect(title).toContain(`${mine.length} overpasses (${mine.length - invalid.length - cloudy.length} clear, ${cloudy.length} cloudy, ${invalid.length} invalid)`);
    const axes = await page.evaluate(() =>
      (window as unknown as { co2satReport: { charts(): { axes: { label?: string }[] }[] } }).co2satReport.charts().map((c) => c.axes.map((a) => a.label)),
    );
    expect(axes).toEqual([
      ['overpass time (UTC)', 'generation (MW)'],
      ['overpass time (UTC)', 'CO₂ (t/h)'],
      ['overpass time (UTC)', 'P(on) (0–1)'],
    ]);
    const legend = await page.$$eval('#chart-co2 .u-legend .u-label', (els) => els.map((e) => e.textContent));
    expect(legend).toEqual(expect.arrayContaining(['window mean (t/h)', 'cloudy overpass (t/h)', 'label (t/h)']));
    const artifacts = path.resolve('test-artifacts');
    mkdirSync(artifacts, { recursive: true });
    const shot = path.join(artifacts, 'report.png');
    writeFileSync(shot, await page.screenshot({ fullPage: false }));
    console.log(`report.test.ts: screenshot ${shot}; report ${fx.report}`);
    expect(consoleErrors).toEqual([]);
  });

  it('the fuel filter hides markers and rows', async () => {
    await page.click('#fuels input[data-fuel="lignite"]');
    const shown = await page.$$eval('path.site-marker', (els) => els.map((e) => e.getAttribute('data-site')));
    const rows = await page.$$eval('#plants tbody tr', (els) => els.length);
    const nonLignite = SITES.filter((s) => s.fuel !== 'lignite').map((s) => s.site_id);
    expect(shown.sort()).toEqual(nonLignite.sort());
    expect(rows).toBe(nonLignite.length);
    await page.click('#fuels input[data-fuel="lignite"]');
    await page.select('#country', 'Poland');
    expect(await page.$$eval('#plants tbody tr', (els) => els.length)).toBe(1);
    await page.select('#country', '');
  });
});

describe('co2sat report RUN_DIR (no browser)', () => {
  const embedded = (html: string): { sites: { id: string; country: string | null }[]; series: { t: number[]; label_generation_mw: (number | null)[] }[]; windows: unknown[]; has_labels: boolean } => {
    const m = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html);
    const s = /<script type="application\/gzip" id="report-series">([^<]*)<\/script>/.exec(html);
    if (!m?.[1] || !s?.[1]) throw new Error('no report-data or report-series script in the page');
    return { ...(JSON.parse(m[1]) as object), series: s[1].trim().split('\n').map((line) => JSON.parse(gunzipSync(Buffer.from(line, 'base64')).toString('utf8')) as unknown) } as ReturnType<typeof embedded>;
  };

  it('rebuilds the page of a run folder with labels, one series per site, one point per prediction line', async () => {
    const fx = await makeFixture(7);
    const predictionsFile = path.join(fx.dir, 'predictions.jsonl');
    const { formatPredictions } = await import('../../src/records/predictions.js');
    writeFileSync(predictionsFile, formatPredictions(fx.predictions));
    const labels = path.join(fx.dir, 'labels.csv');
    const mine = fx.predictions.filter((p) => p.site_id === 'drax');
    writeFileSync(labels, `site_id,datetime,active,generation_mw,co2_t_per_h\ndrax,${mine[0]?.datetime},1,1234.5,\n`);
    const { reportCommand } = await import('../../src/cli/commands/report.js');
    const { runCommand } = await import('../helpers/runCommand.js');
    const r = await runCommand(reportCommand, [fx.dir, '--labels', labels, '--out', path.join(fx.dir, 'again.html'), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ sites: SITES.length, windows: 4, overpasses: fx.predictions.length, labels: 1 });
    const data = embedded(readFileSync(path.join(fx.dir, 'again.html'), 'utf8'));
    expect(data.sites.map((s) => s.id)).toEqual(SITES.map((s) => s.site_id));
    expect(data.sites.map((s) => s.country)).toEqual(['Germany', 'Poland', 'United Kingdom', 'Czechia', 'Spain', 'Netherlands', 'Italy', null]);
    expect(data.series.map((s) => s.t.length)).toEqual(SITES.map((s) => fx.predictions.filter((p) => p.site_id === s.site_id).length));
    expect(data.has_labels).toBe(true);
    expect(data.series[2]?.label_generation_mw[0]).toBe(1234.5);
  });

  it('refuses a GeoJSON without per-window properties: one line naming the file, nothing written', async () => {
    const fx = await makeFixture(8);
    const plain = path.join(fx.dir, 'plain.geojson');
    writeFileSync(plain, JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [6, 51] }, properties: { site_id: 'a', fuel: 'coal', capacity_mw: 5 } }] }));
    writeFileSync(path.join(fx.dir, 'predictions.jsonl'), '');
    const { reportCommand } = await import('../../src/cli/commands/report.js');
    const { runCommand } = await import('../helpers/runCommand.js');
    const out = path.join(fx.dir, 'bad.html');
    const r = await runCommand(reportCommand, [fx.dir, '--geojson', plain, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`${plain}: feature 0: property 'window' is missing`);
    expect(existsSync(out)).toBe(false);
    const badUrl = await runCommand(reportCommand, [fx.dir, '--tiles-url', 'tile.example/{z}/{x}.png', '--out', out]);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('--tiles-url');
  });
});
