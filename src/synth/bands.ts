/**
 * The Sentinel-2 L2A band set the generator writes, as declarations (TorchGeo's
 * `Sentinel2` style): id, centre wavelength and native resolution, plus the DN encoding of
 * processing baseline 04.00+ (reflectance × 10000 + 1000, 0 = nodata). Reflectance arrays
 * elsewhere in synth/ are indexed in `S2_BANDS` order.
 */

export type Resolution = 10 | 20 | 60;

export interface BandSpec {
  readonly id: string;
  /** Centre wavelength, nm. */
  readonly centreNm: number;
  /** Native ground sampling distance, metres. */
  readonly resolutionM: Resolution;
}

/** The 12 L2A reflectance bands in the conventional order (no B10: L1C only). */
export const S2_BANDS: readonly BandSpec[] = [
  { id: 'B01', centreNm: 443, resolutionM: 60 },
  { id: 'B02', centreNm: 490, resolutionM: 10 },
  { id: 'B03', centreNm: 560, resolutionM: 10 },
  { id: 'B04', centreNm: 665, resolutionM: 10 },
  { id: 'B05', centreNm: 705, resolutionM: 20 },
  { id: 'B06', centreNm: 740, resolutionM: 20 },
  { id: 'B07', centreNm: 783, resolutionM: 20 },
  { id: 'B08', centreNm: 842, resolutionM: 10 },
  { id: 'B8A', centreNm: 865, resolutionM: 20 },
  { id: 'B09', centreNm: 945, resolutionM: 60 },
  { id: 'B11', centreNm: 1610, resolutionM: 20 },
  { id: 'B12', centreNm: 2190, resolutionM: 20 },
];

/** Index of a band id in `S2_BANDS`; throws for ids the set does not hold. */
export function bandIndex(id: string): number {
  const i = S2_BANDS.findIndex((b) => b.id === id);
  if (i < 0) throw new RangeError(`unknown Sentinel-2 band '${id}'`);
  return i;
}

/** The scene classification layer is delivered at 20 m. */
export const SCL_RESOLUTION: Resolution = 20;

/** SCL class codes (ESA L2A product specification) used by the generator. */
export const SCL = {
  nodata: 0,
  dark: 2,
  cloudShadow: 3,
  vegetation: 4,
  notVegetated: 5,
  water: 6,
  cloudMedium: 8,
  cloudHigh: 9,
  cirrus: 10,
} as const;

/** BOA offset added to DNs since processing baseline 04.00 (January 2022). */
export const BOA_ADD_OFFSET = 1000;
export const QUANTIFICATION_VALUE = 10000;

/** Reflectance → UInt16 DN; never 0 (0 is nodata), saturating at 65535. */
export function reflectanceToDN(reflectance: number): number {
  const dn = Math.round(reflectance * QUANTIFICATION_VALUE) + BOA_ADD_OFFSET;
  return dn < 1 ? 1 : dn > 65535 ? 65535 : dn;
}

/** UInt16 DN → reflectance (the inverse of `reflectanceToDN`; NaN for nodata). */
export function dnToReflectance(dn: number): number {
  return dn === 0 ? Number.NaN : (dn - BOA_ADD_OFFSET) / QUANTIFICATION_VALUE;
}
