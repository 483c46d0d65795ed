/**
 * The shuffled-image control: each site's images are permuted among that site's own
 * overpasses, while everything else (plant record, weather, cloud fraction, labels) stays
 * with its overpass. A model that reads the plume loses its skill; one that only reads the
 * plant's capacity and fuel does not notice. The permutation is a seeded Sattolo cycle, so
 * no image stays at its own overpass (a site with one overpass keeps its image).
 */
import type { PatchImage } from '../../model/patchImage.js';
import { mulberry32 } from '../../random.js';

/** Copies of `samples` with images exchanged within each site; order and all other fields kept. */
export function shuffleImagesWithinSites<T extends { image: PatchImage; site_id: string }>(samples: readonly T[], seed: number): T[] {
  const bySite = new Map<string, number[]>();
  samples.forEach((s, i) => bySite.set(s.site_id, [...(bySite.get(s.site_id) ?? []), i]));
  const next = mulberry32(seed);
  const imageFrom = samples.map((_, i) => i);
  for (const site of [...bySite.keys()].sort()) {
    const idx = bySite.get(site)!;
    // Sattolo's algorithm: a uniformly random single cycle, hence no fixed point.
    const perm = [...idx];
    for (let i = perm.length - 1; i > 0; i--) {
      const j = Math.floor(next() * i);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    idx.forEach((target, k) => (imageFrom[target] = perm[k]!));
  }
  return samples.map((s, i) => ({ ...s, image: samples[imageFrom[i]!]!.image }));
}
