/**
 * The manifest on disk: `<out>/manifest.jsonl`, read once at the start of a run and
 * rewritten atomically (temporary file + rename) after every scene, by one writer only.
 * A crash leaves the manifest of the last completed scene; the next run redoes the rest.
 */
import { promises as fs } from 'node:fs';
import { writeFileAtomic } from '../io/atomicWrite.js';
import { InputError, optionText } from '../errors.js';
import { formatManifestLine, parseManifest, type ManifestRecord } from './manifest.js';

export const MANIFEST_NAME = 'manifest.jsonl';

/** `scene_id/site_id`: the key of one patch. */
export function patchKey(sceneId: string, siteId: string): string {
  return `${sceneId}/${siteId}`;
}

/** The records of an existing manifest by patch key; empty when there is none yet. */
export async function readManifestFile(file: string): Promise<Map<string, ManifestRecord>> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new InputError(file, `cannot read manifest: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return new Map(parseManifest(text).map((r) => [patchKey(r.scene_id, r.site_id), r]));
  } catch (err) {
    throw new InputError(file, `${(err as Error).message} (fix or delete the manifest, or rerun with ${optionText('force')} into a new ${optionText('out')})`);
  }
}

/** Writes all records, sorted by scene then site, atomically. */
export async function writeManifestFile(file: string, records: Iterable<ManifestRecord>): Promise<void> {
  const sorted = [...records].sort((a, b) => a.scene_id.localeCompare(b.scene_id) || a.site_id.localeCompare(b.site_id));
  await writeFileAtomic(file, sorted.map((r) => `${formatManifestLine(r)}\n`).join(''));
}
