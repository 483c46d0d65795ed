/**
 * The background of an overpass: the per-pixel, per-band median of the same site's OTHER
 * overpasses under a clear sky. "Other" so that this overpass's own plume is never part of
 * its background (and a prediction uses the same rule as training); "clear" (patch cloud
 * fraction ≤ 0.2) so that clouds do not become the background. Sites seen on fewer than
 * three clear dates take their three least cloudy other overpasses instead; a site seen
 * once has no background (null). Plumes blow in different directions on different dates and
 * plants are off on some, so the median keeps the landscape and drops the plume.
 *
 * Only images are used, never labels: at prediction time the same background comes from the
 * patches of the site in the tiles folder.
 */
import type { PatchPixels } from '../patchInput.js';

/** Patch cloud fraction up to which an overpass counts as clear for the background. */
export const BACKGROUND_MAX_CLOUD = 0.2;
/** Fewest overpasses a background is built from when enough exist. */
export const BACKGROUND_MIN_OVERPASSES = 3;

/** An overpass of a site as the background choice sees it. */
export interface BackgroundChoice {
  /** Identity of the overpass (e.g. its patch path); an overpass is never its own background. */
  key: string;
  cloud_fraction: number | null;
}

export interface BackgroundCandidate extends BackgroundChoice {
  site_id: string;
  pixels: PatchPixels;
}

/** Picks, from a site's other overpasses, those its background is built from (see the module comment). */
export function backgroundMembers<T extends BackgroundChoice>(others: readonly T[]): T[] {
  const cloud = (c: T): number => c.cloud_fraction ?? 1;
  const clear = others.filter((c) => cloud(c) <= BACKGROUND_MAX_CLOUD);
  if (clear.length >= BACKGROUND_MIN_OVERPASSES) return clear;
  return [...others].sort((a, b) => cloud(a) - cloud(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).slice(0, BACKGROUND_MIN_OVERPASSES);
}

/** Per-pixel median over the valid values of `members` (a pixel no member holds stays invalid). */
export function medianPixels(members: readonly PatchPixels[]): PatchPixels | null {
  const first = members[0];
  if (!first) return null;
  const { width, height } = first;
  const n = width * height;
  const bandCount = first.bands.length;
  const bands = Array.from({ length: bandCount }, () => new Float32Array(n));
  const valid = new Uint8Array(n);
  const values = new Float64Array(members.length);
  for (let i = 0; i < n; i++) {
    for (let b = 0; b < bandCount; b++) {
      let k = 0;
      for (const m of members) if (m.valid[i]) values[k++] = m.bands[b]![i]!;
      if (k === 0) continue;
      valid[i] = 1;
      const sorted = values.subarray(0, k).sort();
      bands[b]![i] = k % 2 === 1 ? sorted[(k - 1) / 2]! : (sorted[k / 2 - 1]! + sorted[k / 2]!) / 2;
    }
  }
  return { width, height, bands, valid };
}

/**
 * The background of every candidate, from the other candidates of its site, in input order.
 * Memoised per member set: most overpasses of a site share one (all of its clear dates but
 * themselves differ only for the clear ones).
 */
export function siteBackgrounds(candidates: readonly BackgroundCandidate[]): (PatchPixels | null)[] {
  const bySite = new Map<string, BackgroundCandidate[]>();
  for (const c of candidates) bySite.set(c.site_id, [...(bySite.get(c.site_id) ?? []), c]);
  const memo = new Map<string, PatchPixels | null>();
  return candidates.map((c) => {
    const others = (bySite.get(c.site_id) ?? []).filter((o) => o.key !== c.key);
    const members = backgroundMembers(others);
    const memoKey = `${c.site_id}|${members.map((m) => m.key).join('|')}`;
    if (!memo.has(memoKey)) memo.set(memoKey, medianPixels(members.map((m) => m.pixels)));
    return memo.get(memoKey) ?? null;
  });
}
