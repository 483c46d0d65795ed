/**
 * GeoTIFF GeoKeys for an EPSG code, and the EPSG code back from parsed keys. co2sat writes
 * the minimal key set GDAL needs to name the CRS by code (model type, raster type,
 * geographic or projected CRS code); sources with user-defined CRSs are copied verbatim
 * (see `RawGeoKeys`) so a patch carries exactly its scene's CRS.
 */

/** The three GeoTIFF key tags exactly as stored in a file, for verbatim copies. */
export interface RawGeoKeys {
  /** GeoKeyDirectory (34735) SHORT values: header [1, 1, 0, n] then n × [id, location, count, value]. */
  directory: number[];
  /** GeoDoubleParams (34736), referenced by keys whose location is 34736. */
  doubleParams?: number[];
  /** GeoAsciiParams (34737), '|'-terminated strings referenced by keys whose location is 34737. */
  asciiParams?: string;
}

const GTModelTypeGeoKey = 1024;
const GTRasterTypeGeoKey = 1025;
const GeographicTypeGeoKey = 2048;
const GeogAngularUnitsGeoKey = 2054;
const ProjectedCSTypeGeoKey = 3072;
const ProjLinearUnitsGeoKey = 3076;
/** GeoTIFF's "user-defined" code: the CRS is described by other keys, not an EPSG code. */
export const USER_DEFINED = 32767;

/**
 * True for EPSG codes of geographic 2D CRSs (latitude/longitude). EPSG puts them in
 * 4000–4999 (4326 WGS 84, 4258 ETRS89, 4269 NAD83 …); projected CRSs lie elsewhere.
 */
export function isGeographicEpsg(epsg: number): boolean {
  return epsg >= 4000 && epsg < 5000;
}

/** GeoKeys naming `epsg`, PixelIsArea, with the matching unit key (metre or degree). */
export function geoKeysForEpsg(epsg: number): RawGeoKeys {
  if (!Number.isInteger(epsg) || epsg <= 0 || epsg >= USER_DEFINED) throw new RangeError(`EPSG code must be a positive integer below 32767, got ${epsg}`);
  const keys: [number, number, number, number][] = isGeographicEpsg(epsg)
    ? [
        [GTModelTypeGeoKey, 0, 1, 2],
        [GTRasterTypeGeoKey, 0, 1, 1],
        [GeographicTypeGeoKey, 0, 1, epsg],
        [GeogAngularUnitsGeoKey, 0, 1, 9102],
      ]
    : [
        [GTModelTypeGeoKey, 0, 1, 1],
        [GTRasterTypeGeoKey, 0, 1, 1],
        [ProjectedCSTypeGeoKey, 0, 1, epsg],
        [ProjLinearUnitsGeoKey, 0, 1, 9001],
      ];
  return { directory: [1, 1, 0, keys.length, ...keys.flat()] };
}

/** Key id → inline SHORT value of a raw directory (keys stored in other tags are skipped). */
export function shortGeoKeys(raw: RawGeoKeys): Map<number, number> {
  const out = new Map<number, number>();
  const d = raw.directory;
  const n = d[3] ?? 0;
  for (let i = 0; i < n; i++) {
    const at = 4 + i * 4;
    if (at + 3 >= d.length) break;
    if (d[at + 1] === 0) out.set(d[at]!, d[at + 3]!);
  }
  return out;
}

/**
 * The EPSG code a key directory names, or null where the CRS is user-defined (e.g. the
 * MODIS sinusoidal grid) or absent. Projected codes win over the geographic base CRS.
 */
export function epsgFromGeoKeys(raw: RawGeoKeys): number | null {
  const keys = shortGeoKeys(raw);
  const projected = keys.get(ProjectedCSTypeGeoKey);
  if (projected !== undefined && projected > 0 && projected !== USER_DEFINED) return projected;
  const model = keys.get(GTModelTypeGeoKey);
  const geographic = keys.get(GeographicTypeGeoKey);
  if (model !== 1 && geographic !== undefined && geographic > 0 && geographic !== USER_DEFINED) return geographic;
  return null;
}
