/**
 * Spectral indices that separate condensed-vapour plumes from ground and from clouds
 * (../shared/docs/domain.md: plumes are bright and flat through VIS/NIR; clouds look like
 * plumes, and the SWIR bands help tell them apart, since liquid water absorbs there):
 *
 * - `vis_brightness` = mean of blue, green and red reflectance (plumes and clouds are bright,
 *   vegetation and water dark);
 * - `nd_green_swir1` = (green − SWIR1) / (green + SWIR1): high for condensed water, which is
 *   bright in the visible and absorbs at 1.6 µm, negative for soil and vegetation;
 * - `nd_swir1_swir2` = (SWIR1 − SWIR2) / (SWIR1 + SWIR2): how much more a bright target
 *   absorbs at 2.2 µm than at 1.6 µm (droplet size and path differ between a low, young
 *   plume and a thick cloud).
 *
 * Bands are found by wavelength in the built-in band set (configs/bands) that holds the patch's
 * bands, so Sentinel-2 (B02…B12) and Landsat (SR_B2…SR_B7, B2…B7) patches both work; a band set without one of the
 * six roles cannot use the step (UsageError naming the missing role).
 */
import { UsageError } from '../../errors.js';
import { BUILTIN_BAND_SETS, loadBandSet } from '../../tiling/bandSet.js';
import type { InputStep, StepSample } from './types.js';
import type { PatchBand } from '../patchInput.js';

/** Spectral roles and the wavelength windows (nm) that define them (Sentinel-2 MSI / Landsat OLI bands fall inside). */
const ROLES = {
  blue: [450, 520],
  green: [520, 600],
  red: [630, 690],
  swir1: [1550, 1750],
  swir2: [2080, 2350],
} as const;
type Role = keyof typeof ROLES;

export const SPECTRAL_INDEX_CHANNELS = ['vis_brightness', 'nd_green_swir1', 'nd_swir1_swir2'] as const;

const wavelengthCache = new Map<string, Map<string, number>>();

/**
 * Centre wavelength of each channel, from the first built-in band set that holds every band
 * of the patch (band names alone are ambiguous: Landsat 8's B11 is thermal, Sentinel-2's is
 * SWIR). Channels of no built-in set get none.
 */
function bandWavelengths(channels: readonly string[]): Map<string, number> {
  const key = channels.join(',');
  const cached = wavelengthCache.get(key);
  if (cached) return cached;
  const raw = channels.filter((c) => !c.includes(':') && !(SPECTRAL_INDEX_CHANNELS as readonly string[]).includes(c));
  const out = new Map<string, number>();
  for (const name of BUILTIN_BAND_SETS) {
    const set = loadBandSet(name);
    const ids = new Map(set.bands.map((b) => [b.id, b.wavelength_nm]));
    if (!raw.every((c) => ids.has(c))) continue;
    for (const c of raw) {
      const w = ids.get(c);
      if (w !== undefined) out.set(c, w);
    }
    break;
  }
  wavelengthCache.set(key, out);
  return out;
}

/** Index of the first channel whose centre wavelength falls in `role`'s window, or −1. */
function channelOfRole(channels: readonly string[], wl: ReadonlyMap<string, number>, role: Role): number {
  const [lo, hi] = ROLES[role];
  return channels.findIndex((c) => {
    const w = wl.get(c);
    return w !== undefined && w >= lo && w <= hi;
  });
}

/** Index of each role's channel among `channels`, or the roles that are missing. */
function roleChannels(channels: readonly string[]): { index: Record<Role, number> } | { missing: Role[] } {
  const wl = bandWavelengths(channels);
  const index: Partial<Record<Role, number>> = {};
  const missing: Role[] = [];
  for (const role of Object.keys(ROLES) as Role[]) {
    const i = channelOfRole(channels, wl, role);
    if (i < 0) missing.push(role);
    else index[role] = i;
  }
  return missing.length > 0 ? { missing } : { index: index as Record<Role, number> };
}

/** Indices of the blue, green and red channels among `channels` (by wavelength), or null when one is missing. */
export function visibleChannels(channels: readonly string[]): readonly [number, number, number] | null {
  const wl = bandWavelengths(channels);
  const index = [channelOfRole(channels, wl, 'blue'), channelOfRole(channels, wl, 'green'), channelOfRole(channels, wl, 'red')] as const;
  return index.every((i) => i >= 0) ? index : null;
}

/** (a − b) / (a + b), 0 where both are 0. */
const normalisedDifference = (a: number, b: number): number => (a + b !== 0 ? (a - b) / (a + b) : 0);

export const spectralIndices: InputStep = {
  name: 'spectral_indices',
  description: 'adds visible brightness and two SWIR normalised differences that separate vapour plumes from ground and clouds',
  augmentation: 'all',
  needsBackground: false,
  outputChannels(channels) {
    const r = roleChannels(channels);
    if ('missing' in r) {
      throw new UsageError(`input step spectral_indices needs bands for ${r.missing.join(', ')} (by wavelength, as in configs/bands); the patches have [${channels.join(',')}]`);
    }
    return [...channels, ...SPECTRAL_INDEX_CHANNELS];
  },
  apply(s: StepSample): StepSample {
    const r = roleChannels(s.channels);
    if ('missing' in r) throw new UsageError(`input step spectral_indices: no band for ${r.missing.join(', ')} among [${s.channels.join(',')}]`);
    const band = (role: Role): PatchBand => s.pixels.bands[r.index[role]]!;
    const [blue, green, red, swir1, swir2] = [band('blue'), band('green'), band('red'), band('swir1'), band('swir2')];
    const n = s.pixels.width * s.pixels.height;
    const brightness = new Float32Array(n);
    const ndGreenSwir1 = new Float32Array(n);
    const ndSwir = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const g = green[i]!;
      const s1 = swir1[i]!;
      const s2 = swir2[i]!;
      brightness[i] = (blue[i]! + g + red[i]!) / 3;
      ndGreenSwir1[i] = normalisedDifference(g, s1);
      ndSwir[i] = normalisedDifference(s1, s2);
    }
    return {
      pixels: { ...s.pixels, bands: [...s.pixels.bands, brightness, ndGreenSwir1, ndSwir] },
      channels: [...s.channels, ...SPECTRAL_INDEX_CHANNELS],
      wind: s.wind,
    };
  },
};
