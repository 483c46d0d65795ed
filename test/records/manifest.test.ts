/** manifest.jsonl: one reader for tiling's resume, training and predict; one writer. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifestPath, readManifest, readManifestSync, readManifestToResume, writeManifest, type ManifestRecord } from '../../src/records/manifest.js';

const record = (scene: string, site: string, i: number): ManifestRecord => ({
  scene_id: scene,
  source: `scenes/${scene}`,
  site_id: site,
  datetime: new Date(Date.UTC(2024, 4, 17 + i, 10, 25, 59)).toISOString(),
  path: `${scene}/${site}.tif`,
  epsg: i % 2 === 0 ? 32632 : null,
  window: { xoff: 10 * i, yoff: 7 * i + 3, width: 64, height: 64 - i },
  bands: ['B02', 'B03', 'B04'].slice(0, 1 + (i % 3)),
  valid_fraction: 1 - i / 17,
  cloud_fraction: i % 3 === 0 ? null : i / 23,
  fingerprint: `fp${i}`,
});

describe('manifest.jsonl', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'co2sat-manifest-'));
  const records = [record('S2B_20240519', 'b', 0), record('S2A_20240517', 'z', 1), record('S2A_20240517', 'a', 2), record('S2B_20240519', 'a', 3)];

  it('writes sorted by scene then site, and every reader returns the same records', async () => {
    const file = manifestPath(dir);
    await writeManifest(file, records);
    const keys = readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as ManifestRecord).site_id);
    expect(keys).toEqual(['a', 'z', 'a', 'b']);
    const sorted = [records[2], records[1], records[3], records[0]];
    expect(await readManifest(file)).toEqual(sorted);
    expect(readManifestSync(file)).toEqual(sorted);
    expect([...(await readManifestToResume(file)).keys()]).toEqual(['S2A_20240517/a', 'S2A_20240517/z', 'S2B_20240519/a', 'S2B_20240519/b']);
  });

  it('a tiles folder without a manifest: resume starts empty, readers name the file and what to do', async () => {
    const missing = manifestPath(path.join(dir, 'nowhere'));
    expect((await readManifestToResume(missing)).size).toBe(0);
    await expect(readManifest(missing)).rejects.toThrow(/nowhere\/manifest\.jsonl: cannot read the tiles manifest \(ENOENT\): run 'co2sat tile' first/);
    expect(() => readManifestSync(missing)).toThrow(/nowhere\/manifest\.jsonl: cannot read the tiles manifest \(ENOENT\)/);
  });

  it('a bad line is named by number; resuming says how to recover', async () => {
    const file = path.join(dir, 'bad.jsonl');
    const lines = records.map((r) => JSON.stringify(r));
    lines[2] = JSON.stringify({ ...records[2], valid_fraction: 1.5 });
    writeFileSync(file, `${lines.join('\n')}\n`);
    await expect(readManifest(file)).rejects.toThrow(`${file}: line 3: valid_fraction must be in [0, 1]`);
    await expect(readManifestToResume(file)).rejects.toThrow(/line 3: valid_fraction must be in \[0, 1\] \(fix or delete the manifest/);
  });
});
