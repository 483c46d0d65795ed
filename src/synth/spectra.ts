/**
 * Bottom-of-atmosphere reflectance spectra of the surfaces the generator paints, in
 * `S2_BANDS` order (B01 … B12, no B10), and the seasonal greenness of each crop type.
 * Values follow the usual library shapes (USGS/ECOSTRESS-like): vegetation has the red
 * edge and NIR plateau, soil rises steadily to SWIR, water is dark beyond green, and
 * condensed water vapour (plumes, clouds) is bright and flat through VIS/NIR but weaker in
 * SWIR where liquid water absorbs.
 */

export type Spectrum = readonly number[];

//                                       B01    B02    B03    B04    B05    B06    B07    B08    B8A    B09    B11    B12
export const GREEN_VEGETATION: Spectrum = [0.025, 0.035, 0.075, 0.035, 0.11, 0.3, 0.38, 0.42, 0.43, 0.4, 0.21, 0.1];
export const DRY_VEGETATION: Spectrum = [0.05, 0.06, 0.09, 0.11, 0.15, 0.2, 0.23, 0.26, 0.27, 0.26, 0.33, 0.24];
export const BARE_SOIL: Spectrum = [0.07, 0.09, 0.13, 0.17, 0.2, 0.22, 0.24, 0.26, 0.27, 0.27, 0.33, 0.27];
export const FOREST: Spectrum = [0.02, 0.025, 0.05, 0.025, 0.08, 0.22, 0.28, 0.31, 0.32, 0.3, 0.15, 0.07];
export const WATER: Spectrum = [0.05, 0.05, 0.055, 0.035, 0.025, 0.015, 0.012, 0.01, 0.009, 0.005, 0.005, 0.003];
export const URBAN: Spectrum = [0.09, 0.1, 0.115, 0.125, 0.14, 0.15, 0.16, 0.17, 0.175, 0.17, 0.21, 0.19];
/** Power-plant roofs and concrete. */
export const BUILDINGS: Spectrum = [0.17, 0.19, 0.21, 0.22, 0.23, 0.24, 0.245, 0.25, 0.25, 0.24, 0.29, 0.26];
/** Coal yard and ash: dark and flat. */
export const COAL_YARD: Spectrum = [0.04, 0.042, 0.045, 0.05, 0.054, 0.058, 0.06, 0.063, 0.064, 0.06, 0.07, 0.068];
/** Condensed water vapour of a plume: flat and bright VIS/NIR, weaker SWIR. */
export const PLUME: Spectrum = [0.5, 0.52, 0.53, 0.53, 0.53, 0.53, 0.52, 0.52, 0.51, 0.4, 0.24, 0.13];
/** Thick water cloud: a little brighter than a plume, similar shape. */
export const CLOUD: Spectrum = [0.6, 0.62, 0.63, 0.64, 0.64, 0.64, 0.64, 0.63, 0.63, 0.5, 0.38, 0.25];
/** Thin cirrus adds mostly in the visible (ice, high): an additive term, not an opaque layer. */
export const CIRRUS_ADD: Spectrum = [0.08, 0.07, 0.065, 0.06, 0.06, 0.06, 0.06, 0.055, 0.055, 0.05, 0.04, 0.03];

/** Land-cover types of agricultural parcels and other land. */
export type ParcelType = 'summerCrop' | 'winterCereal' | 'grassland' | 'forest' | 'fallow';

/**
 * Fraction of green vegetation cover (0–1) of a parcel type on day-of-year `doy`:
 * maize-like summer crops peak in August, winter cereals in May and are harvested in July,
 * grassland is green most of the year, deciduous-mixed forest dips in winter.
 */
export function greenness(type: ParcelType, doy: number): number {
  const bell = (peak: number, width: number) => {
    let d = Math.abs(doy - peak);
    if (d > 182) d = 365 - d;
    return Math.exp(-(d * d) / (2 * width * width));
  };
  switch (type) {
    case 'summerCrop':
      return 0.05 + 0.85 * bell(215, 30);
    case 'winterCereal':
      return doy > 200 && doy < 270 ? 0.08 : 0.2 + 0.7 * bell(135, 40);
    case 'grassland':
      return 0.45 + 0.35 * bell(160, 70);
    case 'forest':
      return 0.55 + 0.4 * bell(190, 60);
    case 'fallow':
      return 0.05 + 0.15 * bell(150, 50);
  }
}

/** Band `b` of a parcel: green cover over soil, with the forest's own darker canopy. */
export function parcelReflectance(type: ParcelType, doy: number, b: number, soilWetness: number): number {
  const g = greenness(type, doy);
  if (type === 'forest') return FOREST[b]! * g + DRY_VEGETATION[b]! * (1 - g);
  const soil = BARE_SOIL[b]! * (1 - 0.3 * soilWetness);
  const dryShare = type === 'winterCereal' && doy > 180 && doy < 215 ? 0.6 : 0.15;
  const green = GREEN_VEGETATION[b]! * (1 - dryShare) + DRY_VEGETATION[b]! * dryShare;
  return green * g + soil * (1 - g);
}
