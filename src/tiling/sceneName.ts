/**
 * Scene id and acquisition time from names, as archives encode them: Sentinel-2
 * `…_20240517T102559_…`, Landsat `…_20170813_…` (date only, taken as 00:00:00 UTC), and
 * the TIFF DateTime tag ('YYYY:MM:DD HH:MM:SS') as the fallback.
 */

function iso(y: string, mo: string, d: string, h = '00', mi = '00', s = '00'): string | null {
  const text = `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
  const t = Date.parse(text);
  if (Number.isNaN(t)) return null;
  // Reject dates JavaScript rolls over (20240231 → March 2).
  return new Date(t).toISOString().replace('.000Z', 'Z') === text ? text : null;
}

/** ISO 8601 UTC time from a file or folder name, or null when it carries none. */
export function datetimeFromName(name: string): string | null {
  const full = /(?:^|[^0-9])(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?![0-9])/.exec(name);
  if (full) {
    const t = iso(full[1]!, full[2]!, full[3]!, full[4]!, full[5]!, full[6]!);
    if (t) return t;
  }
  const day = /(?:^|[^0-9])((?:19|20)\d{2})(\d{2})(\d{2})(?![0-9])/.exec(name);
  if (day) return iso(day[1]!, day[2]!, day[3]!);
  return null;
}

/** ISO 8601 UTC time from a TIFF DateTime value, or null when it is not one. */
export function datetimeFromTiffTag(tag: string | null): string | null {
  if (!tag) return null;
  const m = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(tag.trim());
  return m ? iso(m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]!) : null;
}

/** Scene id of a multiband file: its name without the .tif/.tiff extension. */
export function sceneIdOfFile(fileName: string): string {
  return fileName.replace(/\.tiff?$/i, '');
}

/**
 * A user-given acquisition time (`--datetime`) as ISO 8601 UTC, or null when it is not one.
 * Accepts `2024-05-17`, `2024-05-17T10:25:59Z` and offsets (`+02:00`, converted to UTC);
 * a time without a zone is refused rather than guessed.
 */
export function datetimeFromUser(text: string): string | null {
  const t = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2}))?$/.exec(t);
  if (!m) return null;
  if (m[4] === undefined) return iso(m[1]!, m[2]!, m[3]!);
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) return null;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Digits of time a UTC ISO string carries: a date-only name gives '…T00:00:00Z' (day
 * precision), a DateTime tag seconds, a STAC datetime often fractions of a second.
 */
function precisionOf(iso: string): number {
  const m = /T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/.exec(iso);
  if (!m) return 0;
  if (m[4] !== undefined && /[1-9]/.test(m[4])) return 3 + m[4].replace(/0+$/, '').length;
  return m[1] === '00' && m[2] === '00' && m[3] === '00' ? 1 : 2;
}

/**
 * The most precise of several acquisition times (STAC item, name, TIFF tag — in that order
 * of preference on ties), or null when none is given. A more precise time on another day
 * than a date-only one is ignored. An Earth Search folder
 * `S2A_32UPC_20240102_0_L2A` names the day only; its files' DateTime tags say 10:25:59, which wins.
 */
export function mostPreciseDatetime(candidates: (string | null)[]): string | null {
  let best: string | null = null;
  for (const c of candidates) {
    if (c === null) continue;
    if (best === null) best = c;
    // A time on another day than a date-only name is a processing time, not the acquisition.
    else if (precisionOf(c) > precisionOf(best) && (precisionOf(best) > 1 || c.slice(0, 10) === best.slice(0, 10))) best = c;
  }
  return best;
}
