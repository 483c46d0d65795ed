/**
 * The report page: layout, styles and the order of the inlined parts. The small data (sites,
 * window values) goes into an `application/json` script tag (JSON.parse is faster than
 * evaluating a literal of the same size); the bulky parts go gzipped as base64, which the
 * page inflates with the browser's DecompressionStream: the basemap at once, each site's
 * overpasses (one line per site) when the site is opened. The HTML parser's time grows
 * with the file's bytes, and with JSON parsing of every overpass it dominated the load of
 * a 2,000-site report. Inlined scripts are escaped so that no `</script>` or `<!--` inside
 * them can end their tag early.
 */
import { gzipSync } from 'node:zlib';
import type { ReportAssets } from './reportAssets.js';
import { REPORT_CLIENT_JS } from './reportClient.js';

/** Makes text safe inside a <script> element: `<` only ever appears as an escape. */
function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** JSON safe inside a <script type="application/json"> element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** JSON, gzipped, as base64: no `<` to escape, and a third of the bytes of the JSON text. */
export function gzipJsonBase64(value: unknown): string {
  return gzipSync(JSON.stringify(value), { level: 6 }).toString('base64');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
html, body { margin: 0; height: 100%; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #222; }
body { display: grid; grid-template-rows: auto 1fr; }
header { padding: 8px 14px; background: #1f2d3a; color: #f3f3f3; display: flex; flex-wrap: wrap; gap: 8px 22px; align-items: center; }
header h1 { font-size: 16px; margin: 0 12px 0 0; font-weight: 600; }
header label { display: inline-flex; align-items: center; gap: 4px; }
#window { width: 240px; }
#window-label { font-variant-numeric: tabular-nums; }
#fuels label { margin-right: 8px; }
main { display: grid; grid-template-columns: minmax(420px, 1.15fr) minmax(560px, 1fr); min-height: 0; }
#map { min-height: 420px; background: #cfe0ec; }
#side { display: flex; flex-direction: column; min-height: 0; border-left: 1px solid #ccc; }
#summary { padding: 6px 10px; background: #f4f4f4; border-bottom: 1px solid #ddd; display: flex; justify-content: space-between; gap: 10px; }
#table-wrap { overflow: auto; flex: 1 1 40%; min-height: 160px; }
table { border-collapse: collapse; width: 100%; font-size: 12px; font-variant-numeric: tabular-nums; }
th { position: sticky; top: 0; background: #e9eef2; cursor: pointer; text-align: left; padding: 4px 6px; border-bottom: 1px solid #bbb; user-select: none; vertical-align: bottom; }
td { padding: 3px 5px; border-bottom: 1px solid #eee; white-space: nowrap; }
.num { text-align: right; }
tbody tr { cursor: pointer; }
tbody tr:hover { background: #f3f7fb; }
tr.selected { background: #fff4bf !important; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 4px; vertical-align: -1px; border: 1px solid rgba(0,0,0,0.25); }
.swatch.hollow { background: #fff; border: 1.5px solid #555; }
#detail { border-top: 2px solid #1f2d3a; overflow: auto; flex: 1 1 60%; padding: 6px 8px; }
#detail header { background: none; color: inherit; padding: 0 0 4px; justify-content: space-between; }
#detail-title { font-size: 15px; font-weight: 600; }
#detail-title small { font-weight: normal; color: #555; display: block; font-size: 12px; }
#close { cursor: pointer; }
.chart { margin-bottom: 6px; }
.legend { background: rgba(255,255,255,0.92); padding: 6px 8px; border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,0.3); line-height: 1.5; }
.legend-title { font-weight: 600; }
.hint { color: #666; padding: 8px 10px; }
.uplot .u-title { font-size: 13px; font-weight: 600; }
.uplot .u-legend { font-size: 11px; }
`;

const BODY = `
<header>
  <h1 id="title"></h1>
  <label>Window <input id="window" type="range" min="0" max="0" step="1" value="0" aria-label="time window"></label>
  <span id="window-label"></span>
  <span id="fuels" aria-label="fuel filter"></span>
  <label>Country <select id="country" aria-label="country filter"></select></label>
</header>
<main>
  <div id="map"></div>
  <div id="side">
    <div id="summary"><span id="shown"></span><button id="more" type="button" hidden></button><span id="total"></span></div>
    <div id="table-wrap"><table id="plants"><thead><tr></tr></thead><tbody></tbody></table></div>
    <section id="detail" hidden>
      <header><div id="detail-title"></div><button id="close" type="button" title="close">✕</button></header>
      <div id="chart-gen" class="chart"></div>
      <div id="chart-co2" class="chart"></div>
      <div id="chart-pon" class="chart"></div>
    </section>
    <p class="hint" id="hint">Click a plant on the map or in the table for its time series: every overpass with its 90% interval, the window means with their 90% band, cloudy and invalid overpasses marked.</p>
  </div>
</main>
`;

/**
 * @param title the page title
 * @param dataJson the report data but its `series`, from jsonForScript
 * @param seriesGzipBase64 the data's `series`, one line per site, each from gzipJsonBase64
 * @param basemapGzipBase64 the basemap, from gzipJsonBase64
 */
export function reportHtml(title: string, dataJson: string, seriesGzipBase64: string, basemapGzipBase64: string, assets: ReportAssets): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${assets.leafletCss}</style>`,
    `<style>${assets.uplotCss}</style>`,
    `<style>${STYLE}</style>`,
    '</head><body>',
    BODY.replace('<h1 id="title"></h1>', `<h1 id="title">${escapeHtml(title)}</h1>`),
    `<script type="application/json" id="report-data">${dataJson}</script>`,
    `<script type="application/gzip" id="report-series">${seriesGzipBase64}</script>`,
    `<script type="application/gzip" id="report-basemap">${basemapGzipBase64}</script>`,
    `<script>${scriptSafe(assets.leafletJs)}</script>`,
    `<script>${scriptSafe(assets.uplotJs)}</script>`,
    `<script>${scriptSafe(REPORT_CLIENT_JS)}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
