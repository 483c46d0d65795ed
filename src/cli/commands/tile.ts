/**
 * `co2sat tile`: cut georeferenced patches around plant sites from a folder of scenes.
 * Parses options, calls tileScenes (src/tiling), prints a summary or --json.
 */
import { Command } from 'commander';
import os from 'node:os';
import { action, positiveInt, requireOption, withGlobals } from '../command.js';
import { AllFailedError, PartialFailure } from '../../errors.js';
import type { Output } from '../output.js';

interface TileFlags {
  sites?: string;
  out: string;
  size: number;
  concurrency?: number;
  force?: boolean;
  bandSet?: string;
  crsProj4?: string;
  datetime?: string;
  compression: 'deflate' | 'none';
}

export async function tileCommand(): Promise<Command> {
  const cmd = new Command('tile')
    .summary('cut georeferenced patches around plant sites from a folder of scenes')
    .description(
      'Cut a size x size patch around every site in every scene of <scenes-dir>.\n\n' +
        'Scenes: each GeoTIFF directly in the folder is a multiband scene; each subfolder of\n' +
        'single-band GeoTIFFs whose names carry band ids (B01..B12, B8A, SCL; Landsat C2\n' +
        '_SR_B1.._SR_B7, _ST_B10, _QA_PIXEL; Landsat C1 _B1.._B11) is stacked in band-set order\n' +
        'on the finest band grid (nearest neighbour); each Sentinel-2 .SAFE folder (L1C/L2A,\n' +
        'JPEG 2000 bands placed by MTD_TL.xml) is one scene too. Scene time comes from the most\n' +
        'precise of the name (_20240517T102559_ or _20240517_), the TIFF DateTime tag, a Landsat\n' +
        'MTL, a SAFE PRODUCT_START_TIME and, for STAC items, properties.datetime.\n\n' +
        'STAC: <scenes-dir> may be a STAC Item / ItemCollection JSON file (or a folder of them),\n' +
        'e.g. from Earth Search or Planetary Computer. Each item is a scene; its GeoTIFF assets\n' +
        'are matched to bands by eo:bands name, asset key or common name (red, nir, scl, B04,\n' +
        'SCL ...). Hrefs may be relative, file:// or http(s):// (read with range requests,\n' +
        'retried on 5xx, timeouts and cut bodies; --verbose/--json report requests and bytes).\n\n' +
        'Window rule: the site falls in pixel (col,row) = (floor((x-x0)/dx), floor((y-y0)/dy));\n' +
        'the patch is xoff = col - floor(size/2), yoff = row - floor(size/2). Parts outside the\n' +
        'raster are nodata (0 where the scene has none) and counted in valid_fraction.\n\n' +
        'Output: <out>/<scene_id>/<site_id>.tif (DEFLATE, scene CRS, window geotransform,\n' +
        'GDAL_NODATA) and <out>/manifest.jsonl. Reruns skip up-to-date patches; --force redoes.\n' +
        'A scene that cannot be read is reported and skipped (exit 3); nothing is written for it.',
    )
    .argument('<scenes-dir>', 'folder of scenes (GeoTIFFs, per-band subfolders, .SAFE folders), a .SAFE folder, or a STAC items JSON file')
    .option('--sites <file>', 'GeoJSON Point features in WGS 84 with a site_id property')
    .option('--out <dir>', 'output folder for patches and manifest.jsonl', 'tiles')
    .option('--size <pixels>', 'patch edge in pixels', positiveInt('--size'), 64)
    .option('--concurrency <n>', `patches read and written at once (default: cores, here ${os.availableParallelism()})`, positiveInt('--concurrency'))
    .option('--band-set <name|file>', 'band set for per-band folders: sentinel2-l2a, sentinel2-l1c, landsat-c2-l2 (Collection 2 SR_B1…ST_B10, QA_PIXEL mask), landsat8 (Collection 1) or a JSON file (default: the first of these a folder holds completely)')
    .option('--crs-proj4 <definition>', "proj4 definition or WKT for scenes whose CRS neither the GeoKeys (every EPSG code, most user-defined projections) nor a STAC item's proj:epsg/proj:wkt2 give")
    .option('--datetime <iso>', 'acquisition time for scenes whose name and DateTime tag carry none (2017-08-13 or 2017-08-13T15:40:00Z)')
    .option('--compression <kind>', 'patch compression: deflate or none', 'deflate')
    .option('--force', 'redo patches even when they are up to date');
  withGlobals(cmd, [
    'co2sat tile scenes/ --sites sites.geojson',
    'co2sat tile scenes/ --sites sites.geojson --out tiles/ --size 32 --json',
    'co2sat tile landsat-scenes/ --sites sites.geojson --band-set landsat8',
    'co2sat tile S2B_MSIL2A_20240102T102339_N0510_R065_T32UPC_20240102T124317.SAFE --sites sites.geojson',
    'co2sat tile items.json --sites sites.geojson --verbose   # STAC items, local or https assets',
    "co2sat tile borneo/ --sites sites.geojson --crs-proj4 '+proj=omerc +lat_0=4 +lonc=115 +alpha=53.3158 +gamma=53.1301 +k=0.99984 +x_0=590476.87 +y_0=442857.65 +ellps=evrst69'   # a projection GeoKeys cannot name",
  ]);
  cmd.action(
    action(async (out: Output, scenesDir: string, flags: TileFlags) => {
      const sites = requireOption(flags.sites, '--sites <file>');
      if (flags.compression !== 'deflate' && flags.compression !== 'none') {
        const { UsageError } = await import('../../errors.js');
        throw new UsageError(`--compression must be deflate or none, got '${String(flags.compression)}'`);
      }
      const { tileScenes } = await import('../../tiling/tileScenes.js');
      let bar: ReturnType<Output['progress']> | null = null;
      let scenesShown = 0;
      const summary = await tileScenes({
        scenesDir,
        sitesFile: sites,
        outDir: flags.out,
        size: flags.size,
        ...(flags.concurrency !== undefined ? { concurrency: flags.concurrency } : {}),
        ...(flags.bandSet !== undefined ? { bandSet: flags.bandSet } : {}),
        ...(flags.crsProj4 !== undefined ? { crsProj4: flags.crsProj4 } : {}),
        ...(flags.datetime !== undefined ? { datetime: flags.datetime } : {}),
        compression: flags.compression,
        force: flags.force === true,
        onProgress: (p) => {
          // The bar counts scenes; its status shows the scene at work and patches so far.
          bar ??= out.progress('scenes', p.scenesTotal);
          const status = `${p.patchesDone} patches${p.scene ? ` · ${p.scene}` : ''}`;
          if (p.scenesDone > scenesShown) {
            bar.tick(p.scenesDone - scenesShown, status);
            scenesShown = p.scenesDone;
          } else {
            bar.setStatus(status);
          }
        },
      });
      (bar as ReturnType<Output['progress']> | null)?.finish();
      for (const s of summary.sites_skipped) out.debug(`skipped ${s.scene_id}/${s.site_id}: ${s.reason}`);
      const rr = summary.remote_reads;
      if (rr.requests > 0) out.debug(`remote reads: ${rr.requests} HTTP range requests, ${rr.bytes} bytes, ${rr.retries} retries`);
      const text = [
        `${summary.patches.written} patches written, ${summary.patches.up_to_date} up to date, ${summary.sites_skipped.length} site/scene pairs skipped`,
        `${summary.scenes.tiled}/${summary.scenes.total} scenes tiled into ${summary.out} (manifest ${summary.manifest})`,
      ].join('\n');
      if (summary.failures.length > 0) {
        // Printed once, by the action wrapper: the summary, one error line, each failed scene.
        const report = { json: { ...summary }, text };
        if (summary.scenes.tiled === 0) {
          throw new AllFailedError(`all ${summary.scenes.total} scenes failed; nothing was tiled`, summary.failures, report);
        }
        throw new PartialFailure(`${summary.failures.length} of ${summary.scenes.total} scenes failed; the others were tiled`, summary.failures, report);
      }
      out.result(summary, text);
    }),
  );
  return cmd;
}
