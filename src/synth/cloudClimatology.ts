/**
 * Monthly mean total cloud cover over land by latitude band, northern hemisphere: the sky a
 * synthetic world gets at its own latitude. The 45–55° N row is central Europe's (DWD
 * 1991–2020 station normals, about 5–6.5 oktas: ~0.8 in Nov–Jan, ~0.6 in summer); the other
 * rows follow the zonal land means of satellite climatologies (ESA Cloud_cci, MODIS), read
 * off their maps to ±0.05 — approximate, which is all a synthetic sky needs. The southern
 * hemisphere uses the same rows six months shifted.
 */

interface Band {
  /** Lower edge of the band, degrees north. */
  latMin: number;
  /** January first. */
  monthly: readonly number[];
}

const BANDS: readonly Band[] = [
  { latMin: 0, monthly: [0.6, 0.6, 0.62, 0.65, 0.66, 0.68, 0.7, 0.7, 0.68, 0.66, 0.62, 0.6] },
  { latMin: 25, monthly: [0.5, 0.5, 0.5, 0.45, 0.42, 0.38, 0.4, 0.4, 0.38, 0.42, 0.48, 0.5] },
  { latMin: 35, monthly: [0.6, 0.58, 0.56, 0.52, 0.5, 0.45, 0.42, 0.42, 0.45, 0.52, 0.6, 0.62] },
  { latMin: 45, monthly: [0.79, 0.74, 0.68, 0.62, 0.62, 0.61, 0.59, 0.58, 0.62, 0.7, 0.8, 0.82] },
  { latMin: 55, monthly: [0.82, 0.78, 0.72, 0.66, 0.64, 0.65, 0.66, 0.68, 0.72, 0.78, 0.84, 0.85] },
];

/**
 * Mean cloud cover (0–1) at latitude `latDeg` in calendar month `month` (0 = January).
 * @example meanCloudCover(51.4, 0) // 0.79, central Europe in January
 */
export function meanCloudCover(latDeg: number, month: number): number {
  const south = latDeg < 0;
  const lat = Math.min(89.9, Math.abs(latDeg));
  const m = (((south ? month + 6 : month) % 12) + 12) % 12;
  let band = BANDS[0]!;
  for (const b of BANDS) if (lat >= b.latMin) band = b;
  return band.monthly[m] ?? 0.6;
}
