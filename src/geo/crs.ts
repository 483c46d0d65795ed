/**
 * Coordinate reference systems as proj4 definitions: built in for the CRSs satellite
 * archives use (UTM north/south on WGS 84, EPSG:326xx/327xx; WGS 84 geographic, 4326; Web
 * Mercator, 3857), and a user-supplied proj4 string for the rest (e.g. the MODIS
 * sinusoidal grid, whose GeoKeys carry no EPSG code). Sites are WGS 84 lon/lat; `toCrs`
 * maps them into a scene's CRS and `fromCrs` maps scene corners back for footprints.
 */
import proj4 from 'proj4';

export interface Crs {
  /** EPSG code, or null for a CRS known only by its proj4 definition. */
  epsg: number | null;
  proj4: string;
  /** Short label for messages: 'EPSG:32619' or the proj4 string. */
  label: string;
}

/** proj4 definition of a built-in EPSG code, or null when co2sat has none for it. */
export function proj4ForEpsg(epsg: number): string | null {
  if (epsg === 4326) return '+proj=longlat +datum=WGS84 +no_defs';
  if (epsg === 3857) return '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs';
  if (epsg >= 32601 && epsg <= 32660) return `+proj=utm +zone=${epsg - 32600} +datum=WGS84 +units=m +no_defs`;
  if (epsg >= 32701 && epsg <= 32760) return `+proj=utm +zone=${epsg - 32700} +south +datum=WGS84 +units=m +no_defs`;
  return null;
}

/** Checks that proj4 accepts `def`; returns the error text or null. */
export function proj4Problem(def: string): string | null {
  try {
    proj4(proj4ForEpsg(4326)!, def, [0, 0]);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** A Crs from an EPSG code with a built-in definition, else null. */
export function crsForEpsg(epsg: number): Crs | null {
  const def = proj4ForEpsg(epsg);
  return def ? { epsg, proj4: def, label: `EPSG:${epsg}` } : null;
}

type Converter = (xy: [number, number]) => [number, number];

/** WGS 84 lon/lat → CRS coordinates. */
export function toCrs(crs: Crs): Converter {
  const c = proj4(proj4ForEpsg(4326)!, crs.proj4);
  return (xy) => c.forward(xy) as [number, number];
}

/** CRS coordinates → WGS 84 lon/lat. */
export function fromCrs(crs: Crs): Converter {
  const c = proj4(proj4ForEpsg(4326)!, crs.proj4);
  return (xy) => c.inverse(xy) as [number, number];
}
