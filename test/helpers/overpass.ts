/**
 * A tiles-manifest record for one site at one overpass, for tests of what reads overpass times
 * (labels build, the manifest reader): the fields that matter are the site, the time and the
 * scene; the rest are plausible constants.
 */
import type { ManifestRecord } from '../../src/records/manifest.js';

export function overpassRecord(site: string, iso: string, scene = `S_${iso.slice(0, 10)}`): ManifestRecord {
  return {
    scene_id: scene,
    source: `scenes/${scene}`,
    site_id: site,
    datetime: iso,
    path: `${scene}/${site}.tif`,
    epsg: 32632,
    window: { xoff: 0, yoff: 0, width: 16, height: 16 },
    bands: ['B04'],
    valid_fraction: 1,
    cloud_fraction: 0,
    fingerprint: 'fp',
  };
}
