/**
 * The background of an overpass: a low per-pixel, per-band quantile (the 20th percentile) of
 * the same site's OTHER overpasses under a clear sky. "Other" so that this overpass's own
 * plume is never part of its background (and a prediction uses the same rule as training);
 * "clear" (patch cloud fraction ≤ 0.2) so that clouds do not become the background. Sites
 * seen on fewer than three clear dates take their three least cloudy other overpasses
 * instead; a site seen once has no background (null).
 *
 * Why a low quantile and not the median: condensed vapour only ever brightens a pixel, and a
 * plant that runs on most dates puts its plume over the stack on most of them, so the median
 * keeps part of the plume and the difference loses it. Measured on a 150-plant synthetic
 * world (near-stack brightness change as the only feature, clear overpasses): AUC for "on"
 * 0.79 against the median, 0.88 against the 20th or 10th percentile. Cloud shadows, which
 * darken, are mostly kept out by the clear-sky choice. Models trained before this record no
 * quantile in model.json and keep the median (0.5) they were trained with.
 *
 * Only images are used, never labels: at prediction time the same background comes from the
 * patches of the site in the tiles folder.
 */
import type { PatchPixels } from '../patchInput.js';

/** Patch cloud fraction up to which an overpass counts as clear for the background. */
export const BACKGROUND_MAX_CLOUD = 0.2;
/** The per-pixel quantile a background takes over its members (see the module comment). */
export const BACKGROUND_QUANTILE = 0.2;
/** What models that record no `background_quantile` were trained with. */
export const LEGACY_BACKGROUND_QUANTILE = 0.5;

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

/**
 * Per-pixel quantile `q` (0–1, linear between order statistics, as numpy's default) over the
 * valid values of `members`; a pixel no member holds stays invalid.
 */
export function quantilePixels(members: readonly PatchPixels[], q: number): PatchPixels | null {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`background quantile ${q} is outside [0, 1]`);
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
      const at = q * (k - 1);
      const lo = Math.floor(at);
      const hi = Math.min(lo + 1, k - 1);
      bands[b]![i] = sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
    }
  }
  return { width, height, bands, valid };
}

/**
 * The background of every candidate (quantile `quantile` of the chosen members), from the
 * other candidates of its site, in input order.
 * Memoised per member set: most overpasses of a site share one (all of its clear dates but
 * themselves differ only for the clear ones).
 */
export function siteBackgrounds(candidates: readonly BackgroundCandidate[], quantile: number): (PatchPixels | null)[] {
  const bySite = new Map<string, BackgroundCandidate[]>();
  for (const c of candidates) bySite.set(c.site_id, [...(bySite.get(c.site_id) ?? []), c]);
  const memo = new Map<string, PatchPixels | null>();
  return candidates.map((c) => {
    const others = (bySite.get(c.site_id) ?? []).filter((o) => o.key !== c.key);
    const members = backgroundMembers(others);
    const memoKey = `${c.site_id}|${members.map((m) => m.key).join('|')}`;
    if (!memo.has(memoKey)) memo.set(memoKey, quantilePixels(members.map((m) => m.pixels), quantile));
    return memo.get(memoKey) ?? null;
  });
}
