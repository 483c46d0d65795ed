/**
 * The acquisition time in a Landsat product's MTL metadata file, as USGS delivers it with
 * every Collection 1 and Collection 2 scene: `…_MTL.txt` (ODL text, `DATE_ACQUIRED =
 * 2024-01-02`, `SCENE_CENTER_TIME = "10:25:59.1234560Z"`) or `…_MTL.xml` (the same fields
 * as elements). The file name's `_20240102_` gives the day only; the MTL gives the time.
 */
import { InputError } from '../errors.js';

/** The MTL file of a folder's file names (`…_MTL.txt` preferred over `…_MTL.xml`), or null. */
export function mtlFileOf(names: readonly string[]): string | null {
  return names.find((n) => /_MTL\.txt$/i.test(n)) ?? names.find((n) => /_MTL\.xml$/i.test(n)) ?? null;
}

/** The value of an ODL `KEY = value` line or an `<KEY>value</KEY>` element, unquoted. */
function field(text: string, key: string): string | null {
  const odl = new RegExp(`^\\s*${key}\\s*=\\s*"?([^"\\r\\n]*?)"?\\s*$`, 'm').exec(text);
  if (odl) return odl[1]!;
  const xml = new RegExp(`<${key}>\\s*([^<]*?)\\s*</${key}>`).exec(text);
  return xml ? xml[1]! : null;
}

/**
 * ISO 8601 UTC acquisition time (milliseconds kept where the MTL has them): DATE_ACQUIRED
 * plus SCENE_CENTER_TIME, or the date at 00:00:00Z when the MTL has no centre time.
 * @param file the MTL's path, for messages
 * @throws InputError when DATE_ACQUIRED is missing or either field is malformed
 */
export function parseMtlDatetime(text: string, file: string): string {
  const date = field(text, 'DATE_ACQUIRED');
  if (date === null) throw new InputError(file, 'no DATE_ACQUIRED field: not a Landsat MTL metadata file');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new InputError(file, `DATE_ACQUIRED '${date}' is not a YYYY-MM-DD date`);
  const centre = field(text, 'SCENE_CENTER_TIME');
  const m = centre === null ? null : /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?Z?$/.exec(centre);
  if (centre !== null && m === null) throw new InputError(file, `SCENE_CENTER_TIME '${centre}' is not an hh:mm:ss[.fff]Z time`);
  const time = m ? `${m[1]}:${m[2]}:${m[3]}${m[4] ? m[4].slice(0, 4) : ''}` : '00:00:00';
  const ms = Date.parse(`${date}T${time}Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) throw new InputError(file, `DATE_ACQUIRED '${date}' is not a calendar date`);
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? iso.replace('.000Z', 'Z') : iso;
}
