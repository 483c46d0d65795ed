/**
 * Coordinate reference systems as proj4 definitions. An EPSG code resolves through, in
 * order: co2sat's own strings for the CRSs satellite archives use most (UTM north/south on
 * WGS 84, 4326, 3857 — kept so patches and messages stay as they were), proj4's built-in
 * definitions, then the complete EPSG index of the `epsg-index` package (national grids
 * such as EPSG:25832, EPSG:3035 LAEA Europe, the polar stereographic 3031/3413/32661 …).
 * A CRS without a code comes from its GeoKeys (geoKeys.ts), a STAC item's `proj:wkt2`, or a
 * user-supplied proj4 string / WKT. Sites are WGS 84 lon/lat; `toCrs` maps them into a
 * scene's CRS and `fromCrs` maps scene coordinates back.
 */
import { createRequire } from 'node:module';
import proj4 from 'proj4';

export interface Crs {
  /** EPSG code, or null for a CRS known only by its proj4 definition. */
  epsg: number | null;
  /** proj4 definition (a proj4 string, or WKT, which proj4 also reads). */
  proj4: string;
  /** Short label for messages: 'EPSG:32619' or the proj4 string. */
  label: string;
}

const WGS84 = '+proj=longlat +datum=WGS84 +no_defs';

/** One entry of the epsg-index package (`epsg-index/s/<code>.json`), the fields co2sat reads. */
interface EpsgIndexEntry {
  code: string;
  kind: string;
  name: string;
  proj4: string | null;
}

const requireJson = createRequire(import.meta.url);

/** The epsg-index entry of `epsg`, or null when the index has none. */
function epsgIndexEntry(epsg: number): EpsgIndexEntry | null {
  try {
    return requireJson(`epsg-index/s/${epsg}.json`) as EpsgIndexEntry;
  } catch {
    return null;
  }
}

/** Grid files a proj4 definition needs (`+nadgrids=a.gsb,b.gsb`); optional ones ('@…') and '@null' do not count. */
export function requiredGrids(def: string): string[] {
  const m = /\+nadgrids=(\S+)/.exec(def);
  return m ? m[1]!.split(',').filter((g) => !g.startsWith('@')) : [];
}

/** What stops co2sat from using EPSG `epsg`, or null when it can (see proj4ForEpsg). */
export function epsgProblem(epsg: number): string | null {
  if (proj4ForEpsg(epsg) !== null) return null;
  const entry = epsgIndexEntry(epsg);
  if (!entry) return `EPSG:${epsg} is not in the EPSG index`;
  if (!entry.proj4) return `EPSG:${epsg} (${entry.name}) has no proj4 form`;
  const grids = requiredGrids(entry.proj4);
  if (grids.length > 0) return `EPSG:${epsg} (${entry.name}) shifts its datum with the grid ${grids.join(', ')}, which co2sat does not carry`;
  return `EPSG:${epsg} (${entry.name}) is not a CRS proj4 can project to (${entry.kind})`;
}

/** proj4's own definition of `EPSG:<epsg>`, or null. */
function proj4Builtin(epsg: number): string | null {
  const def = proj4.defs(`EPSG:${epsg}`) as { projStr?: string } | undefined;
  return def?.projStr ?? null;
}

/**
 * proj4 definition of an EPSG code, or null when none is usable: not in the index, not a
 * 2D CRS, or needing a datum grid file (proj4 has none loaded, and dropping the grid would
 * move points by up to ~100 m without a word).
 */
export function proj4ForEpsg(epsg: number): string | null {
  if (!Number.isInteger(epsg) || epsg <= 0) return null;
  if (epsg === 4326) return WGS84;
  if (epsg === 3857) return '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs';
  if (epsg >= 32601 && epsg <= 32660) return `+proj=utm +zone=${epsg - 32600} +datum=WGS84 +units=m +no_defs`;
  if (epsg >= 32701 && epsg <= 32760) return `+proj=utm +zone=${epsg - 32700} +south +datum=WGS84 +units=m +no_defs`;
  const builtin = proj4Builtin(epsg);
  if (builtin) return builtin;
  const entry = epsgIndexEntry(epsg);
  if (!entry?.proj4 || !/^CRS-(PROJ|GEOG)CRS$/.test(entry.kind) || requiredGrids(entry.proj4).length > 0) return null;
  // '+type=crs' is PROJ 6 syntax that proj4js does not know.
  const def = entry.proj4.replace(/\s*\+type=crs\b/, '').trim();
  return proj4Problem(def) === null ? def : null;
}

/**
 * Checks that proj4 accepts `def` (a proj4 string or WKT); returns the error text or null.
 * WKT of the Hotine oblique Mercator is refused: proj4's WKT reader drops its azimuth and
 * scale (checked against PROJ: points land hundreds of metres off), where the proj4 string
 * (`+proj=omerc +alpha= +gamma= +k=`) is read right.
 */
export function proj4Problem(def: string): string | null {
  if (/^\s*[A-Z]+\[/.test(def) && /Hotine|Oblique[ _]Mercator/i.test(def)) {
    return 'proj4 misreads the oblique Mercator in WKT; give it as a proj4 string (+proj=omerc …)';
  }
  try {
    const xy = proj4(WGS84, def, [0, 0]);
    if (!Array.isArray(xy)) return 'proj4 returned no coordinates';
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** A Crs from an EPSG code with a usable definition, else null (epsgProblem says why). */
export function crsForEpsg(epsg: number): Crs | null {
  const def = proj4ForEpsg(epsg);
  return def ? { epsg, proj4: def, label: `EPSG:${epsg}` } : null;
}

type Converter = (xy: [number, number]) => [number, number];

/** WGS 84 lon/lat → CRS coordinates (NaN or Infinity where the projection has no answer). */
export function toCrs(crs: Crs): Converter {
  const c = proj4(WGS84, crs.proj4);
  return (xy) => c.forward(xy) as [number, number];
}

/** CRS coordinates → WGS 84 lon/lat. */
export function fromCrs(crs: Crs): Converter {
  const c = proj4(WGS84, crs.proj4);
  return (xy) => c.inverse(xy) as [number, number];
}
