/**
 * The libraries the report inlines, read from node_modules at run time (Leaflet for the map,
 * uPlot for the charts), so report.html carries exact, maintained copies and opens from
 * file:// with no network. Leaflet's CSS points at image files beside it; those become data
 * URIs, since a file:// page has no folder of images next to it.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export interface ReportAssets {
  leafletJs: string;
  leafletCss: string;
  uplotJs: string;
  uplotCss: string;
}

let cached: ReportAssets | undefined;

function packageText(specifier: string): string {
  return readFileSync(require.resolve(specifier), 'utf8');
}

/** Inlines `url(images/x.png)` references of a stylesheet as base64 data URIs. */
function inlineCssImages(css: string, cssFile: string): string {
  return css.replace(/url\((images\/[\w.-]+\.png)\)/g, (_m, rel: string) => {
    const bytes = readFileSync(path.join(path.dirname(cssFile), rel));
    return `url(data:image/png;base64,${bytes.toString('base64')})`;
  });
}

/** @returns the library files' text, read once per process */
export function reportAssets(): ReportAssets {
  if (cached) return cached;
  const leafletCssFile = require.resolve('leaflet/dist/leaflet.css');
  cached = {
    leafletJs: packageText('leaflet/dist/leaflet.js'),
    leafletCss: inlineCssImages(readFileSync(leafletCssFile, 'utf8'), leafletCssFile),
    uplotJs: packageText('uplot/dist/uPlot.iife.min.js'),
    uplotCss: packageText('uplot/dist/uPlot.min.css'),
  };
  return cached;
}
