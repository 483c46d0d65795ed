/**
 * When the satellite looks: acquisitions on a 5-day revisit (Sentinel-2A/B alternating on one
 * relative orbit, ~10:26 UTC). What each plant does then is dispatch.ts's.
 */

export interface Acquisition {
  readonly index: number;
  /** ISO 8601 UTC, seconds precision, `Z` suffix: the key labels and the manifest join on. */
  readonly datetime: string;
  readonly date: Date;
  /** Day of year, 1–366. */
  readonly doy: number;
  readonly spacecraft: 'S2A' | 'S2B';
}

/** Days between acquisitions (two satellites, one relative orbit). */
export const REVISIT_DAYS = 5;
const FIRST_ACQUISITION_MS = Date.UTC(2024, 0, 2, 10, 25, 59);

export function acquisitions(count: number): Acquisition[] {
  const out: Acquisition[] = [];
  for (let i = 0; i < count; i++) {
    const date = new Date(FIRST_ACQUISITION_MS + i * REVISIT_DAYS * 86_400_000 + (i % 2) * 2000);
    const doy = Math.floor((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
    out.push({ index: i, datetime: date.toISOString().replace('.000Z', 'Z'), date, doy, spacecraft: i % 2 === 0 ? 'S2A' : 'S2B' });
  }
  return out;
}
