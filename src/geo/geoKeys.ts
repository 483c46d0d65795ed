/**
 * GeoTIFF GeoKeys for an EPSG code, the EPSG code back from parsed keys, and a proj4
 * definition for user-defined CRSs (ProjectedCSTypeGeoKey = 32767 with ProjCoordTransGeoKey
 * and its parameter keys, GeogGeodeticDatum/Ellipsoid keys, as GDAL writes them). co2sat
 * writes the minimal key set GDAL needs to name the CRS by code (model type, raster type,
 * geographic or projected CRS code); sources with user-defined CRSs are copied verbatim
 * (see `RawGeoKeys`) so a patch carries exactly its scene's CRS.
 */
import { proj4ForEpsg } from './crs.js';

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

/** Key id → value of a raw directory: inline SHORTs, GeoDoubleParams (one or several) and GeoAsciiParams. */
export function geoKeyValues(raw: RawGeoKeys): Map<number, number | number[] | string> {
  const out = new Map<number, number | number[] | string>();
  const d = raw.directory;
  const n = d[3] ?? 0;
  for (let i = 0; i < n; i++) {
    const at = 4 + i * 4;
    if (at + 3 >= d.length) break;
    const [id, location, count, value] = [d[at]!, d[at + 1]!, d[at + 2]!, d[at + 3]!];
    if (location === 0) out.set(id, value);
    else if (location === 34736 && raw.doubleParams) {
      const v = raw.doubleParams.slice(value, value + count);
      if (v.length === count) out.set(id, count === 1 ? v[0]! : v);
    } else if (location === 34737 && raw.asciiParams !== undefined) out.set(id, raw.asciiParams.slice(value, value + count).replace(/\|$/, ''));
  }
  return out;
}

// GeoKey ids of the GeoTIFF 1.0 specification (section 6.2) read for user-defined CRSs.
const GeogGeodeticDatumGeoKey = 2050;
const GeogEllipsoidGeoKey = 2056;
const GeogSemiMajorAxisGeoKey = 2057;
const GeogSemiMinorAxisGeoKey = 2058;
const GeogInvFlatteningGeoKey = 2059;
const GeogPrimeMeridianLongGeoKey = 2061;
const GeogTOWGS84GeoKey = 2062;
const ProjectionGeoKey = 3074;
const ProjCoordTransGeoKey = 3075;
const ProjLinearUnitSizeGeoKey = 3077;
const ProjStdParallel1GeoKey = 3078;
const ProjStdParallel2GeoKey = 3079;
const ProjNatOriginLongGeoKey = 3080;
const ProjNatOriginLatGeoKey = 3081;
const ProjFalseEastingGeoKey = 3082;
const ProjFalseNorthingGeoKey = 3083;
const ProjFalseOriginLongGeoKey = 3084;
const ProjFalseOriginLatGeoKey = 3085;
const ProjFalseOriginEastingGeoKey = 3086;
const ProjFalseOriginNorthingGeoKey = 3087;
const ProjCenterLongGeoKey = 3088;
const ProjCenterLatGeoKey = 3089;
const ProjCenterEastingGeoKey = 3090;
const ProjCenterNorthingGeoKey = 3091;
const ProjScaleAtNatOriginGeoKey = 3092;
const ProjScaleAtCenterGeoKey = 3093;
const ProjStraightVertPoleLongGeoKey = 3095;

/** EPSG ellipsoid codes with a proj4 `+ellps` name (others are given by their axes). */
const ELLIPSOIDS: Record<number, string> = { 7001: 'airy', 7004: 'bessel', 7008: 'clrk66', 7012: 'clrk80', 7019: 'GRS80', 7022: 'intl', 7030: 'WGS84', 7043: 'WGS72' };
/** EPSG linear unit codes with a proj4 `+units` name. */
const LINEAR_UNITS: Record<number, string> = { 9001: 'm', 9002: 'ft', 9003: 'us-ft', 9036: 'km' };
/** EPSG angular unit codes → degrees per unit (parameters are stored in the geographic angular unit). */
const ANGULAR_UNITS: Record<number, number> = { 9101: 180 / Math.PI, 9102: 1, 9105: 0.9 };

export type Proj4FromGeoKeys = { proj4: string } | { problem: string };

/**
 * A proj4 definition of the CRS a key directory describes, for user-defined CRSs (no EPSG
 * code, or one the EPSG index cannot give): the projection from ProjCoordTransGeoKey and its
 * parameters (origin in the natural-origin, false-origin or centre keys, as the method uses),
 * the earth from the geographic CRS code, the datum code or the ellipsoid keys (with
 * GeogTOWGS84GeoKey where given), the linear unit. Mirrors how GDAL reads these keys (its
 * gt_wkt_srs.cpp), so GDAL and co2sat place a site on the same pixel.
 */
export function proj4FromGeoKeys(raw: RawGeoKeys): Proj4FromGeoKeys {
  const keys = geoKeyValues(raw);
  const num = (...ids: number[]): number | undefined => {
    for (const id of ids) {
      const v = keys.get(id);
      if (typeof v === 'number') return v;
    }
    return undefined;
  };
  const model = num(GTModelTypeGeoKey);
  const earth = earthOf(keys, num);
  if ('problem' in earth) return earth;
  const degreesPerUnit = ANGULAR_UNITS[num(GeogAngularUnitsGeoKey) ?? 9102];
  if (degreesPerUnit === undefined) return { problem: `angular unit ${num(GeogAngularUnitsGeoKey)} is not supported` };
  if (model === 2) return { proj4: `+proj=longlat ${earth.proj4} +no_defs` };
  if (model !== 1) return { problem: model === undefined ? 'no GTModelTypeGeoKey' : `model type ${model} is neither projected (1) nor geographic (2)` };

  const projected = num(ProjectedCSTypeGeoKey);
  const projection = num(ProjectionGeoKey);
  const units = unitsOf(num);
  if ('problem' in units) return units;
  // A user-defined projected CRS built on an EPSG UTM conversion (16001–16060 north, 16101–16160 south).
  if (projected === USER_DEFINED && projection !== undefined && projection !== USER_DEFINED) {
    const zone = projection % 100;
    if (projection >= 16001 && projection <= 16060) return { proj4: `+proj=utm +zone=${zone} ${earth.proj4} ${units.proj4} +no_defs` };
    if (projection >= 16101 && projection <= 16160) return { proj4: `+proj=utm +zone=${zone} +south ${earth.proj4} ${units.proj4} +no_defs` };
  }
  const method = num(ProjCoordTransGeoKey);
  if (method === undefined) return { problem: projected !== undefined && projected !== USER_DEFINED ? `EPSG:${projected} has no proj4 definition co2sat knows` : 'user-defined projection without ProjCoordTransGeoKey' };
  const angle = (...ids: number[]): number => (num(...ids) ?? 0) * degreesPerUnit;
  const lon0 = angle(ProjNatOriginLongGeoKey, ProjFalseOriginLongGeoKey, ProjCenterLongGeoKey);
  const lat0 = angle(ProjNatOriginLatGeoKey, ProjFalseOriginLatGeoKey, ProjCenterLatGeoKey);
  const x0 = num(ProjFalseEastingGeoKey, ProjCenterEastingGeoKey, ProjFalseOriginEastingGeoKey) ?? 0;
  const y0 = num(ProjFalseNorthingGeoKey, ProjCenterNorthingGeoKey, ProjFalseOriginNorthingGeoKey) ?? 0;
  const k = num(ProjScaleAtNatOriginGeoKey, ProjScaleAtCenterGeoKey) ?? 1;
  const sp1 = angle(ProjStdParallel1GeoKey);
  const sp2 = angle(ProjStdParallel2GeoKey);
  const falseXY = `+x_0=${x0} +y_0=${y0}`;
  let proj: string;
  switch (method) {
    case 1: // CT_TransverseMercator
      proj = `+proj=tmerc +lat_0=${lat0} +lon_0=${lon0} +k=${k} ${falseXY}`;
      break;
    case 7: // CT_Mercator: 2SP when a standard parallel is given, else 1SP with a scale
      proj = num(ProjStdParallel1GeoKey) !== undefined ? `+proj=merc +lat_ts=${sp1} +lon_0=${lon0} ${falseXY}` : `+proj=merc +lon_0=${lon0} +k=${k} ${falseXY}`;
      break;
    case 8: // CT_LambertConfConic_2SP
      proj = `+proj=lcc +lat_1=${sp1} +lat_2=${sp2} +lat_0=${lat0} +lon_0=${lon0} ${falseXY}`;
      break;
    case 9: // CT_LambertConfConic_1SP
      proj = `+proj=lcc +lat_1=${lat0} +lat_0=${lat0} +lon_0=${lon0} +k_0=${k} ${falseXY}`;
      break;
    case 10: // CT_LambertAzimEqualArea
      proj = `+proj=laea +lat_0=${lat0} +lon_0=${lon0} ${falseXY}`;
      break;
    case 11: // CT_AlbersEqualArea
      proj = `+proj=aea +lat_1=${sp1} +lat_2=${sp2} +lat_0=${lat0} +lon_0=${lon0} ${falseXY}`;
      break;
    case 12: // CT_AzimuthalEquidistant
      proj = `+proj=aeqd +lat_0=${lat0} +lon_0=${lon0} ${falseXY}`;
      break;
    case 14: // CT_Stereographic
      proj = `+proj=stere +lat_0=${lat0} +lon_0=${lon0} +k=${k} ${falseXY}`;
      break;
    case 15: {
      // CT_PolarStereographic: the pole as natural origin (variant A, with a scale) or a
      // latitude of true scale (variant B); the meridian is the straight vertical one.
      const pole = lat0 < 0 ? -90 : 90;
      const lonPole = angle(ProjStraightVertPoleLongGeoKey, ProjNatOriginLongGeoKey, ProjCenterLongGeoKey);
      proj = Math.abs(lat0) === 90 ? `+proj=stere +lat_0=${pole} +lon_0=${lonPole} +k=${k} ${falseXY}` : `+proj=stere +lat_0=${pole} +lat_ts=${lat0} +lon_0=${lonPole} ${falseXY}`;
      break;
    }
    case 16: // CT_ObliqueStereographic
      proj = `+proj=sterea +lat_0=${lat0} +lon_0=${lon0} +k=${k} ${falseXY}`;
      break;
    case 17: // CT_Equirectangular
      proj = `+proj=eqc +lat_ts=${sp1} +lat_0=${lat0} +lon_0=${lon0} ${falseXY}`;
      break;
    case 18: // CT_CassiniSoldner
      proj = `+proj=cass +lat_0=${lat0} +lon_0=${lon0} ${falseXY}`;
      break;
    case 20: // CT_MillerCylindrical
      proj = `+proj=mill +lat_0=${lat0} +lon_0=${lon0} ${falseXY}`;
      break;
    case 21: // CT_Orthographic
      proj = `+proj=ortho +lat_0=${lat0} +lon_0=${lon0} ${falseXY}`;
      break;
    case 22: // CT_Polyconic
      proj = `+proj=poly +lat_0=${lat0} +lon_0=${lon0} ${falseXY}`;
      break;
    case 24: // CT_Sinusoidal
      proj = `+proj=sinu +lon_0=${lon0} ${falseXY}`;
      break;
    case 28: // CT_CylindricalEqualArea
      proj = `+proj=cea +lat_ts=${sp1} +lon_0=${lon0} ${falseXY}`;
      break;
    default:
      return { problem: `projection method ${method} (ProjCoordTransGeoKey) is not supported` };
  }
  return { proj4: `${proj} ${earth.proj4} ${units.proj4} +no_defs` };
}

type NumberKey = (...ids: number[]) => number | undefined;

/** proj4 earth terms (+datum, or +ellps/+a/+rf/+b with +towgs84 and +pm) from the geographic keys. */
function earthOf(keys: Map<number, number | number[] | string>, num: NumberKey): Proj4FromGeoKeys {
  const pm = num(GeogPrimeMeridianLongGeoKey) ?? 0;
  const pmTerm = pm !== 0 ? ` +pm=${pm}` : '';
  const towgs84 = keys.get(GeogTOWGS84GeoKey);
  const shift = Array.isArray(towgs84) ? ` +towgs84=${towgs84.join(',')}` : typeof towgs84 === 'number' ? ` +towgs84=${towgs84}` : '';
  // A geographic CRS by EPSG code (4326, 4258 …), or by the datum's code (EPSG numbers the
  // datum of geographic CRS 4xxx as 6xxx): its definition minus the projection term.
  const geographic = num(GeographicTypeGeoKey);
  const datum = num(GeogGeodeticDatumGeoKey);
  for (const code of [geographic, datum !== undefined && datum >= 6001 && datum <= 6999 ? datum - 2000 : undefined]) {
    if (code === undefined || code === USER_DEFINED) continue;
    const def = proj4ForEpsg(code);
    if (!def || !/\+proj=longlat\b/.test(def)) continue;
    const terms = def.split(/\s+/).filter((t) => /^\+(datum|ellps|a|b|rf|f|R|towgs84|nadgrids|pm)=/.test(t));
    if (terms.length > 0) return { proj4: terms.join(' ') + (shift && !terms.some((t) => t.startsWith('+towgs84=')) ? shift : '') + (pmTerm && !terms.some((t) => t.startsWith('+pm=')) ? pmTerm : '') };
  }
  const ellipsoid = num(GeogEllipsoidGeoKey);
  const named = ellipsoid !== undefined ? ELLIPSOIDS[ellipsoid] : undefined;
  const a = num(GeogSemiMajorAxisGeoKey);
  const b = num(GeogSemiMinorAxisGeoKey);
  const rf = num(GeogInvFlatteningGeoKey);
  let shape: string;
  if (a !== undefined && rf !== undefined && rf !== 0) shape = `+a=${a} +rf=${rf}`;
  else if (a !== undefined && b !== undefined) shape = a === b ? `+R=${a}` : `+a=${a} +b=${b}`;
  else if (named) shape = `+ellps=${named}`;
  else return { problem: 'the earth is not described: no geographic CRS, datum or ellipsoid code known, and no semi-major axis with a flattening or semi-minor axis' };
  return { proj4: shape + shift + pmTerm };
}

/** proj4 unit term from ProjLinearUnitsGeoKey / ProjLinearUnitSizeGeoKey (metre when absent). */
function unitsOf(num: NumberKey): Proj4FromGeoKeys {
  const code = num(ProjLinearUnitsGeoKey) ?? 9001;
  const name = LINEAR_UNITS[code];
  if (name) return { proj4: `+units=${name}` };
  const size = num(ProjLinearUnitSizeGeoKey);
  if (size !== undefined && size > 0) return { proj4: `+to_meter=${size}` };
  return { problem: `linear unit ${code} is not supported` };
}
