/**
 * Reflectance of each land-cover code in each band on one date: the season's greenness of
 * every parcel type mixed over soil (`spectra.ts`), soil darkened when wet, and the fixed
 * spectra of water, towns and plant structures. A table per scene keeps the per-pixel
 * work to one lookup and one multiply.
 */
import { S2_BANDS, SCL } from './bands.js';
import { Cover, COVER_COUNT } from './landscape.js';
import { BUILDINGS, COAL_YARD, URBAN, WATER, greenness, parcelReflectance, type ParcelType } from './spectra.js';

const PARCEL_OF: Partial<Record<number, ParcelType>> = {
  [Cover.summerCrop]: 'summerCrop',
  [Cover.winterCereal]: 'winterCereal',
  [Cover.grassland]: 'grassland',
  [Cover.forest]: 'forest',
  [Cover.fallow]: 'fallow',
};

/** Reflectance table indexed `cover * 12 + band`. */
export function surfaceTable(doy: number, soilWetness: number): Float32Array {
  const nb = S2_BANDS.length;
  const t = new Float32Array(COVER_COUNT * nb);
  for (let c = 0; c < COVER_COUNT; c++) {
    for (let b = 0; b < nb; b++) {
      const parcel = PARCEL_OF[c];
      let r: number;
      if (parcel) r = parcelReflectance(parcel, doy, b, soilWetness);
      else if (c === Cover.water) r = WATER[b]!;
      else if (c === Cover.urban) r = URBAN[b]!;
      else if (c === Cover.buildings) r = BUILDINGS[b]!;
      else if (c === Cover.coalYard) r = COAL_YARD[b]!;
      else if (c === Cover.towerRing) r = BUILDINGS[b]! * 1.25;
      else r = BUILDINGS[b]! * 0.35; // looking down into a tower or stack: mostly shadow
      t[c * nb + b] = r;
    }
  }
  return t;
}

/** SCL land class of a cover code on day `doy` (vegetation needs real green cover). */
export function sclTable(doy: number): Uint8Array {
  const t = new Uint8Array(COVER_COUNT);
  for (let c = 0; c < COVER_COUNT; c++) {
    const parcel = PARCEL_OF[c];
    if (c === Cover.water) t[c] = SCL.water;
    else if (c === Cover.coalYard || c === Cover.towerCore) t[c] = SCL.dark;
    else if (parcel) t[c] = greenness(parcel, doy) > 0.35 ? SCL.vegetation : SCL.notVegetated;
    else t[c] = SCL.notVegetated;
  }
  return t;
}
