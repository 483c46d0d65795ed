/**
 * The check every tiling test against GDAL makes for one site: the manifest record's window,
 * valid and cloud fractions equal GDAL's answer, and the patch's pixels hash to what
 * `gdal_translate -srcwin` read. Returns the record and patch for the test's own checks
 * (georeferencing, band order, nodata), which differ between scene kinds.
 */
import path from 'node:path';
import { expect } from 'vitest';
import { readPatch, type Patch } from '../../src/geo/readPatch.js';
import type { ManifestRecord } from '../../src/records/manifest.js';
import { bsqSha256 } from '../geo/gdalChecksum.js';
import type { GdalPatch } from './gdalReference.js';

export async function expectPatchAsGdal(records: readonly ManifestRecord[], ref: GdalPatch, tilesDir: string): Promise<{ rec: ManifestRecord; patch: Patch }> {
  const rec = records.find((r) => r.site_id === ref.site_id);
  if (rec === undefined) throw new Error(`no patch for ${ref.site_id}, which GDAL finds inside the scene`);
  expect(rec.window, ref.site_id).toEqual(ref.window);
  expect(rec.valid_fraction, ref.site_id).toBe(ref.valid_fraction);
  expect(rec.cloud_fraction, ref.site_id).toBe(ref.cloud_fraction);
  const patch = await readPatch(path.join(tilesDir, rec.path));
  expect(bsqSha256(patch.bands), `${ref.site_id} pixels`).toBe(ref.sha256);
  return { rec, patch };
}
