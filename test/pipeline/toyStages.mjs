// A small but real implementation of the pipeline's stage interfaces (pipeline/stages.ts),
// for testing the mechanics (state, locks, commits, shards, kills) quickly and in a spawned
// worker: scenes are JSON files, "tiling" writes one small JSON patch per site and returns
// manifest records, and the predictor reads each patch back from disk and derives its
// estimate deterministically from the patch's contents. Plain JS so the worker can import it
// without a TypeScript loader. A scene file that is not JSON fails like a corrupt scene.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export const TOY_SITES = [
  { site_id: 'alpha', lon: 8.5417123, lat: 47.3769456, name: 'Alpha', fuel: 'coal', capacity_mw: 1000 },
  { site_id: 'bravo', lon: 12.3712345, lat: 51.1787654, name: 'Bravo', fuel: 'lignite', capacity_mw: 1840 },
  { site_id: 'charlie', lon: -3.7037902, lat: 40.4167754, name: 'Charlie', fuel: 'gas', capacity_mw: 800 },
];

/** Writes a scene file; `k` seeds its values, day is days after 2024-01-01. */
export async function writeToyScene(dir, sceneId, day, k, { corrupt = false, sites = TOY_SITES } = {}) {
  await fs.mkdir(dir, { recursive: true });
  const datetime = new Date(Date.UTC(2024, 0, 1) + day * 86400000 + 10.5 * 3600000).toISOString();
  const patches = {};
  sites.forEach((s, i) => {
    const v = ((k * 7 + i * 13) % 17) / 17;
    patches[s.site_id] = { signal: v, valid_fraction: i === 2 && k % 5 === 0 ? 0.2 : 1, cloud_fraction: ((k + i) % 4) / 4 };
  });
  const text = corrupt ? '{ this is not a scene' : JSON.stringify({ datetime, patches });
  await fs.writeFile(path.join(dir, `${sceneId}.scene.json`), text);
}

/**
 * `transient`: scene id → how many more tiling attempts fail with EBUSY (a busy file system)
 * before it works; the map is decremented in place, so it spans runs sharing it.
 * `attempts`: scene id → tiling attempts so far, filled in by the stages.
 */
export function toyStages({ modelId = 'toy-model-1', delayMs = 0, onTile, transient = new Map(), attempts = new Map() } = {}) {
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  return {
    async listScenes(dir) {
      const names = (await fs.readdir(dir)).filter((n) => n.endsWith('.scene.json'));
      return Promise.all(
        names.map(async (n) => ({
          scene_id: n.replace(/\.scene\.json$/, ''),
          fingerprint: createHash('sha256').update(await fs.readFile(path.join(dir, n))).digest('hex').slice(0, 16),
          file: path.join(dir, n),
        })),
      );
    },
    async tileScene(scene, tilesDir) {
      attempts.set(scene.scene_id, (attempts.get(scene.scene_id) ?? 0) + 1);
      const left = transient.get(scene.scene_id) ?? 0;
      if (left > 0) {
        transient.set(scene.scene_id, left - 1);
        throw Object.assign(new Error(`EBUSY: resource busy or locked, open '${scene.file}'`), { code: 'EBUSY' });
      }
      const scn = JSON.parse(await fs.readFile(scene.file, 'utf8'));
      if (delayMs > 0) await sleep(delayMs);
      const records = [];
      for (const [site_id, p] of Object.entries(scn.patches)) {
        const rel = `${scene.scene_id}/${site_id}.json`;
        await fs.mkdir(path.join(tilesDir, scene.scene_id), { recursive: true });
        await fs.writeFile(path.join(tilesDir, rel), JSON.stringify({ signal: p.signal }));
        records.push({
          scene_id: scene.scene_id, source: scene.file, site_id, datetime: scn.datetime, path: rel, epsg: 32632,
          window: { xoff: 0, yoff: 0, width: 8, height: 8 }, bands: ['B1'],
          valid_fraction: p.valid_fraction, cloud_fraction: p.cloud_fraction, fingerprint: scene.fingerprint,
        });
      }
      onTile?.(scene.scene_id);
      return records;
    },
    async loadPredictor() {
      return {
        id: modelId,
        backend: 'toy',
        async predict(patches) {
          return Promise.all(
            patches.map(async ({ record, tilesDir }) => {
              const { signal } = JSON.parse(await fs.readFile(path.join(tilesDir, record.path), 'utf8'));
              const gen = 1000 * signal;
              return { p_on: signal > 0.2 ? 0.9 : 0.1, generation_mw: gen, generation_mw_sd: 20 + 100 * signal, co2_t_per_h: 0.95 * gen, co2_t_per_h_sd: 25 + 90 * signal };
            }),
          );
        },
        dispose() {},
      };
    },
  };
}
